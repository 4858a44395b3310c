import {
  matchRoutingRule,
  parseRoutingRule,
  REGEX_INPUT_LIMIT,
  ROUTING_CONDITION_LIMIT,
  ROUTING_INPUT_LIMIT,
  ROUTING_RULE_LIMIT,
  ROUTING_VALUES_LIMIT,
  RoutingEmail,
} from '../../src/domain/routing-rules';
import type { Routing, RoutingCondition, RoutingRule } from '../../src/domain/types';

const email = { sender: 'Alice@Customer.example', subject: 'URGENT: Printer on floor 3 is down' };

function rule(ruleId: string, position: number, conditions: RoutingCondition[], extra: Partial<RoutingRule> = {}): RoutingRule {
  return { ruleId, position, enabled: true, conditions, ...extra };
}
const cond = (field: RoutingCondition['field'], operator: RoutingCondition['operator'], value: string): RoutingCondition => ({
  field,
  operator,
  value,
});

describe('matchRoutingRule: operators', () => {
  test.each<[RoutingCondition, boolean]>([
    [cond('subject', 'contains', 'printer'), true],
    [cond('subject', 'contains', 'PRINTER ON'), true],
    [cond('subject', 'contains', 'scanner'), false],
    [cond('subject', 'contains', ''), true],
    [cond('subject', 'equals', 'urgent: printer on floor 3 is down'), true],
    [cond('subject', 'equals', 'urgent: printer'), false],
    [cond('subject', 'starts_with', 'urgent'), true],
    [cond('subject', 'starts_with', 'printer'), false],
    [cond('subject', 'ends_with', 'IS DOWN'), true],
    [cond('subject', 'ends_with', 'is up'), false],
    [cond('sender', 'equals', 'alice@customer.example'), true],
    [cond('sender', 'ends_with', '@customer.example'), true],
    [cond('sender', 'ends_with', '@other.example'), false],
    [cond('sender', 'starts_with', 'ALICE@'), true],
    [cond('sender', 'contains', 'printer'), false],
    [cond('subject', 'regex', '^urgent:'), true],
    [cond('subject', 'regex', 'floor\\s+\\d+'), true],
    [cond('subject', 'regex', '^printer'), false],
    [cond('sender', 'regex', '@customer\\.example$'), true],
    [cond('sender', 'regex', '^bob@'), false],
    // an invalid pattern never matches and never throws
    [cond('subject', 'regex', '(unclosed'), false],
    [cond('subject', 'regex', '[z-a]'), false],
    [cond('subject', 'regex', '*'), false],
    // an unknown operator (bad data that slipped past parsing) never matches
    [{ field: 'subject', operator: 'like' as RoutingCondition['operator'], value: 'printer' }, false],
  ])('%p -> %p', (condition, matches) => {
    const result = matchRoutingRule([rule('r1', 1, [condition], { assignmentGroup: 'Hardware' })], email, 4);
    expect(result.ruleId).toBe(matches ? 'r1' : null);
  });

  test.each<RoutingCondition['operator']>(['regex', 'contains', 'ends_with'])(
    'every operator (%s) only sees the first 2000 characters of the field',
    (operator) => {
      expect(ROUTING_INPUT_LIMIT).toBe(2000);
      expect(REGEX_INPUT_LIMIT).toBe(ROUTING_INPUT_LIMIT); // the old name, kept
      const rules = [rule('r1', 1, [cond('subject', operator, 'needle')])];
      const outside = 'x'.repeat(ROUTING_INPUT_LIMIT) + 'needle';
      expect(matchRoutingRule(rules, { sender: 'a@b.example', subject: outside }, 3).ruleId).toBeNull();
      const straddling = 'x'.repeat(ROUTING_INPUT_LIMIT - 5) + 'needle';
      expect(matchRoutingRule(rules, { sender: 'a@b.example', subject: straddling }, 3).ruleId).toBeNull();
      const inside = 'x'.repeat(ROUTING_INPUT_LIMIT - 6) + 'needle';
      expect(matchRoutingRule(rules, { sender: 'a@b.example', subject: inside }, 3).ruleId).toBe('r1');
    },
  );

  test('equals compares the cut field, and the cut never leaves half a surrogate pair', () => {
    const long = 'x'.repeat(ROUTING_INPUT_LIMIT - 1) + '😀tail';
    const equalsCut = [rule('r1', 1, [cond('subject', 'equals', 'x'.repeat(ROUTING_INPUT_LIMIT - 1))])];
    expect(matchRoutingRule(equalsCut, { sender: 'a@b.example', subject: long }, 3).ruleId).toBe('r1');
  });
});

describe('matchRoutingRule: which rule wins', () => {
  const printer = cond('subject', 'contains', 'printer');
  const urgent = cond('subject', 'starts_with', 'urgent');
  const scanner = cond('subject', 'contains', 'scanner');

  test.each<[string, RoutingRule[], string | null]>([
    ['no rules', [], null],
    ['the only matching rule', [rule('a', 1, [printer])], 'a'],
    ['lowest position first, whatever the list order', [rule('late', 20, [printer]), rule('early', 10, [urgent])], 'early'],
    ['negative and fractional positions sort too', [rule('b', 0.5, [printer]), rule('a', -1, [printer])], 'a'],
    ['a non-matching earlier rule is skipped', [rule('a', 1, [scanner]), rule('b', 2, [printer])], 'b'],
    ['every condition must match', [rule('a', 1, [printer, scanner]), rule('b', 2, [printer, urgent])], 'b'],
    ['a rule without conditions matches everything', [rule('catch-all', 99, []), rule('a', 100, [printer])], 'catch-all'],
    ['a disabled rule is skipped', [rule('off', 1, [printer], { enabled: false }), rule('on', 2, [printer])], 'on'],
    ['disabled catch-all is skipped', [rule('off', 1, [], { enabled: false })], null],
    ['equal positions: by ruleId', [rule('rule-b', 5, [printer]), rule('rule-a', 5, [printer])], 'rule-a'],
    ['equal positions: ruleId by code unit, not locale', [rule('b', 5, []), rule('B', 5, [])], 'B'],
    ['nothing matches', [rule('a', 1, [scanner])], null],
  ])('%s', (_name, rules, expected) => {
    expect(matchRoutingRule(rules, email, 4).ruleId).toBe(expected);
  });

  test('does not reorder the caller’s list', () => {
    const rules = [rule('late', 20, []), rule('early', 10, [])];
    matchRoutingRule(rules, email, 4);
    expect(rules.map((r) => r.ruleId)).toEqual(['late', 'early']);
  });
});

