import {
  decideThread,
  MESSAGE_ID_MAX,
  normaliseMessageId,
  replyClues,
  ReplyClueInput,
  ReplyClues,
  REPLY_MESSAGE_IDS_MAX,
  sesIdFromMessageId,
  ThreadLookup,
  ThreadMatch,
} from '../../src/domain/reply-detection';

describe('normaliseMessageId', () => {
  test.each<[string, string | null]>([
    ['<abc@example.com>', 'abc@example.com'],
    ['abc@example.com', 'abc@example.com'],
    ['  <abc@example.com>  ', 'abc@example.com'],
    ['< abc@example.com >', 'abc@example.com'],
    ['<abc@example.com', 'abc@example.com'],
    ['abc@example.com>', 'abc@example.com'],
    ['<CAF=x+Y_z.1@mail.gmail.com>', 'CAF=x+Y_z.1@mail.gmail.com'],
    ['<0102018b2f3c4d5e-aaaa-bbbb-cccc-000000@eu-west-1.amazonses.com>', '0102018b2f3c4d5e-aaaa-bbbb-cccc-000000@eu-west-1.amazonses.com'],
    ['<no-at-sign>', 'no-at-sign'],
    ['<' + 'a'.repeat(MESSAGE_ID_MAX) + '>', 'a'.repeat(MESSAGE_ID_MAX)],
    // rejected
    ['', null],
    ['   ', null],
    ['<>', null],
    ['< >', null],
    ['<' + 'a'.repeat(MESSAGE_ID_MAX + 1) + '>', null],
    ['<a b@example.com>', null],
    ['<a\tb@example.com>', null],
    ['<ab@example.com>\r\n<cd@example.com>', null],
    ['<a\u0000b@example.com>', null],
    ['<a\u007fb@example.com>', null],
    ['<a\u0085b@example.com>', null],
    ['<a\u2028b@example.com>', null],
    ['<a@x><b@y>', null],
    ['<<a@x>>', null],
    [null as unknown as string, null],
    [42 as unknown as string, null],
  ])('%j -> %j', (input, expected) => {
    expect(normaliseMessageId(input)).toBe(expected);
  });
});

describe('sesIdFromMessageId', () => {
  test.each<[string, string | null]>([
    ['<0100018b2f3c4d5e-1234@email.amazonses.com>', '0100018b2f3c4d5e-1234'],
    ['<0102018b2f3c4d5e-1234-000000@eu-west-1.amazonses.com>', '0102018b2f3c4d5e-1234-000000'],
    ['0102018b@us-east-1.amazonses.com', '0102018b'],
    ['<o3vrnil0e2ic28trm7dfhrc2v0c@amazonses.com>', 'o3vrnil0e2ic28trm7dfhrc2v0c'],
    ['<ABC@EU-WEST-1.AMAZONSES.COM>', 'ABC'],
    // not SES
    ['<abc@example.com>', null],
    ['<abc@amazonses.com.evil.example>', null],
    ['<abc@notamazonses.com>', null],
    ['<abc@evilamazonses.com>', null],
    ['<abc@amazonses.co>', null],
    ['<@email.amazonses.com>', null],
    ['<a@b@email.amazonses.com>', null],
    ['<abc@.amazonses.com>', null],
    ['<abc@eu-west-1..amazonses.com>', null],
    ['<abc>', null],
    ['', null],
    ['<a b@email.amazonses.com>', null],
  ])('%j -> %j', (input, expected) => {
    expect(sesIdFromMessageId(input)).toBe(expected);
  });
});

function email(overrides: Partial<ReplyClueInput> = {}): ReplyClueInput {
  return { inReplyTo: null, references: [], subject: 'Printer jam', body: 'It is broken.', ...overrides };
}

