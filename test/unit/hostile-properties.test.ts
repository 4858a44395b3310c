// Property-based tests (fast-check): mail is hostile input. Whatever bytes arrive, the parser gives a
// result or an UnparseableEmailError (which the workflow records as the reason), never another
// exception; reply detection and the thread gate never throw; nothing from outside adds a header to
// mail we send; a forward found in any mail names one valid mailbox or none.
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { composeEmail } from '../../src/mail/compose-email';
import { findForward, StoredForward } from '../../src/mail/forwarded-email';
import { parseEmail, UnparseableEmailError } from '../../src/mail/parse-email';
import { normaliseAddress } from '../../src/domain/participants';
import { stripQuotedText, MAX_STRIPPED_CHARS } from '../../src/mail/strip-quotes';
import { decideThread, MESSAGE_ID_MAX, REPLY_MESSAGE_IDS_MAX, replyClues } from '../../src/domain/reply-detection';
import { maySpeakOnThread } from '../../src/domain/thread-permission';
import { WATERMARK_RESULTS_MAX, watermarkFor } from '../../src/domain/watermark';
import { EXTERNAL_NUMBERS_MAX, isExternalNumber, parseExternalTicketPatterns } from '../../src/domain/external-ticket-numbers';

// Fixed seeds keep a failure reproducible in CI; a failure prints its seed and the shrunk input.
const runs = (numRuns: number) => ({ numRuns, seed: 20261125 });

/** The invariants every parse result keeps, whatever the input. */
async function parsesSafely(raw: Buffer): Promise<void> {
  let result;
  try {
    result = await parseEmail(raw);
  } catch (err) {
    // The one failure allowed: it becomes the quarantine reason ("Unparseable email: ...").
    expect(err).toBeInstanceOf(UnparseableEmailError);
    return;
  }
  const { parsed, attachmentContents } = result;
  expect(parsed.subject).not.toMatch(/[\r\n]/);
  expect(parsed.shortDescription).not.toMatch(/[\r\n]/);
  expect(parsed.shortDescription.length).toBeGreaterThan(0);
  for (const a of [parsed.from, ...parsed.to, ...parsed.cc]) {
    if (!a) continue;
    expect(a.name).not.toMatch(/[\r\n]/);
    expect(a.address).not.toMatch(/\s/);
  }
  expect(parsed.description).not.toContain('\u0000');
  expect(Array.isArray(parsed.references)).toBe(true);
  expect(attachmentContents).toHaveLength(parsed.attachments.length);
  for (const a of parsed.attachments) expect(a.filename).not.toMatch(/[\r\n/\\]/);
  forwardIsSafe(await findForward(result, 'support@example.com'));
}

/** A forward's sender is one valid mailbox (lower-cased, not ours) or none with the reason; its one-line fields are one line. */
function forwardIsSafe(forward: StoredForward | null): void {
  if (!forward) return;
  if (forward.from) {
    expect(normaliseAddress(forward.from.address)).toBe(forward.from.address);
    expect(forward.from.address).not.toBe('support@example.com');
    expect(forward.from.name).not.toMatch(/[\r\n]/);
    expect(forward.problem).toBeNull();
  } else {
    expect(forward.problem).toEqual(expect.any(String));
  }
  expect(forward.subject).not.toMatch(/[\r\n]/);
  expect(forward.subject.length).toBeLessThanOrEqual(998);
  expect(forward.shortDescription).not.toMatch(/[\r\n]/);
  expect(forward.shortDescription.length).toBeGreaterThan(0);
  expect(typeof forward.notify).toBe('boolean');
}

// Pieces that break parsers: encoded words with CR/LF and NUL inside, 8-bit bytes, odd charsets.
const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '=?utf-8?B?SGVsbG8NCkJjYzogdmljdGltQGV4YW1wbGUuY29t?=', // "Hello\r\nBcc: victim@example.com"
    '=?utf-8?Q?a=0D=0ABcc:_x@y.example?=',
    '=?x-unknown?Q?abc?=',
    '=?utf-8?B?!!!not-base64?=',
    '=?utf-16?B?2D3YPQ==?=', // lone surrogates
    'caf\u00e9 \u00fc\u00f1\u00ee',
    '\u0000\u0007\u001b[31m',
    "'; DROP TABLE incidents; --",
    '<script>alert(1)</script>',
  ),
);

const transferEncoding = fc.constantFrom('7bit', '8bit', 'base64', 'quoted-printable', 'binary', 'x-unknown');
const charset = fc.constantFrom('utf-8', 'iso-8859-1', 'windows-1252', 'shift_jis', 'x-unknown', '');

