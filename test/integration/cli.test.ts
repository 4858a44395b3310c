// The operator CLI's JSON outputs are a contract: run the real binary against the test stack.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { incidentSla } from '../../src/db/sla';
import { openStack } from './helpers';
import { deadlinesAt, HOUR, insertBareIncident, recordSlaClock } from './sla-rows';
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
  expect(Object.keys(incident)).toEqual(expect.arrayContaining(['number', 'shortDescription', 'description', 'state', 'priority', 'assignmentGroup', 'category', 'reporter', 'comments', 'sla', 'followUpOf', 'followUps', 'externalNumbers', 'forwardedBy']));

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

describe('an incident of the database only (no workflow writes beside the test)', () => {
  const stack = openStack();
  afterAll(() => stack.ctx.close());
  const iso = (ms: number) => new Date(ms).toISOString();

  test('incident show: the SLA clock as `sla` in JSON and as the SLA block in text; none recorded, the due time', async () => {
    const { number } = await insertBareIncident(stack.ctx);
    expect(JSON.parse(await cli('incident', 'show', number, '--json')).sla).toBeNull();
    expect(await cli('incident', 'show', number)).toMatch(/^SLA: resolution due \S+ \(no SLA clock recorded\)$/m);

    // Started 5 hours ago: the 4-hour first-response target breached, the 24-hour resolution runs.
    const start = Date.now() - 5 * HOUR;
    await recordSlaClock(stack.ctx.pool, number, start, [deadlinesAt(Date.now())]);
    const { sla } = JSON.parse(await cli('incident', 'show', number, '--json'));
    expect(sla).toEqual(await incidentSla(stack.ctx.pool, number));
    expect(sla).toMatchObject({ firstResponseDueAt: iso(start + 4 * HOUR), resolutionDueAt: iso(start + 24 * HOUR), pausedSince: null, firstResponseBreached: true, resolutionBreached: false });
    expect(sla.events.map((e: { target: string; event: string }) => `${e.target} ${e.event}`)).toEqual(['firstResponse started', 'resolution started', 'firstResponse breach']);
    const text = await cli('incident', 'show', number);
    expect(text).toContain(`  First response: due ${iso(start + 4 * HOUR)} (breached)\n  Resolution:     due ${iso(start + 24 * HOUR)}\n`);
    expect(text).toContain(`    ${iso(start + 4 * HOUR)}  firstResponse  breach     the target passed (due ${iso(start + 4 * HOUR)})`);
  });

  test('incident comment --await-customer is refused without --send-to-customer: one waits for an answer to a mail sent', async () => {
    const { number } = await insertBareIncident(stack.ctx);
    await expect(cli('incident', 'comment', number, '--body', 'Which printer model?', '--await-customer')).rejects.toMatchObject({
      stderr: expect.stringContaining('Waiting for the customer needs Send to Customer'),
    });
    expect((await stack.ctx.pool.query("SELECT count(*)::int AS n FROM incident_comments c JOIN incidents i ON i.id = c.incident_id WHERE i.number = $1", [number])).rows[0].n).toBe(0);
  });
});
