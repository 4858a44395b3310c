// The rule families of src/domain/mail-kind/ (docs/reply-detection.md, "Automated mail"), one block each,
// on minimal synthetic mail, with the near-misses that must stay human; then a few whole raw messages
// through parseEmail, as the parse activity classifies them.
import { classifyMail, MAIL_KIND_RULES, type MailKindInput } from '../../src/domain/mail-kind';
import { autoReplySubject } from '../../src/domain/mail-kind/auto-reply';
import { BOUNCE_SUBJECTS, MTA_TEXTS } from '../../src/domain/mail-kind/delivery-report';
import { parseEmail } from '../../src/mail/parse-email';

function mail(over: Partial<MailKindInput> = {}): MailKindInput {
  return { headers: {}, fromAddress: 'anna@customer.example', contentType: 'text/plain', subject: 'Printer on 3rd floor', body: 'Hello,\nthe printer is jammed again.\nAnna', ...over };
}

describe('the families run in a fixed order', () => {
  test('five families', () => {
    expect(MAIL_KIND_RULES.map((rule) => rule.name)).toEqual(['feedbackReport', 'challengeResponse', 'deliveryReport', 'autoReply', 'bulk']);
  });

  test('an ARF report is a feedback report before it is any multipart/report', () => {
    expect(classifyMail(mail({ contentType: 'multipart/report; report-type=feedback-report; boundary="b"' }))).toEqual({ kind: 'bounce', reason: 'feedback report (ARF)' });
  });

  test('a challenge-response that comes as a delivery report is a challenge-response', () => {
    const boxbe = mail({ fromAddress: 'noreply@boxbe.com', contentType: 'multipart/report; report-type=delivery-status' });
    expect(classifyMail(boxbe)).toEqual({ kind: 'auto-reply', reason: 'challenge-response (sender @boxbe.com)' });
  });

  test('a bounce subject with a null sender is a bounce, not an auto-reply', () => {
    expect(classifyMail(mail({ subject: 'Mail delivery failed', headers: { 'return-path': ['<>'] } })).kind).toBe('bounce');
    expect(classifyMail(mail({ subject: 'Thank you for your mail', headers: { 'return-path': ['<>'] } })).kind).toBe('auto-reply');
  });
});

describe('1. feedback reports (ARF, RFC 5965)', () => {
  test.each([
    'multipart/report; report-type=feedback-report',
    'Multipart/Report; Report-Type="Feedback-Report"; boundary="x"',
    'multipart/report;\r\n report-type=feedback-report',
  ])('%s', (contentType) => {
    expect(classifyMail(mail({ contentType, fromAddress: 'fbl@provider.example' }))).toEqual({ kind: 'bounce', reason: 'feedback report (ARF)' });
  });

  test('a multipart/mixed that talks about feedback reports is human', () => {
    expect(classifyMail(mail({ contentType: 'multipart/mixed; boundary="feedback-report"', subject: 'Abuse feedback-report question' })).kind).toBe('human');
  });
});

describe('2. challenge-response', () => {
  test.each([
    ['X-Bluebottle-Request', { 'x-bluebottle-request': ['<1234>'] }, 'challenge-response (X-Bluebottle-Request header)'],
    ['X-Boxtrapper', { 'X-Boxtrapper': ['abc'] }, 'challenge-response (X-Boxtrapper header)'],
    ['X-AskVersion', { 'x-askversion': ['2.5'] }, 'challenge-response (X-AskVersion header)'],
    ['X-Spamazoid-MD', { 'x-spamazoid-md': ['1'] }, 'challenge-response (X-Spamazoid-MD header)'],
    ['X-Delivery-Agent: TMDA', { 'x-delivery-agent': ['TMDA/1.1.12 (Macallan)'] }, 'challenge-response (TMDA)'],
    ['TMDA Message-ID', { 'message-id': ['<1234.5678.999-tmda-confirm>'] }, 'challenge-response (TMDA)'],
  ] as Array<[string, Record<string, string[]>, string]>)('%s', (_label, headers, reason) => {
    expect(classifyMail(mail({ headers, subject: 'Re: BLAH', body: 'This account is protected. Click to be let through.' }))).toEqual({ kind: 'auto-reply', reason });
  });

  test.each(['noreply@boxbe.com', 'verify@spamarrest.com', 'challenge@mx.spamarrest.com'])('sender %s', (fromAddress) => {
    expect(classifyMail(mail({ fromAddress })).kind).toBe('auto-reply');
  });

  test.each(['anna@notboxbe.com', 'anna@boxbe.com.customer.example', 'boxbe@customer.example'])('%s is no challenge-response vendor', (fromAddress) => {
    expect(classifyMail(mail({ fromAddress })).kind).toBe('human');
  });

  test('a person mentioning TMDA or Bluebottle is human', () => {
    expect(classifyMail(mail({ subject: 'Bluebottle keeps asking me to verify', body: 'X-Bluebottle-Request: <1234>\nX-Delivery-Agent: TMDA' })).kind).toBe('human');
  });
});