/** What matchRoutingRule returns for one applied rule r1 (or none), with the given overrides. */
function routed(overrides: Partial<Routing> = {}): Routing {
  return { ruleId: 'r1', ruleIds: ['r1'], assignmentGroup: null, category: null, priority: 4, escalationAddress: null, ignore: false, ignoredBy: null, ...overrides };
}
const unrouted = (priority: Routing['priority']): Routing => routed({ ruleId: null, ruleIds: [], priority });

describe('matchRoutingRule: the routing it returns', () => {
  test.each<[Partial<RoutingRule>, Routing]>([
    [{ assignmentGroup: 'Hardware', category: 'Printer', priority: 2 }, routed({ assignmentGroup: 'Hardware', category: 'Printer', priority: 2 })],
    [{ assignmentGroup: 'Hardware' }, routed({ assignmentGroup: 'Hardware' })],
    [{ priority: 1 }, routed({ priority: 1 })],
    [{}, routed()],
    [{ ignore: true }, routed({ ignore: true, ignoredBy: 'r1' })],
    [{ ignore: true, assignmentGroup: 'Noise', priority: 5 }, routed({ ignore: true, ignoredBy: 'r1', assignmentGroup: 'Noise', priority: 5 })],
    [{ ignore: false }, routed()],
    [{ stopAfterMatch: false, category: 'Printer' }, routed({ category: 'Printer' })],
    [{ assignmentGroup: 'Hardware', escalationAddress: 'hw-oncall@corp.example' }, routed({ assignmentGroup: 'Hardware', escalationAddress: 'hw-oncall@corp.example' })],
  ])('%p', (extra, expected) => {
    expect(matchRoutingRule([rule('r1', 1, [], extra)], email, 4)).toEqual(expected);
  });

  test('no match gives the default routing', () => {
    expect(matchRoutingRule([], email, 3)).toEqual(unrouted(3));
  });
});

describe('parseRoutingRule', () => {
  const valid = {
    ruleId: 'printers',
    position: 10,
    enabled: true,
    conditions: [{ field: 'subject', operator: 'contains', value: 'printer' }],
    assignmentGroup: 'Hardware',
    category: 'Printer',
    priority: 2,
  };

  test.each<[string, Record<string, unknown>, RoutingRule]>([
    ['a complete item', valid, valid as RoutingRule],
    [
      'only the required attributes: enabled defaults to true',
      { ruleId: 'r', position: 0, conditions: [] },
      { ruleId: 'r', position: 0, enabled: true, conditions: [] },
    ],
    [
      'DynamoDB NULLs mean not set',
      { ruleId: 'r', position: 1, conditions: [], enabled: null, assignmentGroup: null, category: null, priority: null },
      { ruleId: 'r', position: 1, enabled: true, conditions: [] },
    ],
    [
      'blank texts mean not set',
      { ruleId: 'r', position: 1, conditions: [], assignmentGroup: '', category: '  ' },
      { ruleId: 'r', position: 1, enabled: true, conditions: [] },
    ],
    [
      'disabled, extra attributes ignored, every operator',
      {
        ruleId: 'r',
        position: -3,
        enabled: false,
        note: 'made by Bob',
        updatedAt: '2024-01-01',
        conditions: [
          { field: 'sender', operator: 'equals', value: 'a@b.example', extra: 1 },
          { field: 'sender', operator: 'starts_with', value: 'a' },
          { field: 'subject', operator: 'ends_with', value: 'z' },
          { field: 'subject', operator: 'regex', value: '^x' },
          { field: 'subject', operator: 'contains', value: '' },
        ],
      },
      {
        ruleId: 'r',
        position: -3,
        enabled: false,
        conditions: [
          { field: 'sender', operator: 'equals', value: 'a@b.example' },
          { field: 'sender', operator: 'starts_with', value: 'a' },
          { field: 'subject', operator: 'ends_with', value: 'z' },
          { field: 'subject', operator: 'regex', value: '^x' },
          { field: 'subject', operator: 'contains', value: '' },
        ],
      },
    ],
  ])('%s', (_name, item, expected) => {
    expect(parseRoutingRule(item)).toEqual(expected);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['missing ruleId', { ...valid, ruleId: undefined }, /^ruleId must be a non-empty string$/],
    ['blank ruleId', { ...valid, ruleId: '  ' }, /ruleId must be a non-empty string/],
    ['numeric ruleId', { ...valid, ruleId: 7 }, /ruleId must be a non-empty string/],
    ['missing position', { ...valid, position: undefined }, /routing rule "printers": position must be a number/],
    ['string position', { ...valid, position: '10' }, /position must be a number/],
    ['NaN position', { ...valid, position: NaN }, /position must be a number/],
    ['a position past what DynamoDB holds exactly', { ...valid, position: 1e308 }, /routing rule "printers": position must be a number between -1000000000 and 1000000000/],
    ['a 5000-character ruleId', { ...valid, ruleId: 'r'.repeat(5000) }, /ruleId must be at most 100 characters/],
    ['a ruleId with a line break', { ...valid, ruleId: 'a\nb' }, /without control characters/],
    ['missing conditions', { ...valid, conditions: undefined }, /conditions must be a list/],
    ['conditions as an object', { ...valid, conditions: { field: 'subject' } }, /conditions must be a list/],
    ['a condition that is not an object', { ...valid, conditions: ['subject contains x'] }, /conditions\[0\] must be an object/],
    ['a null condition', { ...valid, conditions: [null] }, /conditions\[0\] must be an object/],
    [
      'unknown field',
      { ...valid, conditions: [valid.conditions[0], { field: 'body', operator: 'contains', value: 'x' }] },
      /conditions\[1\]\.field must be one of sender, recipient, subject or header:<Name>, got "body"/,
    ],
    ['field in another case', { ...valid, conditions: [{ field: 'Subject', operator: 'contains', value: 'x' }] }, /conditions\[0\]\.field/],
    [
      'unknown operator',
      { ...valid, conditions: [{ field: 'subject', operator: 'like', value: 'x' }] },
      /conditions\[0\]\.operator must be one of contains, not_contains, equals, starts_with, ends_with, any_of, regex, got "like"/,
    ],
    ['missing operator', { ...valid, conditions: [{ field: 'subject', value: 'x' }] }, /conditions\[0\]\.operator/],
    ['numeric value', { ...valid, conditions: [{ field: 'subject', operator: 'contains', value: 3 }] }, /conditions\[0\]\.value must be a string/],
    ['missing value', { ...valid, conditions: [{ field: 'subject', operator: 'contains' }] }, /conditions\[0\]\.value must be a string/],
    ['enabled as a string', { ...valid, enabled: 'true' }, /enabled must be true or false/],
    ['assignmentGroup as a number', { ...valid, assignmentGroup: 5 }, /assignmentGroup must be a string/],
    ['category as a list', { ...valid, category: ['a'] }, /category must be a string/],
    ['priority 0', { ...valid, priority: 0 }, /priority must be a whole number from 1 to 5, got 0/],
    ['priority 6', { ...valid, priority: 6 }, /priority must be a whole number from 1 to 5, got 6/],
    ['priority 2.5', { ...valid, priority: 2.5 }, /priority must be/],
    ['priority as a string', { ...valid, priority: '2' }, /priority must be a whole number from 1 to 5, got "2"/],
  ])('%s', (_name, item, message) => {
    const result = parseRoutingRule(item);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toMatch(message);
  });

  test.each([null, [], 'rule'])('a non-object item %p is an error, not a throw', (item) => {
    expect(parseRoutingRule(item as unknown as Record<string, unknown>)).toEqual({ error: 'routing rule must be an object' });
  });

  test('a parsed rule routes', () => {
    const parsed = parseRoutingRule(valid);
    if ('error' in parsed) throw new Error(parsed.error);
    expect(matchRoutingRule([parsed], email, 4)).toEqual(
      routed({ ruleId: 'printers', ruleIds: ['printers'], assignmentGroup: 'Hardware', category: 'Printer', priority: 2 }),
    );
  });
});

