// Routing rules: which assignment group, category and priority a new incident gets, from the
// sender and subject. Rules live in the DynamoDB table StackFlow_EmailRoutingRule; an admin orders
// them by position and the first rule that matches wins, as in most helpdesks' inbound actions.
import { parsePriority } from './sla';
import type { Priority, Routing, RoutingCondition, RoutingRule } from './types';

export const ROUTING_FIELDS: readonly RoutingCondition['field'][] = ['sender', 'subject'];
export const ROUTING_OPERATORS: readonly RoutingCondition['operator'][] = [
  'contains',
  'equals',
  'starts_with',
  'ends_with',
  'regex',
];

/**
 * A regex condition only sees this much of the field. Bounded input bounds the work a pattern can
 * do on attacker-controlled text; a fuller ReDoS guard (pattern vetting, time budget) comes with
 * the routing-rule issue.
 */
export const REGEX_INPUT_LIMIT = 1000;

function conditionMatches(condition: RoutingCondition, email: { sender: string; subject: string }): boolean {
  const field = (condition.field === 'sender' ? email.sender : email.subject) ?? '';
  if (condition.operator === 'regex') {
    let pattern: RegExp;
    try {
      pattern = new RegExp(condition.value, 'i');
    } catch {
      return false; // An invalid pattern is a broken rule: it matches nothing rather than stopping the email.
    }
    return pattern.test(field.slice(0, REGEX_INPUT_LIMIT));
  }
  const text = field.toLowerCase();
  const value = condition.value.toLowerCase();
  switch (condition.operator) {
    case 'contains':
      return text.includes(value);
    case 'equals':
      return text === value;
    case 'starts_with':
      return text.startsWith(value);
    case 'ends_with':
      return text.endsWith(value);
    default:
      return false; // An operator we do not know never matches.
  }
}

/** Lower position first; equal positions by ruleId, so the order never depends on how the table was scanned. */
function byPosition(a: RoutingRule, b: RoutingRule): number {
  if (a.position !== b.position) return a.position - b.position;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}

/**
 * The routing of a new incident: the first enabled rule (by position) whose conditions all match;
 * a rule without conditions matches every email. Fields a rule leaves unset fall back to null and
 * to the default priority, as does an email that no rule matches.
 */
export function matchRoutingRule(
  rules: RoutingRule[],
  email: { sender: string; subject: string },
  defaultPriority: Priority,
): Routing {
  const ordered = rules.filter((rule) => rule.enabled).sort(byPosition);
  for (const rule of ordered) {
    if (rule.conditions.every((condition) => conditionMatches(condition, email))) {
      return {
        ruleId: rule.ruleId,
        assignmentGroup: rule.assignmentGroup ?? null,
        category: rule.category ?? null,
        priority: rule.priority ?? defaultPriority,
      };
    }
  }
  return { ruleId: null, assignmentGroup: null, category: null, priority: defaultPriority };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** DynamoDB's NULL type arrives as null; for an optional attribute it means "not set". */
function isUnset(value: unknown): boolean {
  return value === undefined || value === null;
}

function parseCondition(value: unknown, index: number): RoutingCondition | { error: string } {
  const where = `conditions[${index}]`;
  if (!isPlainObject(value)) return { error: `${where} must be an object with field, operator and value` };
  const { field, operator, value: text } = value;
  if (typeof field !== 'string' || !(ROUTING_FIELDS as readonly string[]).includes(field)) {
    return { error: `${where}.field must be one of ${ROUTING_FIELDS.join(', ')}, got ${JSON.stringify(field)}` };
  }
  if (typeof operator !== 'string' || !(ROUTING_OPERATORS as readonly string[]).includes(operator)) {
    return {
      error: `${where}.operator must be one of ${ROUTING_OPERATORS.join(', ')}, got ${JSON.stringify(operator)}`,
    };
  }
  if (typeof text !== 'string') return { error: `${where}.value must be a string` };
  return {
    field: field as RoutingCondition['field'],
    operator: operator as RoutingCondition['operator'],
    value: text,
  };
}

function optionalText(item: Record<string, unknown>, name: string): string | undefined | { error: string } {
  const value = item[name];
  if (isUnset(value)) return undefined;
  if (typeof value !== 'string') return { error: `${name} must be a string when set` };
  return value.trim() === '' ? undefined : value; // a blank attribute means "not set"
}

/**
 * Validates one item of StackFlow_EmailRoutingRule (as lib-dynamodb unmarshals it). Returns the rule,
 * or { error } naming the attribute that is wrong, so the caller can skip a bad rule and report it.
 * Unknown extra attributes (notes, timestamps) are ignored.
 */
export function parseRoutingRule(item: Record<string, unknown>): RoutingRule | { error: string } {
  if (!isPlainObject(item)) return { error: 'routing rule must be an object' };
  const { ruleId, position, conditions, enabled, priority } = item;
  if (typeof ruleId !== 'string' || ruleId.trim() === '') return { error: 'ruleId must be a non-empty string' };
  const rule = `routing rule ${JSON.stringify(ruleId)}`;
  if (typeof position !== 'number' || !Number.isFinite(position)) {
    return { error: `${rule}: position must be a number` };
  }
  if (!Array.isArray(conditions)) return { error: `${rule}: conditions must be a list` };
  const parsedConditions: RoutingCondition[] = [];
  for (let i = 0; i < conditions.length; i++) {
    const condition = parseCondition(conditions[i], i);
    if ('error' in condition) return { error: `${rule}: ${condition.error}` };
    parsedConditions.push(condition);
  }
  if (!isUnset(enabled) && typeof enabled !== 'boolean') return { error: `${rule}: enabled must be true or false` };

  const parsed: RoutingRule = {
    ruleId,
    position,
    enabled: isUnset(enabled) ? true : (enabled as boolean),
    conditions: parsedConditions,
  };
  for (const name of ['assignmentGroup', 'category'] as const) {
    const text = optionalText(item, name);
    if (typeof text === 'object') return { error: `${rule}: ${text.error}` };
    if (text !== undefined) parsed[name] = text;
  }
  if (!isUnset(priority)) {
    // Numbers only, as the table stores them; 'high' or '2' in the table is a mistake worth reporting.
    const p = typeof priority === 'number' ? parsePriority(priority) : null;
    if (p === null) return { error: `${rule}: priority must be a whole number from 1 to 5, got ${JSON.stringify(priority)}` };
    parsed.priority = p;
  }
  return parsed;
}
