// Routing rules: which assignment group, category, priority and escalation address a new incident gets, or
// whether the email makes no incident at all, from the sender, recipients, subject and headers. Rules live
// in the DynamoDB table StackFlow_EmailRoutingRule; an admin orders them by position. Every matching rule
// applies its actions in turn, and a rule with stopAfterMatch (the default) ends the run, so rules without
// the flag behave as "the first matching rule wins", as in most helpdesks' inbound actions.
//
// Pure: no I/O and no Node built-ins, so workflow code may import it. Mail is attacker-controlled, so the
// work per email is bounded: fields are cut to ROUTING_INPUT_LIMIT characters, a field has at most
// ROUTING_VALUES_LIMIT values, a rule at most ROUTING_CONDITION_LIMIT conditions, at most
// ROUTING_RULE_LIMIT rules run, and regular expressions run on RE2 (linear time, see safe-regex).
import { normaliseAddress } from './participants';
import { byPosition, ruleKey } from './rule-order';
import { compileSafeRegex, SafeRegex } from './safe-regex';
import { parsePriority } from './sla';
import type { Priority, Routing, RoutingCondition, RoutingField, RoutingOperator, RoutingRule } from './types';

/** The fields with a fixed name; any header is `header:<Name>` (ROUTING_HEADER_PREFIX). */
export const ROUTING_FIELDS: readonly Exclude<RoutingField, `header:${string}`>[] = ['sender', 'recipient', 'subject'];
export const ROUTING_HEADER_PREFIX = 'header:';
export const ROUTING_OPERATORS: readonly RoutingOperator[] = [
  'contains',
  'not_contains',
  'equals',
  'starts_with',
  'ends_with',
  'any_of',
  'regex',
];

/** Every field value (sender, subject, each recipient, each header occurrence) is cut to this many characters before matching. */
export const ROUTING_INPUT_LIMIT = 2000;
/**
 * @deprecated Every operator now sees the first ROUTING_INPUT_LIMIT characters, not only regex; kept so
 * existing imports compile.
 */
export const REGEX_INPUT_LIMIT = ROUTING_INPUT_LIMIT;
/** Only the first this many recipients, or occurrences of one header, are matched. */
export const ROUTING_VALUES_LIMIT = 50;
/** A rule with more conditions is refused by parseRoutingRule and never matches. */
export const ROUTING_CONDITION_LIMIT = 50;
/** Only the first this many enabled rules (by position) are evaluated. */
export const ROUTING_RULE_LIMIT = 200;

/** What routing looks at. Recipients and headers are optional: without them, such conditions see no values. */
export interface RoutingEmail {
  /** Null when SES could not authenticate the sender: sender conditions then see no value (anyone can write a VIP's From). */
  sender: string | null;
  subject: string;
  recipients?: string[];
  /** Header name (any case) to its values, one per occurrence. */
  headers?: Record<string, string[]>;
}

