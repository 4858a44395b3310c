import { isSenderVerified } from '../../src/workflows/legacy/sender-verified';
import type { SesVerdicts, VerdictStatus } from '../../src/domain/types';

function verdicts(spf: VerdictStatus, dkim: VerdictStatus, dmarc: VerdictStatus): SesVerdicts {
  return { spam: 'PASS', virus: 'PASS', spf, dkim, dmarc };
}

describe('isSenderVerified', () => {
  test.each<[VerdictStatus, VerdictStatus, VerdictStatus, boolean]>([
    ['PASS', 'PASS', 'PASS', true],
    ['PASS', 'FAIL', 'PASS', true],
    ['FAIL', 'PASS', 'PASS', true],
    ['PASS', 'GRAY', 'PASS', true],
    ['DISABLED', 'PASS', 'PASS', true],
    ['PROCESSING_FAILED', 'PASS', 'PASS', true],
    ['FAIL', 'FAIL', 'PASS', false],
    ['GRAY', 'GRAY', 'PASS', false],
    ['DISABLED', 'DISABLED', 'PASS', false],
    ['PROCESSING_FAILED', 'PROCESSING_FAILED', 'PASS', false],
    ['PASS', 'PASS', 'FAIL', false],
    ['PASS', 'PASS', 'GRAY', false],
    ['PASS', 'PASS', 'DISABLED', false],
    ['PASS', 'PASS', 'PROCESSING_FAILED', false],
    ['FAIL', 'FAIL', 'FAIL', false],
  ])('spf %s, dkim %s, dmarc %s -> %p', (spf, dkim, dmarc, expected) => {
    expect(isSenderVerified(verdicts(spf, dkim, dmarc))).toBe(expected);
  });

  test('spam and virus verdicts do not matter', () => {
    expect(isSenderVerified({ spam: 'FAIL', virus: 'FAIL', spf: 'PASS', dkim: 'FAIL', dmarc: 'PASS' })).toBe(true);
  });
});