describe('parseRoutingRule: escalationAddress', () => {
  const base = { ruleId: 'r', position: 1, conditions: [] };
  const parsed = (escalationAddress: unknown) => parseRoutingRule({ ...base, escalationAddress });

  test.each<[string, unknown, string | undefined]>([
    ['a plain address', 'ops-oncall@corp.example', 'ops-oncall@corp.example'],
    ['normalised as every address is: trimmed, lower-cased, brackets dropped', ' <Ops-OnCall@Corp.Example> ', 'ops-oncall@corp.example'],
    ['blank means not set', '  ', undefined],
    ['a DynamoDB NULL means not set', null, undefined],
  ])('%s', (_name, value, expected) => {
    const rule = parsed(value);
    if ('error' in rule) throw new Error(rule.error);
    expect(rule.escalationAddress).toBe(expected);
    expect('escalationAddress' in rule).toBe(expected !== undefined);
  });

  test.each<[string, unknown, RegExp]>([
    ['a number', 5, /^routing rule "r": escalationAddress must be a string when set$/],
    ['a list', ['a@corp.example'], /escalationAddress must be a string when set/],
    ['a header injection (CRLF)', 'ops@corp.example\r\nBcc: everyone@corp.example', /^routing rule "r": escalationAddress must be one address without line breaks$/],
    ['a bare line feed', 'ops@corp.example\nx', /without line breaks/],
    ['two addresses by comma', 'a@corp.example, b@corp.example', /^routing rule "r": escalationAddress must be one address, not a list/],
    ['two addresses by semicolon', 'a@corp.example;b@corp.example', /not a list/],
    ['a display name', 'Ops <ops@corp.example>', /escalationAddress must be a plain email address such as oncall@example.com, got "Ops <ops@corp.example>"/],
    ['no domain', 'ops', /must be a plain email address/],
    ['two @', 'a@b@corp.example', /must be a plain email address/],
    ['255 characters', `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`, /escalationAddress must be at most 254 characters, got 255/],
  ])('refused: %s', (_name, value, message) => {
    const rule = parsed(value);
    expect(rule).toHaveProperty('error');
    expect((rule as { error: string }).error).toMatch(message);
  });

  test('254 characters is the longest accepted', () => {
    const longest = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(longest).toHaveLength(254);
    expect(parsed(longest)).toMatchObject({ escalationAddress: longest });
  });

  test('a parsed rule routes with its escalation address; a rule without one routes with null', () => {
    const withAddress = parsed('Ops@Corp.example') as RoutingRule;
    expect(matchRoutingRule([withAddress], email, 4)).toEqual(routed({ ruleId: 'r', ruleIds: ['r'], escalationAddress: 'ops@corp.example' }));
    expect(matchRoutingRule([parseRoutingRule(base) as RoutingRule], email, 4)).toEqual(routed({ ruleId: 'r', ruleIds: ['r'] }));
  });
});

// ---- Fields, operators and lists --------------------------------------------------------------------

const mail: RoutingEmail = {
  sender: 'Nagios@Monitoring.Example',
  subject: '** PROBLEM Service Alert: web01/HTTP is CRITICAL **',
  recipients: ['Helpdesk@Corp.example', 'ops-team@corp.example'],
  headers: {
    'X-Priority': ['1 (Highest)'],
    'x-mailer': ['Nagios 4.4'],
    Received: ['from mx1.example by mx2.example', 'from relay.example by mx1.example'],
    'List-Id': ['<alerts.corp.example>'],
  },
};
const anyOf = (field: RoutingCondition['field'], value: string | string[]): RoutingCondition => ({ field, operator: 'any_of', value });

