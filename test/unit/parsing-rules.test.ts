import {
  applyParsingRules,
  DEFAULT_PARSING_RULES,
  DEFAULT_RECOVERY_STATES,
  FIELD_VALUE_LIMIT,
  MAX_FIELDS_PER_RULE,
  parseParsingRule,
  type AlertEmail,
  type ParsedAlert,
  type ParsingRule,
  type ParsingRuleField,
} from '../../src/domain/parsing-rules';

function rule(ruleId: string, position: number, extra: Partial<ParsingRule> = {}): ParsingRule {
  return {
    ruleId,
    position,
    enabled: true,
    name: ruleId,
    match: { senderContains: 'monitor@ops.example' },
    fields: [
      { name: 'host', source: 'body', regex: '^Host: (?P<value>.*)$' },
      { name: 'service', source: 'body', regex: '^Service: (?P<value>.*)$' },
      { name: 'state', source: 'body', regex: '^State: (?P<value>.*)$' },
    ],
    ...extra,
  };
}

const field = (name: string, source: ParsingRuleField['source'], regex: string, extra: Partial<ParsingRuleField> = {}): ParsingRuleField => ({
  name,
  source,
  regex,
  ...extra,
});

const alertMail: AlertEmail = {
  sender: 'Monitor@Ops.Example',
  subject: 'PROBLEM: web1/HTTP is CRITICAL',
  body: 'Host: web1.example.org\nService: HTTP\nState: CRITICAL\nInfo: connection refused\n',
};

describe('applyParsingRules: recognising a mail', () => {
  test.each<[string, ParsingRule['match'], AlertEmail, boolean]>([
    ['the exact address, any case', { senderContains: 'MONITOR@ops.example' }, alertMail, true],
    ['another address at the domain', { senderContains: 'nagios@ops.example' }, alertMail, false],
    ['the domain', { senderContains: '@ops.example' }, alertMail, true],
    ['the domain without @', { senderContains: 'OPS.example' }, alertMail, true],
    ['a parent domain covers subdomains', { senderContains: '@example' }, alertMail, true],
    ['a part of an address is not a match', { senderContains: 'monitor@' }, alertMail, false],
    ['a lookalike domain is not a match', { senderContains: '@ops.example' }, { ...alertMail, sender: 'monitor@ops.example.evil.net' }, false],
    ['a domain ending the same is not a subdomain', { senderContains: '@ops.example' }, { ...alertMail, sender: 'monitor@devops.example' }, false],
    ['subject regex found anywhere', { subjectRegex: 'is CRITICAL$' }, alertMail, true],
    ['subject regex is case-sensitive', { subjectRegex: 'is critical$' }, alertMail, false],
    ['(?i) makes it case-insensitive', { subjectRegex: '(?i)is critical$' }, alertMail, true],
    ['both conditions hold', { senderContains: '@ops.example', subjectRegex: '^PROBLEM' }, alertMail, true],
    ['one of two conditions fails', { senderContains: '@ops.example', subjectRegex: '^RECOVERY' }, alertMail, false],
    ['the subject regex never looks at the body', { subjectRegex: 'connection refused' }, alertMail, false],
    ['a human mail', { subjectRegex: '^PROBLEM' }, { sender: 'anna@customer.example', subject: 'Printer jam', body: 'Help' }, false],
    ['missing sender and subject are empty text', { senderContains: 'x' }, { body: '' } as unknown as AlertEmail, false],
  ])('%s', (_name, match, email, recognised) => {
    const result = applyParsingRules([rule('r', 1, { match })], email);
    expect(result?.ruleId ?? null).toBe(recognised ? 'r' : null);
  });

  test.each<[string, ParsingRule[], string | null]>([
    ['no rules', [], null],
    ['lowest position first, whatever the list order', [rule('late', 20), rule('early', 10)], 'early'],
    ['equal positions: by ruleId', [rule('b', 5), rule('a', 5)], 'a'],
    ['a disabled rule is skipped', [rule('off', 1, { enabled: false }), rule('on', 2)], 'on'],
    ['only disabled rules', [rule('off', 1, { enabled: false })], null],
    [
      'a non-matching earlier rule is skipped',
      [rule('nagios', 1, { match: { subjectRegex: '^\\*\\*' } }), rule('generic', 2)],
      'generic',
    ],
    [
      'the first matching rule wins even when a later one would extract more',
      [rule('poor', 1, { fields: [] }), rule('rich', 2)],
      'poor',
    ],
    [
      'a rule whose subject regex is broken recognises nothing (and does not throw)',
      [rule('broken', 1, { match: { subjectRegex: '(?=PROBLEM)' } }), rule('ok', 2)],
      'ok',
    ],
  ])('%s', (_name, rules, expected) => {
    expect(applyParsingRules(rules, alertMail)?.ruleId ?? null).toBe(expected);
  });

  test('a recognised mail whose fields find nothing is still an alert, with nulls', () => {
    const result = applyParsingRules([rule('r', 1)], { ...alertMail, body: 'nothing structured here' });
    expect(result).toEqual<ParsedAlert>({
      ruleId: 'r',
      fields: {},
      host: null,
      service: null,
      state: null,
      priority: null,
      recovery: false,
      alertKey: null,
    });
  });
});