/** A body for a transfer encoding, sometimes corrupted (broken base64, bad =XX escapes, raw 8-bit bytes). */
const body = fc.tuple(fc.string({ maxLength: 200 }), fc.boolean(), fc.uint8Array({ maxLength: 40 })).map(([text, corrupt, bytes]) =>
  corrupt ? `${text}=ZZ=\r\n@@@${Buffer.from(bytes).toString('latin1')}` : text,
);

interface Part {
  headers: string[];
  content: string;
}

const leafPart: fc.Arbitrary<Part> = fc
  .record({ type: fc.constantFrom('text/plain', 'text/html', 'application/pdf', 'message/rfc822', 'image/png'), cs: charset, cte: transferEncoding, name: hostileText, body })
  .map(({ type, cs, cte, name, body: content }) => ({
    headers: [
      `Content-Type: ${type}${cs ? `; charset=${cs}` : ''}; name="${name.replace(/"/g, '')}"`,
      `Content-Transfer-Encoding: ${cte}`,
      ...(type.startsWith('text/') ? [] : [`Content-Disposition: attachment; filename="${name.replace(/"/g, '')}"`]),
    ],
    content: cte === 'base64' ? Buffer.from(content).toString('base64') + (content.length % 3 ? '' : '=!') : content,
  }));

/** Multiparts nested up to `depth`, with boundaries that may be unterminated or missing. */
const part = (depth: number): fc.Arbitrary<Part> =>
  depth === 0
    ? leafPart
    : fc.oneof(
        leafPart,
        fc
          .record({ boundary: fc.stringMatching(/^[A-Za-z0-9'()+_,.\-=]{0,20}$/), children: fc.array(part(depth - 1), { maxLength: 4 }), terminated: fc.boolean() })
          .map(({ boundary, children, terminated }) => ({
            headers: [`Content-Type: multipart/${depth % 2 ? 'mixed' : 'alternative'}; boundary="${boundary}"`],
            content: children.map((c) => `--${boundary}\r\n${c.headers.join('\r\n')}\r\n\r\n${c.content}\r\n`).join('') + (terminated ? `--${boundary}--\r\n` : ''),
          })),
      );

const message = fc
  .record({ subject: hostileText, fromName: hostileText, root: part(4), cut: fc.option(fc.nat(), { nil: undefined }), lf: fc.boolean() })
  .map(({ subject, fromName, root, cut, lf }) => {
    const text = [`From: ${fromName} <sender@example.com>`, `Subject: ${subject}`, 'MIME-Version: 1.0', 'Message-ID: <x@example.com>', ...root.headers].join('\r\n') + `\r\n\r\n${root.content}`;
    const bytes = Buffer.from(lf ? text.replace(/\r\n/g, '\n') : text, 'latin1');
    // Truncated anywhere, as a broken upload or a hostile sender would.
    return cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
  });

describe('the parser never throws anything but UnparseableEmailError', () => {
  test('on arbitrary bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => parsesSafely(Buffer.from(bytes))), runs(300));
  });

  test('on generated MIME: nested and unterminated multiparts, broken encodings, unknown charsets, hostile headers', async () => {
    await fc.assert(fc.asyncProperty(message, parsesSafely), runs(300));
  });

  test('an encoded subject or name carrying CR LF never yields a second header line', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, async (subject, name) => {
        const { parsed } = await parseEmail(Buffer.from(`From: ${name} <a@b.example>\r\nSubject: ${subject}\r\n\r\nbody\r\n`, 'utf8'));
        expect(parsed.subject).not.toMatch(/[\r\n]/);
        expect(parsed.from?.name ?? '').not.toMatch(/[\r\n]/);
      }),
      runs(300),
    );
  });
});

test('a forward header of hostile From and Subject lines: one valid mailbox or none, never thrown on', async () => {
  const fromLine = fc.oneof(hostileText, fc.constantFrom('a@b.example, c@d.example', '<a@b.example<mailto:c@d.example>>', 'support@example.com', '"x" <>', '@', 'a@b@c.example'));
  await fc.assert(
    fc.asyncProperty(fromLine, hostileText, hostileText, async (from, subject, note) => {
      const text = `${note}\r\n\r\n---------- Forwarded message ---------\r\nFrom: ${from}\r\nSubject: ${subject}\r\nTo: x@y.example\r\n\r\nbody`;
      const raw = Buffer.from(`From: Agent <agent@example.com>\r\nSubject: Fwd: ${subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`, 'utf8');
      forwardIsSafe(await findForward(await parseEmail(raw), 'support@example.com'));
    }),
    runs(300),
  );
});