describe('matchRoutingRule: every operator on every field', () => {
  test.each<[string, RoutingCondition, boolean]>([
    // sender
    ['sender contains', cond('sender', 'contains', 'NAGIOS@'), true],
    ['sender contains (no)', cond('sender', 'contains', 'zabbix'), false],
    ['sender not_contains', cond('sender', 'not_contains', 'zabbix'), true],
    ['sender not_contains (no)', cond('sender', 'not_contains', 'monitoring'), false],
    ['sender equals', cond('sender', 'equals', 'nagios@monitoring.example'), true],
    ['sender equals (no)', cond('sender', 'equals', 'nagios@monitoring'), false],
    ['sender starts_with', cond('sender', 'starts_with', 'NAGIOS'), true],
    ['sender ends_with', cond('sender', 'ends_with', '@monitoring.example'), true],
    ['sender any_of list', anyOf('sender', ['root@x.example', 'NAGIOS@monitoring.example']), true],
    ['sender any_of list (no)', anyOf('sender', ['root@x.example', 'nagios']), false],
    ['sender regex', cond('sender', 'regex', '^nagios@[a-z.]+$'), true],
    // subject
    ['subject contains', cond('subject', 'contains', 'service alert'), true],
    ['subject not_contains', cond('subject', 'not_contains', 'RECOVERY'), true],
    ['subject not_contains (no)', cond('subject', 'not_contains', 'problem'), false],
    ['subject equals', cond('subject', 'equals', '** problem service alert: web01/http is critical **'), true],
    ['subject starts_with', cond('subject', 'starts_with', '** PROBLEM'), true],
    ['subject starts_with (no)', cond('subject', 'starts_with', 'PROBLEM'), false],
    ['subject ends_with', cond('subject', 'ends_with', 'critical **'), true],
    ['subject any_of string', anyOf('subject', 'hello, ** PROBLEM Service Alert: web01/HTTP is CRITICAL **'), true],
    ['subject regex', cond('subject', 'regex', 'alert: (\\w+)/(\\w+) is (critical|warning)'), true],
    ['subject regex (no)', cond('subject', 'regex', '^recovery'), false],
    // recipient: any recipient, for the positive operators
    ['recipient contains (second one)', cond('recipient', 'contains', 'OPS-TEAM'), true],
    ['recipient equals (first one)', cond('recipient', 'equals', 'helpdesk@corp.example'), true],
    ['recipient equals (none)', cond('recipient', 'equals', 'sales@corp.example'), false],
    ['recipient starts_with', cond('recipient', 'starts_with', 'ops-'), true],
    ['recipient ends_with', cond('recipient', 'ends_with', '@CORP.EXAMPLE'), true],
    ['recipient ends_with (none)', cond('recipient', 'ends_with', '@other.example'), false],
    ['recipient any_of list', anyOf('recipient', ['sales@corp.example', 'ops-team@corp.example']), true],
    ['recipient any_of string with newlines', anyOf('recipient', 'sales@corp.example\nHELPDESK@corp.example\r\n'), true],
    ['recipient any_of (none)', anyOf('recipient', 'sales@corp.example, it@corp.example'), false],
    ['recipient regex', cond('recipient', 'regex', '^ops-'), true],
    ['recipient regex (none)', cond('recipient', 'regex', '^sales@'), false],
    // recipient not_contains: every recipient must not contain it
    ['recipient not_contains (none contains)', cond('recipient', 'not_contains', 'sales'), true],
    ['recipient not_contains (one contains)', cond('recipient', 'not_contains', 'ops-team'), false],
    ['recipient not_contains (all contain)', cond('recipient', 'not_contains', 'corp.example'), false],
    // headers: name in any case, any occurrence
    ['header contains', cond('header:X-Priority', 'contains', 'highest'), true],
    ['header name in another case', cond('header:x-PRIORITY', 'starts_with', '1'), true],
    ['header stored lower-case, asked capitalised', cond('header:X-Mailer', 'equals', 'NAGIOS 4.4'), true],
    ['header second occurrence', cond('header:Received', 'starts_with', 'from relay.example'), true],
    ['header ends_with', cond('header:Received', 'ends_with', 'by mx2.example'), true],
    ['header any_of', anyOf('header:List-Id', '<alerts.corp.example>, <other.example>'), true],
    ['header regex', cond('header:List-Id', 'regex', '^<alerts\\.'), true],
    ['header not_contains (no occurrence contains)', cond('header:Received', 'not_contains', 'spammer'), true],
    ['header not_contains (one occurrence contains)', cond('header:Received', 'not_contains', 'RELAY'), false],
    ['header equals (no)', cond('header:X-Priority', 'equals', '1'), false],
    // an absent header has no values: no positive operator matches, not_contains does
    ['absent header contains ""', cond('header:X-Spam-Flag', 'contains', ''), false],
    ['absent header equals', cond('header:X-Spam-Flag', 'equals', 'yes'), false],
    ['absent header any_of', anyOf('header:X-Spam-Flag', ['yes', 'no']), false],
    ['absent header regex', cond('header:X-Spam-Flag', 'regex', '.*'), false],
    ['absent header not_contains', cond('header:X-Spam-Flag', 'not_contains', 'yes'), true],
    // any_of trims entries and ignores blank ones
    ['any_of trims list entries', anyOf('header:X-Mailer', ['  nagios 4.4  ', '']), true],
    ['any_of is equality, not containment', anyOf('header:X-Mailer', 'nagios'), false],
    ['any_of with only blanks matches nothing', anyOf('sender', ' , \n'), false],
    // not_contains "" is the negation of contains "": nothing passes it
    ['sender not_contains ""', cond('sender', 'not_contains', ''), false],
  ])('%s', (_name, condition, matches) => {
    expect(matchRoutingRule([rule('r1', 1, [condition])], mail, 4).ruleId).toBe(matches ? 'r1' : null);
  });

  test.each<[string, RoutingCondition]>([
    ['recipient contains', cond('recipient', 'contains', '')],
    ['recipient equals', cond('recipient', 'equals', '')],
    ['recipient any_of', anyOf('recipient', ['a@b.example'])],
    ['recipient regex', cond('recipient', 'regex', '')],
    ['header contains', cond('header:X-Priority', 'contains', '')],
  ])('without recipients or headers, %s matches nothing', (_name, condition) => {
    expect(matchRoutingRule([rule('r1', 1, [condition])], email, 4).ruleId).toBeNull();
    expect(matchRoutingRule([rule('r1', 1, [condition])], { ...email, recipients: [], headers: {} }, 4).ruleId).toBeNull();
  });

  test('without recipients, recipient not_contains matches (no recipient contains it)', () => {
    expect(matchRoutingRule([rule('r1', 1, [cond('recipient', 'not_contains', 'x')])], email, 4).ruleId).toBe('r1');
  });

  test('header names spelt two ways are one header', () => {
    const headers = { 'X-Tag': ['alpha'], 'x-tag': ['beta'] };
    const rules = [rule('r1', 1, [cond('header:X-TAG', 'equals', 'beta'), cond('header:x-tag', 'equals', 'ALPHA')])];
    expect(matchRoutingRule(rules, { ...email, headers }, 4).ruleId).toBe('r1');
  });

  test('a header given as one string instead of a list still counts', () => {
    const headers = { 'X-Tag': 'alpha' } as unknown as Record<string, string[]>;
    expect(matchRoutingRule([rule('r1', 1, [cond('header:X-Tag', 'equals', 'alpha')])], { ...email, headers }, 4).ruleId).toBe('r1');
  });

  test('a header named like an Object.prototype property is an ordinary header', () => {
    const headers = JSON.parse('{"__proto__": ["x"], "constructor": ["y"]}') as Record<string, string[]>;
    const rules = [rule('r1', 1, [cond('header:__proto__', 'equals', 'x'), cond('header:Constructor', 'equals', 'y')])];
    expect(matchRoutingRule(rules, { ...email, headers }, 4).ruleId).toBe('r1');
    expect(matchRoutingRule([rule('r1', 1, [cond('header:toString', 'contains', '')])], { ...email, headers }, 4).ruleId).toBeNull();
  });

  test('an unknown field (bad data that slipped past parsing) never matches, even with not_contains', () => {
    const bad = { field: 'body', operator: 'not_contains', value: 'x' } as unknown as RoutingCondition;
    expect(matchRoutingRule([rule('r1', 1, [bad])], mail, 4).ruleId).toBeNull();
    const wrongCase = { field: 'Subject', operator: 'contains', value: '' } as unknown as RoutingCondition;
    expect(matchRoutingRule([rule('r1', 1, [wrongCase])], mail, 4).ruleId).toBeNull();
  });

  test('all conditions of a rule must match, across fields', () => {
    const conditions = [
      cond('sender', 'ends_with', '@monitoring.example'),
      cond('recipient', 'equals', 'ops-team@corp.example'),
      cond('header:X-Priority', 'starts_with', '1'),
      cond('subject', 'not_contains', 'recovery'),
    ];
    expect(matchRoutingRule([rule('r1', 1, conditions)], mail, 4).ruleId).toBe('r1');
    const oneFails = [...conditions, cond('header:X-Mailer', 'contains', 'zabbix')];
    expect(matchRoutingRule([rule('r1', 1, oneFails)], mail, 4).ruleId).toBeNull();
  });
});