describe('3. delivery reports', () => {
  test('RFC 3464 delivery status notification', () => {
    expect(classifyMail(mail({ contentType: 'multipart/report; report-type=delivery-status; boundary="b"' }))).toEqual({ kind: 'bounce', reason: 'delivery-status report' });
  });

  test.each([
    ['MAILER-DAEMON@mx.example.com', 'sender mailer-daemon@…'],
    ['postmaster@example.net', 'sender postmaster@…'],
    ['MDaemon@mail.example.org', 'sender mdaemon@…'],
  ])('sender %s', (fromAddress, reason) => {
    expect(classifyMail(mail({ fromAddress, subject: 'Hello' }))).toEqual({ kind: 'bounce', reason });
  });

  // Subject and opening text as each server writes them; the sender a plain address, no report, no null
  // Return-Path: the pair alone recognises the bounce.
  test.each([
    ['qmail', 'failure notice', "Hi. This is the qmail-send program at mail.example.net.\nI'm afraid I wasn't able to deliver your message to the following addresses."],
    ['qmail (typographic apostrophes)', 'failure notice', 'I\u2019m afraid I wasn\u2019t able to deliver your message to the following addresses.'],
    ['Exim', 'Mail delivery failed: returning message to sender', 'This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered'],
    ['Postfix', 'Undelivered Mail Returned to Sender', 'This is the mail system at host mx.example.net.\n\nI\'m sorry to have to inform you that your message could not\nbe delivered'],
    ['Sendmail', 'Returned mail: see transcript for details', 'The original message was received at Mon, 4 Jan 2010 16:06:29 +0000\nfrom localhost [127.0.0.1]'],
    ['Sendmail delay', 'Warning: could not send message for past 4 hours', 'The original message was received at Mon, 4 Jan 2010'],
    ['Exchange', 'Undeliverable: Printer on 3rd floor', 'Delivery has failed to these recipients or groups:\n\nanna@customer.example'],
    ['Exchange 2003', 'Undeliverable: Printer', 'Your message did not reach some or all of the intended recipients.'],
    ['Exchange (German)', 'Unzustellbar: Drucker', 'Delivery has failed to these recipients or groups:'],
    ['Exchange Online', 'Undeliverable: foo', "This message wasn't delivered to anyone because it's too large."],
    ['Exchange/IIS DSN', 'Delivery Status Notification (Failure)', 'This is an automatically generated Delivery Status Notification.\n\nDelivery to the following recipients failed.'],
    ['Gmail', 'Delivery Status Notification (Failure)', 'Delivery to the following recipient failed permanently:\n\n     anna@customer.example'],
    ['Lotus Domino', 'DELIVERY FAILURE: User anna not listed in Domino Directory', 'Your message\n\n  Subject: Printer\n\nwas not delivered to:\n\n  anna@customer.example'],
    ['GroupWise', 'Message status - undeliverable', 'The message that you sent was undeliverable to the following:'],
    ['Exchange via CDO', 'Non-Delivery: Your message to the list', '--- Non-Delivery Report ---\nThe email below could not be delivered to the following user:'],
    ['Symantec gateway', 'Delivery failure notification', 'Your message with Subject: Re: hello\ncould not be delivered to the following recipients:'],
    ['InterScan VirusWall', 'Mail could not be delivered', '****** Message from InterScan E-Mail VirusWall NT ******\n\nThe following mail could not be delivered.'],
    ['Jetmail', 'Mail Error', 'Your mail cannot be delivered to the following address(es):'],
    ['SmarterMail', 'Delivery Failure', 'Could not deliver message to the following recipient(s):\n\nFailed Recipient: anna@customer.example'],
    ['an SMTP reply text', 'Returned Mail - Error During Delivery', '------ Failed Recipients ------\n<anna@customer.example>: Requested action not taken: mailbox unavailable. [SMTP Error Code 550]'],
    ['a quoted remote answer', 'Delivery Failure', 'Failed Recipient: anna@customer.example\nReason: Remote host said: 550 unknown user'],
    ['a delay warning', 'Mail Delivery Warning', 'Delivery of email to this address has been postponed.\nThe first 50 lines of your original message follow:'],
  ])('%s', (_server, subject, body) => {
    expect(classifyMail(mail({ fromAddress: 'mail-system@mx.example.net', subject, body })).kind).toBe('bounce');
  });

  test.each(['Mail delivery failed', 'Undeliverable: Printer', 'Delivery Status Notification (Delay)', 'failure notice', 'Returned mail: User unknown'])(
    'bounce subject "%s" from a null sender',
    (subject) => {
      expect(classifyMail(mail({ fromAddress: 'mail-system@mx.example.net', subject, body: 'no known text', headers: { 'return-path': ['<>'] } })).kind).toBe('bounce');
    },
  );

  test('a bounce subject from Return-Path <MAILER-DAEMON@host> (how Sendmail writes a null sender)', () => {
    const bounce = mail({ fromAddress: 'imss@mx.example.net', subject: 'Mail could not be delivered', body: 'no known text', headers: { 'return-path': ['<MAILER-DAEMON@mx.example.net>'] } });
    expect(classifyMail(bounce)).toEqual({ kind: 'bounce', reason: 'bounce subject "mail could not be delivered" from Return-Path <MAILER-DAEMON@…>' });
    // The Return-Path alone (no bounce subject) is not enough.
    expect(classifyMail({ ...bounce, subject: 'Printer' }).kind).toBe('human');
  });

  describe('near-misses stay human', () => {
    test('"Mail error" or "Non-delivery" from a person, without a mail server\'s text', () => {
      expect(classifyMail(mail({ subject: 'Mail error when I send to the printer', body: 'Outlook shows an error, screenshot attached.' })).kind).toBe('human');
      expect(classifyMail(mail({ subject: 'Non-delivery of my order', body: 'The parcel never arrived.' })).kind).toBe('human');
    });

    test('a customer writing "Re: Mail delivery failed for my order" from a normal address', () => {
      expect(classifyMail(mail({ subject: 'Re: Mail delivery failed for my order', body: 'Hi, your shop says mail delivery failed. This message was created automatically by mail delivery software, it said.' })).kind).toBe('human');
    });

    test('a customer writing "Mail delivery failed for my order", without an MTA text', () => {
      expect(classifyMail(mail({ subject: 'Mail delivery failed for my order', body: 'Hello, I never got the confirmation for order 4711.' })).kind).toBe('human');
    });

    test.each(['Fwd: Undelivered Mail Returned to Sender', 'FW: Undeliverable: Printer', 'WG: Unzustellbar: Drucker', 'Re: failure notice'])(
      'a bounce a person forwards or answers: "%s"',
      (subject) => {
        const body = 'Can you check this? We cannot reach you.\n\n---------- Forwarded message ---------\nThis is the mail system at host mx.example.net.';
        expect(classifyMail(mail({ subject, body })).kind).toBe('human');
      },
    );

    test('an MTA text without a bounce subject', () => {
      expect(classifyMail(mail({ subject: 'Question', body: 'The original message was received at 10:00, what does that mean?' })).kind).toBe('human');
    });

    test('an MTA text past the first 1000 characters of the body is not read', () => {
      expect(classifyMail(mail({ subject: 'Undeliverable invoices', body: `${'x'.repeat(1000)} delivery has failed to these recipients` })).kind).toBe('human');
    });
  });

  test('the subject and text lists are lower case, as the rules compare them', () => {
    for (const phrase of [...BOUNCE_SUBJECTS, ...MTA_TEXTS]) expect(phrase).toBe(phrase.toLowerCase());
  });
});

