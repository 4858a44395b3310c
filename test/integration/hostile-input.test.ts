// Hostile input through the real path: each gets a clear outcome, nothing crashes, nothing leaks.
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { getIncident } from '../../src/db/incidents';
import { newId, openStack } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

const mail = (headers: string[], body: string) => Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}`, 'utf8');

async function inboundRow(id: string) {
  return (await stack.ctx.pool.query('SELECT stage, reason FROM inbound_emails WHERE ses_message_id = $1', [id])).rows[0] as { stage: string; reason: string | null };
}

test('more MIME parts than the parser allows: quarantined with the reason, no incident, the raw email kept', async () => {
  const id = newId('parts');
  const parts = Array.from({ length: 1200 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join('');
  await stack.deliver(mail([`From: ${id}@customer.example`, 'Subject: many parts', 'Content-Type: multipart/mixed; boundary="b"'], `${parts}--b--\r\n`), { messageId: id });
  const status = await stack.settle(id);
  expect(status.stage).toBe('quarantined');
  expect(status.reason).toMatch(/^UnparseableEmail: Unparseable email:/);
  expect(await stack.incidentsFor(id)).toEqual([]);
  expect(await inboundRow(id)).toMatchObject({ stage: 'quarantined', reason: expect.stringMatching(/^UnparseableEmail/) });
  const { bucket, prefix } = stack.ctx.config.inbound;
  await expect(stack.ctx.aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: prefix + id }))).resolves.toBeDefined();
});

test('an email over MAX_RAW_EMAIL_BYTES is quarantined with its size and the limit, not read', async () => {
  const id = newId('huge');
  const limit = stack.ctx.config.maxRawEmailBytes;
  const raw = mail([`From: ${id}@customer.example`, 'Subject: too big'], 'x'.repeat(limit + 1024));
  await stack.deliver(raw, { messageId: id });
  const status = await stack.settle(id, 90_000);
  expect(status.stage).toBe('quarantined');
  // As stored: SES writes its headers above the message.
  const { bucket, prefix } = stack.ctx.config.inbound;
  const stored = (await stack.ctx.aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: prefix + id }))).ContentLength!;
  expect(stored).toBeGreaterThan(raw.length);
  expect(status.reason).toBe(`EmailTooLarge: Raw email is ${stored} bytes, above the limit of ${limit}`);
  expect(await stack.incidentsFor(id)).toEqual([]);
}, 120_000);

test('SQL metacharacters, markup and an encoded CR LF in subject, name and body: stored as text, one line, nothing injected', async () => {
  const id = newId('sql');
  const subject = `Printer'); DROP TABLE incidents; -- $1 \\ <script>alert(1)</script> =?utf-8?B?${Buffer.from('x\r\nBcc: victim@example.com').toString('base64')}?=`;
  await stack.deliver(
    mail(
      [`From: "Robert'); DROP TABLE users;--" <${id}@customer.example>`, `Subject: ${subject}`, `Message-ID: <${id}@test.example>`, 'Content-Type: text/html; charset=utf-8'],
      `<p>It says <b>"' OR 1=1 --</b></p><script>document.location='http://evil.example'</script><img src=x onerror=alert(1)>`,
    ),
    { messageId: id },
  );
  const status = await stack.settle(id);
  expect(status.stage).toBe('confirmed');
  const incident = (await getIncident(stack.ctx.pool, status.incidentNumber!))!;
  expect(incident.shortDescription).toBe(`Printer'); DROP TABLE incidents; -- $1 \\ <script>alert(1)</script> x Bcc: victim@example.com`);
  expect(incident.description).toContain(`It says "' OR 1=1 --`);
  expect(incident.description).not.toMatch(/<script|document\.location|onerror/);
  expect(incident.sender).toMatchObject({ address: `${id}@customer.example`, name: "Robert'); DROP TABLE users;--" });
  // The tables are all still there.
  expect((await stack.ctx.pool.query("SELECT count(*)::int AS n FROM incidents WHERE number = $1", [incident.number])).rows[0].n).toBe(1);

  const [confirmation] = (await stack.outbox()).filter((m) => m.to.includes(`${id}@customer.example`));
  expect(confirmation).toBeDefined();
  const head = (confirmation.raw ?? '').split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]/g, ' ');
  const names = head.split(/\r?\n/).map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
  expect(names).not.toContain('bcc');
  expect(confirmation.to).toEqual([`${id}@customer.example`]);
});
