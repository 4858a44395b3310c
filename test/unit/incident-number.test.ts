import {
  formatIncidentNumber,
  INCIDENT_NUMBER_PATTERN,
  isIncidentNumber,
  MAX_INCIDENT_SEQUENCE,
} from '../../src/domain/incident-number';

describe('formatIncidentNumber', () => {
  test.each([
    [1, 'INC0000001'],
    [9, 'INC0000009'],
    [10001, 'INC0010001'],
    [1234567, 'INC1234567'],
    [9999999, 'INC9999999'],
  ])('%p -> %s', (seq, expected) => {
    expect(formatIncidentNumber(seq)).toBe(expected);
    expect(isIncidentNumber(formatIncidentNumber(seq))).toBe(true);
  });

  test.each([
    [0, /between 1 and 9999999/],
    [-1, /between 1 and 9999999/],
    [MAX_INCIDENT_SEQUENCE + 1, /between 1 and 9999999, got 10000000/],
    [1.5, /must be an integer, got 1.5/],
    [NaN, /must be an integer, got NaN/],
    [Infinity, /must be an integer/],
    ['10001' as unknown as number, /must be an integer/],
  ])('throws for %p', (seq, message) => {
    expect(() => formatIncidentNumber(seq)).toThrow(message);
  });
});

describe('isIncidentNumber', () => {
  test.each([
    ['INC0010001', true],
    ['INC0000000', true],
    ['INC9999999', true],
    ['inc0010001', false],
    ['Inc0010001', false],
    ['INC001000', false],
    ['INC00100012', false],
    [' INC0010001', false],
    ['INC0010001\n', false],
    ['Re: INC0010001', false],
    ['INC00100a1', false],
    ['INC００１０００１', false], // full-width digits are not \d
    ['', false],
    [undefined as unknown as string, false],
  ])('%p -> %p', (text, expected) => {
    expect(isIncidentNumber(text)).toBe(expected);
  });
});

describe('INCIDENT_NUMBER_PATTERN', () => {
  test('is not global, so repeated tests carry no lastIndex state', () => {
    expect(INCIDENT_NUMBER_PATTERN.global).toBe(false);
    expect(INCIDENT_NUMBER_PATTERN.sticky).toBe(false);
  });

  test.each([
    ['Re: INC0010001 printer broken', 'INC0010001'],
    ['Re: [INC0010001] printer broken', 'INC0010001'],
    ['INC0010001', 'INC0010001'],
    ['(INC0010001)', 'INC0010001'],
    ['Ticket INC0010001: INC0010002', 'INC0010001'],
    ['ref:INC1234567.', 'INC1234567'],
    ['XINC0010001', null],
    ['INC00100012', null],
    ['INC001000', null],
    ['inc0010001', null],
    ['INC0010001abc', null],
    ['_INC0010001', null],
    ['no number here', null],
  ])('in %p finds %p', (subject, expected) => {
    const match = INCIDENT_NUMBER_PATTERN.exec(subject);
    expect(match ? match[0] : null).toBe(expected);
  });
});