describe('4. auto-replies', () => {
  test.each([
    ['Auto-Submitted: auto-replied', { 'auto-submitted': ['auto-replied'] }],
    ['Auto-Submitted: auto-generated', { 'auto-submitted': ['auto-generated'] }],
    ['X-Autoreply', { 'x-autoreply': ['yes'] }],
    ['X-Autorespond', { 'x-autorespond': ['yes'] }],
    ['Precedence: auto_reply', { precedence: ['auto_reply'] }],
    ['X-MS-Exchange-Inbox-Rules-Loop', { 'x-ms-exchange-inbox-rules-loop': ['anna@customer.example'] }],
    ['Return-Path: <>', { 'return-path': ['<>'] }],
  ] as Array<[string, Record<string, string[]>]>)('%s', (_label, headers) => {
    expect(classifyMail(mail({ headers })).kind).toBe('auto-reply');
  });

  test.each([
    ['Automatic reply: Printer on 3rd floor', 'automatic reply'],
    ['Auto reply: Printer', 'auto reply'],
    ['AutoReply: Printer', 'autoreply'],
    ['Auto-Reply: Printer', 'auto-reply'],
    ['Auto Response: Printer', 'auto response'],
    ['Out of Office: Printer', 'out of office'],
    ['Out of Office AutoReply: Printer', 'out of office autoreply'],
    ['Abwesenheitsnotiz: Drucker', 'abwesenheitsnotiz'],
    ['Automatische Antwort: Drucker', 'automatische antwort'],
    ['Réponse automatique : Imprimante', 'réponse automatique'],
    ['Respuesta automática: Impresora', 'respuesta automática'],
    ['Autosvar: Skrivare', 'autosvar'],
    ['[Automatyczna odpowiedź] test', 'automatyczna odpowiedź'],
    ['AUTO: Smith, John is out of the office. (returning 05/01/2010)', 'auto: … out of the office'],
  ])('subject "%s"', (subject, phrase) => {
    expect(classifyMail(mail({ subject }))).toEqual({ kind: 'auto-reply', reason: `auto-reply subject "${phrase}"` });
  });

  describe('near-misses stay human', () => {
    test('a person saying "I am out of office next week" in the body', () => {
      expect(classifyMail(mail({ subject: 'Laptop handover', body: 'Hi, I am out of office next week, please hand the laptop to Tom.\nThis is an automatic reply to nothing.' })).kind).toBe('human');
    });

    test.each([
      'Re: Automatic reply: Printer on 3rd floor',
      'AW: Abwesenheitsnotiz: Drucker',
      'Out of office next week',
      'Out of Office not syncing in Outlook',
      'Autoreply settings do not work',
      'Auto: insurance question',
      'Automatic replies are broken: please help',
      'Question about our auto reply: can you turn it off?',
    ])('subject "%s"', (subject) => {
      expect(autoReplySubject(subject.toLowerCase())).toBeUndefined();
      expect(classifyMail(mail({ subject })).kind).toBe('human');
    });

    test('X-Auto-Response-Suppress alone', () => {
      expect(classifyMail(mail({ headers: { 'x-auto-response-suppress': ['DR, RN, NRN, OOF, AutoReply'] } })).kind).toBe('human');
    });
  });
});