describe('applyParsingRules: extracting fields', () => {
  const extract = (fields: ParsingRuleField[], email: Partial<AlertEmail> = {}) =>
    applyParsingRules([rule('r', 1, { fields })], { ...alertMail, ...email })!.fields;

  test.each<[string, ParsingRuleField, Record<string, string>]>([
    ['a (?P<value>) group', field('host', 'body', '^Host: (?P<value>\\S+)'), { host: 'web1.example.org' }],
    ['a (?<value>) group', field('host', 'body', '^Host: (?<value>\\S+)'), { host: 'web1.example.org' }],
    ['the first group when none is named value', field('host', 'body', '^(Host): (\\S+)'), { host: 'Host' }],
    ['the value group even when other groups come first', field('x', 'body', '^(Host): (?P<value>\\S+)'), { x: 'web1.example.org' }],
    ['the whole match when there is no group', field('state', 'body', '\\b(?:CRITICAL|WARNING)\\b'), { state: 'CRITICAL' }],
    ['from the subject', field('host', 'subject', ': (?P<value>[^/]+)/'), { host: 'web1' }],
    ['a subject pattern never reads the body', field('info', 'subject', 'Info: (?P<value>.*)'), {}],
    ['^ and $ work per line (multiline)', field('info', 'body', '^Info: (?P<value>.*)$'), { info: 'connection refused' }],
    ['trimmed', field('info', 'body', 'Info:(?P<value>.*)'), { info: 'connection refused' }],
    ['no match: the field is absent', field('address', 'body', '^Address: (?P<value>.*)$'), {}],
    ['blank value: absent', field('address', 'body', '^Service:(?P<value>\\s*)HTTP'), {}],
    ['an optional value group that did not take part: absent', field('x', 'body', '^Host: (?P<value>nope)?'), {}],
    ['default when nothing matches', field('state', 'body', '^Status: (.*)', { default: 'CRITICAL' }), { state: 'CRITICAL' }],
    ['default unused when the regex matches', field('state', 'body', '^State: (.*)', { default: 'UNKNOWN' }), { state: 'CRITICAL' }],
    ['map, keys case-insensitive', field('state', 'body', '^State: (.*)', { map: { critical: 'DOWN' } }), { state: 'DOWN' }],
    ['map leaves unknown values alone', field('state', 'body', '^State: (.*)', { map: { warning: 'W' } }), { state: 'CRITICAL' }],
    ['map applies to the default too', field('state', 'body', '^Status: (.*)', { default: 'bad', map: { BAD: 'CRITICAL' } }), { state: 'CRITICAL' }],
    ['a field named __proto__ stays a field', field('__proto__', 'body', '^Host: (.*)'), { ['__proto__']: 'web1.example.org' }],
  ])('%s', (_name, spec, expected) => {
    const fields = extract([spec]);
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(Object.entries(fields)).toEqual(Object.entries(expected));
  });

  test('a later entry for the same name is a fallback: used only when the earlier ones give nothing', () => {
    const fields = [
      field('state', 'body', '^State: (?P<value>.*)$'),
      field('state', 'subject', ' is (?P<value>[A-Z]+)$'),
      field('host', 'body', '^Hostname: (?P<value>.*)$'),
      field('host', 'subject', ': (?P<value>[^/]+)/'),
    ];
    expect(extract(fields)).toEqual({ state: 'CRITICAL', host: 'web1' });
    expect(extract(fields, { body: 'no state line', subject: 'PROBLEM: db2/Disk is WARNING' })).toEqual({ state: 'WARNING', host: 'db2' });
  });

  test('a value spanning lines comes out on one line, control characters and all', () => {
    const body = 'Info: first line\r\n  second\tline\u0000\u2028third\nEnd';
    expect(extract([field('info', 'body', '(?s)Info: (?P<value>.*?)\\nEnd')], { body })).toEqual({
      info: 'first line second line third',
    });
  });

  test(`a value is cut to ${FIELD_VALUE_LIMIT} characters, never in the middle of a surrogate pair`, () => {
    expect(FIELD_VALUE_LIMIT).toBe(500);
    const long = extract([field('info', 'body', '^Info: (.*)$')], { body: `Info: ${'x'.repeat(10_000)}` }).info;
    expect(long).toBe('x'.repeat(500));
    const emoji = extract([field('info', 'body', '^Info: (.*)$')], { body: `Info: ${'😀'.repeat(600)}` }).info;
    expect(Array.from(emoji)).toHaveLength(500);
    expect(emoji).toBe('😀'.repeat(500));
  });

  test('a field with a broken pattern (not from parseParsingRule) is skipped, the others still extract', () => {
    expect(extract([field('host', 'body', '(a)\\1'), field('state', 'body', '^State: (.*)$')])).toEqual({ state: 'CRITICAL' });
  });

  test('well-known fields and the alert key', () => {
    const result = applyParsingRules([rule('r', 1)], alertMail)!;
    expect(result.host).toBe('web1.example.org');
    expect(result.service).toBe('HTTP');
    expect(result.state).toBe('CRITICAL');
    expect(result.alertKey).toBe('web1.example.org/http');
  });

  test.each<[string, string, string | null]>([
    ['host and service, lower-cased', 'Host: DB1.Example.ORG\nService: Disk /var\n', 'db1.example.org/disk /var'],
    ['host without service', 'Host: db1\n', 'db1/'],
    ['service without host: no key', 'Service: Disk\n', null],
  ])('alertKey: %s', (_name, body, key) => {
    expect(applyParsingRules([rule('r', 1)], { ...alertMail, body })!.alertKey).toBe(key);
  });
});

