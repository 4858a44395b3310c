// Parsing rules: how to recognise structured mail (monitoring alerts) and pull fields out of it: host,
// service, state, severity and any other named field. A rule recognises its format by sender and subject;
// each field is a regular expression over the subject or the body. Rules are configuration: every pattern
// runs on RE2 (domain/safe-regex), so a rule can never hang a worker on a hostile mail.
//
// Pure: no I/O, no Node built-ins. Extraction reads the body, which is not in workflow history: call
// applyParsingRules from an activity (its worst case is bounded: see SAFE_REGEX_PROGRAM_LIMIT).
import { byPosition, ruleKey } from './rule-order';
import { compileSafeRegex, type SafeRegex } from './safe-regex';
import { oneLine } from './short-description';
import type { Priority } from './types';

export interface ParsingRuleField {
  /** The field's name; host, service and state are the well-known ones (ParsedAlert.host, ...). */
  name: string;
  source: 'subject' | 'body';
  /**
   * RE2 syntax. The value is the group named `value` ((?P<value>...) or (?<value>...)), else the first
   * capture group, else the whole match. Compiled with multiline on (^ and $ match at every line) and
   * case-sensitive unless the pattern says (?i).
   */
  regex: string;
  /** The value when the regex finds nothing (or only blanks). */
  default?: string;
  /** Replaces an extracted value; keys compared case-insensitively (e.g. Monit's "succeeded" -> "OK"). */
  map?: Record<string, string>;
}

export interface ParsingRule {
  ruleId: string;
  /** Lower runs first; equal positions by ruleId. */
  position: number;
  enabled: boolean;
  name: string;
  /**
   * Every condition set must hold. senderContains (named for what people write in it): an address
   * ('nagios@monitoring.example.com') matches that address only; a domain ('@monitoring.example.com' or
   * 'monitoring.example.com') matches addresses at that domain or its subdomains, never a lookalike such
   * as 'x@monitoring.example.com.evil.net'.
   * subjectRegex: RE2 pattern found anywhere in the subject (case-sensitive unless (?i)).
   */
  match: { senderContains?: string; subjectRegex?: string };
  /**
   * Tried in order. Several entries may name the same field: the first that yields a value wins, so a
   * later entry is a fallback (state from the body, else from the subject).
   */
  fields: ParsingRuleField[];
  /** The field whose value is looked up in severityMap (keys case-insensitive) to give a priority. */
  severityField?: string;
  severityMap?: Record<string, Priority>;
  /** States that mean "resolved" (case-insensitive); default DEFAULT_RECOVERY_STATES. */
  recoveryStates?: string[];
}

export interface ParsedAlert {
  ruleId: string;
  /** Every field that yielded a value: trimmed, one line, at most FIELD_VALUE_LIMIT characters. */
  fields: Record<string, string>;
  host: string | null;
  service: string | null;
  state: string | null;
  priority: Priority | null;
  /** The state is one of the rule's recovery states: the alert is resolved. */
  recovery: boolean;
  /** `${host}/${service ?? ''}` lower-cased, when the host is known: the same alert across mails. */
  alertKey: string | null;
}

export interface AlertEmail {
  sender: string;
  subject: string;
  body: string;
}

export const DEFAULT_RECOVERY_STATES: readonly string[] = ['OK', 'UP', 'RESOLVED', 'RECOVERY'];
/** An extracted value is cut to this many characters. */
export const FIELD_VALUE_LIMIT = 500;
export const MAX_FIELDS_PER_RULE = 30;
const MAX_MAP_ENTRIES = 100;
const MAX_RECOVERY_STATES = 50;
const MAX_TEXT_SETTING = 1000;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const FIELD_SOURCES: readonly ParsingRuleField['source'][] = ['subject', 'body'];

/** Every configured pattern is compiled the same way, so a rule behaves as parseParsingRule checked it. */
const RULE_REGEX_FLAGS = { multiline: true } as const;

