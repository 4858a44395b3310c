import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import {
  buildHeaderMap,
  htmlToPlainText,
  parseEmail,
  ParsedMail,
  repairRawEncoding,
  sanitizeFilename,
  truncationMarker,
  UnparseableEmailError,
} from '../../src/mail/parse-email';

const FIXTURES = path.resolve(__dirname, '../fixtures');

function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

async function parseFixture(name: string): Promise<ParsedMail> {
  return parseEmail(fixture(name));
}

function mail(lines: string[], body = 'Body\n'): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8');
}

describe('parseEmail: fixtures', () => {
  test('plain-text.eml: a printer request', async () => {
    const { parsed, attachmentContents, headerVerdicts } = await parseFixture('plain-text.eml');
    expect(parsed).toEqual({
      messageId: '<CAF1234567890.printer@mail.example.com>',
      subject: 'Printer on 3rd floor (HP LaserJet M507) shows "Paper jam" but no paper is stuck',
      shortDescription: 'Printer on 3rd floor (HP LaserJet M507) shows "Paper jam" but no paper is stuck',
      description: expect.stringMatching(/^Hello IT team,\n\nsince this morning the printer PRN-3F-EAST[\s\S]*ext\. 4471$/),
      from: { address: 'anna.berg@example.com', name: 'Berg, Anna' },
      to: [{ address: 'support@helpdesk.example.org', name: 'IT Support' }],
      cc: [
        { address: 'tom.keller@example.com', name: 'Tom Keller' },
        { address: 'facilities@example.com', name: '' },
      ],
      inReplyTo: null,
      references: [],
      kind: 'human',
      attachments: [],
    });
    expect(parsed.description).toContain('"Paper jam in tray 2"');
    expect(parsed.description).not.toContain('\r');
    expect(attachmentContents).toEqual([]);
    expect(headerVerdicts).toEqual({ spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' });
  });

  test('html-only.eml: HTML becomes plain text without script or style', async () => {
    const { parsed } = await parseFixture('html-only.eml');
    expect(parsed.subject).toBe('VPN disconnects every 10 minutes');
    expect(parsed.description).toContain('VPN problem');
    expect(parsed.description).toContain('my VPN client drops the connection every 10 minutes.');
    expect(parsed.description).toContain('The log says "tunnel keepalive timeout".');
    expect(parsed.description).toContain(' * Laptop: ThinkPad T14');
    expect(parsed.description).toContain('the status page [https://status.example.net/vpn]');
    expect(parsed.description).toContain('Regards,\nMarco');
    for (const banned of ['alert', 'xss-from-script', 'secret-style-rule', 'inline-style-rule', 'color:', 'ignored title', '<', 'cid:']) {
      expect(parsed.description).not.toContain(banned);
    }
    expect(parsed.description).not.toMatch(/\n{3,}/);
    expect(parsed.kind).toBe('human');
    expect(parsed.attachments).toEqual([]);
  });

  test('multipart-attachment.eml: text body, an inline image and a PDF', async () => {
    const { parsed, attachmentContents } = await parseFixture('multipart-attachment.eml');
    expect(parsed.description).toBe(
      'Hello,\n\nmy monitor flickers, see the screenshot below. The scan of the invoice\nis attached as a PDF.\n\nLi Wei',
    );
    expect(parsed.attachments).toEqual([
      { filename: 'screenshot.png', contentType: 'image/png', size: 69, inline: true },
      { filename: 'invoice-2025-03.pdf', contentType: 'application/pdf', size: 193, inline: false },
    ]);
    expect(attachmentContents).toHaveLength(2);
    expect(attachmentContents[0].subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(attachmentContents[1].toString('latin1', 0, 8)).toBe('%PDF-1.1');
    expect(attachmentContents.map((b) => b.length)).toEqual(parsed.attachments.map((a) => a.size));
  });

  test('latin1.eml: ISO-8859-1 quoted-printable body and RFC 2047 subject', async () => {
    const { parsed } = await parseFixture('latin1.eml');
    expect(parsed.subject).toBe('Outlook öffnet nicht mehr - dringend für Geschäftsführung');
    expect(parsed.shortDescription).toBe(parsed.subject);
    expect(parsed.from).toEqual({ address: 'juergen.mueller@example.de', name: 'Jürgen Müller' });
    expect(parsed.description).toContain('seit dem Update öffnet sich Outlook nicht mehr.');
    expect(parsed.description).toContain('Mit freundlichen Grüßen\nJürgen Müller');
    expect(parsed.description).not.toContain('\uFFFD');
  });

  test('out-of-office.eml: Auto-Submitted makes an auto-reply; threading headers kept', async () => {
    const { parsed } = await parseFixture('out-of-office.eml');
    expect(parsed.kind).toBe('auto-reply');
    expect(parsed.inReplyTo).toBe('<inc0010042-confirmation@helpdesk.example.org>');
    expect(parsed.references).toEqual(['<inc0010042-confirmation@helpdesk.example.org>']);
  });

  test('bounce.eml: a delivery-status report from MAILER-DAEMON', async () => {
    const { parsed, attachmentContents } = await parseFixture('bounce.eml');
    expect(parsed.kind).toBe('bounce');
    expect(parsed.from).toEqual({ address: 'mailer-daemon@mx.example.com', name: 'Mail Delivery System' });
    expect(parsed.description).toContain('550 5.1.1 User unknown');
    expect(parsed.attachments).toEqual([{ filename: 'attachment-1', contentType: 'text/rfc822-headers', size: attachmentContents[0].length, inline: false }]);
    expect(attachmentContents[0].toString()).toContain('<inc0010042-confirmation@helpdesk.example.org>');
  });

  test('mailing-list.eml: List-Id makes it bulk', async () => {
    const { parsed } = await parseFixture('mailing-list.eml');
    expect(parsed.kind).toBe('bulk');
    expect(parsed.subject).toBe('March product updates');
  });

  test('no-subject.eml: empty subject, short description from the body', async () => {
    const { parsed } = await parseFixture('no-subject.eml');
    expect(parsed.subject).toBe('');
    expect(parsed.shortDescription).toBe('My badge does not open the garage door since Monday.');
    expect(parsed.description).toBe('My badge does not open the garage door since Monday.\nBadge number 0815-2231.');
  });

  test('encoded-crlf-subject.eml: a decoded CR LF and fake Bcc stay on one line', async () => {
    const { parsed } = await parseFixture('encoded-crlf-subject.eml');
    expect(parsed.subject).toBe('Printer broken Bcc: victim@evil.example Injected body line');
    expect(parsed.shortDescription).toBe(parsed.subject);
    for (const field of [parsed.subject, parsed.shortDescription, parsed.from!.name]) expect(field).not.toMatch(/[\r\n]/);
  });

  test('spoofed-verdicts.eml: only the topmost SES headers are believed', async () => {
    const { headerVerdicts, parsed } = await parseFixture('spoofed-verdicts.eml');
    expect(headerVerdicts).toEqual({ spam: 'FAIL', virus: 'PASS', spf: 'FAIL', dkim: 'GRAY', dmarc: 'FAIL' });
    expect(parsed.kind).toBe('human');
  });

  test('every fixture parses to one-line subjects and names, no NUL, references an array', async () => {
    const names = readdirFixtures();
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const name of names) {
      const { parsed, attachmentContents } = await parseFixture(name);
      expect(parsed.subject).not.toMatch(/[\r\n]/);
      expect(parsed.shortDescription).not.toMatch(/[\r\n]/);
      for (const a of [parsed.from, ...parsed.to, ...parsed.cc]) if (a) expect(a.name).not.toMatch(/[\r\n]/);
      expect(parsed.description).not.toContain('\u0000');
      expect(Array.isArray(parsed.references)).toBe(true);
      expect(attachmentContents).toHaveLength(parsed.attachments.length);
    }
  });
});

function readdirFixtures(): string[] {
  return readdirSync(FIXTURES).filter((f) => f.endsWith('.eml'));
}

describe('parseEmail: bodies', () => {
  test('description is trimmed and capped with a marker', async () => {
    const body = `\n\n   ${'a'.repeat(500)}   \n\n`;
    const { parsed } = await parseEmail(mail(['Subject: long'], body), { maxDescriptionChars: 100 });
    expect(parsed.description).toBe(`${'a'.repeat(100)}\n\n${truncationMarker(100)}`);
    expect(truncationMarker(100)).toBe('[… description truncated at 100 characters]');
  });

  test('the default cap is 100 000 characters', async () => {
    const { parsed } = await parseEmail(mail(['Subject: huge'], 'b'.repeat(150_000)));
    expect(parsed.description.startsWith('b'.repeat(100_000) + '\n\n[… description truncated at 100000 characters]')).toBe(true);
    const small = await parseEmail(mail(['Subject: small'], 'c'.repeat(100_000)));
    expect(small.parsed.description).toBe('c'.repeat(100_000));
  });

  test('the cut never splits a surrogate pair', async () => {
    const { parsed } = await parseEmail(mail(['Subject: emoji', 'Content-Type: text/plain; charset=utf-8'], 'a' + '😀'.repeat(10)), {
      maxDescriptionChars: 4,
    });
    expect(parsed.description.split('\n')[0]).toBe('a😀');
  });

  test('NUL and other control characters never reach the description', async () => {
    const { parsed } = await parseEmail(mail(['Subject: a\u0000b'], 'one\u0000two\u001b[31mred\tTab\r\nnext'));
    expect(parsed.description).toBe('onetwo[31mred\tTab\nnext');
    expect(parsed.subject).toBe('a b');
  });

  test('text part wins over the HTML alternative', async () => {
    const raw = mail(
      ['Subject: alt', 'MIME-Version: 1.0', 'Content-Type: multipart/alternative; boundary="b"'],
      '--b\r\nContent-Type: text/plain\r\n\r\nplain version\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>html version</p>\r\n--b--\r\n',
    );
    expect((await parseEmail(raw)).parsed.description).toBe('plain version');
  });

  test('HTML-only in multipart/alternative is converted', async () => {
    const raw = mail(
      ['Subject: alt', 'MIME-Version: 1.0', 'Content-Type: multipart/alternative; boundary="b"'],
      '--b\r\nContent-Type: text/html\r\n\r\n<h2>Title</h2><p>only &amp; html</p><script>evil()</script>\r\n--b--\r\n',
    );
    expect((await parseEmail(raw)).parsed.description).toBe('Title\n\nonly & html');
  });

  test('pathologically nested HTML still yields its text', async () => {
    const html = '<div>'.repeat(5000) + 'deep text' + '</div>'.repeat(5000);
    expect((await parseEmail(mail(['Subject: deep', 'Content-Type: text/html'], html))).parsed.description).toBe('deep text');
  });

  test('htmlToPlainText drops script and style, keeps link targets as text', () => {
    const text = htmlToPlainText('<style>a{}</style><p>Hi <a href="https://x.example/">here</a><script>bad()</script></p>');
    expect(text).toBe('Hi here [https://x.example/]');
  });

  test('undeclared Latin-1 in headers and body is decoded, not replaced by U+FFFD', async () => {
    const raw = Buffer.concat([
      Buffer.from('From: "J', 'latin1'),
      Buffer.from([0xfc]),
      Buffer.from('rgen" <j@example.de>\r\nTo: Heinz =?iso-8859-1?Q?M', 'latin1'),
      Buffer.from([0xfc]),
      Buffer.from('ller?= <h@example.de>\r\nSubject: Gr', 'latin1'),
      Buffer.from([0xfc]),
      Buffer.from('n\r\n\r\nSch', 'latin1'),
      Buffer.from([0xf6]),
      Buffer.from('n\r\n', 'latin1'),
    ]);
    const { parsed } = await parseEmail(raw);
    expect(parsed.from).toEqual({ address: 'j@example.de', name: 'Jürgen' });
    expect(parsed.to).toEqual([{ address: 'h@example.de', name: 'Heinz Müller' }]);
    expect(parsed.subject).toBe('Grün');
    expect(parsed.description).toBe('Schön');
  });

  test('UTF-8 headers and bodies are left as they are', async () => {
    const raw = mail(['From: Zoë <z@example.com>', 'Subject: Café ☕', 'Content-Type: text/plain; charset=utf-8'], 'Grüße ☕');
    expect(repairRawEncoding(raw)).toBe(raw);
    const { parsed } = await parseEmail(raw);
    expect(parsed.subject).toBe('Café ☕');
    expect(parsed.description).toBe('Grüße ☕');
  });
});

describe('parseEmail: addresses and ids', () => {
  test('groups are flattened, addresses lower-cased, names on one line', async () => {
    const raw = mail([
      'From: =?utf-8?B?' + Buffer.from('Eve\r\nBcc: x@evil.example').toString('base64') + '?= <EVE@Example.COM>',
      'To: Team: A <a@example.com>, b@example.com;, C <C@Example.com>',
      'Cc: undisclosed-recipients:;',
      'Subject: x',
    ]);
    const { parsed } = await parseEmail(raw);
    expect(parsed.from).toEqual({ address: 'eve@example.com', name: 'Eve Bcc: x@evil.example' });
    expect(parsed.to).toEqual([
      { address: 'a@example.com', name: 'A' },
      { address: 'b@example.com', name: '' },
      { address: 'c@example.com', name: 'C' },
    ]);
    expect(parsed.cc).toEqual([]);
  });

  test('missing From, Message-ID and threading headers', async () => {
    const { parsed } = await parseEmail(mail(['Subject: x']));
    expect(parsed.from).toBeNull();
    expect(parsed.messageId).toBeNull();
    expect(parsed.inReplyTo).toBeNull();
    expect(parsed.references).toEqual([]);
  });

  test('References are always an array of bracketed ids, also when run together', async () => {
    const one = await parseEmail(mail(['Subject: x', 'References: <a@x>']));
    expect(one.parsed.references).toEqual(['<a@x>']);
    const many = await parseEmail(mail(['Subject: x', 'References: <a@x>\r\n <b@x><c@x>', 'In-Reply-To: <c@x> (sent by Bob)']));
    expect(many.parsed.references).toEqual(['<a@x>', '<b@x>', '<c@x>']);
    expect(many.parsed.inReplyTo).toBe('<c@x>');
  });

  test('a very long References keeps the root and the latest ids', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `<id${i}@x>`);
    const { parsed } = await parseEmail(mail(['Subject: x', `References: ${ids.join('\r\n ')}`]));
    expect(parsed.references).toHaveLength(100);
    expect(parsed.references[0]).toBe('<id0@x>');
    expect(parsed.references[99]).toBe('<id299@x>');
  });
});