/** Cuts to ROUTING_INPUT_LIMIT characters without leaving half a surrogate pair at the end. */
function cut(text: unknown): string {
  if (typeof text !== 'string') return '';
  if (text.length <= ROUTING_INPUT_LIMIT) return text;
  let end = ROUTING_INPUT_LIMIT;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/** A field's values as matched: cut, and lower-cased for the text operators (regex sees them as cut). */
interface FieldValues {
  raw: string[];
  lower: string[];
}

function fieldValues(values: unknown[]): FieldValues {
  const raw: string[] = [];
  for (const value of values) {
    if (raw.length >= ROUTING_VALUES_LIMIT) break;
    if (typeof value === 'string') raw.push(cut(value));
  }
  return { raw, lower: raw.map((v) => v.toLowerCase()) };
}

/** Header values by lower-cased name, every spelling of the name merged in the order given. */
function headerIndex(headers: unknown): Map<string, unknown[]> {
  const index = new Map<string, unknown[]>();
  if (typeof headers !== 'object' || headers === null) return index;
  for (const [name, values] of Object.entries(headers as Record<string, unknown>)) {
    const key = name.toLowerCase();
    const list = index.get(key) ?? [];
    if (list.length >= ROUTING_VALUES_LIMIT) continue;
    if (Array.isArray(values)) list.push(...values.slice(0, ROUTING_VALUES_LIMIT - list.length));
    else list.push(values); // one string where a list belongs: still that header's value
    index.set(key, list);
  }
  return index;
}

/** Resolves each field once per email, however many conditions look at it. */
function fieldReader(email: RoutingEmail): (field: string) => FieldValues | null {
  const cache = new Map<string, FieldValues>();
  let headers: Map<string, unknown[]> | null = null;
  return (field) => {
    if (typeof field !== 'string') return null;
    // Field names are exact (as parseRoutingRule accepts them); header names are case-insensitive.
    const key = field.startsWith(ROUTING_HEADER_PREFIX) ? field.toLowerCase() : field;
    const known = cache.get(key);
    if (known) return known;
    let values: FieldValues;
    if (key === 'sender') values = fieldValues(email.sender === null ? [] : [email.sender ?? '']);
    else if (key === 'subject') values = fieldValues([email.subject ?? '']);
    else if (key === 'recipient') values = fieldValues(Array.isArray(email.recipients) ? email.recipients : []);
    else if (key.startsWith(ROUTING_HEADER_PREFIX)) {
      headers ??= headerIndex(email.headers);
      values = fieldValues(headers.get(key.slice(ROUTING_HEADER_PREFIX.length).trim()) ?? []);
    } else return null; // a field we do not know (bad data that slipped past parsing)
    cache.set(key, values);
    return values;
  };
}

/** The any_of values, trimmed and lower-cased: a list as given, or one string split on commas and newlines. */
export function anyOfValues(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,\r\n]/) : [];
  return items.filter((v): v is string => typeof v === 'string').map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
}

/** Patterns compiled at most once while they stay in use (rules are reloaded every so often as new objects). */
const compiledPatterns = new Map<string, { ok: true; regex: SafeRegex } | { ok: false; error: string }>();
/** More distinct patterns than this and the cache starts over: memory stays bounded whatever the rules say. */
const COMPILED_PATTERN_CACHE_LIMIT = 500;

function compilePattern(pattern: string): { ok: true; regex: SafeRegex } | { ok: false; error: string } {
  const cached = compiledPatterns.get(pattern);
  if (cached) return cached;
  const compiled = compileSafeRegex(pattern, { caseInsensitive: true });
  if (compiledPatterns.size >= COMPILED_PATTERN_CACHE_LIMIT) compiledPatterns.clear();
  compiledPatterns.set(pattern, compiled);
  return compiled;
}

function conditionRegex(condition: RoutingCondition): SafeRegex | null {
  if (typeof condition.value !== 'string') return null;
  const compiled = compilePattern(condition.value);
  // An invalid pattern is a broken rule: it matches nothing rather than stopping the email.
  return compiled.ok ? compiled.regex : null;
}

function conditionMatches(condition: RoutingCondition, values: FieldValues): boolean {
  if (condition.operator === 'any_of') {
    const wanted = new Set(anyOfValues(condition.value));
    return values.lower.some((v) => wanted.has(v));
  }
  if (typeof condition.value !== 'string') return false;
  if (condition.operator === 'regex') {
    const regex = conditionRegex(condition);
    return regex !== null && values.raw.some((v) => regex.test(v));
  }
  const value = condition.value.toLowerCase();
  switch (condition.operator) {
    case 'contains':
      return values.lower.some((v) => v.includes(value));
    case 'not_contains':
      return values.lower.every((v) => !v.includes(value)); // no values (no such header): nothing contains it
    case 'equals':
      return values.lower.some((v) => v === value);
    case 'starts_with':
      return values.lower.some((v) => v.startsWith(value));
    case 'ends_with':
      return values.lower.some((v) => v.endsWith(value));
    default:
      return false; // An operator we do not know never matches.
  }
}

function ruleMatches(rule: RoutingRule, field: (name: string) => FieldValues | null): boolean {
  const { conditions } = rule;
  // Too many conditions is a rule that slipped past parsing; matching only some would widen it.
  if (!Array.isArray(conditions) || conditions.length > ROUTING_CONDITION_LIMIT) return false;
  return conditions.every((condition) => {
    if (typeof condition !== 'object' || condition === null) return false;
    const values = field(condition.field);
    return values !== null && conditionMatches(condition, values); // an unknown field never matches, like an unknown operator
  });
}