describe('applyParsingRules: severity and recovery', () => {
  const severityRule = (extra: Partial<ParsingRule> = {}) =>
    rule('r', 1, { severityField: 'state', severityMap: { CRITICAL: 1, warning: 3, Unknown: 4 }, ...extra });
  const withState = (state: string): AlertEmail => ({ ...alertMail, body: `Host: web1\nState: ${state}\n` });

  test.each<[string, string, Partial<ParsingRule>, 1 | 2 | 3 | 4 | 5 | null]>([
    ['mapped', 'CRITICAL', {}, 1],
    ['key lookup ignores case (value upper, key lower)', 'WARNING', {}, 3],
    ['key lookup ignores case (value lower, key upper)', 'critical', {}, 1],
    ['key lookup ignores case (mixed)', 'UNKNOWN', {}, 4],
    ['a value not in the map', 'OK', {}, null],
    ['no severityField: no priority', 'CRITICAL', { severityField: undefined }, null],
    ['no severityMap: no priority', 'CRITICAL', { severityMap: undefined }, null],
    ['severityField names a field that found nothing', 'CRITICAL', { severityField: 'severity' }, null],
    ['another field than state', 'CRITICAL', { severityField: 'host', severityMap: { WEB1: 2 } }, 2],
    ['a map value outside 1..5 (bad data) gives none', 'CRITICAL', { severityMap: { CRITICAL: 9 as 1 } }, null],
  ])('priority: %s', (_name, state, extra, priority) => {
    expect(applyParsingRules([severityRule(extra)], withState(state))!.priority).toBe(priority);
  });

  test('default recovery states', () => {
    expect(DEFAULT_RECOVERY_STATES).toEqual(['OK', 'UP', 'RESOLVED', 'RECOVERY']);
  });

  test.each<[string, Partial<ParsingRule>, boolean]>([
    ['OK', {}, true],
    ['UP', {}, true],
    ['Resolved', {}, true],
    ['recovery', {}, true],
    ['CRITICAL', {}, false],
    ['DOWN', {}, false],
    ['OKAY', {}, false],
    ['NOT OK', {}, false],
    ['CLEARED', { recoveryStates: ['cleared', 'Normal'] }, true],
    ['NORMAL', { recoveryStates: ['cleared', 'Normal'] }, true],
    ['OK', { recoveryStates: ['cleared'] }, false],
    ['OK', { recoveryStates: [] }, false],
  ])('state %p with %p: recovery %p', (state, extra, recovery) => {
    expect(applyParsingRules([rule('r', 1, extra)], withState(state))!.recovery).toBe(recovery);
  });

  test('no state: no recovery', () => {
    expect(applyParsingRules([rule('r', 1)], { ...alertMail, body: 'Host: web1' })!.recovery).toBe(false);
  });
});

