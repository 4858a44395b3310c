import { automatedReason, classifyMail, classifyMailKind, LOOP_HEADER, MailKindInput } from '../../src/domain/mail-kind';
import type { MailKind } from '../../src/domain/types';

function input(headers: Record<string, string[]> = {}, fromAddress: string | null = 'anna@example.com', contentType = 'text/plain'): MailKindInput {
  return { headers, fromAddress, contentType };
}

/** The same header in lower case, in upper case, and with the value upper-cased too. */
function casings(name: string, value: string): Array<[string, Record<string, string[]>]> {
  return [
    [`${name.toLowerCase()}: ${value}`, { [name.toLowerCase()]: [value] }],
    [`${name.toUpperCase()}: ${value.toUpperCase()}`, { [name.toUpperCase()]: [value.toUpperCase()] }],
    [`${name}: ${value.toLowerCase()}`, { [name]: [value.toLowerCase()] }],
  ];
}

describe('classifyMailKind: headers', () => {
  const table: Array<[string, string, MailKind]> = [
    ['Auto-Submitted', 'auto-replied', 'auto-reply'],
    ['Auto-Submitted', 'auto-generated', 'auto-reply'],
    ['Auto-Submitted', 'auto-notified', 'auto-reply'],
    ['Auto-Submitted', 'auto-replied; owner-email="boss@example.com"', 'auto-reply'],
    ['X-Autoreply', 'yes', 'auto-reply'],
    ['X-Autorespond', 'Out of office', 'auto-reply'],
    ['Precedence', 'auto_reply', 'auto-reply'],
    [LOOP_HEADER, 'INC0010042', 'auto-reply'],
    ['Return-Path', '<>', 'auto-reply'],
    ['Precedence', 'bulk', 'bulk'],
    ['Precedence', 'junk', 'bulk'],
    ['Precedence', 'list', 'bulk'],
    ['List-Id', 'Product news <news.vendor.example>', 'bulk'],
    ['List-Unsubscribe', '<mailto:unsubscribe@vendor.example>', 'bulk'],
  ];
  for (const [name, value, kind] of table) {
    for (const [label, headers] of casings(name, value)) {
      test(`${label} -> ${kind}`, () => {
        expect(classifyMailKind(input(headers))).toBe(kind);
        expect(automatedReason(input(headers))).toEqual(expect.any(String));
      });
    }
  }

  test.each([
    ['Auto-Submitted: no', { 'auto-submitted': ['no'] }],
    ['AUTO-SUBMITTED: NO', { 'AUTO-SUBMITTED': ['NO'] }],
    ['Auto-Submitted: No (a person wrote this)', { 'auto-submitted': ['No (a person wrote this)'] }],
    ['Auto-Submitted:  no ; comment', { 'auto-submitted': ['  no ; x=y'] }],
    ['Precedence: normal', { precedence: ['normal'] }],
    ['Precedence: first-class', { precedence: ['first-class'] }],
    ['Return-Path: <anna@example.com>', { 'return-path': ['<anna@example.com>'] }],
    ['unrelated headers', { 'x-mailer': ['Outlook'], subject: ['Re: auto_reply list bulk'] }],
    // It asks the recipient's server not to auto-reply; Outlook sets it on mail people write too.
    ['X-Auto-Response-Suppress: All (alone)', { 'x-auto-response-suppress': ['All'] }],
    ['X-Auto-Response-Suppress: OOF, AutoReply (alone)', { 'X-Auto-Response-Suppress': ['OOF, AutoReply'] }],
  ])('%s -> human', (_label, headers) => {
    expect(classifyMailKind(input(headers))).toBe('human');
    expect(automatedReason(input(headers))).toBeNull();
  });

  test('a mail with no headers at all is human', () => {
    expect(classifyMailKind(input({}, null, ''))).toBe('human');
  });

  test('Auto-Submitted: no beside another Auto-Submitted that is not no is automated', () => {
    expect(classifyMailKind(input({ 'auto-submitted': ['no', 'auto-generated'] }))).toBe('auto-reply');
  });

  test('only the topmost Return-Path counts (the one the receiving server wrote)', () => {
    expect(classifyMailKind(input({ 'return-path': ['<anna@example.com>', '<>'] }))).toBe('human');
    expect(classifyMailKind(input({ 'return-path': ['< >'] }))).toBe('auto-reply');
  });
});