describe('matchRoutingRule: regular expressions', () => {
  test.each<[string, string, boolean]>([
    ['case-insensitive', 'PROBLEM SERVICE', true],
    ['inline flag still fine', '(?i)web01', true],
    ['anchors', '^\\*\\* problem.*\\*\\*$', true],
    ['RE2 named group syntax', '(?P<host>\\w+)/(?P<svc>\\w+)', true],
    ['backreference (refused by RE2): never matches', '(web)\\1', false],
    ['lookahead (refused by RE2): never matches', 'web(?=01)', false],
    ['unclosed group: never matches', '(unclosed', false],
    ['longer than 1000 characters: never matches', 'a'.repeat(1001), false],
  ])('%s', (_name, pattern, matches) => {
    expect(matchRoutingRule([rule('r1', 1, [cond('subject', 'regex', pattern)])], mail, 4).ruleId).toBe(matches ? 'r1' : null);
  });

  test('catastrophic backtracking patterns return false, in linear time (the jest timeout is the guard)', () => {
    const hostile = 'a'.repeat(50_000) + '!';
    // ^(a+)+$ on aaaa…! hangs a backtracking engine; within the 2000-character window the ! is still there
    const inWindow = 'a'.repeat(ROUTING_INPUT_LIMIT - 1) + '!';
    const evil = [rule('r1', 1, [cond('subject', 'regex', '^(a+)+$')])];
    expect(matchRoutingRule(evil, { sender: 'x@y.example', subject: inWindow }, 4).ruleId).toBeNull();
    // on the 50,000-character mail the window is all a's, where (a+)+b fails just as exponentially in a backtracking engine
    const evilB = [rule('r1', 1, [cond('subject', 'regex', '^(a+)+b'), cond('sender', 'regex', '(a|aa)+$')])];
    expect(matchRoutingRule(evilB, { sender: hostile, subject: hostile }, 4).ruleId).toBeNull();
    // and on every recipient and header occurrence
    const many = Array.from({ length: ROUTING_VALUES_LIMIT }, () => inWindow);
    const everywhere = [
      rule('r1', 1, [cond('recipient', 'regex', '^(a+)+$')], { stopAfterMatch: false }),
      rule('r2', 2, [cond('header:X-Evil', 'regex', '^(a|a?)+$')], { stopAfterMatch: false }),
      rule('r3', 3, [cond('subject', 'regex', '^([a-z]+)*$')], { stopAfterMatch: false }),
    ];
    const result = matchRoutingRule(everywhere, { sender: hostile, subject: inWindow, recipients: many, headers: { 'X-Evil': many } }, 4);
    expect(result.ruleIds).toEqual([]);
    // (the exact example from the issue is true here: the cut keeps only a's, which ^(a+)+$ matches)
    expect(matchRoutingRule(evil, { sender: 'x@y.example', subject: hostile }, 4).ruleId).toBe('r1');
  });

  test('a condition whose pattern is changed in place is recompiled', () => {
    const condition = { field: 'subject', operator: 'regex', value: 'web01' } as { field: 'subject'; operator: 'regex'; value: string };
    const rules = [rule('r1', 1, [condition])];
    expect(matchRoutingRule(rules, mail, 4).ruleId).toBe('r1');
    condition.value = 'web02';
    expect(matchRoutingRule(rules, mail, 4).ruleId).toBeNull();
  });
});

