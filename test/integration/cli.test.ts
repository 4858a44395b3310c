// The operator CLI's JSON outputs are a contract: run the real binary against the test stack.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_STACK_ENV } from './stack-env';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'bin', 'email-to-ticket.js');
const FIXTURES = join(__dirname, '..', 'fixtures');

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, ...TEST_STACK_ENV } });
  return stdout;
}

test('parse --json works offline and gives the contract fields', async () => {
  const { stdout } = await run(process.execPath, [CLI, 'parse', join(FIXTURES, 'multipart-attachment.eml'), '--json'], {
    env: { PATH: process.env.PATH, STACK_DIR: '/nonexistent' },
  });
  const parsed = JSON.parse(stdout);
  expect(Object.keys(parsed).sort()).toEqual(
    ['attachments', 'cc', 'description', 'from', 'inReplyTo', 'kind', 'messageId', 'references', 'shortDescription', 'subject', 'to'].sort(),
  );
  expect(parsed.kind).toBe('human');
  expect(parsed.from).toEqual({ address: 'li.wei@example.com', name: 'Li Wei' });
  expect(parsed.attachments.length).toBeGreaterThan(0);
  for (const a of parsed.attachments) expect(Object.keys(a).sort()).toEqual(['contentType', 'filename', 'inline', 'size']);
});

test('ingest -> wait -> incident show -> outbox, through the binary', async () => {
  const id = (await cli('ingest', join(FIXTURES, 'latin1.eml'))).trim();
  expect(id).toMatch(/^[a-z0-9]{40}$/);
  const status = JSON.parse(await cli('wait', id, '--json'));
  expect(status).toMatchObject({ stage: 'confirmed', reason: null });
  expect(status.incidentNumber).toMatch(/^INC\d{7}$/);
  expect(JSON.parse(await cli('status', id, '--json'))).toMatchObject({ stage: 'confirmed', incidentNumber: status.incidentNumber });

  const incident = JSON.parse(await cli('incident', 'show', status.incidentNumber, '--json'));
  expect(incident).toMatchObject({ number: status.incidentNumber, state: 'new', priority: 4, comments: [] });
  expect(incident.shortDescription).toContain('Outlook öffnet nicht mehr');
  expect(Object.keys(incident)).toEqual(expect.arrayContaining(['number', 'shortDescription', 'description', 'state', 'priority', 'assignmentGroup', 'category', 'reporter', 'comments']));

  const list = JSON.parse(await cli('incident', 'list', '--json'));
  expect(list.map((i: { number: string }) => i.number)).toContain(status.incidentNumber);

  const outbox = JSON.parse(await cli('outbox', '--to', 'juergen.mueller@example.de', '--json'));
  const mine = outbox.filter((m: { subject: string }) => m.subject.includes(status.incidentNumber));
  expect(mine).toHaveLength(1);
  expect(Object.keys(mine[0]).sort()).toEqual(['body', 'messageId', 'raw', 'sentAt', 'subject', 'to']);
});

test('a missing configuration variable is named in the error', async () => {
  await expect(
    run(process.execPath, [join(__dirname, '..', '..', 'lib', 'worker.js')], { env: { PATH: process.env.PATH } }),
  ).rejects.toMatchObject({ stderr: expect.stringContaining('Missing configuration TEMPORAL_ADDRESS') });
});

test("status --sender lists a sender's emails by the keyed hash it computes from the address", async () => {
  const tag = `sender-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const file = join(mkdtempSync(join(tmpdir(), 'cli-')), 'mail.eml');
  const raw = readFileSync(join(FIXTURES, 'plain-text.eml'), 'latin1').replace(/^From:.*$/im, `From: Test <${tag}@customer.example>`).replace(/^Message-ID:.*$/im, `Message-ID: <${tag}@test.example>`);
  writeFileSync(file, raw, 'latin1');
  const id = (await cli('ingest', file)).trim();
  expect(JSON.parse(await cli('wait', id, '--json')).stage).toBe('confirmed');
  // Visibility is eventually consistent: ask again for a little while.
  let found: { sesMessageId: string; stage: string }[] = [];
  for (let i = 0; i < 20 && !found.some((e) => e.stage === 'confirmed'); i++) {
    found = JSON.parse(await cli('status', '--sender', `${tag.toUpperCase()}@Customer.Example`, '--json'));
    if (!found.some((e) => e.stage === 'confirmed')) await new Promise((r) => setTimeout(r, 500));
  }
  expect(found).toEqual([expect.objectContaining({ sesMessageId: id, stage: 'confirmed', workflowStatus: 'COMPLETED' })]);
  expect(JSON.parse(await cli('status', '--sender', `nobody-${tag}@customer.example`, '--json'))).toEqual([]);
  // The text form says which query to paste into the Temporal UI.
  expect(await cli('status', '--sender', `${tag}@customer.example`)).toMatch(/^Temporal query: EmailSender = '[0-9a-f]{32}'$/m);
});
