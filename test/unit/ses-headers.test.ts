import { authenticatedDomainsFrom, headerVerdictsFrom } from '../../src/mail/ses-headers';

describe('headerVerdictsFrom', () => {
  test('Authentication-Results values map to verdicts; absent ones are omitted', () => {
    const v = headerVerdictsFrom({
      'authentication-results': ['amazonses.com; spf=softfail smtp.mailfrom=x; dkim=temperror; dmarc=none header.from=x'],
    });
    expect(v).toEqual({ spf: 'FAIL', dkim: 'GRAY', dmarc: 'GRAY' });
    expect(headerVerdictsFrom({})).toEqual({});
    expect(headerVerdictsFrom({ 'x-ses-spam-verdict': ['PROCESSING_FAILED'], 'x-ses-virus-verdict': ['GRAY'] })).toEqual({
      spam: 'PROCESSING_FAILED',
      virus: 'GRAY',
    });
  });

  test('neutral, permerror and hardfail', () => {
    expect(headerVerdictsFrom({ 'authentication-results': ['amazonses.com; spf=neutral; dkim=permerror; dmarc=hardfail'] })).toEqual({
      spf: 'GRAY',
      dkim: 'GRAY',
      dmarc: 'FAIL',
    });
  });

  test('a topmost Authentication-Results from another server is not SES: nothing is read below it', () => {
    const v = headerVerdictsFrom({ 'authentication-results': ['mx.other.example; spf=pass', 'amazonses.com; spf=pass; dkim=pass; dmarc=pass'] });
    expect(v).toEqual({});
  });

  test('unknown verdict values are omitted', () => {
    expect(headerVerdictsFrom({ 'x-ses-spam-verdict': ['TOTALLY-FINE'] })).toEqual({});
  });

});

// As SES writes it (the format of a received message's headers in AWS's notification examples).
const SES_RESULTS =
  'amazonses.com; spf=pass (spfCheck: domain of mail.example.org designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1; ' +
  'envelope-from=bounce+x@Mail.Example.ORG; helo=mx.example.org; dkim=pass header.i=@example.com; dmarc=none header.from=example.com;';

describe('authenticatedDomainsFrom', () => {
  test("SES's own format: the envelope-from part after spf, and the passing signature's header.i", () => {
    expect(authenticatedDomainsFrom({ 'authentication-results': [SES_RESULTS] })).toEqual({ mailFrom: 'mail.example.org', dkim: ['example.com'], dmarcFrom: 'example.com' });
    expect(headerVerdictsFrom({ 'authentication-results': [SES_RESULTS] })).toEqual({ spf: 'PASS', dkim: 'PASS', dmarc: 'GRAY' });
  });

  test('smtp.mailfrom and header.d (RFC 8601 property names) are read as well', () => {
    const header = 'amazonses.com; spf=pass smtp.mailfrom=a@b.example.net; dkim=pass header.d=sig.example.net header.i=@other.example';
    expect(authenticatedDomainsFrom({ 'authentication-results': [header] })).toEqual({ mailFrom: 'b.example.net', dkim: ['sig.example.net'], dmarcFrom: null });
  });

  test('only passing signatures count, each domain once, a few at most', () => {
    const sigs = ['dkim=fail header.i=@failed.example', ...Array.from({ length: 9 }, (_, i) => `dkim=pass header.i=@d${i % 7}.example`)];
    const { dkim } = authenticatedDomainsFrom({ 'authentication-results': [`amazonses.com; ${sigs.join('; ')}`] });
    expect(dkim).toEqual(['d0.example', 'd1.example', 'd2.example', 'd3.example', 'd4.example']);
  });

  test("a header from anyone but SES on top, or one below SES's, is not read", () => {
    expect(authenticatedDomainsFrom({ 'authentication-results': ['mx.evil.example; spf=pass envelope-from=x@victim.example; dkim=pass header.i=@victim.example'] })).toEqual({
      mailFrom: null,
      dkim: [],
      dmarcFrom: null,
    });
    const below = ['amazonses.com; spf=fail envelope-from=x@evil.example', 'amazonses.com; dkim=pass header.i=@victim.example'];
    expect(authenticatedDomainsFrom({ 'authentication-results': below })).toEqual({ mailFrom: 'evil.example', dkim: [], dmarcFrom: null });
  });

  test("results after DMARC's are not SES's: a message's folded first line cannot add a DKIM pass", () => {
    const folded = `${SES_RESULTS} dkim=pass header.d=victim.example;`;
    expect(authenticatedDomainsFrom({ 'authentication-results': [folded] }).dkim).toEqual(['example.com']);
  });

  test('values that are no domain are dropped', () => {
    const header = 'amazonses.com; spf=pass envelope-from=<>; dkim=pass header.i=@x"y.example; dkim=pass header.i=@localhost';
    expect(authenticatedDomainsFrom({ 'authentication-results': [header] })).toEqual({ mailFrom: null, dkim: [], dmarcFrom: null });
  });

  test('a huge header is read in bounded time and gives bounded output', () => {
    const header = 'amazonses.com; ' + 'dkim=pass header.i=@a.example; '.repeat(100_000);
    expect(authenticatedDomainsFrom({ 'authentication-results': [header] }).dkim).toEqual(['a.example']);
  });
});
