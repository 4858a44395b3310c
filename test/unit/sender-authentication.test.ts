import { aligned, authenticateSender, SenderEvidence } from '../../src/domain/sender-authentication';
import type { VerdictStatus } from '../../src/domain/types';

const verdicts = (spf: VerdictStatus, dkim: VerdictStatus, dmarc: VerdictStatus) => ({ spf, dkim, dmarc });
const evidence = (over: Partial<SenderEvidence>): SenderEvidence => ({ from: 'anna@example.com', verdicts: verdicts('PASS', 'PASS', 'PASS'), ...over });

describe('authenticateSender', () => {
  test('DMARC pass is enough: it already checked alignment', () => {
    expect(authenticateSender(evidence({ verdicts: verdicts('GRAY', 'PASS', 'PASS') }))).toEqual({ authenticated: true, reason: 'DMARC pass' });
  });

  test.each<[string, Partial<SenderEvidence>, boolean, string]>([
    ['DMARC pass that contradicts SPF and DKIM (both fail)', { verdicts: verdicts('FAIL', 'FAIL', 'PASS') }, false, 'DMARC pass without an SPF or DKIM pass'],
    ['DMARC fail, whatever SPF and DKIM say', { verdicts: verdicts('PASS', 'PASS', 'FAIL'), mailFrom: 'example.com', dkimDomains: ['example.com'] }, false, 'DMARC fail'],
    ['no policy: SPF pass for the From domain', { verdicts: verdicts('PASS', 'GRAY', 'GRAY'), mailFrom: 'bounce@example.com' }, true, 'SPF pass aligned with example.com'],
    ['no policy: SPF pass for a subdomain (relaxed)', { verdicts: verdicts('PASS', 'GRAY', 'GRAY'), mailFrom: 'b@mail.example.com' }, true, 'SPF pass aligned with example.com'],
    ['no policy: SPF pass for another domain', { verdicts: verdicts('PASS', 'GRAY', 'GRAY'), mailFrom: 'x@evil.example' }, false, 'no DMARC policy, and no SPF or DKIM pass aligned with example.com'],
    ['no policy: DKIM pass by the From domain', { verdicts: verdicts('FAIL', 'PASS', 'GRAY'), dkimDomains: ['evil.example', 'example.com'] }, true, 'DKIM pass aligned with example.com'],
    ['no policy: DKIM pass by another domain only', { verdicts: verdicts('GRAY', 'PASS', 'GRAY'), dkimDomains: ['evil.example'] }, false, 'no DMARC policy, and no SPF or DKIM pass aligned with example.com'],
    ['no policy: an aligned domain whose check did not pass', { verdicts: verdicts('FAIL', 'FAIL', 'GRAY'), mailFrom: 'example.com', dkimDomains: ['example.com'] }, false, 'no DMARC policy, and no SPF or DKIM pass aligned with example.com'],
    ['no policy, no domains known (a parse older than them)', { verdicts: verdicts('PASS', 'PASS', 'GRAY') }, false, 'no DMARC policy, and no SPF or DKIM pass aligned with example.com'],
    ['DMARC not checked', { verdicts: verdicts('PASS', 'PASS', 'PROCESSING_FAILED'), mailFrom: 'example.com' }, false, 'DMARC PROCESSING_FAILED: not checked'],
    ['DMARC disabled', { verdicts: verdicts('PASS', 'PASS', 'DISABLED'), mailFrom: 'example.com' }, false, 'DMARC DISABLED: not checked'],
    ['no From address', { from: null }, false, 'no sender address'],
    ['DMARC pass for the From domain SES read, which is not ours', { dmarcFrom: 'evil.example' }, false, 'SES checked another From domain (evil.example)'],
    ['DMARC pass for our From domain, as SES names it', { dmarcFrom: 'Example.COM' }, true, 'DMARC pass'],
    ['a From without a domain', { from: 'anna' }, false, 'no sender address'],
  ])('%s', (_, over, authenticated, reason) => {
    expect(authenticateSender(evidence(over))).toEqual({ authenticated, reason });
  });

  test('public suffixes are organisations of their own: another customer of the same host is not aligned', () => {
    const gray = verdicts('PASS', 'PASS', 'GRAY');
    expect(authenticateSender({ from: 'a@alice.github.io', verdicts: gray, mailFrom: 'mallory.github.io' }).authenticated).toBe(false);
    expect(authenticateSender({ from: 'a@shop.example.co.uk', verdicts: gray, mailFrom: 'other.co.uk' }).authenticated).toBe(false);
    expect(authenticateSender({ from: 'a@shop.example.co.uk', verdicts: gray, dkimDomains: ['example.co.uk'] }).authenticated).toBe(true);
  });
});

describe('aligned (RFC 7489 relaxed)', () => {
  test.each([
    ['example.com', 'example.com', true],
    ['mail.example.com', 'example.com', true],
    ['a.example.com', 'b.example.com', true],
    ['example.com', 'example.net', false],
    ['notexample.com', 'example.com', false],
    ['example.co.uk', 'co.uk', false],
    ['192.0.2.1', '192.0.2.2', false],
  ])('%s ~ %s: %s', (a, b, expected) => {
    expect(aligned(a, b)).toBe(expected);
  });
});