// Compiled patterns by source: rules are reloaded often and applied to every mail, patterns rarely change.
// A failed compile is cached too (null). Bounded, and cleared whole when full: it is only a cache.
const compiledCache = new Map<string, SafeRegex | null>();
const COMPILED_CACHE_LIMIT = 500;

function compiled(pattern: string): SafeRegex | null {
  const cached = compiledCache.get(pattern);
  if (cached !== undefined) return cached;
  const result = compileSafeRegex(pattern, RULE_REGEX_FLAGS);
  if (compiledCache.size >= COMPILED_CACHE_LIMIT) compiledCache.clear();
  const regex = result.ok ? result.regex : null;
  compiledCache.set(pattern, regex);
  return regex;
}

// ---------------------------------------------------------------------------------------------------------
// Applying rules

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A rule with an unusable pattern (one that did not come through parseParsingRule) recognises nothing. */
function ruleMatches(rule: ParsingRule, email: AlertEmail): boolean {
  const { senderContains, subjectRegex } = rule.match ?? {};
  if (typeof senderContains === 'string' && senderContains !== '') {
    if (!senderMatches(text(email.sender), senderContains)) return false;
  }
  if (typeof subjectRegex === 'string' && subjectRegex !== '') {
    const regex = compiled(subjectRegex);
    if (!regex || !regex.test(text(email.subject))) return false;
  }
  return true;
}

/** Trimmed, on one line, at most FIELD_VALUE_LIMIT characters (never half a surrogate pair); '' when blank. */
export function normaliseFieldValue(raw: string): string {
  // Cut before collapsing whitespace, so a huge capture costs no more than a small one.
  const line = oneLine(raw.slice(0, FIELD_VALUE_LIMIT * 4));
  const chars = Array.from(line);
  return chars.length <= FIELD_VALUE_LIMIT ? line : chars.slice(0, FIELD_VALUE_LIMIT).join('').trimEnd();
}

function lookupIgnoringCase<T>(map: Record<string, T> | undefined, key: string): T | undefined {
  if (!map) return undefined;
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(map)) {
    if (name.trim().toLowerCase() === wanted) return value;
  }
  return undefined;
}

function extract(field: ParsingRuleField, email: AlertEmail): string | null {
  const regex = compiled(field.regex);
  let value = '';
  if (regex) {
    const found = regex.exec(field.source === 'subject' ? text(email.subject) : text(email.body));
    if (found) {
      const group = regex.groupNames.includes('value') ? 'value' : regex.groupCount > 0 ? '1' : null;
      value = normaliseFieldValue(group === null ? found.match : found.groups[group] ?? '');
    }
  }
  if (value === '' && typeof field.default === 'string') value = normaliseFieldValue(field.default);
  if (value === '') return null;
  const mapped = lookupIgnoringCase(field.map, value);
  if (typeof mapped === 'string' && normaliseFieldValue(mapped) !== '') value = normaliseFieldValue(mapped);
  return value;
}

/**
 * The alert in a structured mail: the first enabled rule (by position) whose match conditions all hold
 * extracts the fields; null when no rule recognises the mail. A recognised mail whose fields all fail
 * still gives a ParsedAlert (with nulls): the rule said it is an alert.
 */
/** An address matches itself; a domain ('@d' or 'd') matches addresses at d and its subdomains. */
export function senderMatches(sender: string, spec: string): boolean {
  const address = sender.trim().toLowerCase();
  const want = spec.trim().toLowerCase();
  if (!want) return false;
  if (want.includes('@') && !want.startsWith('@')) return address === want;
  const domain = want.replace(/^@/, '');
  const at = address.lastIndexOf('@');
  if (at < 0) return false;
  const host = address.slice(at + 1);
  return host === domain || host.endsWith(`.${domain}`);
}