describe('parseEmail: attachments', () => {
  test.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\eve\\evil.exe', 'evil.exe'],
    ['report\u0000.pdf', 'report.pdf'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['line\r\nbreak.txt', 'linebreak.txt'],
    ['', 'attachment-3'],
    [undefined, 'attachment-3'],
    ['..', 'attachment-3'],
    ['dir/', 'attachment-3'],
  ])('sanitizeFilename(%j) = %j', (input, expected) => {
    expect(sanitizeFilename(input, 3)).toBe(expected);
  });

  test('long file names are cut to 200 characters, keeping the extension', () => {
    const name = sanitizeFilename('x'.repeat(300) + '.pdf', 1);
    expect(name).toHaveLength(200);
    expect(name.endsWith('.pdf')).toBe(true);
  });

  test('attachment names from the mail are sanitised', async () => {
    const raw = mail(
      ['Subject: x', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'],
      '--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n' +
        '--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="../../x/evil.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n' +
        '--b\r\nContent-Type: application/zip\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--b--\r\n',
    );
    const { parsed, attachmentContents } = await parseEmail(raw);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['evil.bin', 'attachment-2']);
    expect(parsed.attachments.map((a) => a.inline)).toEqual([false, false]);
    expect(attachmentContents[0]).toEqual(Buffer.from([0, 1, 2]));
  });
});