/**
 * The routing of a new incident. The first ROUTING_RULE_LIMIT enabled rules run in position order; a rule
 * matches when all its conditions do (a rule without conditions matches every email). Each matching rule
 * applies the actions it sets (a later one overrides only those), and a matching rule whose stopAfterMatch
 * is true or unset ends the run. What no applied rule sets stays null, the default priority, not ignored.
 */
export function matchRoutingRule(rules: RoutingRule[], email: RoutingEmail, defaultPriority: Priority): Routing {
  const routing: Routing = {
    ruleId: null,
    ruleIds: [],
    assignmentGroup: null,
    category: null,
    priority: defaultPriority,
    escalationAddress: null,
    ignore: false,
    ignoredBy: null,
  };
  const ordered = rules.filter((rule) => rule.enabled).sort(byPosition).slice(0, ROUTING_RULE_LIMIT);
  const field = fieldReader(email);
  for (const rule of ordered) {
    if (!ruleMatches(rule, field)) continue;
    routing.ruleId ??= rule.ruleId;
    routing.ruleIds.push(rule.ruleId);
    if (rule.assignmentGroup != null) routing.assignmentGroup = rule.assignmentGroup;
    if (rule.category != null) routing.category = rule.category;
    if (rule.priority != null) routing.priority = rule.priority;
    if (rule.escalationAddress != null) routing.escalationAddress = rule.escalationAddress;
    if (rule.ignore === true) {
      routing.ignore = true;
      routing.ignoredBy = rule.ruleId;
    } else if (rule.ignore === false) {
      routing.ignore = false;
      routing.ignoredBy = null;
    }
    if (rule.stopAfterMatch !== false) break;
  }
  return routing;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** DynamoDB's NULL type arrives as null; for an optional attribute it means "not set". */
function isUnset(value: unknown): boolean {
  return value === undefined || value === null;
}

/** A header name as RFC 5322 allows: printable ASCII, no space, no colon. */
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

function parseField(field: unknown, where: string): RoutingField | { error: string } {
  const expected = `${ROUTING_FIELDS.join(', ')} or ${ROUTING_HEADER_PREFIX}<Name>`;
  if (typeof field !== 'string') return { error: `${where}.field must be one of ${expected}, got ${JSON.stringify(field)}` };
  if ((ROUTING_FIELDS as readonly string[]).includes(field)) return field as RoutingField;
  if (field.startsWith(ROUTING_HEADER_PREFIX)) {
    const name = field.slice(ROUTING_HEADER_PREFIX.length);
    if (!HEADER_NAME.test(name)) {
      return {
        error: `${where}.field must name a header after "${ROUTING_HEADER_PREFIX}" (printable ASCII, no spaces or colons, e.g. header:X-Priority), got ${JSON.stringify(field)}`,
      };
    }
    return field as RoutingField;
  }
  return { error: `${where}.field must be one of ${expected}, got ${JSON.stringify(field)}` };
}

function parseCondition(value: unknown, index: number): RoutingCondition | { error: string } {
  const where = `conditions[${index}]`;
  if (!isPlainObject(value)) return { error: `${where} must be an object with field, operator and value` };
  const { field, operator, value: text } = value;
  const parsedField = parseField(field, where);
  if (typeof parsedField === 'object') return parsedField;
  if (typeof operator !== 'string' || !(ROUTING_OPERATORS as readonly string[]).includes(operator)) {
    return {
      error: `${where}.operator must be one of ${ROUTING_OPERATORS.join(', ')}, got ${JSON.stringify(operator)}`,
    };
  }
  if (operator === 'any_of') {
    if (Array.isArray(text)) {
      const bad = text.findIndex((v) => typeof v !== 'string');
      if (bad >= 0) return { error: `${where}.value[${bad}] must be a string` };
    } else if (typeof text !== 'string') {
      return { error: `${where}.value must be a list of strings, or a string of values separated by commas or newlines, for any_of` };
    }
    if (anyOfValues(text).length === 0) return { error: `${where}.value must name at least one value for any_of` };
    return { field: parsedField, operator, value: Array.isArray(text) ? [...(text as string[])] : (text as string) };
  }
  if (typeof text !== 'string') return { error: `${where}.value must be a string` };
  if (operator === 'regex') {
    const compiled = compilePattern(text);
    if (!compiled.ok) return { error: `${where}.value is not a usable pattern: ${compiled.error}` };
  }
  return { field: parsedField, operator: operator as Exclude<RoutingOperator, 'any_of'>, value: text };
}

function optionalText(item: Record<string, unknown>, name: string): string | undefined | { error: string } {
  const value = item[name];
  if (isUnset(value)) return undefined;
  if (typeof value !== 'string') return { error: `${name} must be a string when set` };
  return value.trim() === '' ? undefined : value; // a blank attribute means "not set"
}

/** The longest address SMTP carries (RFC 5321 path limit less its brackets). */
const ESCALATION_ADDRESS_MAX = 254;

/**
 * escalationAddress: our SLA mail goes to it, so exactly one plain address (normaliseAddress: lower-cased,
 * no name, no specials). Line breaks and commas get their own reason: they are how one header becomes many.
 */
function optionalAddress(item: Record<string, unknown>, name: string): string | undefined | { error: string } {
  const text = optionalText(item, name);
  if (typeof text !== 'string') return text;
  if (text.length > ESCALATION_ADDRESS_MAX) return { error: `${name} must be at most ${ESCALATION_ADDRESS_MAX} characters, got ${text.length}` };
  if (/[\r\n]/.test(text)) return { error: `${name} must be one address without line breaks` };
  if (/[,;]/.test(text)) return { error: `${name} must be one address, not a list, got ${JSON.stringify(text)}` };
  return normaliseAddress(text) ?? { error: `${name} must be a plain email address such as oncall@example.com, got ${JSON.stringify(text)}` };
}

/**
 * Validates one item of StackFlow_EmailRoutingRule (as lib-dynamodb unmarshals it). Returns the rule,
 * or { error } naming the attribute that is wrong, so the caller can skip a bad rule and report it.
 * Unknown extra attributes (notes, timestamps) are ignored. stopAfterMatch and ignore appear in the
 * result only when the item sets them (unset stopAfterMatch means true).
 */
export function parseRoutingRule(item: Record<string, unknown>): RoutingRule | { error: string } {
  if (!isPlainObject(item)) return { error: 'routing rule must be an object' };
  const { conditions, enabled, priority, stopAfterMatch, ignore } = item;
  const key = ruleKey('routing rule', item.ruleId, item.position);
  if ('error' in key) return key;
  const { ruleId, position } = key;
  const rule = `routing rule ${JSON.stringify(ruleId)}`;
  if (!Array.isArray(conditions)) return { error: `${rule}: conditions must be a list` };
  if (conditions.length > ROUTING_CONDITION_LIMIT) {
    return { error: `${rule}: conditions has ${conditions.length} entries, at most ${ROUTING_CONDITION_LIMIT} are allowed` };
  }
  const parsedConditions: RoutingCondition[] = [];
  for (let i = 0; i < conditions.length; i++) {
    const condition = parseCondition(conditions[i], i);
    if ('error' in condition) return { error: `${rule}: ${condition.error}` };
    parsedConditions.push(condition);
  }
  for (const [name, flag] of [['enabled', enabled], ['stopAfterMatch', stopAfterMatch], ['ignore', ignore]] as const) {
    if (!isUnset(flag) && typeof flag !== 'boolean') return { error: `${rule}: ${name} must be true or false, got ${JSON.stringify(flag)}` };
  }

  const parsed: RoutingRule = {
    ruleId,
    position,
    enabled: isUnset(enabled) ? true : (enabled as boolean),
    conditions: parsedConditions,
  };
  if (!isUnset(stopAfterMatch)) parsed.stopAfterMatch = stopAfterMatch as boolean;
  for (const name of ['assignmentGroup', 'category'] as const) {
    const text = optionalText(item, name);
    if (typeof text === 'object') return { error: `${rule}: ${text.error}` };
    if (text !== undefined) parsed[name] = text;
  }
  const escalationAddress = optionalAddress(item, 'escalationAddress');
  if (typeof escalationAddress === 'object') return { error: `${rule}: ${escalationAddress.error}` };
  if (escalationAddress !== undefined) parsed.escalationAddress = escalationAddress;
  if (!isUnset(priority)) {
    // Numbers only, as the table stores them; 'high' or '2' in the table is a mistake worth reporting.
    const p = typeof priority === 'number' ? parsePriority(priority) : null;
    if (p === null) return { error: `${rule}: priority must be a whole number from 1 to 5, got ${JSON.stringify(priority)}` };
    parsed.priority = p;
  }
  if (!isUnset(ignore)) parsed.ignore = ignore as boolean;
  return parsed;
}