describe('reply detection never throws and stays bounded', () => {
  const messageIdish = fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('<a@b>', '<0100018f-xyz@email.amazonses.com>', '<>', '<<<>>>', '< @ >'));
  test('replyClues on any headers, subject and body', () => {
    fc.assert(
      fc.property(fc.option(messageIdish, { nil: null }), fc.array(messageIdish, { maxLength: 80 }), fc.string({ maxLength: 300 }), fc.string({ maxLength: 2000 }), (inReplyTo, references, subject, bodyText) => {
        const clues = replyClues({ inReplyTo, references, subject, body: bodyText });
        expect(clues.messageIds.length).toBeLessThanOrEqual(REPLY_MESSAGE_IDS_MAX);
        for (const id of clues.messageIds) expect(id.length).toBeLessThanOrEqual(MESSAGE_ID_MAX);
        expect(clues.watermarkNumbers.length).toBeLessThanOrEqual(WATERMARK_RESULTS_MAX);
        if (clues.subjectNumber !== null) expect(clues.subjectNumber).toMatch(/^INC\d{7}$/);
      }),
      runs(500),
    );
  });

  test("other helpdesks' numbers stay bounded and well-formed, and a number in their tag is never ours", () => {
    const patterns = parseExternalTicketPatterns([
      { system: 'acme', pattern: '\\[ACME (INC\\d{7})\\]' },
      { system: 'loose', pattern: '#([^#]+)#', body: true },
    ]);
    const piece = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('[ACME INC0012345]', 'INC0012345', ' ', '[INC0010001]', '#', '#INC0010001#', `#${'9'.repeat(120)}#`, '\u0000', 'Re: '));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.array(piece, { maxLength: 100 }), (subjectParts, bodyParts) => {
        const clues = replyClues({ inReplyTo: null, references: [], subject: subjectParts.join(''), body: bodyParts.join('') }, patterns);
        const numbers = clues.externalNumbers ?? [];
        expect(numbers.length).toBeLessThanOrEqual(EXTERNAL_NUMBERS_MAX);
        for (const n of numbers) expect(isExternalNumber(n)).toBe(true);
        if (clues.externalNumbers) expect(clues.externalNumbers.length).toBeGreaterThan(0);
        // Our number is only ever found outside their tags.
        if (clues.subjectNumber === 'INC0012345') expect(subjectParts.join('').replace(/\[ACME INC\d{7}\]/g, '')).toContain('INC0012345');
      }),
      runs(300),
    );
  });

  test('a watermark anywhere in a body is found, whatever surrounds it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), fc.integer({ min: 10001, max: 9999999 }), fc.string({ maxLength: 500 }), (before, n, after) => {
        const number = `INC${String(n).padStart(7, '0')}`;
        expect(replyClues({ inReplyTo: null, references: [], subject: '', body: `${before} ${watermarkFor(number)} ${after}` }).watermarkNumbers).toContain(number);
      }),
      runs(300),
    );
  });

  test('decideThread only ever returns an incident number that a lookup found', () => {
    const found = fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.integer({ min: 0, max: 9999999 }).map((n) => `INC${String(n).padStart(7, '0')}`)), { nil: null });
    fc.assert(
      fc.property(fc.boolean(), found, found, found, (forward, byMessageId, byWatermark, bySubject) => {
        const match = decideThread({ forward }, { byMessageId, byWatermark, bySubject });
        if (forward) expect(match).toBeNull();
        if (match) {
          expect(match.incidentNumber).toMatch(/^INC\d{7}$/);
          expect([byMessageId, byWatermark, bySubject]).toContain(match.incidentNumber);
        }
      }),
      runs(500),
    );
  });
});

