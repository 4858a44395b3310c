import {
  NO_SUBJECT,
  oneLine,
  SHORT_DESCRIPTION_MAX,
  shortDescriptionFrom,
  truncate,
} from '../../src/domain/short-description';

const codePoints = (s: string): number => Array.from(s).length;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('shortDescriptionFrom', () => {
  test.each<[string, string | null | undefined, string, string]>([
    ['the subject as it is', 'Printer on floor 3 is down', 'body', 'Printer on floor 3 is down'],
    ['whitespace trimmed and collapsed', '  Printer \t on   floor 3  ', 'body', 'Printer on floor 3'],
    ['CR/LF folded into one line', 'Printer\r\n on floor 3', 'body', 'Printer on floor 3'],
    ['header injection attempt flattened', 'Hi\r\nBcc: victim@example.com', '', 'Hi Bcc: victim@example.com'],
    ['NUL and other control characters removed', 'Print\u0000er\u0007 down\u001b', '', 'Print er down'],
    ['DEL and C1 controls removed', 'a\u007fb\u0085c\u009fd', '', 'a b c d'],
    ['line and paragraph separators removed', 'a\u2028b\u2029c', '', 'a b c'],
    ['null subject: first non-empty body line', null, '\r\n   \r\n\tFirst real line  \r\nsecond', 'First real line'],
    ['undefined subject: body', undefined, 'Only line', 'Only line'],
    ['empty subject: body', '', '\n\nHello there\n', 'Hello there'],
    ['blank subject: body', '  \r\n\t ', 'Body line', 'Body line'],
    ['control-only subject: body', '\u0000\u0001', 'Body line', 'Body line'],
    ['control-only body lines are skipped', '', '\u0000\n\u0007\u0008\nReal', 'Real'],
    ['no subject and empty body', null, '', NO_SUBJECT],
    ['no subject and blank body', '', ' \r\n \n\t\n', NO_SUBJECT],
    ['unicode kept', 'Drucker im 3. Stock – défaillance 🖨️', '', 'Drucker im 3. Stock – défaillance 🖨️'],
  ])('%s', (_name, subject, body, expected) => {
    expect(shortDescriptionFrom(subject, body)).toBe(expected);
  });

  test('NO_SUBJECT is the documented fallback', () => {
    expect(NO_SUBJECT).toBe('(no subject)');
    expect(SHORT_DESCRIPTION_MAX).toBe(160);
  });

  test.each([
    ['exactly 160 characters: kept whole', 'a'.repeat(160), 'a'.repeat(160)],
    ['161 characters: cut to 159 + ellipsis', 'a'.repeat(161), 'a'.repeat(159) + '…'],
    ['a long body line is cut too', 'b'.repeat(500), 'b'.repeat(159) + '…'],
  ])('%s', (_name, text, expected) => {
    expect(shortDescriptionFrom(text, '')).toBe(expected);
    expect(shortDescriptionFrom(null, text)).toBe(expected);
  });

  test.each([
    ['ASCII words', 'Printer on floor 3 is down again '.repeat(20)],
    ['no spaces', 'x'.repeat(10000)],
    ['emoji (surrogate pairs)', '😀'.repeat(400)],
    ['emoji after an odd offset', 'a' + '😀'.repeat(400)],
    ['emoji and words', 'Help 🖨️ '.repeat(100)],
    ['CJK', '打印机坏了'.repeat(100)],
    ['line breaks every few characters', 'abc\r\n'.repeat(200)],
  ])('never more than 160 characters, never a split surrogate: %s', (_name, text) => {
    for (const result of [shortDescriptionFrom(text, ''), shortDescriptionFrom(null, text)]) {
      expect(codePoints(result)).toBeLessThanOrEqual(SHORT_DESCRIPTION_MAX);
      expect(result.length).toBeGreaterThan(0);
      expect(result).not.toMatch(LONE_SURROGATE);
      expect(result).not.toMatch(/[\r\n\u0000-\u001f]/);
    }
  });

  test('a cut between surrogate pairs keeps whole emoji', () => {
    const result = shortDescriptionFrom('😀'.repeat(200), '');
    expect(result).toBe('😀'.repeat(159) + '…');
    expect(codePoints(result)).toBe(160);
  });

  test('a cut prefers the last word boundary when it is near the end', () => {
    const subject = 'word '.repeat(40); // 200 characters, trimmed to 199
    const result = shortDescriptionFrom(subject, '');
    expect(result.endsWith('word…')).toBe(true);
    expect(codePoints(result)).toBeLessThanOrEqual(SHORT_DESCRIPTION_MAX);
  });

  test('a cut does not fall back to a word boundary far from the end', () => {
    const subject = 'short ' + 'x'.repeat(300);
    expect(shortDescriptionFrom(subject, '')).toBe(('short ' + 'x'.repeat(300)).slice(0, 159) + '…');
  });
});

describe('oneLine and truncate', () => {
  test.each([
    ['a\r\nb', 'a b'],
    ['\t a \t', 'a'],
    ['a\u0000\u0000b', 'a b'],
    ['', ''],
    ['\u0000', ''],
  ])('oneLine(%p) -> %p', (text, expected) => {
    expect(oneLine(text)).toBe(expected);
  });

  test.each([
    ['abc', 3, 'abc'],
    ['abcd', 3, 'ab…'],
    ['😀😀😀', 3, '😀😀😀'],
    ['😀😀😀😀', 3, '😀😀…'],
    ['ab cdefghij', 10, 'ab cdefgh…'],
    ['abcdefg hij', 10, 'abcdefg…'],
  ])('truncate(%p, %p) -> %p', (text, max, expected) => {
    expect(truncate(text, max)).toBe(expected);
  });
});