// ---- Several rules: stopAfterMatch and ignore -------------------------------------------------------

describe('matchRoutingRule: stopAfterMatch chains', () => {
  const fromNagios = cond('sender', 'starts_with', 'nagios@');
  const critical = cond('subject', 'contains', 'critical');
  const recovery = cond('subject', 'contains', 'recovery');
  const go = { stopAfterMatch: false };

  test.each<[string, RoutingRule[], Partial<Routing>]>([
    ['without the flag the first matching rule wins', [rule('a', 1, [fromNagios], { assignmentGroup: 'Ops' }), rule('b', 2, [critical], { priority: 1 })], { ruleId: 'a', ruleIds: ['a'], assignmentGroup: 'Ops' }],
    ['stopAfterMatch true is the same', [rule('a', 1, [fromNagios], { assignmentGroup: 'Ops', stopAfterMatch: true }), rule('b', 2, [critical], { priority: 1 })], { ruleId: 'a', ruleIds: ['a'], assignmentGroup: 'Ops' }],
    [
      'a rule that does not stop lets the next matching rule add its actions',
      [rule('a', 1, [fromNagios], { assignmentGroup: 'Ops', ...go }), rule('b', 2, [critical], { priority: 1 }), rule('c', 3, [], { category: 'never' })],
      { ruleId: 'a', ruleIds: ['a', 'b'], assignmentGroup: 'Ops', priority: 1 },
    ],
    [
      'a later rule overrides only the actions it sets',
      [
        rule('a', 1, [], { assignmentGroup: 'Service Desk', category: 'Monitoring', priority: 3, ...go }),
        rule('b', 2, [critical], { assignmentGroup: 'Ops', ...go }),
        rule('c', 3, [fromNagios], { priority: 2, ...go }),
      ],
      { ruleId: 'a', ruleIds: ['a', 'b', 'c'], assignmentGroup: 'Ops', category: 'Monitoring', priority: 2 },
    ],
    [
      'non-matching and disabled rules in the chain are skipped',
      [
        rule('a', 1, [fromNagios], { category: 'Monitoring', ...go }),
        rule('b', 2, [recovery], { priority: 5 }),
        rule('c', 3, [critical], { priority: 1, enabled: false }),
        rule('d', 4, [critical], { assignmentGroup: 'Ops' }),
        rule('e', 5, [], { assignmentGroup: 'too late' }),
      ],
      { ruleId: 'a', ruleIds: ['a', 'd'], assignmentGroup: 'Ops', category: 'Monitoring' },
    ],
    [
      'the chain runs in position order, not list order, ties by ruleId',
      [rule('z', 5, [], { category: 'Z', ...go }), rule('y', 1, [], { category: 'Y', ...go }), rule('x', 5, [], { category: 'X', ...go })],
      { ruleId: 'y', ruleIds: ['y', 'x', 'z'], category: 'Z' },
    ],
    [
      'a later rule overrides the escalation address only when it sets one',
      [
        rule('a', 1, [], { assignmentGroup: 'Service Desk', escalationAddress: 'desk@corp.example', ...go }),
        rule('b', 2, [critical], { assignmentGroup: 'Ops', escalationAddress: 'ops-oncall@corp.example', ...go }),
        rule('c', 3, [fromNagios], { priority: 2 }),
      ],
      { ruleId: 'a', ruleIds: ['a', 'b', 'c'], assignmentGroup: 'Ops', priority: 2, escalationAddress: 'ops-oncall@corp.example' },
    ],
    [
      'a later rule without one keeps the earlier escalation address',
      [rule('a', 1, [], { escalationAddress: 'desk@corp.example', ...go }), rule('b', 2, [critical], { assignmentGroup: 'Ops' })],
      { ruleId: 'a', ruleIds: ['a', 'b'], assignmentGroup: 'Ops', escalationAddress: 'desk@corp.example' },
    ],
    ['when no rule stops, every matching rule applies', [rule('a', 1, [], go), rule('b', 2, [recovery], go), rule('c', 3, [fromNagios], go)], { ruleId: 'a', ruleIds: ['a', 'c'] }],
    ['a first rule that matches nothing leaves ruleId to the first applied', [rule('a', 1, [recovery], go), rule('b', 2, [critical])], { ruleId: 'b', ruleIds: ['b'] }],
  ])('%s', (_name, rules, expected) => {
    expect(matchRoutingRule(rules, mail, 4)).toEqual({ ...unrouted(4), ...expected });
  });
});

describe('matchRoutingRule: ignore', () => {
  const noreply = cond('sender', 'starts_with', 'nagios@');
  const critical = cond('subject', 'contains', 'critical');
  const go = { stopAfterMatch: false };

  test.each<[string, RoutingRule[], Partial<Routing>]>([
    ['an ignore rule: no incident, the rule is the reason', [rule('quiet', 1, [noreply], { ignore: true })], { ruleId: 'quiet', ruleIds: ['quiet'], ignore: true, ignoredBy: 'quiet' }],
    ['ignore stops like any rule', [rule('quiet', 1, [noreply], { ignore: true }), rule('b', 2, [], { ignore: false })], { ruleId: 'quiet', ruleIds: ['quiet'], ignore: true, ignoredBy: 'quiet' }],
    [
      'a later rule with ignore: false takes it back',
      [rule('quiet', 1, [noreply], { ignore: true, ...go }), rule('but-critical', 2, [critical], { ignore: false, priority: 1 })],
      { ruleId: 'quiet', ruleIds: ['quiet', 'but-critical'], priority: 1 },
    ],
    [
      'a later rule that does not set ignore leaves it',
      [rule('quiet', 1, [noreply], { ignore: true, ...go }), rule('b', 2, [critical], { assignmentGroup: 'Ops' })],
      { ruleId: 'quiet', ruleIds: ['quiet', 'b'], assignmentGroup: 'Ops', ignore: true, ignoredBy: 'quiet' },
    ],
    [
      'the reason is the rule that ignored, not the first applied',
      [rule('tag', 1, [], { category: 'Monitoring', ...go }), rule('quiet', 2, [noreply], { ignore: true })],
      { ruleId: 'tag', ruleIds: ['tag', 'quiet'], category: 'Monitoring', ignore: true, ignoredBy: 'quiet' },
    ],
    ['a non-matching ignore rule ignores nothing', [rule('quiet', 1, [cond('sender', 'equals', 'someone@else.example')], { ignore: true })], {}],
  ])('%s', (_name, rules, expected) => {
    expect(matchRoutingRule(rules, mail, 4)).toEqual({ ...unrouted(4), ...expected });
  });
});

