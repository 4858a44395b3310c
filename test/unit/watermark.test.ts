import { findWatermarks, WATERMARK_RESULTS_MAX, WATERMARK_SCAN_LIMIT, watermarkFor } from '../../src/domain/watermark';

describe('watermarkFor', () => {
  test.each([
    ['INC0010001', '[ref:INC0010001]'],
    ['INC0000001', '[ref:INC0000001]'],
    ['INC9999999', '[ref:INC9999999]'],
  ])('%s -> %s', (number, expected) => {
    expect(watermarkFor(number)).toBe(expected);
    expect(findWatermarks(`Thanks!\n\n${watermarkFor(number)}`)).toEqual([number]);
  });

  test.each([
    [''],
    ['INC001'],
    ['INC00100011'],
    ['inc0010001'],
    [' INC0010001'],
    ['INC0010001 '],
    ['INC0010001]'],
    ['[ref:INC0010001]'],
    ['INC001000a'],
    [null as unknown as string],
    [10001 as unknown as string],
  ])('throws for %p', (value) => {
    expect(() => watermarkFor(value)).toThrow(/Invalid incident number/);
  });
});

describe('findWatermarks', () => {
  test.each<[string, string, string[]]>([
    ['empty', '', []],
    ['no watermark', 'My printer is broken.', []],
    ['one', 'Hello [ref:INC0010001] there', ['INC0010001']],
    ['alone', '[ref:INC0010001]', ['INC0010001']],
    ['quoted', 'Still broken.\n\n> Dear Anna,\n> ...\n> [ref:INC0010001]\n', ['INC0010001']],
    ['deeply quoted', '>>> [ref:INC0010001]', ['INC0010001']],
    ['twice, once reported', '[ref:INC0010001] and again [ref:INC0010001]', ['INC0010001']],
    ['two, in order of appearance', '[ref:INC0010002]\n> [ref:INC0010001]\n>> [ref:INC0010002]', ['INC0010002', 'INC0010001']],
    ['glued to text', 'x[ref:INC0010001]y', ['INC0010001']],
    ['a broken one before a good one', '[ref:[ref:INC0010001]', ['INC0010001']],
    ['upper-case REF', '[REF:INC0010001]', []],
    ['lower-case inc', '[ref:inc0010001]', []],
    ['space after colon', '[ref: INC0010001]', []],
    ['space before bracket', '[ref:INC0010001 ]', []],
    ['six digits', '[ref:INC001000]', []],
    ['eight digits', '[ref:INC00100011]', []],
    ['no closing bracket', '[ref:INC0010001', []],
    ['no opening bracket', 'ref:INC0010001]', []],
    ['other tag', '[id:INC0010001]', []],
    ['bare number (that is the subject rule, not the watermark)', 'INC0010001', []],
    ['letters in the digits', '[ref:INC00100O1]', []],
  ])('%s', (_label, text, expected) => {
    expect(findWatermarks(text)).toEqual(expected);
  });

  test(`at most ${WATERMARK_RESULTS_MAX} distinct numbers, the first ones`, () => {
    const numbers = Array.from({ length: 15 }, (_, i) => `INC00100${String(i + 10).padStart(2, '0')}`);
    const text = numbers.map((n) => `> [ref:${n}]`).join('\n');
    expect(findWatermarks(text)).toEqual(numbers.slice(0, WATERMARK_RESULTS_MAX));
  });

  test('repeats do not use up the ten places', () => {
    const text = '[ref:INC0010001] '.repeat(50) + '[ref:INC0010002]';
    expect(findWatermarks(text)).toEqual(['INC0010001', 'INC0010002']);
  });

  test('only the first 200,000 characters are searched', () => {
    expect(WATERMARK_SCAN_LIMIT).toBe(200_000);
    const mark = '[ref:INC0010001]';
    expect(findWatermarks('x'.repeat(WATERMARK_SCAN_LIMIT - mark.length) + mark)).toEqual(['INC0010001']);
    expect(findWatermarks('x'.repeat(WATERMARK_SCAN_LIMIT - mark.length + 1) + mark)).toEqual([]);
    expect(findWatermarks('x'.repeat(5 * WATERMARK_SCAN_LIMIT) + mark)).toEqual([]);
  });

  test('non-string input finds nothing', () => {
    expect(findWatermarks(undefined as unknown as string)).toEqual([]);
    expect(findWatermarks(null as unknown as string)).toEqual([]);
  });

  // Big enough that a backtracking scan would hang the run.
  test.each<[string, string]>([
    ['100k "[ref:"', '[ref:'.repeat(100_000)],
    ['100k "[ref:INC"', '[ref:INC'.repeat(100_000)],
    ['50k "[ref:INC0010001" without the bracket', '[ref:INC0010001'.repeat(50_000)],
    ['1M "["', '['.repeat(1_000_000)],
  ])('hostile: %s', (_label, text) => {
    expect(findWatermarks(text)).toEqual([]);
  });
});
