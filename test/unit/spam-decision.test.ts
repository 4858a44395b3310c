import {
  decideSpam,
  DEFAULT_SPAM_THRESHOLD,
  parseVerdict,
  SPAM_WEIGHTS,
  verdictsFrom,
} from '../../src/domain/spam-decision';
import type { SesVerdicts } from '../../src/domain/types';

const CLEAN: SesVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const with_ = (changes: Partial<SesVerdicts>): SesVerdicts => ({ ...CLEAN, ...changes });

describe('SPAM_WEIGHTS and defaults', () => {
  test('weights are the documented ones', () => {
    expect(SPAM_WEIGHTS).toEqual({
      spam: { FAIL: 10, GRAY: 3, PROCESSING_FAILED: 1 },
      spf: { FAIL: 2 },
      dkim: { FAIL: 2 },
      dmarc: { FAIL: 4 },
    });
    expect(DEFAULT_SPAM_THRESHOLD).toBe(5);
  });
});

describe('decideSpam: score and reasons', () => {
  test.each<[Partial<SesVerdicts>, number, string[]]>([
    [{}, 0, []],
    [{ spam: 'FAIL' }, 10, ['spam verdict FAIL']],
    [{ spam: 'GRAY' }, 3, ['spam verdict GRAY']],
    [{ spam: 'PROCESSING_FAILED' }, 1, ['spam verdict PROCESSING_FAILED']],
    [{ spam: 'DISABLED' }, 0, []],
    [{ spf: 'FAIL' }, 2, ['spf verdict FAIL']],
    [{ dkim: 'FAIL' }, 2, ['dkim verdict FAIL']],
    [{ dmarc: 'FAIL' }, 4, ['dmarc verdict FAIL']],
    [{ spf: 'GRAY', dkim: 'PROCESSING_FAILED', dmarc: 'DISABLED' }, 0, []],
    [{ spf: 'FAIL', dkim: 'FAIL' }, 4, ['spf verdict FAIL', 'dkim verdict FAIL']],
    [{ spf: 'FAIL', dmarc: 'FAIL' }, 6, ['spf verdict FAIL', 'dmarc verdict FAIL']],
    [
      { spam: 'FAIL', spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' },
      18,
      ['spam verdict FAIL', 'spf verdict FAIL', 'dkim verdict FAIL', 'dmarc verdict FAIL'],
    ],
    [{ spam: 'GRAY', spf: 'FAIL' }, 5, ['spam verdict GRAY', 'spf verdict FAIL']],
  ])('%p scores %p', (changes, score, reasons) => {
    const decision = decideSpam(with_(changes), { threshold: 100, allowlisted: false });
    expect(decision).toEqual({ action: 'accept', score, reasons, allowlisted: false });
  });
});

describe('decideSpam: the decision', () => {
  test.each<[string, Partial<SesVerdicts>, number, boolean, 'accept' | 'quarantine', string[]]>([
    ['clean mail', {}, 5, false, 'accept', []],
    ['one below the threshold', { dmarc: 'FAIL' }, 5, false, 'accept', ['dmarc verdict FAIL']],
    ['exactly at the threshold', { spam: 'GRAY', dkim: 'FAIL' }, 5, false, 'quarantine', ['spam verdict GRAY', 'dkim verdict FAIL']],
    ['above the threshold', { spam: 'FAIL' }, 5, false, 'quarantine', ['spam verdict FAIL']],
    ['a lower threshold', { spam: 'GRAY' }, 3, false, 'quarantine', ['spam verdict GRAY']],
    ['a higher threshold', { spam: 'FAIL' }, 11, false, 'accept', ['spam verdict FAIL']],
    ['threshold 0 quarantines everything', {}, 0, false, 'quarantine', []],
    ['allowlisted spam', { spam: 'FAIL', dmarc: 'FAIL' }, 5, true, 'accept', ['allowlisted sender', 'spam verdict FAIL', 'dmarc verdict FAIL']],
    ['allowlisted clean', {}, 5, true, 'accept', ['allowlisted sender']],
    ['virus', { virus: 'FAIL' }, 5, false, 'quarantine', ['virus']],
    ['virus from an allowlisted sender', { virus: 'FAIL' }, 5, true, 'quarantine', ['virus']],
    ['virus with spam', { virus: 'FAIL', spam: 'FAIL' }, 100, true, 'quarantine', ['virus', 'spam verdict FAIL']],
    ['virus GRAY is not a virus', { virus: 'GRAY' }, 5, false, 'accept', []],
    ['virus PROCESSING_FAILED is not a virus', { virus: 'PROCESSING_FAILED' }, 5, false, 'accept', []],
  ])('%s', (_name, changes, threshold, allowlisted, action, reasons) => {
    const decision = decideSpam(with_(changes), { threshold, allowlisted });
    expect(decision.action).toBe(action);
    expect(decision.reasons).toEqual(reasons);
    expect(decision.allowlisted).toBe(allowlisted);
  });

  test('an allowlisted sender still gets its score', () => {
    expect(decideSpam(with_({ spam: 'FAIL' }), { threshold: 5, allowlisted: true }).score).toBe(10);
  });

  test('the default threshold quarantines a failed spam verdict and accepts a gray one', () => {
    const opts = { threshold: DEFAULT_SPAM_THRESHOLD, allowlisted: false };
    expect(decideSpam(with_({ spam: 'FAIL' }), opts).action).toBe('quarantine');
    expect(decideSpam(with_({ spam: 'GRAY' }), opts).action).toBe('accept');
    expect(decideSpam(with_({ dmarc: 'FAIL', spf: 'FAIL' }), opts).action).toBe('quarantine');
  });

  test.each([NaN, Infinity, -Infinity, '5' as unknown as number])('throws for threshold %p', (threshold) => {
    expect(() => decideSpam(CLEAN, { threshold, allowlisted: false })).toThrow(/threshold must be a finite number/);
  });
});

describe('parseVerdict', () => {
  test.each([
    ['PASS', 'PASS'],
    ['pass', 'PASS'],
    [' Fail ', 'FAIL'],
    ['gray', 'GRAY'],
    ['DISABLED', 'DISABLED'],
    ['processing_failed', 'PROCESSING_FAILED'],
    [{ status: 'PASS' }, 'PASS'],
    [{ status: 'fail' }, 'FAIL'],
    // anything unrecognised, including nothing at all, is PROCESSING_FAILED (never DISABLED)
    [undefined, 'PROCESSING_FAILED'],
    [null, 'PROCESSING_FAILED'],
    ['', 'PROCESSING_FAILED'],
    ['PASSED', 'PROCESSING_FAILED'],
    ['GREY', 'PROCESSING_FAILED'],
    ['PROCESSING FAILED', 'PROCESSING_FAILED'],
    [1, 'PROCESSING_FAILED'],
    [true, 'PROCESSING_FAILED'],
    [{}, 'PROCESSING_FAILED'],
    [{ status: 1 }, 'PROCESSING_FAILED'],
    [['PASS'], 'PROCESSING_FAILED'],
  ])('%p -> %s', (value, expected) => {
    expect(parseVerdict(value)).toBe(expected);
  });
});

describe('verdictsFrom', () => {
  test.each<[Partial<Record<keyof SesVerdicts, unknown>>, SesVerdicts]>([
    [
      { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
      { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
    ],
    [
      {},
      {
        spam: 'PROCESSING_FAILED',
        virus: 'PROCESSING_FAILED',
        spf: 'PROCESSING_FAILED',
        dkim: 'PROCESSING_FAILED',
        dmarc: 'PROCESSING_FAILED',
      },
    ],
    [
      { spam: { status: 'fail' }, virus: 'pass', spf: 'bogus', dmarc: { status: 'GRAY' } },
      { spam: 'FAIL', virus: 'PASS', spf: 'PROCESSING_FAILED', dkim: 'PROCESSING_FAILED', dmarc: 'GRAY' },
    ],
  ])('%p', (partial, expected) => {
    expect(verdictsFrom(partial)).toEqual(expected);
  });

  test('ignores extra keys', () => {
    const partial = { spam: 'PASS', other: 'FAIL' } as Partial<Record<keyof SesVerdicts, unknown>>;
    expect(Object.keys(verdictsFrom(partial)).sort()).toEqual(['dkim', 'dmarc', 'spam', 'spf', 'virus']);
  });

  test('nothing read scores only the spam point and is accepted', () => {
    expect(decideSpam(verdictsFrom({}), { threshold: DEFAULT_SPAM_THRESHOLD, allowlisted: false })).toEqual({
      action: 'accept',
      score: 1,
      reasons: ['spam verdict PROCESSING_FAILED'],
      allowlisted: false,
    });
  });
});