describe('replyClues: message ids', () => {
  test('In-Reply-To first, then References newest (last) first, distinct', () => {
    const clues = replyClues(
      email({
        inReplyTo: '<c@example.com>',
        references: ['<a@example.com>', '<b@example.com>', '<c@example.com>'],
      }),
    );
    expect(clues.messageIds).toEqual(['c@example.com', 'b@example.com', 'a@example.com']);
  });

  test.each<[string, Partial<ReplyClueInput>, string[]]>([
    ['nothing', {}, []],
    ['only In-Reply-To', { inReplyTo: '<x@example.com>' }, ['x@example.com']],
    ['only References', { references: ['<a@x>', '<b@x>'] }, ['b@x', 'a@x']],
    ['In-Reply-To not in References', { inReplyTo: '<z@x>', references: ['<a@x>', '<b@x>'] }, ['z@x', 'b@x', 'a@x']],
    ['invalid ones skipped', { inReplyTo: '<>', references: ['<a@x>', '< >', '', '<b c@x>', '<d@x>'] }, ['d@x', 'a@x']],
    ['several ids in one References entry', { references: ['<a@x> <b@x>\r\n <c@x>'] }, ['c@x', 'b@x', 'a@x']],
    ['ids without brackets, space separated', { references: ['a@x b@x'] }, ['b@x', 'a@x']],
    ['old-style In-Reply-To with text around the id', { inReplyTo: 'Your message of Tue, 1 Oct 2024 <old@x> (Anna)' }, ['old@x']],
    ['In-Reply-To with two ids', { inReplyTo: '<one@x> <two@x>' }, ['one@x', 'two@x']],
    ['duplicates across entries', { references: ['<a@x>', '<a@x>', '<b@x>', '<a@x>'] }, ['a@x', 'b@x']],
    ['non-string entries ignored', { references: [null as unknown as string, '<a@x>', 7 as unknown as string] }, ['a@x']],
    ['references not an array', { references: undefined as unknown as string[] }, []],
  ])('%s', (_label, overrides, expected) => {
    expect(replyClues(email(overrides)).messageIds).toEqual(expected);
  });

  test(`at most ${REPLY_MESSAGE_IDS_MAX}, the newest`, () => {
    const references = Array.from({ length: 120 }, (_, i) => `<m${i}@example.com>`);
    const clues = replyClues(email({ inReplyTo: '<m119@example.com>', references }));
    expect(clues.messageIds).toHaveLength(REPLY_MESSAGE_IDS_MAX);
    expect(clues.messageIds[0]).toBe('m119@example.com');
    expect(clues.messageIds[1]).toBe('m118@example.com');
    expect(clues.messageIds[REPLY_MESSAGE_IDS_MAX - 1]).toBe(`m${120 - REPLY_MESSAGE_IDS_MAX}@example.com`);
  });

  test('SES ids come from the message ids, in the same order', () => {
    const clues = replyClues(
      email({
        inReplyTo: '<0102018b-bbbb-000000@eu-west-1.amazonses.com>',
        references: [
          '<CAF-original@mail.gmail.com>',
          '<0102018b-aaaa-000000@eu-west-1.amazonses.com>',
          '<reply-1@our.example>',
          '<0102018b-bbbb-000000@eu-west-1.amazonses.com>',
        ],
      }),
    );
    expect(clues.messageIds).toEqual([
      '0102018b-bbbb-000000@eu-west-1.amazonses.com',
      'reply-1@our.example',
      '0102018b-aaaa-000000@eu-west-1.amazonses.com',
      'CAF-original@mail.gmail.com',
    ]);
    expect(clues.sesIds).toEqual(['0102018b-bbbb-000000', '0102018b-aaaa-000000']);
  });

  test('no SES ids when no message id is from SES', () => {
    expect(replyClues(email({ inReplyTo: '<a@example.com>' })).sesIds).toEqual([]);
  });
});

describe('replyClues: subject number, reply and forward', () => {
  test.each<[string, string | null, boolean, boolean]>([
    ['Re: [INC0010001] Printer jam', 'INC0010001', true, false],
    ['RE: INC0010001 Printer jam', 'INC0010001', true, false],
    ['AW: Printer jam (INC0010001)', 'INC0010001', true, false],
    ['Re: Ticket#INC0010001: Printer', 'INC0010001', true, false],
    ['Re[2]: Re:INC0010001', 'INC0010001', true, false],
    ['[INC0010001] Re: Printer jam', 'INC0010001', true, false],
    ['[EXTERNAL] RE: [INC0010001] Printer', 'INC0010001', true, false],
    ['[INC0010001] Printer jam', 'INC0010001', false, false],
    ['INC0010001', 'INC0010001', false, false],
    ['Re: [INC0010002] and [INC0010001]', 'INC0010002', true, false],
    ['Fwd: [INC0010001] Printer jam', 'INC0010001', false, true],
    ['WG: AW: [INC0010001] Printer jam', 'INC0010001', false, true],
    ['Re: Fwd: [INC0010001] Printer jam', 'INC0010001', true, false],
    ['Re: Printer jam', null, true, false],
    ['Printer jam', null, false, false],
    ['', null, false, false],
    ['Re: XINC0010001', null, true, false],
    ['Re: INC00100012', null, true, false],
    ['Re: INC001000', null, true, false],
    ['Re: inc0010001', null, true, false],
    ['Re: INC_0010001', null, true, false],
  ])('%j -> %j', (subject, number, isReply, isForward) => {
    const clues = replyClues(email({ subject }));
    expect(clues.subjectNumber).toBe(number);
    expect(clues.reply).toBe(isReply);
    expect(clues.forward).toBe(isForward);
  });
});

describe('replyClues: watermarks', () => {
  test.each<[string, string[]]>([
    ['Still broken.\n\n> [ref:INC0010001]', ['INC0010001']],
    ['[ref:INC0010002] [ref:INC0010001] [ref:INC0010002]', ['INC0010002', 'INC0010001']],
    ['no watermark', []],
    ['[ref:INC001]', []],
  ])('%j -> %j', (body, expected) => {
    expect(replyClues(email({ body })).watermarkNumbers).toEqual(expected);
  });
});