describe('applyParsingRules: hostile input', () => {
  const GUARD_MS = 30_000;

  test(
    'a catastrophic subject pattern from configuration cannot hang the worker',
    () => {
      const rules = [rule('evil', 1, { match: { subjectRegex: '^(a+)+$' }, fields: [field('x', 'body', '^(a|aa)+$')] })];
      expect(applyParsingRules(rules, { sender: 'x@y', subject: 'a'.repeat(50_000) + '!', body: '' })).toBeNull();
      const matched = applyParsingRules(rules, { sender: 'x@y', subject: 'a'.repeat(50_000), body: 'a'.repeat(50_000) + '!' });
      expect(matched?.ruleId).toBe('evil');
      expect(matched?.fields).toEqual({});
    },
    GUARD_MS,
  );

  test(
    'a 20 MB body: only its first 100,000 characters are searched',
    () => {
      const filler = 'lorem ipsum dolor sit amet\n'.repeat(800_000);
      const body = `Host: web1\n${filler}State: CRITICAL\n`;
      const result = applyParsingRules([rule('r', 1)], { ...alertMail, body })!;
      expect(result.host).toBe('web1');
      expect(result.state).toBeNull();
    },
    GUARD_MS,
  );

  test(
    'a huge one-line value and a huge subject cost little and come out bounded',
    () => {
      const result = applyParsingRules(DEFAULT_PARSING_RULES, {
        sender: 'nagios@example.org',
        subject: `** PROBLEM Service Alert: ${'h'.repeat(200_000)}/svc is CRITICAL **`,
        body: `Host: ${'x'.repeat(5_000_000)}\nState: CRITICAL\n`,
      });
      // The subject is cut before matching, so its end (and the rule's recognition pattern) still match
      // only when they are in the first 100,000 characters: here the start is, so the rule applies.
      expect(result?.ruleId).toBe('nagios');
      expect(result!.host!.length).toBeLessThanOrEqual(FIELD_VALUE_LIMIT);
    },
    GUARD_MS,
  );

  test(
    'many rules, many fields',
    () => {
      const manyFields = Array.from({ length: MAX_FIELDS_PER_RULE }, (_, i) => field(`f${i}`, 'body', `(?i)(\\w+\\s?){1,20}!${i}`));
      const rules = Array.from({ length: 50 }, (_, i) =>
        rule(`r${i}`, i, { match: { subjectRegex: `^(x+)+y${i}$` }, fields: manyFields }),
      );
      rules.push(rule('last', 100, { match: { subjectRegex: '^PROBLEM' }, fields: manyFields }));
      const body = 'word '.repeat(20_000);
      expect(applyParsingRules(rules, { sender: 'a@b', subject: 'PROBLEM ' + 'x'.repeat(50_000), body })?.ruleId).toBe('last');
    },
    GUARD_MS,
  );
});