describe('strangers never speak on a thread', () => {
  const address = fc.emailAddress().map((a) => a.toLowerCase());
  const verdict = fc.constantFrom('PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED') as fc.Arbitrary<'PASS'>;
  test('a sender who is not the reporter, the original sender, a participant or an agent is refused, whatever the verdicts', () => {
    fc.assert(
      fc.property(address, fc.uniqueArray(address, { maxLength: 8 }), fc.record({ spam: verdict, virus: verdict, spf: verdict, dkim: verdict, dmarc: verdict }), fc.boolean(), fc.boolean(), (sender, others, verdicts, upper, authenticated) => {
        const people = others.filter((o) => o !== sender);
        const [reporter = 'reporter@customer.example', original = 'original@customer.example', ...rest] = people;
        const permission = maySpeakOnThread({
          sender: upper ? sender.toUpperCase() : sender,
          verdicts,
          authenticated,
          reporterEmail: reporter,
          senderAddressOfIncident: original,
          participants: rest.slice(0, 3),
          agents: rest.slice(3),
        });
        expect(permission.allowed).toBe(false);
      }),
      runs(500),
    );
  });

  test('malformed sender strings are refused, never thrown on', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (sender) => {
        const verdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' } as const;
        const permission = maySpeakOnThread({ sender, verdicts, authenticated: true, reporterEmail: null, senderAddressOfIncident: 'someone@customer.example', participants: [], agents: [] });
        if (permission.allowed) expect(sender.trim().toLowerCase()).toBe('someone@customer.example');
      }),
      runs(500),
    );
  });
});

describe('mail we send', () => {
  test('no subject, name or header value from outside adds a header line or a recipient', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, hostileText, async (subject, name, loopValue) => {
        const raw = await composeEmail({
          from: { address: 'tickets@your-instance.example', name },
          to: ['customer@example.com'],
          cc: [],
          replyTo: 'tickets@your-instance.example',
          subject: `[INC0010001] ${subject}\r\nBcc: victim@example.com`,
          text: 'hello',
          messageId: '<m1@your-instance.example>',
          headers: { 'X-Email-To-Ticket-Loop': `${loopValue}\r\nBcc: victim@example.com` },
        });
        const head = raw.toString('latin1').split(/\r\n\r\n/)[0];
        // Unfolded, every header line is one of ours.
        const names = head.replace(/\r\n[ \t]/g, ' ').split('\r\n').map((l) => l.slice(0, l.indexOf(':')).toLowerCase());
        expect(names.filter((n) => n === 'bcc')).toEqual([]);
        expect(new Set(names)).toEqual(new Set(['from', 'reply-to', 'to', 'subject', 'message-id', 'x-email-to-ticket-loop', 'date', 'mime-version', 'content-type', 'content-transfer-encoding']));
        const parsed = await simpleParser(raw);
        expect(parsed.bcc).toBeUndefined();
        expect(parsed.subject ?? '').not.toMatch(/[\r\n]/);
      }),
      runs(150),
    );
  });
});

describe('quote stripping', () => {
  test('any text or HTML gives a string within the cap', () => {
    const html = fc.oneof(fc.string({ maxLength: 500 }), fc.array(fc.constantFrom('<div>', '</div>', '<blockquote>', '</blockquote>', '<p>', 'On Mon, X wrote:', '&nbsp;', '> quoted', '<br>', '<script>x</script>'), { maxLength: 200 }).map((a) => a.join('')));
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 1000 }), { nil: null }), fc.option(html, { nil: null }), (text, markup) => {
        const out = stripQuotedText({ text, html: markup });
        expect(typeof out).toBe('string');
        expect(out.length).toBeLessThanOrEqual(MAX_STRIPPED_CHARS);
      }),
      runs(200),
    );
  });
});

test('a subject that carries an encoded word as plain text goes out encoded, so it decodes to itself (found by the property above)', async () => {
  const literal = '=?utf-8?B?SGVsbG8NCkJjYzogdmljdGltQGV4YW1wbGUuY29t?='; // decodes to "Hello\r\nBcc: victim@example.com"
  const raw = await composeEmail({
    from: { address: 'tickets@your-instance.example', name: 'Service Desk' },
    to: ['customer@example.com'],
    cc: [],
    replyTo: 'tickets@your-instance.example',
    subject: `Re: [INC0010001] ${literal}`,
    text: 'hello',
    messageId: '<m2@your-instance.example>',
    headers: {},
  });
  const subject = (await simpleParser(raw)).subject ?? '';
  expect(subject).not.toMatch(/[\r\n]/);
  expect(subject.replace(/\u200b/g, '')).toBe(`Re: [INC0010001] ${literal}`);
});

test('multiparts nested 500 deep: a result or UnparseableEmailError (no recursion blow-up)', async () => {
  let body = 'innermost text';
  for (let depth = 500; depth > 0; depth--) body = `--b${depth}\r\nContent-Type: multipart/mixed; boundary="b${depth + 1}"\r\n\r\n${body}\r\n--b${depth}--\r\n`;
  const raw = Buffer.from(`From: a@b.example\r\nSubject: deep\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n${body}`);
  await parsesSafely(raw);
});