describe('parseEmail: headers', () => {
  test('header map keeps every occurrence, unfolded, in order', () => {
    const map = buildHeaderMap([
      { key: 'received', line: 'Received: from a\r\n by b' },
      { key: 'received', line: 'Received: from c' },
      { key: 'subject', line: 'Subject: x' },
    ]);
    expect(map.received).toEqual(['from a by b', 'from c']);
    expect(map.subject).toEqual(['x']);
  });
});

describe('parseEmail: hostile and broken input', () => {
  test.each([
    ['empty', Buffer.alloc(0)],
    ['binary junk', Buffer.from([0, 1, 2, 255, 254, 10, 10, 0x80, 0])],
    ['headers only', Buffer.from('Subject: x')],
    ['empty boundary', Buffer.from('Content-Type: multipart/mixed; boundary=""\n\n--\nx')],
    ['unterminated multipart', Buffer.from('Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nhello')],
    ['bad base64', Buffer.from('Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n@@@@!!!!')],
    ['unknown charset', Buffer.from('Subject: =?x-unknown?Q?abc?=\nContent-Type: text/plain; charset=x-unknown\n\nhello')],
  ])('%s does not throw', async (_label, raw) => {
    const { parsed } = await parseEmail(raw);
    expect(typeof parsed.description).toBe('string');
    expect(parsed.subject).not.toMatch(/[\r\n]/);
  });

  test('when mailparser rejects, the error says Unparseable email', async () => {
    // More MIME parts than mailparser allows (maxChildNodes, default 1000) is one thing it rejects.
    const parts = Array.from({ length: 1100 }, () => '--b\r\nContent-Type: text/plain\r\n\r\nx\r\n').join('');
    const raw = mail(['Subject: x', 'Content-Type: multipart/mixed; boundary="b"'], parts + '--b--\r\n');
    await expect(parseEmail(raw)).rejects.toThrow(/^Unparseable email:/);
    await expect(parseEmail(raw)).rejects.toBeInstanceOf(UnparseableEmailError);
  });
});

