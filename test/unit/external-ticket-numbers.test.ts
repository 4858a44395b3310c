// Other helpdesks' ticket numbers: the configured patterns are checked at start, found in a bounded part of
// the mail, never taken for our own numbers (nor ours for theirs), and matched after our own clues.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EXTERNAL_NUMBERS_MAX,
  findExternalNumbers,
  isExternalNumber,
  parseExternalTicketPatterns,
  withoutExternalNumbers,
} from '../../src/domain/external-ticket-numbers';
import { decideThread, replyClues } from '../../src/domain/reply-detection';

const EXAMPLE = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'external-ticket-patterns.example.json'), 'utf8'));
const patterns = parseExternalTicketPatterns(EXAMPLE);
const clues = (subject: string, body = '') => replyClues({ inReplyTo: null, references: [], subject, body }, patterns);

describe('the configured patterns', () => {
  test('the documented example is valid: a name, a pattern, and whether the body is read', () => {
    expect(patterns.map((p) => [p.system, p.body])).toEqual([['acme', false], ['vendor', true], ['carrier', false]]);
  });

  test.each([
    ['not an array', { system: 'acme' }, /expected a JSON array/],
    ['too many', Array.from({ length: 21 }, (_, i) => ({ system: `s${i}`, pattern: `X${i}-\\d+` })), /21 patterns, at most 20/],
    ['not an object', ['\\d+'], /entry 1: expected an object/],
    ['an upper-case name', [{ system: 'Acme', pattern: 'A-\\d+' }], /entry 1: system must be 1 to 40 lower-case/],
    ['a long name', [{ system: 'a'.repeat(41), pattern: 'A-\\d+' }], /entry 1: system must be/],
    ['a name twice', [{ system: 'a', pattern: 'A-\\d+' }, { system: 'a', pattern: 'B-\\d+' }], /entry 2: system a is named twice/],
    ['an unknown field', [{ system: 'a', pattern: 'A-\\d+', flags: 'i' }], /entry 1: unknown field "flags"/],
    ['body not a boolean', [{ system: 'a', pattern: 'A-\\d+', body: 'yes' }], /entry 1 \(a\): body must be true or false/],
    ['no pattern', [{ system: 'a' }], /entry 1 \(a\): pattern: regular expression must be a string/],
    ['a backreference', [{ system: 'a', pattern: '(A)-\\1' }], /entry 1 \(a\): pattern: invalid regular expression.*backreferences are not supported/],
    ['a lookahead', [{ system: 'a', pattern: 'A(?=-)' }], /lookahead and lookbehind are not supported/],
    ['a long pattern', [{ system: 'a', pattern: 'x'.repeat(1001) }], /1001 characters long, at most 1000/],
    ['a huge program', [{ system: 'a', pattern: '(\\pL+\\s?){1,900}' }], /too complex/],
    ['one that matches nothing at all', [{ system: 'a', pattern: 'A?' }], /entry 1 \(a\): pattern matches an empty text/],
  ])('refused: %s', (_what, value, error) => {
    expect(() => parseExternalTicketPatterns(value)).toThrow(error);
  });

  test.each([
    ['INC\\d{7}', 'INC0010001'],
    ['(?i)\\[inc(\\d+)\\]', '[INC0010001]'],
    ['\\[(\\w+)\\] Printer', 'Re: [INC0010001] Printer'],
    ['ref:(\\w+)', '[ref:INC0010001]'],
  ])('a pattern that would take our own numbers (%s) is refused at start, naming what it matched', (pattern, ours) => {
    expect(() => parseExternalTicketPatterns([{ system: 'other', pattern }])).toThrow(`matches our own incident numbers (${JSON.stringify(ours)})`);
  });
});

