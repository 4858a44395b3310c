import { matchRoutingRule, parseRoutingRule, REGEX_INPUT_LIMIT } from '../../src/domain/routing-rules';
import type { RoutingCondition, RoutingRule } from '../../src/domain/types';

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

  test('a regex only sees the first 1000 characters of the field', () => {
    const longSubject = 'x'.repeat(REGEX_INPUT_LIMIT) + 'needle';
    const rules = [rule('r1', 1, [cond('subject', 'regex', 'needle')])];
    expect(REGEX_INPUT_LIMIT).toBe(1000);
    expect(matchRoutingRule(rules, { sender: 'a@b.example', subject: longSubject }, 3).ruleId).toBeNull();
    const justInside = 'x'.repeat(REGEX_INPUT_LIMIT - 6) + 'needle';
    expect(matchRoutingRule(rules, { sender: 'a@b.example', subject: justInside }, 3).ruleId).toBe('r1');
    // the other operators see the whole field
    const contains = [rule('r2', 1, [cond('subject', 'contains', 'needle')])];
    expect(matchRoutingRule(contains, { sender: 'a@b.example', subject: longSubject }, 3).ruleId).toBe('r2');
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

describe('matchRoutingRule: the routing it returns', () => {
  test.each<[Partial<RoutingRule>, object]>([
    [
      { assignmentGroup: 'Hardware', category: 'Printer', priority: 2 },
      { ruleId: 'r1', assignmentGroup: 'Hardware', category: 'Printer', priority: 2 },
    ],
    [{ assignmentGroup: 'Hardware' }, { ruleId: 'r1', assignmentGroup: 'Hardware', category: null, priority: 4 }],
    [{ priority: 1 }, { ruleId: 'r1', assignmentGroup: null, category: null, priority: 1 }],
    [{}, { ruleId: 'r1', assignmentGroup: null, category: null, priority: 4 }],
  ])('%p', (extra, expected) => {
    expect(matchRoutingRule([rule('r1', 1, [], extra)], email, 4)).toEqual(expected);
  });

  test('no match gives the default routing', () => {
    expect(matchRoutingRule([], email, 3)).toEqual({ ruleId: null, assignmentGroup: null, category: null, priority: 3 });
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
    ['missing conditions', { ...valid, conditions: undefined }, /conditions must be a list/],
    ['conditions as an object', { ...valid, conditions: { field: 'subject' } }, /conditions must be a list/],
    ['a condition that is not an object', { ...valid, conditions: ['subject contains x'] }, /conditions\[0\] must be an object/],
    ['a null condition', { ...valid, conditions: [null] }, /conditions\[0\] must be an object/],
    [
      'unknown field',
      { ...valid, conditions: [valid.conditions[0], { field: 'body', operator: 'contains', value: 'x' }] },
      /conditions\[1\]\.field must be one of sender, subject, got "body"/,
    ],
    ['field in another case', { ...valid, conditions: [{ field: 'Subject', operator: 'contains', value: 'x' }] }, /conditions\[0\]\.field/],
    [
      'unknown operator',
      { ...valid, conditions: [{ field: 'subject', operator: 'like', value: 'x' }] },
      /conditions\[0\]\.operator must be one of contains, equals, starts_with, ends_with, regex, got "like"/,
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
    expect(matchRoutingRule([parsed], email, 4)).toEqual({
      ruleId: 'printers',
      assignmentGroup: 'Hardware',
      category: 'Printer',
      priority: 2,
    });
  });
});