describe('replyClues: hostile input comes back', () => {
  // Big enough that a backtracking regex would hang the run.
  test('huge headers, subject and body', () => {
    const clues = replyClues({
      inReplyTo: '<' + 'a'.repeat(200_000),
      references: ['<'.repeat(200_000), '<a'.repeat(100_000), 'x '.repeat(100_000), ...Array.from({ length: 10_000 }, (_, i) => `<r${i}@x>`)],
      subject: 'Re: '.repeat(100_000) + '[INC0010001]',
      body: '[ref:'.repeat(100_000),
    });
    expect(clues.messageIds).toHaveLength(REPLY_MESSAGE_IDS_MAX);
    expect(clues.messageIds[0]).toBe('r9999@x');
    expect(clues.reply).toBe(true);
    expect(clues.subjectNumber).toBeNull(); // beyond the first 1000 characters of the base
    expect(clues.watermarkNumbers).toEqual([]);
  });

  test('a References header of invalid ids is not scanned without end', () => {
    const clues = replyClues(email({ references: [...Array.from({ length: 100_000 }, () => '< >'), '<first@x>'].reverse() }));
    // The valid id is the oldest, behind 100,000 invalid ones: the scan stops first.
    expect(clues.messageIds).toEqual([]);
  });

  test('a subject of brackets', () => {
    const clues = replyClues(email({ subject: 'Re' + '['.repeat(100_000) }));
    expect(clues).toMatchObject({ subjectNumber: null, reply: false, forward: false });
  });
});

describe('decideThread', () => {
  const none: ThreadLookup = { byMessageId: null, byWatermark: null, bySubject: null };
  const clues = (over: Partial<ReplyClues> = {}): ReplyClues => ({
    messageIds: [],
    sesIds: [],
    watermarkNumbers: [],
    subjectNumber: null,
    reply: true,
    forward: false,
    ...over,
  });

  test.each<[string, Partial<ReplyClues>, Partial<ThreadLookup>, ThreadMatch | null]>([
    ['nothing found', {}, {}, null],
    ['references', {}, { byMessageId: 'INC0010001' }, { incidentNumber: 'INC0010001', via: 'references' }],
    ['watermark', {}, { byWatermark: 'INC0010002' }, { incidentNumber: 'INC0010002', via: 'watermark' }],
    ['subject', {}, { bySubject: 'INC0010003' }, { incidentNumber: 'INC0010003', via: 'subject' }],
    [
      'references beat watermark and subject',
      {},
      { byMessageId: 'INC0010001', byWatermark: 'INC0010002', bySubject: 'INC0010003' },
      { incidentNumber: 'INC0010001', via: 'references' },
    ],
    [
      'watermark beats subject',
      {},
      { byWatermark: 'INC0010002', bySubject: 'INC0010003' },
      { incidentNumber: 'INC0010002', via: 'watermark' },
    ],
    ['no reply prefix is fine (clients that drop it)', { reply: false }, { bySubject: 'INC0010003' }, { incidentNumber: 'INC0010003', via: 'subject' }],
    ['forward with a subject match: new incident', { forward: true, reply: false }, { bySubject: 'INC0010003' }, null],
    ['forward with a watermark: new incident', { forward: true, reply: false }, { byWatermark: 'INC0010002' }, null],
    [
      'forward naming our message in In-Reply-To: still a new incident',
      { forward: true, reply: false },
      { byMessageId: 'INC0010001', byWatermark: 'INC0010001', bySubject: 'INC0010001' },
      null,
    ],
    ['a lookup result that is not an incident number is ignored', {}, { byMessageId: 'garbage', bySubject: 'INC0010003' }, { incidentNumber: 'INC0010003', via: 'subject' }],
    ['empty strings are nothing', {}, { byMessageId: '', byWatermark: '', bySubject: '' }, null],
  ])('%s', (_label, over, found, expected) => {
    expect(decideThread(clues(over), { ...none, ...found })).toEqual(expected);
  });

  test('end to end: a reply by subject, a forward of the same', () => {
    const reply = replyClues(email({ subject: 'AW: [INC0010001] Printer jam' }));
    expect(decideThread(reply, { ...none, bySubject: reply.subjectNumber })).toEqual({ incidentNumber: 'INC0010001', via: 'subject' });
    const fwd = replyClues(email({ subject: 'WG: [INC0010001] Printer jam' }));
    expect(decideThread(fwd, { ...none, bySubject: fwd.subjectNumber })).toBeNull();
  });
});

test('the message ids of the clues stay within 2000 characters, In-Reply-To first, whatever References holds', () => {
  const long = (i: number) => `<${'m'.repeat(230)}${i}@x.example>`;
  const clues = replyClues({ inReplyTo: '<first@customer.example>', references: Array.from({ length: 4000 }, (_, i) => long(i)), subject: '', body: '' });
  expect(clues.messageIds[0]).toBe('first@customer.example');
  expect(clues.messageIds.join('').length).toBeLessThanOrEqual(2000);
  expect(clues.messageIds[1]).toBe(long(3999).slice(1, -1));
});