describe('parseParsingRule', () => {
  const valid = {
    ruleId: 'nagios-prod',
    position: 10,
    enabled: true,
    name: 'Nagios (production)',
    match: { senderContains: 'nagios@prod.example', subjectRegex: '^\\*\\* ' },
    fields: [
      { name: 'host', source: 'body', regex: '^Host: (?P<value>.*)$' },
      { name: 'state', source: 'body', regex: '^State: (?P<value>.*)$', default: 'UNKNOWN', map: { 'CRIT': 'CRITICAL' } },
    ],
    severityField: 'state',
    severityMap: { CRITICAL: 2, WARNING: 3 },
    recoveryStates: ['OK', ' UP '],
    updatedAt: '2025-01-01T00:00:00Z', // unknown attributes are ignored
  };

  test('a valid item becomes a rule', () => {
    expect(parseParsingRule(valid)).toEqual({
      ruleId: 'nagios-prod',
      position: 10,
      enabled: true,
      name: 'Nagios (production)',
      match: { senderContains: 'nagios@prod.example', subjectRegex: '^\\*\\* ' },
      fields: [
        { name: 'host', source: 'body', regex: '^Host: (?P<value>.*)$' },
        { name: 'state', source: 'body', regex: '^State: (?P<value>.*)$', default: 'UNKNOWN', map: { CRIT: 'CRITICAL' } },
      ],
      severityField: 'state',
      severityMap: { CRITICAL: 2, WARNING: 3 },
      recoveryStates: ['OK', 'UP'],
    });
  });

  test('optional attributes: unset, null (DynamoDB NULL) or blank mean "not set"', () => {
    const minimal = {
      ruleId: 'm',
      position: 1,
      enabled: null,
      name: null,
      match: { subjectRegex: '^ALERT', senderContains: '  ' },
      fields: [{ name: 'host', source: 'subject', regex: 'on (\\S+)', default: null, map: null }],
      severityField: null,
      severityMap: null,
      recoveryStates: null,
    };
    expect(parseParsingRule(minimal)).toEqual({
      ruleId: 'm',
      position: 1,
      enabled: true,
      name: 'm',
      match: { subjectRegex: '^ALERT' },
      fields: [{ name: 'host', source: 'subject', regex: 'on (\\S+)' }],
    });
  });

  test('a parsed rule applies like the item says', () => {
    const parsed = parseParsingRule(valid) as ParsingRule;
    const result = applyParsingRules([parsed], {
      sender: 'Nagios@Prod.Example',
      subject: '** PROBLEM Host Alert: db1 is DOWN **',
      body: 'Host: db1\nState: CRIT\n',
    });
    expect(result).toMatchObject({ ruleId: 'nagios-prod', host: 'db1', state: 'CRITICAL', priority: 2, recovery: false });
  });

  const fieldsWith = (index: number, value: unknown) => {
    const fields: unknown[] = [...valid.fields];
    fields[index] = value;
    return { ...valid, fields };
  };

  test.each<[string, Record<string, unknown>, string | RegExp]>([
    ['not an object', [] as unknown as Record<string, unknown>, 'parsing rule must be an object'],
    ['no ruleId', { ...valid, ruleId: undefined }, 'ruleId must be a non-empty string'],
    ['blank ruleId', { ...valid, ruleId: '  ' }, 'ruleId must be a non-empty string'],
    ['position not a number', { ...valid, position: '10' }, 'parsing rule "nagios-prod": position must be a number between -1000000000 and 1000000000'],
    ['position not finite', { ...valid, position: Infinity }, 'parsing rule "nagios-prod": position must be a number between -1000000000 and 1000000000'],
    ['position past what DynamoDB holds exactly', { ...valid, position: 1e308 }, 'parsing rule "nagios-prod": position must be a number between -1000000000 and 1000000000'],
    ['a 5000-character ruleId', { ...valid, ruleId: 'r'.repeat(5000) }, 'ruleId must be at most 100 characters, without control characters'],
    ['enabled not a boolean', { ...valid, enabled: 'yes' }, 'parsing rule "nagios-prod": enabled must be true or false'],
    ['name not a string', { ...valid, name: 7 }, 'parsing rule "nagios-prod": name must be a string when set'],
    ['no match', { ...valid, match: undefined }, /match must be an object with senderContains and\/or subjectRegex/],
    ['match a string', { ...valid, match: 'nagios' }, /match must be an object/],
    [
      'match with no condition',
      { ...valid, match: {} },
      'parsing rule "nagios-prod": match must set senderContains or subjectRegex (a rule that matches every mail is refused)',
    ],
    [
      'match with blank conditions',
      { ...valid, match: { senderContains: '' } },
      /match must set senderContains or subjectRegex/,
    ],
    ['senderContains not a string', { ...valid, match: { senderContains: ['a'] } }, /match.senderContains must be a string when set/],
    [
      'subjectRegex with lookahead',
      { ...valid, match: { subjectRegex: '^(?=PROBLEM)' } },
      /^parsing rule "nagios-prod": match.subjectRegex: invalid regular expression: error parsing regexp: invalid or unsupported Perl syntax: `\(\?=`/,
    ],
    ['subjectRegex empty', { ...valid, match: { subjectRegex: '' } }, /match.subjectRegex must be a non-empty string/],
    ['subjectRegex a number', { ...valid, match: { subjectRegex: 5 } }, /match.subjectRegex must be a non-empty string/],
    ['subjectRegex too long', { ...valid, match: { subjectRegex: 'a'.repeat(1001) } }, /match.subjectRegex: regular expression is 1001 characters long/],
    ['fields not a list', { ...valid, fields: { host: 'x' } }, 'parsing rule "nagios-prod": fields must be a list'],
    [
      'too many fields',
      { ...valid, fields: Array.from({ length: MAX_FIELDS_PER_RULE + 1 }, () => valid.fields[0]) },
      `parsing rule "nagios-prod": fields has ${MAX_FIELDS_PER_RULE + 1} entries, at most ${MAX_FIELDS_PER_RULE}`,
    ],
    ['a field not an object', fieldsWith(1, 'state'), /fields\[1\] must be an object with name, source and regex/],
    ['a field without name', fieldsWith(1, { source: 'body', regex: 'x' }), /fields\[1\]\.name must be a name of letters/],
    ['a field name with spaces', fieldsWith(1, { name: 'the state', source: 'body', regex: 'x' }), /fields\[1\]\.name must be a name/],
    ['a bad source', fieldsWith(1, { name: 'state', source: 'header', regex: 'x' }), /fields\[1\] \(state\)\.source must be one of subject, body, got "header"/],
    [
      'a field regex with a backreference names the field',
      fieldsWith(1, { name: 'state', source: 'body', regex: '(a)\\1' }),
      /^parsing rule "nagios-prod": fields\[1\] \(state\)\.regex: invalid regular expression: .*invalid escape sequence.*backreferences are not supported/,
    ],
    [
      'a field regex that does not compile',
      fieldsWith(0, { name: 'host', source: 'body', regex: 'Host: (\\S+' }),
      /fields\[0\] \(host\)\.regex: invalid regular expression: error parsing regexp: missing closing \)/,
    ],
    [
      'a field regex too complex',
      fieldsWith(0, { name: 'host', source: 'body', regex: '(?i)(\\pL+\\s?){1,300}' }),
      /fields\[0\] \(host\)\.regex: regular expression is too complex/,
    ],
    ['a field without regex', fieldsWith(0, { name: 'host', source: 'body' }), /fields\[0\] \(host\)\.regex must be a non-empty string/],
    ['default not a string', fieldsWith(0, { name: 'host', source: 'body', regex: 'x', default: 1 }), /fields\[0\] \(host\)\.default must be a string/],
    ['map not an object', fieldsWith(0, { name: 'host', source: 'body', regex: 'x', map: ['a'] }), /fields\[0\] \(host\)\.map must be an object of strings/],
    ['map value not a string', fieldsWith(0, { name: 'host', source: 'body', regex: 'x', map: { a: 1 } }), /fields\[0\] \(host\)\.map\["a"\] must be a string/],
    [
      'severityField that is not a field',
      { ...valid, severityField: 'severity' },
      'parsing rule "nagios-prod": severityField "severity" is not the name of one of the fields',
    ],
    ['severityMap not an object', { ...valid, severityMap: [1, 2] }, /severityMap must be an object of severity -> priority 1..5/],
    ['severityMap priority 0', { ...valid, severityMap: { CRITICAL: 0 } }, 'parsing rule "nagios-prod": severityMap["CRITICAL"] must be a whole number from 1 to 5, got 0'],
    ['severityMap priority 6', { ...valid, severityMap: { CRITICAL: 6 } }, /severityMap\["CRITICAL"\] must be a whole number from 1 to 5, got 6/],
    ['severityMap priority 2.5', { ...valid, severityMap: { CRITICAL: 2.5 } }, /must be a whole number from 1 to 5, got 2.5/],
    ['severityMap priority as text', { ...valid, severityMap: { CRITICAL: '2' } }, /must be a whole number from 1 to 5, got "2"/],
    ['recoveryStates not a list', { ...valid, recoveryStates: 'OK' }, 'parsing rule "nagios-prod": recoveryStates must be a list of strings'],
    ['recoveryStates with a blank', { ...valid, recoveryStates: ['OK', ' '] }, /recoveryStates\[1\] must be a non-empty string/],
    ['recoveryStates with a number', { ...valid, recoveryStates: [0] }, /recoveryStates\[0\] must be a non-empty string, got 0/],
  ])('%s', (_name, item, message) => {
    const result = parseParsingRule(item);
    expect(result).toHaveProperty('error');
    const error = (result as { error: string }).error;
    if (typeof message === 'string') expect(error).toBe(message);
    else expect(error).toMatch(message);
  });
});