describe('matchRoutingRule: bounded work', () => {
  test(`only the first ${ROUTING_VALUES_LIMIT} recipients and header occurrences are looked at`, () => {
    expect(ROUTING_VALUES_LIMIT).toBe(50);
    const recipients = Array.from({ length: ROUTING_VALUES_LIMIT }, (_, i) => `user${i}@corp.example`).concat('target@corp.example');
    const headers = { 'X-Tag': recipients.slice(0, ROUTING_VALUES_LIMIT), 'x-tag': ['target@corp.example'] };
    const input = { ...email, recipients, headers };
    expect(matchRoutingRule([rule('r1', 1, [cond('recipient', 'equals', 'target@corp.example')])], input, 4).ruleId).toBeNull();
    expect(matchRoutingRule([rule('r1', 1, [cond('recipient', 'not_contains', 'target')])], input, 4).ruleId).toBe('r1');
    expect(matchRoutingRule([rule('r1', 1, [cond('header:X-Tag', 'equals', 'target@corp.example')])], input, 4).ruleId).toBeNull();
    expect(matchRoutingRule([rule('r1', 1, [cond('recipient', 'equals', 'user49@corp.example')])], input, 4).ruleId).toBe('r1');
  });

  test('each recipient and header value is cut to 2000 characters', () => {
    const long = 'x'.repeat(ROUTING_INPUT_LIMIT) + '@corp.example';
    const input = { ...email, recipients: [long], headers: { 'X-Long': [long] } };
    expect(matchRoutingRule([rule('r1', 1, [cond('recipient', 'ends_with', '@corp.example')])], input, 4).ruleId).toBeNull();
    expect(matchRoutingRule([rule('r1', 1, [cond('header:X-Long', 'contains', '@corp')])], input, 4).ruleId).toBeNull();
    expect(matchRoutingRule([rule('r1', 1, [cond('header:X-Long', 'not_contains', '@corp')])], input, 4).ruleId).toBe('r1');
  });

  test(`a rule with more than ${ROUTING_CONDITION_LIMIT} conditions never matches`, () => {
    expect(ROUTING_CONDITION_LIMIT).toBe(50);
    const always = cond('subject', 'contains', '');
    const atLimit = rule('r1', 1, Array.from({ length: ROUTING_CONDITION_LIMIT }, () => always));
    expect(matchRoutingRule([atLimit], email, 4).ruleId).toBe('r1');
    const over = rule('r1', 1, Array.from({ length: ROUTING_CONDITION_LIMIT + 1 }, () => always), { ignore: true });
    expect(matchRoutingRule([over], email, 4)).toEqual(unrouted(4));
  });

  test(`only the first ${ROUTING_RULE_LIMIT} enabled rules are evaluated`, () => {
    expect(ROUTING_RULE_LIMIT).toBe(200);
    const never = cond('subject', 'equals', 'no such subject');
    const misses = Array.from({ length: ROUTING_RULE_LIMIT - 1 }, (_, i) => rule(`miss-${String(i).padStart(3, '0')}`, i, [never]));
    const disabled = Array.from({ length: 10 }, (_, i) => rule(`off-${i}`, -1, [], { enabled: false }));
    const last = rule('last', 1000, [], { assignmentGroup: 'Last' });
    const beyond = rule('beyond', 1001, [], { assignmentGroup: 'Beyond' });
    // disabled rules do not count: the 200th enabled rule runs, the 201st does not
    expect(matchRoutingRule([...disabled, ...misses, last], email, 4).ruleId).toBe('last');
    expect(matchRoutingRule([...misses, rule('extra', 500, [never]), last, beyond], email, 4).ruleId).toBeNull();
  });
});

// ---- Parsing the new attributes -----------------------------------------------------------------------