describe('repairRawEncoding', () => {
  test('declares Windows-1252 on an undeclared 8-bit text body, keeping line endings', () => {
    const raw = Buffer.concat([Buffer.from('Subject: x\r\nContent-Type: text/plain\r\n\r\nSch', 'latin1'), Buffer.from([0xf6]), Buffer.from('n\r\n')]);
    const repaired = repairRawEncoding(raw).toString('latin1');
    expect(repaired.startsWith('Subject: x\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\nSch')).toBe(true);
  });

  test('a declared charset is respected, and encoded bodies are not touched', () => {
    const latin = Buffer.concat([Buffer.from('Content-Type: text/plain; charset=koi8-r\n\n'), Buffer.from([0xf0, 0xd2])]);
    expect(repairRawEncoding(latin)).toBe(latin);
    const qp = Buffer.concat([Buffer.from('Content-Transfer-Encoding: quoted-printable\n\n'), Buffer.from([0xf0])]);
    expect(repairRawEncoding(qp)).toBe(qp);
  });

  test('a message that starts with a blank line gets no header added to its body', async () => {
    const raw = Buffer.concat([Buffer.from('\n\nbody '), Buffer.from([0xfc])]);
    const { parsed } = await parseEmail(raw);
    expect(parsed.description).not.toContain('Content-Type');
  });

  test('raw 8-bit header text follows the declared charset of a single-part message', async () => {
    const raw = Buffer.concat([
      Buffer.from('Subject: '),
      Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]), // "Привет" in KOI8-R
      Buffer.from('\nContent-Type: text/plain; charset=koi8-r\n\nx\n'),
    ]);
    expect((await parseEmail(raw)).parsed.subject).toBe('Привет');
  });
});