export function applyParsingRules(rules: ParsingRule[], email: AlertEmail): ParsedAlert | null {
  const rule = rules.filter((r) => r && r.enabled).sort(byPosition).find((r) => ruleMatches(r, email));
  if (!rule) return null;

  const values = new Map<string, string>();
  for (const field of rule.fields ?? []) {
    if (values.has(field.name)) continue; // an earlier entry already gave this field its value
    const value = extract(field, email);
    if (value !== null) values.set(field.name, value);
  }
  // fromEntries defines own properties: a field named __proto__ stays a field.
  const fields: Record<string, string> = Object.fromEntries(values);
  const host = values.get('host') ?? null;
  const service = values.get('service') ?? null;
  const state = values.get('state') ?? null;

  let priority: Priority | null = null;
  if (rule.severityField) {
    const severity = values.get(rule.severityField);
    const mapped = severity === undefined ? undefined : lookupIgnoringCase(rule.severityMap, severity);
    priority = mapped !== undefined && [1, 2, 3, 4, 5].includes(mapped) ? mapped : null;
  }
  const recoveryStates = rule.recoveryStates ?? DEFAULT_RECOVERY_STATES;
  const recovery = state !== null && recoveryStates.some((s) => typeof s === 'string' && s.trim().toLowerCase() === state.toLowerCase());

  return {
    ruleId: rule.ruleId,
    fields,
    host,
    service,
    state,
    priority,
    recovery,
    alertKey: host === null ? null : `${host}/${service ?? ''}`.toLowerCase(),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Validating configured rules (items of the parsing-rule table, as lib-dynamodb unmarshals them)

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** DynamoDB's NULL type arrives as null; for an optional attribute it means "not set". */
function isUnset(value: unknown): boolean {
  return value === undefined || value === null;
}

type Checked<T> = T | { error: string };
function failed<T>(value: Checked<T>): value is { error: string } {
  return isPlainObject(value) && typeof (value as { error?: unknown }).error === 'string' && Object.keys(value).length === 1;
}

function checkPattern(pattern: unknown, where: string): Checked<string> {
  if (typeof pattern !== 'string' || pattern.trim() === '') return { error: `${where} must be a non-empty string` };
  const result = compileSafeRegex(pattern, RULE_REGEX_FLAGS);
  return result.ok ? pattern : { error: `${where}: ${result.error}` };
}

/** An optional string setting: unset or blank -> undefined. */
function optionalString(value: unknown, where: string): Checked<string | undefined> {
  if (isUnset(value)) return undefined;
  if (typeof value !== 'string') return { error: `${where} must be a string when set` };
  if (value.length > MAX_TEXT_SETTING) return { error: `${where} is longer than ${MAX_TEXT_SETTING} characters` };
  return value.trim() === '' ? undefined : value;
}

function checkStringMap(value: unknown, where: string): Checked<Record<string, string> | undefined> {
  if (isUnset(value)) return undefined;
  if (!isPlainObject(value)) return { error: `${where} must be an object of strings` };
  const entries = Object.entries(value);
  if (entries.length > MAX_MAP_ENTRIES) return { error: `${where} has more than ${MAX_MAP_ENTRIES} entries` };
  for (const [key, mapped] of entries) {
    if (key.trim() === '') return { error: `${where} has an empty key` };
    if (typeof mapped !== 'string' || mapped.length > MAX_TEXT_SETTING) {
      return { error: `${where}[${JSON.stringify(key)}] must be a string` };
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function checkField(value: unknown, index: number): Checked<ParsingRuleField> {
  const at = `fields[${index}]`;
  if (!isPlainObject(value)) return { error: `${at} must be an object with name, source and regex` };
  const { name, source, regex } = value;
  if (typeof name !== 'string' || !FIELD_NAME.test(name)) {
    return { error: `${at}.name must be a name of letters, digits, '_', '.' or '-' (at most 64), got ${JSON.stringify(name)}` };
  }
  const where = `${at} (${name})`;
  if (typeof source !== 'string' || !(FIELD_SOURCES as readonly string[]).includes(source)) {
    return { error: `${where}.source must be one of ${FIELD_SOURCES.join(', ')}, got ${JSON.stringify(source)}` };
  }
  const pattern = checkPattern(regex, `${where}.regex`);
  if (failed(pattern)) return pattern;
  const field: ParsingRuleField = { name, source: source as ParsingRuleField['source'], regex: pattern };
  const fallback = optionalString(value.default, `${where}.default`);
  if (failed(fallback)) return fallback;
  if (fallback !== undefined) field.default = fallback;
  const map = checkStringMap(value.map, `${where}.map`);
  if (failed(map)) return map;
  if (map !== undefined) field.map = map;
  return field;
}

function checkSeverityMap(value: unknown): Checked<Record<string, Priority> | undefined> {
  if (isUnset(value)) return undefined;
  if (!isPlainObject(value)) return { error: 'severityMap must be an object of severity -> priority 1..5' };
  const entries = Object.entries(value);
  if (entries.length > MAX_MAP_ENTRIES) return { error: `severityMap has more than ${MAX_MAP_ENTRIES} entries` };
  for (const [key, priority] of entries) {
    if (key.trim() === '') return { error: 'severityMap has an empty key' };
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1 || priority > 5) {
      return { error: `severityMap[${JSON.stringify(key)}] must be a whole number from 1 to 5, got ${JSON.stringify(priority)}` };
    }
  }
  return Object.fromEntries(entries) as Record<string, Priority>;
}

function checkRecoveryStates(value: unknown): Checked<string[] | undefined> {
  if (isUnset(value)) return undefined;
  if (!Array.isArray(value)) return { error: 'recoveryStates must be a list of strings' };
  if (value.length > MAX_RECOVERY_STATES) return { error: `recoveryStates has more than ${MAX_RECOVERY_STATES} entries` };
  for (let i = 0; i < value.length; i++) {
    const state = value[i];
    if (typeof state !== 'string' || state.trim() === '' || state.length > 100) {
      return { error: `recoveryStates[${i}] must be a non-empty string, got ${JSON.stringify(state)}` };
    }
  }
  return value.map((state: string) => state.trim());
}

/**
 * Validates one configured parsing rule and compiles every pattern in it. Returns the rule, or { error }
 * naming the attribute that is wrong (a bad regex names its field), so the caller can skip a bad rule and
 * report it. A rule must say how to recognise its mail (senderContains and/or subjectRegex): a rule that
 * matched every mail would read every customer's mail as an alert. Unknown extra attributes are ignored.
 */
export function parseParsingRule(item: Record<string, unknown>): ParsingRule | { error: string } {
  if (!isPlainObject(item)) return { error: 'parsing rule must be an object' };
  const { enabled, name, match, fields } = item;
  const key = ruleKey('parsing rule', item.ruleId, item.position);
  if ('error' in key) return key;
  const { ruleId, position } = key;
  const rule = `parsing rule ${JSON.stringify(ruleId)}`;
  const fail = (error: string) => ({ error: `${rule}: ${error}` });

  if (!isUnset(enabled) && typeof enabled !== 'boolean') return fail('enabled must be true or false');
  const displayName = optionalString(name, 'name');
  if (failed(displayName)) return fail(displayName.error);

  if (!isPlainObject(match)) return fail('match must be an object with senderContains and/or subjectRegex');
  const senderContains = optionalString(match.senderContains, 'match.senderContains');
  if (failed(senderContains)) return fail(senderContains.error);
  let subjectRegex: string | undefined;
  if (!isUnset(match.subjectRegex)) {
    const pattern = checkPattern(match.subjectRegex, 'match.subjectRegex');
    if (failed(pattern)) return fail(pattern.error);
    subjectRegex = pattern;
  }
  if (senderContains === undefined && subjectRegex === undefined) {
    return fail('match must set senderContains or subjectRegex (a rule that matches every mail is refused)');
  }

  if (!Array.isArray(fields)) return fail('fields must be a list');
  if (fields.length > MAX_FIELDS_PER_RULE) return fail(`fields has ${fields.length} entries, at most ${MAX_FIELDS_PER_RULE}`);
  const parsedFields: ParsingRuleField[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = checkField(fields[i], i);
    if (failed(field)) return fail(field.error);
    parsedFields.push(field);
  }

  const severityField = optionalString(item.severityField, 'severityField');
  if (failed(severityField)) return fail(severityField.error);
  if (severityField !== undefined && !parsedFields.some((f) => f.name === severityField)) {
    return fail(`severityField ${JSON.stringify(severityField)} is not the name of one of the fields`);
  }
  const severityMap = checkSeverityMap(item.severityMap);
  if (failed(severityMap)) return fail(severityMap.error);
  const recoveryStates = checkRecoveryStates(item.recoveryStates);
  if (failed(recoveryStates)) return fail(recoveryStates.error);

  const parsed: ParsingRule = {
    ruleId,
    position,
    enabled: isUnset(enabled) ? true : (enabled as boolean),
    name: displayName ?? ruleId,
    match: {},
    fields: parsedFields,
  };
  if (senderContains !== undefined) parsed.match.senderContains = senderContains;
  if (subjectRegex !== undefined) parsed.match.subjectRegex = subjectRegex;
  if (severityField !== undefined) parsed.severityField = severityField;
  if (severityMap !== undefined) parsed.severityMap = severityMap;
  if (recoveryStates !== undefined) parsed.recoveryStates = recoveryStates;
  return parsed;
}

// ---------------------------------------------------------------------------------------------------------
// Default rules for the monitoring mail formats people send to a helpdesk. They recognise the format by
// subject only, because the sender address is each site's own: add senderContains (the monitoring host's
// address) to a copy of a rule before trusting it to close incidents, since anyone can write a subject.

/** "Host: name" in a classic body; a trailing ` (Display Name: "...")` (Icinga 2 templates) is left out. */
const bodyLine = (label: string, options: { displayName?: boolean } = {}): string =>
  `^[ \\t]*${label}:[ \\t]*(?P<value>[^\\r\\n]*?)${options.displayName ? '(?:[ \\t]+\\(Display Name: "[^"\\r\\n]*"\\))?' : ''}[ \\t\\r]*$`;

/** Service states mapped to the ServiceNow scale: a host down is critical, a service critical is high. */
const NAGIOS_SEVERITY: Record<string, Priority> = { DOWN: 1, UNREACHABLE: 2, CRITICAL: 2, WARNING: 3, UNKNOWN: 3 };

/** The body of the Nagios / Icinga 1 / Icinga 2 (up to 2.6) notification commands. */
const CLASSIC_BODY_FIELDS: ParsingRuleField[] = [
  { name: 'host', source: 'body', regex: bodyLine('Host') },
  { name: 'service', source: 'body', regex: bodyLine('Service') },
  { name: 'state', source: 'body', regex: bodyLine('State') },
  { name: 'notificationType', source: 'body', regex: bodyLine('Notification Type') },
  { name: 'address', source: 'body', regex: bodyLine('Address') },
  { name: 'dateTime', source: 'body', regex: bodyLine('Date/Time') },
  // The plugin output: on the same line, or (Nagios' service template) after one or two line breaks;
  // Nagios' host template says "Info:".
  { name: 'info', source: 'body', regex: '^[ \\t]*Additional Info:[ \\t]*(?:\\r?\\n[ \\t]*){0,2}(?P<value>[^\\r\\n]+)' },
  { name: 'info', source: 'body', regex: bodyLine('Info') },
];

const NOTIFICATION_TYPES =
  'PROBLEM|RECOVERY|ACKNOWLEDGEMENT|CUSTOM|FLAPPINGSTART|FLAPPINGSTOP|FLAPPINGEND|FLAPPINGDISABLED|DOWNTIMESTART|DOWNTIMEEND|DOWNTIMECANCELLED|DOWNTIMEREMOVED';

/** Monit event names (its event table) that report a recovery, as Zammad's Monit filter reads them. */
const MONIT_RECOVERY_WORDS = ['succeeded', 'done', 'recovery', 'ok', 'up', 'exists', 'changed not'];

export const DEFAULT_PARSING_RULES: ParsingRule[] = [
  {
    // Nagios Core's default notify-host/service-by-email commands; Icinga 1 kept them unchanged.
    //   Subject: ** PROBLEM Service Alert: host.internal.loc/CPU Load is WARNING **
    ruleId: 'nagios',
    position: 1000,
    enabled: true,
    name: 'Nagios / Icinga 1 notification',
    match: { subjectRegex: `^\\*\\* (?:${NOTIFICATION_TYPES}) (?:Host|Service) Alert: ` },
    fields: [
      ...CLASSIC_BODY_FIELDS,
      // Fallbacks from the subject, for templates that dropped a body line.
      { name: 'host', source: 'subject', regex: 'Host Alert: (?P<value>.+) is [A-Z]+ \\*\\*$' },
      { name: 'host', source: 'subject', regex: 'Service Alert: (?P<value>[^/]+)/' },
      { name: 'service', source: 'subject', regex: 'Service Alert: [^/]+/(?P<value>.+) is [A-Z]+ \\*\\*$' },
      { name: 'state', source: 'subject', regex: ' is (?P<value>[A-Z]+) \\*\\*$' },
    ],
    severityField: 'state',
    severityMap: NAGIOS_SEVERITY,
  },
  {
    // Icinga 2's mail-host/service-notification.sh up to 2.6 (body as Nagios, subject without stars).
    //   Subject: PROBLEM - host.internal.loc - CPU Load is WARNING
    ruleId: 'icinga2-classic',
    position: 1010,
    enabled: true,
    name: 'Icinga 2 notification (scripts up to 2.6)',
    match: { subjectRegex: `^(?:${NOTIFICATION_TYPES}) - \\S+ (?:- .+ )?is [A-Z]+$` },
    fields: [
      ...CLASSIC_BODY_FIELDS,
      { name: 'host', source: 'subject', regex: '^[A-Z]+ - (?P<value>\\S+)' },
      { name: 'service', source: 'subject', regex: '^[A-Z]+ - \\S+ - (?P<value>.+) is [A-Z]+$' },
      { name: 'state', source: 'subject', regex: ' is (?P<value>[A-Z]+)$' },
    ],
    severityField: 'state',
    severityMap: NAGIOS_SEVERITY,
  },
  {
    // Icinga 2's scripts from 2.7 on: no State line; the state is in the headline and the subject.
    //   Subject: [PROBLEM] Ping IPv4 on apn4711.dc.example.com is WARNING!
    //   Subject: [PROBLEM] Host apn4709.dc.example.com is DOWN!
    ruleId: 'icinga2',
    position: 1020,
    enabled: true,
    name: 'Icinga 2 notification (scripts 2.7 and later)',
    match: { subjectRegex: `^\\[(?:${NOTIFICATION_TYPES})\\] .+ is [A-Z]+!$` },
    fields: [
      { name: 'host', source: 'body', regex: bodyLine('Host', { displayName: true }) },
      { name: 'host', source: 'subject', regex: '^\\[[A-Z]+\\] Host (?P<value>.+) is [A-Z]+!$' },
      { name: 'host', source: 'subject', regex: '^\\[[A-Z]+\\] .+ on (?P<value>\\S+) is [A-Z]+!$' },
      { name: 'service', source: 'body', regex: bodyLine('Service', { displayName: true }) },
      { name: 'service', source: 'subject', regex: '^\\[[A-Z]+\\] (?P<value>.+) on \\S+ is [A-Z]+!$' },
      { name: 'state', source: 'body', regex: bodyLine('State') },
      // The headline: "Ping IPv4 on host is WARNING!" (or "==> ... is CRITICAL! <==").
      { name: 'state', source: 'body', regex: '^.*? is (?P<value>[A-Z]+)!' },
      { name: 'state', source: 'subject', regex: ' is (?P<value>[A-Z]+)!$' },
      { name: 'notificationType', source: 'subject', regex: '^\\[(?P<value>[A-Z]+)\\]' },
      { name: 'info', source: 'body', regex: bodyLine('Info') },
      { name: 'when', source: 'body', regex: bodyLine('When') },
      { name: 'address', source: 'body', regex: bodyLine('IPv4') },
      { name: 'address6', source: 'body', regex: bodyLine('IPv6') },
      { name: 'comment', source: 'body', regex: bodyLine('Comment') },
    ],
    severityField: 'state',
    severityMap: NAGIOS_SEVERITY,
  },
  {
    // Monit's default mail: Subject "monit alert --  <event> <service>", body "<event> Service <service>"
    // then Date, Action, Host, Description. Monit has no state: as Zammad does, an event that reports a
    // recovery ("Connection succeeded", "Action done", "Exists", "Link up", ...) is OK, any other CRITICAL.
    ruleId: 'monit',
    position: 1030,
    enabled: true,
    name: 'Monit alert',
    match: { subjectRegex: '^monit alert -- ' },
    fields: [
      { name: 'host', source: 'body', regex: bodyLine('Host') },
      { name: 'service', source: 'body', regex: '\\A\\s*[^\\r\\n]*?\\bService[ \\t]+(?P<value>[^\\r\\n]*?)[ \\t\\r]*$' },
      { name: 'event', source: 'body', regex: '\\A\\s*(?P<value>[^\\r\\n]*?)[ \\t]+Service[ \\t]' },
      {
        name: 'state',
        source: 'body',
        regex: `(?i)\\A\\s*[^\\r\\n]*?\\b(?P<value>${MONIT_RECOVERY_WORDS.join('|')})\\b[^\\r\\n]*?[ \\t]Service[ \\t]`,
        default: 'CRITICAL',
        map: Object.fromEntries(MONIT_RECOVERY_WORDS.map((word) => [word, 'OK'])),
      },
      { name: 'action', source: 'body', regex: bodyLine('Action') },
      { name: 'description', source: 'body', regex: bodyLine('Description') },
      { name: 'date', source: 'body', regex: bodyLine('Date') },
    ],
    severityField: 'state',
    severityMap: { CRITICAL: 2 },
  },
  {
    // Prometheus Alertmanager's default email (email.default.subject / email.default.html): subject
    // "[FIRING:2] <group label values> (<common labels>)" or "[RESOLVED] ...", HTML body listing each alert's
    // labels as "name = value" lines. Only the first alert of a grouped mail is read.
    ruleId: 'alertmanager',
    position: 1040,
    enabled: true,
    name: 'Prometheus Alertmanager',
    match: { subjectRegex: '^\\[(?:FIRING:[0-9]+|RESOLVED)\\] ' },
    fields: [
      { name: 'state', source: 'subject', regex: '^\\[(?P<value>FIRING|RESOLVED)' },
      { name: 'service', source: 'body', regex: '(?:^|[ \\t])alertname = (?P<value>[^\\r\\n]*?)[ \\t\\r]*$' },
      { name: 'service', source: 'subject', regex: '^\\[[^\\]]+\\] (?P<value>\\S+)' },
      // instance is host:port (the scrape target): the port is left out.
      { name: 'host', source: 'body', regex: '(?:^|[ \\t])instance = (?P<value>[^\\r\\n]*?)(?::[0-9]+)?[ \\t\\r]*$' },
      { name: 'host', source: 'body', regex: '(?:^|[ \\t])(?:host|hostname|node) = (?P<value>[^\\r\\n]*?)[ \\t\\r]*$' },
      { name: 'severity', source: 'body', regex: '(?:^|[ \\t])severity = (?P<value>[^\\r\\n]*?)[ \\t\\r]*$' },
      { name: 'job', source: 'body', regex: '(?:^|[ \\t])job = (?P<value>[^\\r\\n]*?)[ \\t\\r]*$' },
      { name: 'summary', source: 'body', regex: '(?:^|[ \\t])summary = (?P<value>[^\\r\\n]*?)[ \\t\\r]*$' },
      { name: 'description', source: 'body', regex: '(?:^|[ \\t])description = (?P<value>[^\\r\\n]*?)[ \\t\\r]*$' },
    ],
    severityField: 'severity',
    severityMap: { critical: 2, error: 2, warning: 3, info: 4 },
  },
];
