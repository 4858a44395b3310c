// A bounce's delivery report (src/mail/delivery-report.ts) as the parse activity reads it, through
// parseEmail; and which recipient of our message it may speak of (domain reportedDelivery).
import { reportedDelivery } from '../../src/domain/delivery-events';
import { readDeliveryReport, REPORT_RECIPIENTS_MAX } from '../../src/mail/delivery-report';
import { parseEmail } from '../../src/mail/parse-email';

const OURS = '<7d1c2f0e-4b1a-4c55-9b8e-0f1d2e3c4b5a@tickets.example.com>';

const raw = (lines: string[]) => Buffer.from(lines.join('\r\n'));

function rfc3464(returned: 'message/rfc822' | 'text/rfc822-headers', status = ['Final-Recipient: rfc822; anna@customer.example', 'Action: failed', 'Status: 5.1.1', 'Diagnostic-Code: smtp; 550 5.1.1 <anna@customer.example>: Recipient address rejected: User unknown']) {
  return raw([
    'From: MAILER-DAEMON@mx.customer.example (Mail Delivery System)',
    'To: help@tickets.example.com',
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    '',
    '--B',
    'Content-Type: text/plain',
    '',
    'This is the mail system at host mx.customer.example.',
    '',
    "I'm sorry to have to inform you that your message could not be delivered.",
    '',
    '--B',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.customer.example',
    'Arrival-Date: Mon, 30 Nov 2026 10:00:00 +0000',
    '',
    ...status,
    '',
    '--B',
    `Content-Type: ${returned}`,
    '',
    'From: help@tickets.example.com',
    'To: anna@customer.example',
    'Subject: [INC0010001] We received your request',
    'Message-ID:',
    ` ${OURS}`,
    '',
    ...(returned === 'message/rfc822' ? ['Hello Anna, we received your request.'] : []),
    '--B--',
    '',
  ]);
}

