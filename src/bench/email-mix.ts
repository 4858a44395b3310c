// The benchmark's emails: a deterministic mix (from a seed) of plain text, HTML-only, multipart with small
// attachments, a few with one large attachment (1-20 MB of random bytes) and ~10% replies to earlier ones.
// Only the plan is held in memory; each raw email is built when it is delivered.

/** Small deterministic PRNG (mulberry32): the same seed gives the same mix on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type BenchKind = 'plain' | 'html' | 'attachments' | 'large' | 'reply';

export interface BenchEmail {
  index: number;
  kind: BenchKind;
  customer: number;
  subject: string;
  /** Seed for this email's body and attachment bytes. */
  seed: number;
  /** Small attachments (kind 'attachments'): sizes in bytes. */
  attachmentSizes: number[];
  /** Kind 'large': the attachment's size in bytes. */
  largeBytes: number;
  /** Kind 'reply': index of the earlier email (same customer) it answers. */
  parent: number | null;
}

export interface MixOptions {
  count: number;
  seed: number;
  /** Share of emails with one large attachment (default 1%; at least 2 when count >= 100). */
  largeShare?: number;
  replyShare?: number;
}

/** 100 customers for 200 to 1000 emails; fewer for small runs (so that some can reply), more for large ones, so
 *  that no customer sends more than 10: the per-recipient auto-response limit (10 in 3 hours) is not the test. */
export const customerCount = (count: number) => Math.max(Math.ceil(count / 10), Math.min(100, Math.ceil(count / 2)));

const TOPICS = [
  'Printer on 3rd floor shows "Paper jam" but no paper is stuck',
  'VPN disconnects every 10 minutes',
  'Cannot log in to the expense portal',
  'Outlook keeps asking for my password',
  'Laptop battery drains in an hour',
  'Request: access to the finance share',
  'Wi-Fi in meeting room B is very slow',
  'Excel crashes when opening the Q3 report',
  'New starter needs an account on Monday',
  'Monitor flickers after the docking station update',
  'Phone extension 4411 has no dial tone',
  'Password reset link has expired',
  'Teams calls drop after a few minutes',
  'Shared calendar not visible for my team',
  'Disk almost full on my workstation',
];

const WORDS = 'the a it is not when after before my our this that screen error again since morning yesterday update restart tried already works fails message shows team colleague laptop office network report access please help urgent soon'.split(' ');

function sentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]);
  const text = out.join(' ');
  return text[0].toUpperCase() + text.slice(1) + '.';
}

function paragraph(rand: () => number): string {
  const n = 2 + Math.floor(rand() * 4);
  return Array.from({ length: n }, () => sentence(rand, 6 + Math.floor(rand() * 10))).join(' ');
}

/** The plan: which email is what. Customers take turns (each sends at most ceil(N / customers) emails). */
export function planMix(options: MixOptions): BenchEmail[] {
  const { count, seed } = options;
  const rand = prng(seed);
  const customers = customerCount(count);
  const largeCount = count >= 100 ? Math.max(2, Math.round(count * (options.largeShare ?? 0.01))) : Math.round(count * (options.largeShare ?? 0.01));
  const largeAt = new Set<number>();
  while (largeAt.size < Math.min(largeCount, count)) largeAt.add(Math.floor(rand() * count));
  // Replies can only follow a customer's first email: after the first round of customers.
  const replyShare = options.replyShare ?? 0.1;
  const replyProbability = count > customers ? Math.min(0.5, (replyShare * count) / (count - customers)) : 0;

  const emails: BenchEmail[] = [];
  const byCustomer = new Map<number, number[]>();
  let order: number[] = [];
  for (let index = 0; index < count; index++) {
    if (index % customers === 0) order = shuffled(customers, rand);
    const customer = order[index % customers];
    const earlier = (byCustomer.get(customer) ?? []).filter((i) => emails[i].kind !== 'reply');
    const base = { index, customer, seed: Math.floor(rand() * 2 ** 31), attachmentSizes: [] as number[], largeBytes: 0, parent: null as number | null };
    let email: BenchEmail;
    if (largeAt.has(index)) {
      email = { ...base, kind: 'large', subject: `Logs for the crash (${TOPICS[Math.floor(rand() * TOPICS.length)]})`, largeBytes: Math.floor((1 + rand() * 19) * 1024 * 1024) };
    } else if (earlier.length > 0 && rand() < replyProbability) {
      const parent = earlier[Math.floor(rand() * earlier.length)];
      email = { ...base, kind: 'reply', subject: `Re: ${emails[parent].subject}`, parent };
    } else {
      const r = rand();
      const subject = TOPICS[Math.floor(rand() * TOPICS.length)];
      if (r < 0.5) email = { ...base, kind: 'plain', subject };
      else if (r < 0.78) email = { ...base, kind: 'html', subject };
      else {
        const n = 1 + Math.floor(rand() * 3);
        email = { ...base, kind: 'attachments', subject, attachmentSizes: Array.from({ length: n }, () => 1024 + Math.floor(rand() * 200 * 1024)) };
      }
    }
    emails.push(email);
    byCustomer.set(customer, [...(byCustomer.get(customer) ?? []), index]);
  }
  return emails;
}