describe('finding their numbers', () => {
  test('in the subject: the group named number, else the first group', () => {
    expect(findExternalNumbers(patterns, { subject: 'Re: [ACME INC0012345] Disk full (Case #00123456)', body: '' })).toEqual([
      { system: 'acme', number: 'INC0012345' },
      { system: 'carrier', number: '00123456' },
    ]);
  });

  test('in the body only for a pattern that asks, and only in its first 2000 characters', () => {
    const body = 'Thanks, see [VENDOR-123456] and [ACME INC0012345]';
    expect(findExternalNumbers(patterns, { subject: 'Disk', body })).toEqual([{ system: 'vendor', number: '123456' }]);
    expect(findExternalNumbers(patterns, { subject: 'Disk', body: `${'x'.repeat(2000)}[VENDOR-123456]` })).toEqual([]);
  });

  test('distinct, and at most five whatever the mail holds', () => {
    const subject = Array.from({ length: 50 }, (_, i) => `[VENDOR-${String(100000 + (i % 7)).padStart(6, '0')}]`).join(' ');
    const found = findExternalNumbers(patterns, { subject, body: subject });
    expect(found).toHaveLength(EXTERNAL_NUMBERS_MAX);
    expect(new Set(found.map((n) => n.number)).size).toBe(EXTERNAL_NUMBERS_MAX);
  });

  test('a capture longer than 100 characters, or holding control characters, is no number', () => {
    const loose = parseExternalTicketPatterns([{ system: 'loose', pattern: '\\[LOOSE ([^\\]]+)\\]' }]);
    expect(findExternalNumbers(loose, { subject: `[LOOSE ${'7'.repeat(101)}]`, body: '' })).toEqual([]);
    expect(findExternalNumbers(loose, { subject: '[LOOSE 12\u000734]', body: '' })).toEqual([]);
    expect(findExternalNumbers(loose, { subject: '[LOOSE 1234]', body: '' })).toEqual([{ system: 'loose', number: '1234' }]);
  });

  test('a match that is nothing but one of our numbers is ours, whatever the pattern says', () => {
    // Valid at start (none of the ways our mail writes our numbers has parentheses), yet a customer's
    // "(INC0010001)" is our number, not theirs.
    const sloppy = parseExternalTicketPatterns([{ system: 'sloppy', pattern: '\\((INC\\d{7}|T-\\d+)\\)' }]);
    const found = replyClues({ inReplyTo: null, references: [], subject: 'Re: (INC0010001) and (T-42)', body: '' }, sloppy);
    expect(found.subjectNumber).toBe('INC0010001');
    expect(found.externalNumbers).toEqual([{ system: 'sloppy', number: 'T-42' }]);
  });

  test('a hostile pattern on a huge subject and body ends at once (RE2, bounded input)', () => {
    const hostile = parseExternalTicketPatterns([{ system: 'hostile', pattern: '(a+)+b', body: true }]);
    const huge = 'a'.repeat(1_000_000);
    const started = Date.now();
    expect(findExternalNumbers(hostile, { subject: huge, body: huge })).toEqual([]);
    expect(replyClues({ inReplyTo: null, references: [], subject: huge, body: huge }, hostile).externalNumbers).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('what a lookup or signal brings back is checked', () => {
    expect(isExternalNumber({ system: 'acme', number: 'INC0012345' })).toBe(true);
    expect(isExternalNumber({ system: 'ACME', number: '1' })).toBe(false);
    expect(isExternalNumber({ system: 'acme', number: '' })).toBe(false);
    expect(isExternalNumber({ system: 'acme', number: 'x'.repeat(101) })).toBe(false);
    expect(isExternalNumber({ system: 'acme', number: 'a\nb' })).toBe(false);
    expect(isExternalNumber('acme 1')).toBe(false);
  });
});

describe('theirs and ours never mix', () => {
  test('another instance\'s INC number in its own tag is theirs, never our INC0012345', () => {
    const found = clues('Re: [ACME INC0012345] Disk full');
    expect(found.subjectNumber).toBeNull();
    expect(found.externalNumbers).toEqual([{ system: 'acme', number: 'INC0012345' }]);
  });

  test('beside our own number, both are clues', () => {
    const found = clues('Re: [INC0010001] [ACME INC0012345] Disk full');
    expect(found.subjectNumber).toBe('INC0010001');
    expect(found.externalNumbers).toEqual([{ system: 'acme', number: 'INC0012345' }]);
  });

  test('our number stays ours when a tag before the reply prefix is theirs', () => {
    expect(clues('[VENDOR-123456] Re: [INC0010001] Disk').subjectNumber).toBe('INC0010001');
    expect(clues('[VENDOR-123456] Re: [INC0010001] Disk').externalNumbers).toEqual([{ system: 'vendor', number: '123456' }]);
  });

  test('the blanking keeps lengths, so what follows a match is read where it was', () => {
    expect(withoutExternalNumbers(patterns, 'x[ACME INC0012345]INC0010001 y')).toBe(`x${' '.repeat(17)}INC0010001 y`);
  });

  test('without configured patterns the clues are what they were (no externalNumbers field)', () => {
    expect(replyClues({ inReplyTo: null, references: [], subject: 'Re: [ACME INC0012345] Disk', body: '' })).toEqual({
      messageIds: [],
      sesIds: [],
      watermarkNumbers: [],
      subjectNumber: 'INC0012345',
      reply: true,
      forward: false,
    });
  });
});

describe('which clue wins', () => {
  const none = { byMessageId: null, byWatermark: null, bySubject: null };
  const reply = { forward: false };

  test('our own clues before theirs', () => {
    expect(decideThread(reply, { ...none, bySubject: 'INC0010001', byExternalNumber: 'INC0010002' })).toEqual({ incidentNumber: 'INC0010001', via: 'subject' });
    expect(decideThread(reply, { ...none, byMessageId: 'INC0010003', byExternalNumber: 'INC0010002' })).toEqual({ incidentNumber: 'INC0010003', via: 'references' });
    expect(decideThread(reply, { ...none, byWatermark: 'INC0010004', byExternalNumber: 'INC0010002' })).toEqual({ incidentNumber: 'INC0010004', via: 'watermark' });
  });

  test('theirs alone names the incident that recorded it', () => {
    expect(decideThread(reply, { ...none, byExternalNumber: 'INC0010002' })).toEqual({ incidentNumber: 'INC0010002', via: 'external' });
  });

  test('a forward names no thread, and a lookup made before external numbers (none found) names none', () => {
    expect(decideThread({ forward: true }, { ...none, byExternalNumber: 'INC0010002' })).toBeNull();
    expect(decideThread(reply, none)).toBeNull();
    expect(decideThread(reply, { ...none, byExternalNumber: 'not a number' })).toBeNull();
  });
});
