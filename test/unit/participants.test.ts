import { normaliseAddress, participantAddress, participantName, participantsFrom, PARTICIPANT_NAME_MAX, PARTICIPANTS_MAX, ParticipantsEmail } from '../../src/domain/participants';

const a = (address: string): { address: string } => ({ address });
const TICKET = { ticketAddress: 'support@helpdesk.example' };

function email(from: string | null, to: string[] = [], cc: string[] = []): ParticipantsEmail {
  return { from: from === null ? null : a(from), to: to.map(a), cc: cc.map(a) };
}

describe('normaliseAddress', () => {
  test.each<[string, string | null]>([
    ['anna@example.com', 'anna@example.com'],
    ['  Anna.Berg@Example.COM ', 'anna.berg@example.com'],
    ['<anna@example.com>', 'anna@example.com'],
    ['anna+tag@sub.example.co.uk', 'anna+tag@sub.example.co.uk'],
    ['o\'brien@example.ie', 'o\'brien@example.ie'],
    ['anna@bücher.example', 'anna@bücher.example'],
    ['', null],
    ['   ', null],
    ['anna', null],
    ['@example.com', null],
    ['anna@', null],
    ['anna@localhost', null],
    ['anna@@example.com', null],
    ['anna@x@example.com', null],
    ['anna berg@example.com', null],
    ['anna@exa mple.com', null],
    ['.anna@example.com', null],
    ['anna.@example.com', null],
    ['an..na@example.com', null],
    ['anna@example..com', null],
    ['anna@.example.com', null],
    ['anna@example.com.', null],
    ['anna@-example.com', null],
    ['anna@example-.com', null],
    ['"anna berg"@example.com', null],
    ['Anna <anna@example.com>', null],
    ['anna@example.com, bob@example.com', null],
    ['anna@example.com\r\nBcc: x@y.example', null],
    ['anna\u0000@example.com', null],
    ['a'.repeat(65) + '@example.com', null],
    ['anna@' + 'x'.repeat(64) + '.com', null],
    ['a@' + ('x'.repeat(60) + '.').repeat(5) + 'com', null],
    [null as unknown as string, null],
    [42 as unknown as string, null],
  ])('%j -> %j', (raw, expected) => {
    expect(normaliseAddress(raw)).toBe(expected);
  });
});

describe('participantsFrom', () => {
  test.each<[string, ParticipantsEmail, { ticketAddress: string; ownDomains?: string[] }, string[]]>([
    ['from only', email('anna@example.com', ['support@helpdesk.example']), TICKET, ['anna@example.com']],
    [
      'from, then to, then cc, lower-cased',
      email('Anna@Example.com', ['support@helpdesk.example', 'Marco@Example.net'], ['LENA@example.org']),
      TICKET,
      ['anna@example.com', 'marco@example.net', 'lena@example.org'],
    ],
    [
      'distinct',
      email('anna@example.com', ['ANNA@example.com', 'marco@example.net'], ['marco@EXAMPLE.net', 'anna@example.com']),
      TICKET,
      ['anna@example.com', 'marco@example.net'],
    ],
    ['our ticket address in any case', email('anna@example.com', ['SUPPORT@HelpDesk.Example'], ['support@helpdesk.example']), TICKET, ['anna@example.com']],
    ['our ticket address with a +tag', email('anna@example.com', ['support+INC0010001@helpdesk.example']), TICKET, ['anna@example.com']],
    ['the same local part at another domain is not ours', email('anna@example.com', ['support@example.com']), TICKET, ['anna@example.com', 'support@example.com']],
    [
      'own domains left out (exact domain)',
      email('anna@example.com', ['agent@helpdesk.example', 'it@corp.example', 'x@sub.corp.example'], ['bob@CORP.example']),
      { ticketAddress: 'support@helpdesk.example', ownDomains: ['corp.example', '@HelpDesk.Example'] },
      ['anna@example.com', 'x@sub.corp.example'],
    ],
    [
      'no own domains: other addresses at the ticket domain stay',
      email('anna@example.com', ['agent@helpdesk.example']),
      TICKET,
      ['anna@example.com', 'agent@helpdesk.example'],
    ],
    [
      'invalid and empty addresses left out',
      email('', ['not an address', 'marco@example.net', '   ', 'x@localhost'], ['<lena@example.org>']),
      TICKET,
      ['marco@example.net', 'lena@example.org'],
    ],
    ['no From', email(null, ['marco@example.net']), TICKET, ['marco@example.net']],
    ['nothing at all', email(null), TICKET, []],
    ['only ourselves', email('support@helpdesk.example', ['support@helpdesk.example']), TICKET, []],
    ['an invalid ticket address excludes nothing', email('anna@example.com', ['support@helpdesk.example']), { ticketAddress: '' }, ['anna@example.com', 'support@helpdesk.example']],
  ])('%s', (_label, mail, ours, expected) => {
    expect(participantsFrom(mail, ours)).toEqual(expected);
  });

  test('tolerates null entries and missing lists', () => {
    const mail = { from: { address: 'anna@example.com' }, to: [null, { address: 7 }], cc: undefined } as unknown as ParticipantsEmail;
    expect(participantsFrom(mail, TICKET)).toEqual(['anna@example.com']);
  });

  test(`at most ${PARTICIPANTS_MAX}, the first ones`, () => {
    const to = Array.from({ length: 80 }, (_, i) => `user${i}@example.com`);
    const out = participantsFrom(email('anna@example.com', to, ['late@example.com']), TICKET);
    expect(out).toHaveLength(PARTICIPANTS_MAX);
    expect(out[0]).toBe('anna@example.com');
    expect(out[PARTICIPANTS_MAX - 1]).toBe(`user${PARTICIPANTS_MAX - 2}@example.com`);
    expect(out).not.toContain('late@example.com');
  });

  test('a long list of duplicates and invalid addresses is bounded', () => {
    const to = [...Array.from({ length: 5000 }, () => 'anna@example.com'), 'marco@example.net'];
    expect(participantsFrom(email(null, to), TICKET)).toEqual(['anna@example.com']);
  });

  test('a huge address comes back', () => {
    expect(participantsFrom(email('a'.repeat(1_000_000) + '@example.com', ['b@example.com']), TICKET)).toEqual(['b@example.com']);
  });
});