describe('RFC 3464 reports', () => {
  test('with the returned message (message/rfc822): its Message-ID (folded), the failed recipient, status and diagnostic', async () => {
    const parsed = await parseEmail(rfc3464('message/rfc822'));
    expect(parsed.parsed.kind).toBe('bounce');
    expect(parsed.deliveryReport).toEqual({
      originalMessageId: OURS.slice(1, -1),
      recipients: [{ address: 'anna@customer.example', action: 'failed', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 <anna@customer.example>: Recipient address rejected: User unknown' }],
    });
  });

  test('with only the returned headers (text/rfc822-headers); Original-Recipient (the address as we sent it) over Final-Recipient', async () => {
    const status = ['Original-Recipient: rfc822;Anna@Customer.example', 'Final-Recipient: rfc822; anna.alias@mailstore.customer.example', 'Action: delayed', 'Status: 4.2.2 (mailbox full)', 'Will-Retry-Until: Fri, 4 Dec 2026 10:00:00 +0000'];
    const parsed = await parseEmail(rfc3464('text/rfc822-headers', status));
    expect(parsed.deliveryReport).toEqual({ originalMessageId: OURS.slice(1, -1), recipients: [{ address: 'anna@customer.example', action: 'delayed', status: '4.2.2', diagnostic: null }] });
  });

  test('several recipients, fields in any order, a folded Diagnostic-Code, an x400 address skipped', () => {
    const text = [
      'Reporting-MTA: dns; mx.example.net',
      '',
      'Action: failed',
      'Final-Recipient: rfc822; a@example.net',
      'Status: 5.2.2',
      'Diagnostic-Code: smtp; 552-5.2.2 The email account that you tried to reach is',
      '    over quota.',
      '',
      'Final-Recipient: x400; /RFC-822=pr(a)example.net/ADMD= /C=WW/',
      'Action: failed',
      '',
      'Final-Recipient: rfc822; b@example.net',
      'Action: failure',
      'Status: 553 Exceeded maximum inbound message size',
    ].join('\n');
    expect(readDeliveryReport(text, [])?.recipients).toEqual([
      { address: 'a@example.net', action: 'failed', status: '5.2.2', diagnostic: 'smtp; 552-5.2.2 The email account that you tried to reach is over quota.' },
      { address: 'b@example.net', action: 'failed', status: null, diagnostic: '553 Exceeded maximum inbound message size' },
    ]);
  });
});

describe('non-standard bounces with quoted headers', () => {
  test('Exim: the indented recipient and its answer, the Message-ID among the quoted headers', async () => {
    const parsed = await parseEmail(
      raw([
        'From: Mail Delivery System <Mailer-Daemon@mx.customer.example>',
        'To: help@tickets.example.com',
        'Subject: Mail delivery failed: returning message to sender',
        'Auto-Submitted: auto-replied',
        '',
        'This message was created automatically by mail delivery software.',
        '',
        'A message that you sent could not be delivered to one or more of its',
        'recipients. This is a permanent error. The following address(es) failed:',
        '',
        '  anna@customer.example',
        '    host mx2.customer.example [192.0.2.25]',
        '    SMTP error from remote mail server after RCPT TO:<anna@customer.example>:',
        '    550 5.1.1 User unknown',
        '',
        '------ This is a copy of the message, including all the headers. ------',
        '',
        'Return-path: <help@tickets.example.com>',
        'From: help@tickets.example.com',
        `Message-ID: ${OURS}`,
        'Subject: [INC0010001] We received your request',
        '',
        'Hello Anna',
      ]),
    );
    expect(parsed.parsed.kind).toBe('bounce');
    expect(parsed.deliveryReport).toEqual({
      originalMessageId: OURS.slice(1, -1),
      recipients: [{ address: 'anna@customer.example', action: 'failed', status: '5.1.1', diagnostic: 'host mx2.customer.example [192.0.2.25] SMTP error from remote mail server after RCPT TO:<anna@customer.example>: 550 5.1.1 User unknown' }],
    });
  });

  test("qmail: '<recipient>:' and the remote answer; Postfix's text form; no code means neither failed nor delayed", () => {
    const qmail = [
      "Hi. This is the qmail-send program at mail.example.net.",
      "I'm afraid I wasn't able to deliver your message to the following addresses.",
      '',
      '<anna@customer.example>:',
      '192.0.2.7 does not like recipient.',
      'Remote host said: 450 4.2.1 Mailbox busy',
      'Giving up on 192.0.2.7.',
      '',
      '--- Below this line is a copy of the message.',
      '',
      `Message-Id: ${OURS}`,
    ].join('\n');
    expect(readDeliveryReport(qmail, [])).toEqual({
      originalMessageId: OURS.slice(1, -1),
      recipients: [{ address: 'anna@customer.example', action: 'delayed', status: '4.2.1', diagnostic: '192.0.2.7 does not like recipient. Remote host said: 450 4.2.1 Mailbox busy Giving up on 192.0.2.7.' }],
    });
    const postfix = '<bob@example.net>: host mx.example.net[192.0.2.1] said: 550 unknown user (in reply to RCPT TO command)';
    expect(readDeliveryReport(postfix, [])?.recipients).toEqual([{ address: 'bob@example.net', action: 'failed', status: null, diagnostic: 'host mx.example.net[192.0.2.1] said: 550 unknown user (in reply to RCPT TO command)' }]);
    expect(readDeliveryReport('<bob@example.net>:\nThis account is over quota.', [])?.recipients[0]).toMatchObject({ action: null, status: null });
  });

  test('an IP address or a version is no status code', () => {
    expect(readDeliveryReport('<bob@example.net>: host 10.5.1.20 refused, Exim 4.96.2', [])?.recipients[0].status).toBeNull();
  });
});

describe('hostile reports', () => {
  test('a huge delivery-status part: at most 5 recipients, read quickly', async () => {
    const groups = Array.from({ length: 50_000 }, (_, i) => `Final-Recipient: rfc822; user${i}@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; ${'x'.repeat(200)}\r\n`).join('\r\n');
    const message = rfc3464('message/rfc822', [groups]);
    expect(message.length).toBeGreaterThan(10_000_000);
    const started = Date.now();
    const parsed = await parseEmail(message);
    expect(parsed.deliveryReport?.recipients).toHaveLength(REPORT_RECIPIENTS_MAX);
    // The returned message is a part of its own: its header block is still read.
    expect(parsed.deliveryReport?.originalMessageId).toBe(OURS.slice(1, -1));
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);

  test('one endless line, a diagnostic of a megabyte, control characters and header injection stay bounded and on one line', () => {
    const text = `Final-Recipient: rfc822; anna@customer.example\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550\r\nBcc: evil@example.net\u0007 ${'y'.repeat(1_000_000)}`;
    const report = readDeliveryReport(text, [])!;
    expect(report.recipients).toHaveLength(1);
    const diagnostic = report.recipients[0].diagnostic!;
    expect(diagnostic.length).toBeLessThanOrEqual(500);
    expect(diagnostic).not.toMatch(/[\r\n\u0007]/);
    const started = Date.now();
    expect(readDeliveryReport('Final-Recipient: '.repeat(200_000), [])).toBeNull();
    expect(readDeliveryReport(`<${'a'.repeat(300)}@example.net>: x`, [])).toBeNull();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('malformed: a base64 blob, a recipient that is no address, a Message-ID with spaces', () => {
    expect(readDeliveryReport('Final-Recipient: rfc822; not an address\nAction: failed', [])).toBeNull();
    expect(readDeliveryReport('QUJDREVGR0g=\nSUpLTE1OT1A=', [{ contentType: 'message/rfc822', content: Buffer.from('Message-ID: <a b@c>\n\nbody') }])).toBeNull();
  });

  test('mail that is not a bounce has no report, whatever its text says', async () => {
    const parsed = await parseEmail(raw(['From: anna@customer.example', 'To: help@tickets.example.com', 'Subject: Printer', '', 'Final-Recipient: rfc822; boss@customer.example', 'Action: failed', `Message-ID: ${OURS}`]));
    expect(parsed.parsed.kind).toBe('human');
    expect(parsed.deliveryReport).toBeNull();
  });
});

describe('which recipient a report may speak of', () => {
  const report = [
    { address: 'anna@customer.example', action: 'failed' as const, status: '5.1.1', diagnostic: 'smtp; 550 user unknown' },
    { address: 'boss@customer.example', action: 'delayed' as const, status: '4.2.2', diagnostic: null },
    { address: 'carl@customer.example', action: 'delivered' as const, status: '2.0.0', diagnostic: null },
    { address: 'dora@customer.example', action: null, status: null, diagnostic: 'over quota' },
  ];

  test('only the recipient our message was sent to, never another address', () => {
    expect(reportedDelivery(report, 'Anna@Customer.example')).toEqual({ bounceType: 'Permanent', detail: '5.1.1 smtp; 550 user unknown' });
    expect(reportedDelivery(report, 'eve@customer.example')).toBeNull();
  });

  test('failed is Permanent, delayed Transient, a delivery nothing, no Action nor Status Undetermined', () => {
    expect(reportedDelivery(report, 'boss@customer.example')).toEqual({ bounceType: 'Transient', detail: '4.2.2' });
    expect(reportedDelivery(report, 'carl@customer.example')).toBeNull();
    expect(reportedDelivery(report, 'dora@customer.example')).toEqual({ bounceType: 'Undetermined', detail: 'over quota' });
    expect(reportedDelivery([{ address: 'x@example.net', action: null, status: '5.7.1', diagnostic: null }], 'x@example.net')?.bounceType).toBe('Permanent');
  });
});