describe('lone UTF-16 surrogates from hostile encoded words', () => {
  // =?UTF-16LE?B?QQAA2EIA?= decodes to "A\ud800B": not encodable as UTF-8 (S3 keys, JSON, PostgreSQL).
  const raw = Buffer.from(
    [
      'From: =?UTF-16LE?B?QQAA2EIA?= <x@example.com>',
      'To: tickets@example.com',
      'Subject: =?UTF-16LE?B?QQAA2EIA?=',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'body',
      '--b',
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment; filename="=?UTF-16LE?B?QQAA2EIA?="',
      'Content-Transfer-Encoding: base64',
      '',
      'AAEC',
      '--b--',
      '',
    ].join('\r\n'),
  );

  test('never reach the parse result', async () => {
    const { parsed } = await parseEmail(raw);
    const strings = [parsed.subject, parsed.shortDescription, parsed.from?.name ?? '', ...parsed.attachments.map((a) => a.filename)];
    for (const s of strings) {
      expect(s).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      expect(() => encodeURIComponent(s)).not.toThrow();
    }
    expect(parsed.attachments).toHaveLength(1);
  });
});

// The jest timeout is the guard: quadratic trimming of 400,000 spaces would run for minutes.
test('an HTML body of 400,000 non-breaking spaces is parsed without quadratic work', async () => {
  const raw = Buffer.from(
    ['From: a@example.com', 'To: tickets@example.com', 'Subject: spaces', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', '', `<p>${'&nbsp;'.repeat(400_000)}x</p>`].join('\r\n'),
  );
  const { parsed } = await parseEmail(raw);
  expect(parsed.description.endsWith('x')).toBe(true);
}, 15_000);

describe('parseEmail: the From header\'s mailboxes (one valid mailbox or none)', () => {
  test.each([
    ['Anna <anna@example.com>', ['anna@example.com']],
    ['a@example.com, b@example.org', ['a@example.com', 'b@example.org']],
    ['Group: a@x.example, b@y.example;', ['a@x.example', 'b@y.example']],
    ['"Name" <@some-domain>', ['@some-domain']],
    ['undisclosed:;', []],
  ])('From: %s lists %j', async (from, mailboxes) => {
    const { fromMailboxes } = await parseEmail(mail([`From: ${from}`, 'To: t@example.com', 'Subject: s']));
    expect(fromMailboxes).toEqual(mailboxes);
  });

  test('a From listing hundreds of mailboxes keeps a few, each cut short', async () => {
    const many = Array.from({ length: 500 }, (_, i) => `${'x'.repeat(400)}${i}@example.com`).join(', ');
    const { fromMailboxes } = await parseEmail(mail([`From: ${many}`, 'To: t@example.com', 'Subject: s']));
    expect(fromMailboxes.length).toBe(10);
    expect(Math.max(...fromMailboxes.map((m) => m.length))).toBeLessThanOrEqual(300);
  });
});

test('an internationalised domain comes out in its ASCII (punycode) form, as SES checks and names it', async () => {
  const raw = Buffer.from('From: Joerg <joerg@xn--mnchen-3ya.example>\r\nTo: =?utf-8?Q?M=C3=BCller?= <m@m\u00fcnchen.example>\r\nSubject: x\r\n\r\nhi\r\n', 'utf8');
  const { parsed, fromMailboxes } = await parseEmail(raw);
  expect(parsed.from?.address).toBe('joerg@xn--mnchen-3ya.example');
  expect(fromMailboxes).toEqual(['joerg@xn--mnchen-3ya.example']);
  expect(parsed.to[0].address).toBe('m@xn--mnchen-3ya.example');
});

describe('content ids of attachments', () => {
  test('each attachment has its Content-ID without <> (what a cid: URL names), in the order of the list', async () => {
    const mail = await parseEmail(fixture('multipart-attachment.eml'));
    expect(mail.parsed.attachments.map((a) => a.filename)).toEqual(['screenshot.png', 'invoice-2025-03.pdf']);
    expect(mail.attachmentContentIds).toEqual(['screenshot-1@example.com', null]);
    expect(mail.bodies.html).toContain('cid:screenshot-1@example.com');
  });
});