describe('5. bulk', () => {
  test('Precedence: junk with an auto-reply subject is an auto-reply (auto-replies come first)', () => {
    expect(classifyMail(mail({ subject: '[Automatyczna odpowiedź] test', headers: { precedence: ['junk'] } })).kind).toBe('auto-reply');
    expect(classifyMail(mail({ headers: { precedence: ['junk'] } }))).toEqual({ kind: 'bulk', reason: 'Precedence: junk' });
  });
});

describe('bounded input', () => {
  test('a huge subject, body and header values are read only in part', () => {
    const verdict = classifyMail(
      mail({
        subject: `Undeliverable: ${'x'.repeat(1_000_000)}`,
        body: `${'y '.repeat(1_000_000)}`,
        headers: { 'x-filler': Array.from({ length: 10_000 }, () => 'z'.repeat(10_000)) },
        contentType: `text/plain; ${'a=b; '.repeat(100_000)}`,
      }),
    );
    expect(verdict.kind).toBe('human');
  });
});

describe('whole messages through parseEmail', () => {
  const raw = (lines: string[], body: string) => Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body.replace(/\n/g, '\r\n')}`, 'utf8');

  test('a qmail bounce from a relay that does not say MAILER-DAEMON', async () => {
    const { parsed } = await parseEmail(
      raw(
        ['From: mail1.example.net <bounces@mail1.example.net>', 'To: support@helpdesk.example.org', 'Subject: failure notice', 'Message-ID: <q1@mail1.example.net>'],
        "Hi. This is the qmail-send program at mail1.example.net.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n",
      ),
    );
    expect(parsed.kind).toBe('bounce');
  });

  test('a bounce a person forwards as an attachment stays human', async () => {
    const bounce = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
      'Subject: Undelivered Mail Returned to Sender',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="inner"',
      '',
      '--inner',
      'Content-Type: text/plain',
      '',
      'This is the mail system at host mx.example.net.',
      '--inner',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      'Final-Recipient: rfc822; anna@customer.example',
      'Action: failed',
      'Status: 5.1.1',
      '--inner--',
    ].join('\r\n');
    const { parsed } = await parseEmail(
      raw(
        ['From: Anna Berg <anna@customer.example>', 'To: support@helpdesk.example.org', 'Subject: Fwd: Undelivered Mail Returned to Sender', 'Content-Type: multipart/mixed; boundary="outer"'],
        `--outer\nContent-Type: text/plain\n\nMy mail to you bounced, see attached.\n--outer\nContent-Type: message/rfc822\n\n${bounce}\n--outer--\n`,
      ),
    );
    expect(parsed.kind).toBe('human');
  });

  test('a bounce a person forwards inline stays human', async () => {
    const { parsed } = await parseEmail(
      raw(
        ['From: Anna Berg <anna@customer.example>', 'To: support@helpdesk.example.org', 'Subject: Fwd: Mail delivery failed: returning message to sender'],
        '---------- Forwarded message ---------\nFrom: Mail Delivery System <Mailer-Daemon@mx.example.net>\n\nThis message was created automatically by mail delivery software.\n',
      ),
    );
    expect(parsed.kind).toBe('human');
  });
});