function shuffled(n: number, rand: () => number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Which copy of the mix: the durable and the direct run send the same emails from distinct addresses
 *  (the per-recipient auto-response limit must not mix the two) with distinct Message-IDs. */
export interface MixIdentity {
  runId: string;
  variant: 'durable' | 'direct';
}

export const customerAddress = (id: MixIdentity, customer: number) =>
  `customer-${String(customer).padStart(4, '0')}@${id.variant === 'direct' ? 'direct.' : ''}${id.runId}.bench.example.com`;

export const messageIdOf = (id: MixIdentity, index: number) => `<bench-${id.runId}-${id.variant}-${index}@bench.example.com>`;

/** Random bytes from a seed, base64 in 76-character lines. */
function base64Lines(bytes: Buffer): string {
  return bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
}

function randomBytesFrom(seed: number, size: number): Buffer {
  const rand = prng(seed);
  const out = Buffer.allocUnsafe(size);
  let i = 0;
  for (; i + 4 <= size; i += 4) out.writeUInt32LE(Math.floor(rand() * 4294967296), i);
  for (; i < size; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

function logText(seed: number, size: number): Buffer {
  const rand = prng(seed);
  const lines: string[] = [];
  let length = 0;
  for (let n = 0; length < size; n++) {
    const line = `2026-05-0${1 + (n % 9)}T10:${String(n % 60).padStart(2, '0')}:00Z ${rand() < 0.1 ? 'ERROR' : 'INFO'} ${sentence(rand, 8)}`;
    lines.push(line);
    length += line.length + 2;
  }
  return Buffer.from(lines.join('\r\n').slice(0, size));
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The raw MIME of one email, built now (large attachments are never kept beyond the delivery). */
export function buildRawEmail(mix: BenchEmail[], email: BenchEmail, id: MixIdentity, ticketAddress: string): Buffer {
  const rand = prng(email.seed);
  const from = customerAddress(id, email.customer);
  const name = `Bench Customer ${email.customer}`;
  const date = new Date(Date.UTC(2026, 4, 1, 9, 0, 0) + email.index * 1000).toUTCString().replace('GMT', '+0000');
  const headers = [
    `From: "${name}" <${from}>`,
    `To: <${ticketAddress}>`,
    `Subject: ${email.subject}`,
    `Date: ${date}`,
    `Message-ID: ${messageIdOf(id, email.index)}`,
    'MIME-Version: 1.0',
  ];
  const text = `Hello support,\r\n\r\n${paragraph(rand)}\r\n\r\n${paragraph(rand)}\r\n\r\nThanks,\r\n${name}\r\n`;
  const boundary = `bench-${email.seed.toString(36)}`;
  const textPart = ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', text].join('\r\n');
  const attachmentPart = (filename: string, contentType: string, bytes: Buffer) =>
    [`Content-Type: ${contentType}; name="${filename}"`, `Content-Disposition: attachment; filename="${filename}"`, 'Content-Transfer-Encoding: base64', '', base64Lines(bytes)].join('\r\n');
  const multipart = (parts: string[]) =>
    [...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', ...parts.map((p) => `--${boundary}\r\n${p}`), `--${boundary}--`, ''].join('\r\n');

  switch (email.kind) {
    case 'plain':
      return Buffer.from([...headers, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', text].join('\r\n'));
    case 'html': {
      const html = `<html><head><style>p{margin:0}</style></head><body><p>Hello support,</p><p>${escapeHtml(paragraph(rand))}</p><ul><li>${escapeHtml(sentence(rand, 6))}</li><li>${escapeHtml(sentence(rand, 6))}</li></ul><p>Thanks,<br>${escapeHtml(name)}</p></body></html>`;
      return Buffer.from([...headers, 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', html, ''].join('\r\n'));
    }
    case 'attachments':
      return Buffer.from(
        multipart([
          textPart,
          ...email.attachmentSizes.map((size, i) =>
            i % 2 === 0 ? attachmentPart(`app-${i + 1}.log`, 'text/plain', logText(email.seed + i, size)) : attachmentPart(`screenshot-${i + 1}.png`, 'image/png', randomBytesFrom(email.seed + i, size)),
          ),
        ]),
      );
    case 'large':
      return Buffer.from(multipart([textPart, attachmentPart('crash-dump.bin', 'application/octet-stream', randomBytesFrom(email.seed, email.largeBytes))]));
    case 'reply': {
      const parent = mix[email.parent!];
      const parentId = messageIdOf(id, parent.index);
      const quoted = `On ${new Date(Date.UTC(2026, 4, 1, 9, 0, 0) + parent.index * 1000).toUTCString()}, ${name} <${from}> wrote:\r\n> ${paragraph(prng(parent.seed)).replace(/(.{1,70})(\s|$)/g, '$1\r\n> ')}`;
      return Buffer.from(
        [...headers, `In-Reply-To: ${parentId}`, `References: ${parentId}`, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', `Still happening: ${sentence(rand, 10)}\r\n\r\n${quoted}\r\n`].join('\r\n'),
      );
    }
  }
}