describe('participantAddress: what an agent may add as a participant', () => {
  const ticket = 'support@example.com';
  test('a plain address is normalised (trimmed, lower-cased, surrounding <> dropped)', () => {
    expect(participantAddress('  Anna.Berg@Example.COM ', ticket)).toEqual({ value: 'anna.berg@example.com' });
    expect(participantAddress('<anna@example.org>', ticket)).toEqual({ value: 'anna@example.org' });
  });
  test('our own ticket address is refused, also with a +tag or another case', () => {
    for (const own of ['support@example.com', 'SUPPORT@example.com', 'support+INC0010001@example.com', '<support@example.com>']) {
      const checked = participantAddress(own, ticket);
      expect(checked).toEqual({ error: expect.stringContaining('our own ticket address') });
    }
    expect(participantAddress('support@example.org', ticket)).toEqual({ value: 'support@example.org' });
  });
  test('a line break, a list and a display name each get their reason', () => {
    expect(participantAddress('anna@example.com\r\nBcc: evil@example.net', ticket)).toEqual({ error: expect.stringContaining('without line breaks') });
    expect(participantAddress('anna@example.com\n', ticket)).toEqual({ error: expect.stringContaining('without line breaks') });
    expect(participantAddress('anna@example.com, bob@example.com', ticket)).toEqual({ error: expect.stringContaining('not a list') });
    expect(participantAddress('anna@example.com;bob@example.com', ticket)).toEqual({ error: expect.stringContaining('not a list') });
    expect(participantAddress('Anna Berg <anna@example.com>', ticket)).toEqual({ error: expect.stringContaining('without a name') });
    expect(participantAddress('"Berg, Anna" <anna@example.com>', ticket)).toEqual({ error: expect.stringContaining('not a list') });
  });
  test('anything else that is no plain address is refused; missing and non-text too', () => {
    for (const bad of ['anna', 'anna@', '@example.com', 'anna@localhost', 'a b@example.com', 'anna@@example.com', `${'a'.repeat(65)}@example.com`, 'x'.repeat(2000)]) {
      expect(participantAddress(bad, ticket)).toHaveProperty('error');
    }
    expect(participantAddress('', ticket)).toEqual({ error: 'The address is missing' });
    expect(participantAddress(undefined, ticket)).toEqual({ error: 'The address is missing' });
    expect(participantAddress(42, ticket)).toEqual({ error: 'The address is missing' });
  });
});

describe('participantName', () => {
  test('trimmed, blank is none, absent is none', () => {
    expect(participantName('  Anna Berg ')).toEqual({ value: 'Anna Berg' });
    expect(participantName('   ')).toEqual({ value: null });
    expect(participantName(undefined)).toEqual({ value: null });
    expect(participantName(null)).toEqual({ value: null });
  });
  test('a line break, a control character, a long name or a non-string is refused', () => {
    expect(participantName('Anna\r\nBcc: x@example.com')).toHaveProperty('error');
    expect(participantName('Anna\u0000')).toHaveProperty('error');
    expect(participantName('a'.repeat(PARTICIPANT_NAME_MAX + 1))).toHaveProperty('error');
    expect(participantName('a'.repeat(PARTICIPANT_NAME_MAX))).toEqual({ value: 'a'.repeat(PARTICIPANT_NAME_MAX) });
    expect(participantName(7)).toHaveProperty('error');
  });
});