describe('DEFAULT_PARSING_RULES', () => {
  test('every default rule is a valid configured rule', () => {
    for (const defaultRule of DEFAULT_PARSING_RULES) {
      expect(parseParsingRule(defaultRule as unknown as Record<string, unknown>)).toEqual(defaultRule);
    }
    expect(DEFAULT_PARSING_RULES.map((r) => r.ruleId)).toEqual(['nagios', 'icinga2-classic', 'icinga2', 'monit', 'alertmanager']);
  });

  // Samples written for these tests from each tool's default notification template (not from the corpus).
  const samples: [string, AlertEmail, Partial<ParsedAlert>][] = [
    [
      'Nagios service problem (output after a blank line)',
      {
        sender: 'nagios@mon.example.org',
        subject: '** PROBLEM Service Alert: db1.example.org/PostgreSQL connections is CRITICAL **',
        body:
          '***** Nagios *****\n\nNotification Type: PROBLEM\n\nService: PostgreSQL connections\nHost: db1.example.org\n' +
          'Address: 10.0.0.5\nState: CRITICAL\n\nDate/Time: Mon Mar 3 10:00:00 CET 2025\n\nAdditional Info:\n\nCRITICAL - 195 of 200 connections used\n',
      },
      {
        ruleId: 'nagios',
        host: 'db1.example.org',
        service: 'PostgreSQL connections',
        state: 'CRITICAL',
        priority: 2,
        recovery: false,
        alertKey: 'db1.example.org/postgresql connections',
        fields: {
          host: 'db1.example.org',
          service: 'PostgreSQL connections',
          state: 'CRITICAL',
          notificationType: 'PROBLEM',
          address: '10.0.0.5',
          dateTime: 'Mon Mar 3 10:00:00 CET 2025',
          info: 'CRITICAL - 195 of 200 connections used',
        },
      },
    ],
    [
      'Nagios host recovery (Info line)',
      {
        sender: 'nagios@mon.example.org',
        subject: '** RECOVERY Host Alert: db1.example.org is UP **',
        body: '***** Nagios *****\n\nNotification Type: RECOVERY\nHost: db1.example.org\nState: UP\nAddress: 10.0.0.5\nInfo: PING OK - Packet loss = 0%\n',
      },
      { ruleId: 'nagios', host: 'db1.example.org', service: null, state: 'UP', priority: null, recovery: true, alertKey: 'db1.example.org/' },
    ],
    [
      'Nagios mail whose body lost its lines: the subject fills in',
      {
        sender: 'nagios@mon.example.org',
        subject: '** PROBLEM Service Alert: web3/HTTP is WARNING **',
        body: 'HTTP WARNING: HTTP/1.1 403 Forbidden',
      },
      { ruleId: 'nagios', host: 'web3', service: 'HTTP', state: 'WARNING', priority: 3 },
    ],
    [
      'Icinga 2 (scripts up to 2.6) service problem',
      {
        sender: 'icinga@mon.example.org',
        subject: 'PROBLEM - web2.example.org - HTTP is CRITICAL',
        body:
          '***** Icinga  *****\n\nNotification Type: PROBLEM\n\nService: HTTP\nHost: web2.example.org\nAddress: 10.0.0.7\nState: CRITICAL\n\n' +
          'Date/Time: 2025-03-03 10:00:00 +0100\n\nAdditional Info: connect to address 10.0.0.7 and port 80: Connection refused\n\nComment: [] \n',
      },
      { ruleId: 'icinga2-classic', host: 'web2.example.org', service: 'HTTP', state: 'CRITICAL', priority: 2, recovery: false },
    ],
    [
      'Icinga 2 (2.7+) service problem',
      {
        sender: 'icinga@mon.example.org',
        subject: '[PROBLEM] HTTP on web2.example.org is CRITICAL!',
        body:
          '***** Service Monitoring on icinga.example.org *****\n\nHTTP on web2.example.org is CRITICAL!\n\n' +
          'Info:    connect to address 10.0.0.7 and port 80: Connection refused\n\nWhen:    2025-03-03 10:00:00 +0100\n' +
          'Service: HTTP\nHost:    web2.example.org\nIPv4:    10.0.0.7\n',
      },
      {
        ruleId: 'icinga2',
        host: 'web2.example.org',
        service: 'HTTP',
        state: 'CRITICAL',
        priority: 2,
        fields: {
          host: 'web2.example.org',
          service: 'HTTP',
          state: 'CRITICAL',
          notificationType: 'PROBLEM',
          info: 'connect to address 10.0.0.7 and port 80: Connection refused',
          when: '2025-03-03 10:00:00 +0100',
          address: '10.0.0.7',
        },
      },
    ],
    [
      'Icinga 2 (2.7+) with display names: the bare names',
      {
        sender: 'icinga@mon.example.org',
        subject: '[RECOVERY] Disk /var on db1 is OK!',
        body: '==> Disk /var on db1 is OK! <==\n\nService: Disk /var (Display Name: "Disk /var")\nHost:    db1 (Display Name: "Database 1")\n',
      },
      { ruleId: 'icinga2', host: 'db1', service: 'Disk /var', state: 'OK', recovery: true, alertKey: 'db1/disk /var' },
    ],
    [
      'Icinga 2 (2.7+) host problem, nothing but the subject',
      { sender: 'icinga@mon.example.org', subject: '[PROBLEM] Host db1 is DOWN!', body: '' },
      { ruleId: 'icinga2', host: 'db1', service: null, state: 'DOWN', priority: 1 },
    ],
    [
      'Monit problem',
      {
        sender: 'monit@web1.example.org',
        subject: 'monit alert --  Does not exist nginx',
        body:
          'Does not exist Service nginx \n\n    Date:        Mon, 03 Mar 2025 10:00:00\n    Action:      restart\n' +
          '    Host:        web1.example.org\n    Description: process is not running\n\nYour faithful employee,\nMonit\n',
      },
      {
        ruleId: 'monit',
        host: 'web1.example.org',
        service: 'nginx',
        state: 'CRITICAL',
        priority: 2,
        recovery: false,
        fields: {
          host: 'web1.example.org',
          service: 'nginx',
          event: 'Does not exist',
          state: 'CRITICAL',
          action: 'restart',
          description: 'process is not running',
          date: 'Mon, 03 Mar 2025 10:00:00',
        },
      },
    ],
    [
      'Monit recovery ("Exists")',
      {
        sender: 'monit@web1.example.org',
        subject: 'monit alert --  Exists nginx',
        body: 'Exists Service nginx\n\n    Action:      alert\n    Host:        web1.example.org\n    Description: process is running with pid 42\n',
      },
      { ruleId: 'monit', host: 'web1.example.org', service: 'nginx', state: 'OK', priority: null, recovery: true },
    ],
    [
      'Monit: a recovery word after "Service" (in the service name) is not a recovery',
      {
        sender: 'monit@web1.example.org',
        subject: 'monit alert --  Connection failed backup-ok',
        body: 'Connection failed Service backup-ok\n\n    Host:        web1.example.org\n    Description: all done\n',
      },
      { ruleId: 'monit', service: 'backup-ok', state: 'CRITICAL', recovery: false },
    ],
    [
      'Alertmanager firing (default HTML email, as the parser converts it to text)',
      {
        sender: 'alertmanager@prom.example.org',
        subject: '[FIRING:1] HighCPU (node1.example.com:9100 node critical)',
        body:
          '1 alert for alertname=HighCPU\n\nView in Alertmanager [http://am.example.com:9093/#/alerts?receiver=support] [1] Firing Labels\n' +
          'alertname = HighCPU\ninstance = node1.example.com:9100\njob = node\nseverity = critical\nAnnotations\n' +
          'description = CPU above 90% for 10 minutes\nsummary = High CPU on node1\nSource [http://prometheus.example.com:9090/graph?g0.expr=x]\n\n\n' +
          'Sent by Alertmanager [http://am.example.com:9093]',
      },
      {
        ruleId: 'alertmanager',
        host: 'node1.example.com',
        service: 'HighCPU',
        state: 'FIRING',
        priority: 2,
        recovery: false,
        alertKey: 'node1.example.com/highcpu',
        fields: {
          state: 'FIRING',
          service: 'HighCPU',
          host: 'node1.example.com',
          severity: 'critical',
          job: 'node',
          summary: 'High CPU on node1',
          description: 'CPU above 90% for 10 minutes',
        },
      },
    ],
    [
      'Alertmanager resolved (text template list: " - name = value")',
      {
        sender: 'alertmanager@prom.example.org',
        subject: '[RESOLVED] DiskFull (db1:9100 warning)',
        body: 'Alerts Resolved:\nLabels:\n - alertname = DiskFull\n - instance = [2001:db8::1]:9100\n - severity = warning\nAnnotations:\n - summary = /var is full\n',
      },
      { ruleId: 'alertmanager', host: '[2001:db8::1]', service: 'DiskFull', state: 'RESOLVED', priority: 3, recovery: true },
    ],
    [
      'Alertmanager without labels in the body: the subject names the alert',
      { sender: 'am@prom.example.org', subject: '[FIRING:3] TargetDown (prod)', body: '' },
      { ruleId: 'alertmanager', host: null, service: 'TargetDown', state: 'FIRING', alertKey: null },
    ],
  ];

  test.each(samples)('%s', (_name, email, expected) => {
    expect(applyParsingRules(DEFAULT_PARSING_RULES, email)).toMatchObject(expected);
  });

  test.each<[string, AlertEmail]>([
    ['a customer mail', { sender: 'anna@customer.example', subject: 'Printer on floor 3 is DOWN', body: 'Host: printer3' }],
    ['a reply to an alert', { sender: 'bob@example.org', subject: 'Re: ** PROBLEM Host Alert: db1 is DOWN **', body: 'Looking' }],
    ['a forwarded alert', { sender: 'bob@example.org', subject: 'Fwd: [PROBLEM] Host db1 is DOWN!', body: '' }],
    ['a subject that only looks bracketed', { sender: 'x@example.org', subject: '[URGENT] VPN is DOWN!', body: '' }],
    ['monit lower-case only', { sender: 'x@example.org', subject: 'Monit Alert -- Timeout nginx', body: '' }],
  ])('not an alert: %s', (_name, email) => {
    expect(applyParsingRules(DEFAULT_PARSING_RULES, email)).toBeNull();
  });
});