describe('parseRoutingRule: fields, operators, stopAfterMatch and ignore', () => {
  test('every field and operator, lists, flags', () => {
    const item = {
      ruleId: 'monitoring',
      position: 5,
      stopAfterMatch: false,
      ignore: true,
      conditions: [
        { field: 'recipient', operator: 'any_of', value: ['ops@corp.example', 'it@corp.example'] },
        { field: 'recipient', operator: 'any_of', value: 'ops@corp.example, it@corp.example' },
        { field: 'header:X-Priority', operator: 'starts_with', value: '1' },
        { field: 'header:list-id', operator: 'not_contains', value: 'marketing' },
        { field: 'sender', operator: 'regex', value: '^(?P<user>[^@]+)@monitoring\\.example$' },
        { field: 'subject', operator: 'not_contains', value: 'RECOVERY' },
      ],
    };
    expect(parseRoutingRule(item)).toEqual({ ...item, enabled: true });
  });

  test('the any_of list is copied, not shared', () => {
    const list = ['a@b.example'];
    const parsed = parseRoutingRule({ ruleId: 'r', position: 1, conditions: [{ field: 'sender', operator: 'any_of', value: list }] });
    if ('error' in parsed) throw new Error(parsed.error);
    list.push('c@d.example');
    expect(parsed.conditions[0].value).toEqual(['a@b.example']);
  });

  test.each<[string, Record<string, unknown>, Partial<RoutingRule>]>([
    ['stopAfterMatch unset stays unset (means true)', {}, {}],
    ['stopAfterMatch true', { stopAfterMatch: true }, { stopAfterMatch: true }],
    ['stopAfterMatch NULL is unset', { stopAfterMatch: null }, {}],
    ['ignore false is kept (it undoes an earlier ignore)', { ignore: false }, { ignore: false }],
    ['ignore NULL is unset', { ignore: null }, {}],
  ])('%s', (_name, extra, expected) => {
    expect(parseRoutingRule({ ruleId: 'r', position: 1, conditions: [], ...extra })).toEqual({ ruleId: 'r', position: 1, enabled: true, conditions: [], ...expected });
  });

  const base = { ruleId: 'r', position: 1 };
  const one = (condition: Record<string, unknown>) => ({ ...base, conditions: [{ field: 'subject', operator: 'contains', value: 'x' }, condition] });
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['header without a name', one({ field: 'header:', operator: 'contains', value: 'x' }), /routing rule "r": conditions\[1\]\.field must name a header after "header:".*got "header:"/],
    ['header name with a space', one({ field: 'header:X Priority', operator: 'contains', value: 'x' }), /conditions\[1\]\.field must name a header/],
    ['header name with a colon', one({ field: 'header:X:Y', operator: 'contains', value: 'x' }), /conditions\[1\]\.field must name a header/],
    ['prefix in another case', one({ field: 'Header:X-Priority', operator: 'contains', value: 'x' }), /conditions\[1\]\.field must be one of sender, recipient, subject or header:<Name>, got "Header:X-Priority"/],
    ['recipients (plural)', one({ field: 'recipients', operator: 'contains', value: 'x' }), /conditions\[1\]\.field must be one of/],
    ['any_of as a number', one({ field: 'sender', operator: 'any_of', value: 3 }), /conditions\[1\]\.value must be a list of strings, or a string of values separated by commas or newlines, for any_of/],
    ['any_of list with a number', one({ field: 'sender', operator: 'any_of', value: ['a', 2] }), /conditions\[1\]\.value\[1\] must be a string/],
    ['any_of empty list', one({ field: 'sender', operator: 'any_of', value: [] }), /conditions\[1\]\.value must name at least one value for any_of/],
    ['any_of blank string', one({ field: 'sender', operator: 'any_of', value: ' ,\n ' }), /conditions\[1\]\.value must name at least one value/],
    ['a list for another operator', one({ field: 'sender', operator: 'equals', value: ['a'] }), /conditions\[1\]\.value must be a string/],
    ['not_contains without value', one({ field: 'sender', operator: 'not_contains' }), /conditions\[1\]\.value must be a string/],
    ['invalid regex', one({ field: 'subject', operator: 'regex', value: '(unclosed' }), /^routing rule "r": conditions\[1\]\.value is not a usable pattern: invalid regular expression/],
    ['backreference', one({ field: 'subject', operator: 'regex', value: '(a)\\1' }), /conditions\[1\]\.value is not a usable pattern: .*backreferences are not supported/],
    ['lookahead', one({ field: 'subject', operator: 'regex', value: 'a(?=b)' }), /conditions\[1\]\.value is not a usable pattern: .*lookahead/],
    ['pattern too long', one({ field: 'subject', operator: 'regex', value: 'a'.repeat(1001) }), /conditions\[1\]\.value is not a usable pattern: regular expression is 1001 characters long/],
    ['pattern too complex', one({ field: 'subject', operator: 'regex', value: '(\\pL+\\s?){1,900}' }), /conditions\[1\]\.value is not a usable pattern: regular expression is too complex/],
    ['stopAfterMatch as a string', { ...base, conditions: [], stopAfterMatch: 'yes' }, /routing rule "r": stopAfterMatch must be true or false, got "yes"/],
    ['ignore as a number', { ...base, conditions: [], ignore: 1 }, /routing rule "r": ignore must be true or false, got 1/],
    [
      'too many conditions',
      { ...base, conditions: Array.from({ length: 51 }, () => ({ field: 'subject', operator: 'contains', value: '' })) },
      /routing rule "r": conditions has 51 entries, at most 50 are allowed/,
    ],
  ])('%s', (_name, item, message) => {
    const result = parseRoutingRule(item);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toMatch(message);
  });

  test(`${ROUTING_CONDITION_LIMIT} conditions are allowed`, () => {
    const conditions = Array.from({ length: ROUTING_CONDITION_LIMIT }, () => ({ field: 'subject', operator: 'contains', value: '' }));
    expect(parseRoutingRule({ ...base, conditions })).not.toHaveProperty('error');
  });

  test('a stored rule from before these attributes parses and routes as before', () => {
    const old = { ruleId: 'printers', position: 10, enabled: true, conditions: [{ field: 'subject', operator: 'contains', value: 'printer' }], assignmentGroup: 'Hardware' };
    const parsed = parseRoutingRule(old);
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed).toEqual(old);
    const catchAll = parseRoutingRule({ ruleId: 'zz', position: 99, conditions: [], assignmentGroup: 'Service Desk' }) as RoutingRule;
    expect(matchRoutingRule([catchAll, parsed], email, 4)).toEqual(routed({ ruleId: 'printers', ruleIds: ['printers'], assignmentGroup: 'Hardware' }));
  });
});

describe('matchRoutingRule: an unauthenticated sender (sender null)', () => {
  const vip = rule('vip', 1, [cond('sender', 'equals', 'alice@customer.example')], { priority: 1, assignmentGroup: 'Executive' });
  const notFromVip = rule('not-vip', 1, [cond('sender', 'not_contains', 'customer.example')], { assignmentGroup: 'Everyone else' });

  test('rules on the sender do not apply: anyone can write a VIP\'s From', () => {
    expect(matchRoutingRule([vip], email, 4)).toMatchObject({ ruleId: 'vip', priority: 1 });
    expect(matchRoutingRule([vip], { ...email, sender: null }, 4)).toMatchObject({ ruleId: null, priority: 4, assignmentGroup: null });
  });

  test('a sender condition that holds for no value (not_contains) holds, as for any field without values', () => {
    expect(matchRoutingRule([notFromVip], { ...email, sender: null }, 4)).toMatchObject({ assignmentGroup: 'Everyone else' });
  });

  test('subject conditions still apply', () => {
    expect(matchRoutingRule([rule('printers', 1, [cond('subject', 'contains', 'printer')], { assignmentGroup: 'Printers' })], { ...email, sender: null }, 4)).toMatchObject({ assignmentGroup: 'Printers' });
  });
});