describe('classifyMailKind: senders', () => {
  test.each([
    ['MAILER-DAEMON@mx.example.com', 'bounce'],
    ['mailer-daemon@mx.example.com', 'bounce'],
    ['Mailer-Daemon@Example.COM', 'bounce'],
    ['postmaster@example.com', 'bounce'],
    ['POSTMASTER@EXAMPLE.COM', 'bounce'],
    ['noreply@github.example', 'bulk'],
    ['NoReply@example.com', 'bulk'],
    ['no-reply@example.com', 'bulk'],
    ['NO-REPLY@EXAMPLE.COM', 'bulk'],
    ['donotreply@example.com', 'bulk'],
    ['DoNotReply@example.com', 'bulk'],
    ['do-not-reply@example.com', 'bulk'],
    ['noreply+tracking123@example.com', 'bulk'],
    ['anna@example.com', 'human'],
    ['noreply.anna@example.com', 'human'],
    ['postmaster-team@example.com', 'human'],
    ['reply@example.com', 'human'],
  ] as Array<[string, MailKind]>)('%s -> %s', (from, kind) => {
    expect(classifyMailKind(input({}, from))).toBe(kind);
  });

  test('the reason names the sender kind without the full address', () => {
    expect(automatedReason(input({}, 'MAILER-DAEMON@mx.example.com'))).toBe('sender mailer-daemon@…');
    expect(automatedReason(input({}, 'no-reply@example.com'))).toBe('sender no-reply@…');
  });
});

describe('classifyMailKind: reports', () => {
  test.each([
    ['multipart/report; report-type=delivery-status', 'delivery-status report'],
    ['MULTIPART/REPORT; REPORT-TYPE="delivery-status"; boundary="b"', 'delivery-status report'],
    ['multipart/report;\r\n report-type=delivery-status;\r\n boundary="x"', 'delivery-status report'],
    ['multipart/report; report-type=disposition-notification', 'multipart/report (disposition-notification)'],
    ['multipart/report', 'multipart/report'],
  ])('%s -> bounce', (contentType, reason) => {
    expect(classifyMailKind(input({}, 'anna@example.com', contentType))).toBe('bounce');
    expect(automatedReason(input({}, 'anna@example.com', contentType))).toBe(reason);
  });

  test('Return-Path <> with a report is a bounce, without one an auto-reply', () => {
    const headers = { 'return-path': ['<>'] };
    expect(classifyMailKind(input(headers, 'anna@example.com', 'multipart/report; report-type=delivery-status'))).toBe('bounce');
    expect(classifyMailKind(input(headers, 'anna@example.com', 'multipart/mixed; boundary=x'))).toBe('auto-reply');
  });

  test('a multipart/mixed that merely mentions report is not a bounce', () => {
    expect(classifyMailKind(input({}, 'anna@example.com', 'multipart/mixed; boundary="multipart/report"'))).toBe('human');
  });
});

describe('classifyMailKind: order bounce > auto-reply > bulk > human', () => {
  test('bounce wins over auto-reply and bulk', () => {
    const headers = { 'auto-submitted': ['auto-replied'], 'list-id': ['<x>'], precedence: ['bulk'] };
    expect(classifyMail(input(headers, 'MAILER-DAEMON@example.com'))).toEqual({ kind: 'bounce', reason: 'sender mailer-daemon@…' });
  });

  test('auto-reply wins over bulk', () => {
    const headers = { 'Auto-Submitted': ['auto-replied'], 'List-Id': ['<x>'] };
    expect(classifyMail(input(headers, 'noreply@example.com'))).toEqual({ kind: 'auto-reply', reason: 'Auto-Submitted: auto-replied' });
  });

  test('Precedence: auto_reply beside Precedence: bulk is an auto-reply', () => {
    expect(classifyMailKind(input({ precedence: ['bulk', 'auto_reply'] }))).toBe('auto-reply');
  });

  test('our own loop header coming back is an auto-reply whatever its case', () => {
    expect(classifyMailKind(input({ [LOOP_HEADER.toUpperCase()]: ['1'] }))).toBe('auto-reply');
    expect(automatedReason(input({ [LOOP_HEADER.toLowerCase()]: ['1'] }))).toContain(LOOP_HEADER);
  });
});

describe('automatedReason', () => {
  test('attacker-controlled values come out on one bounded line', () => {
    const reason = automatedReason(input({ 'auto-submitted': [`auto-generated\r\nBcc: victim@example.com${'x'.repeat(500)}`] }));
    expect(reason).not.toMatch(/[\r\n]/);
    expect(reason!.length).toBeLessThan(100);
  });

  test('gives the documented short reasons', () => {
    expect(automatedReason(input({ 'auto-submitted': ['Auto-Replied; owner-email="a@b"'] }))).toBe('Auto-Submitted: auto-replied');
    expect(automatedReason(input({}, null, 'multipart/report; report-type=delivery-status'))).toBe('delivery-status report');
    expect(automatedReason(input({ precedence: ['Bulk'] }))).toBe('Precedence: bulk');
    expect(automatedReason(input({ 'list-id': ['<x>'] }))).toBe('List-Id header');
  });
});
