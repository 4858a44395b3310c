// An admin's quarantine decisions through the CLI binary, on the real stack: mail SES found a virus in
// is released only with --override (without it the CLI refuses, and the workflow itself ignores a
// release signal), "release and allowlist sender" (--allowlist-sender), and decisions about an email
// that is not in quarantine are refused and change nothing.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { temporal } from '@temporalio/proto';
import { listAllowlist } from '../../src/db/directory';
import { getInboundEmail } from '../../src/db/inbound-emails';
import { inboundEmailWorkflowId } from '../../src/domain/workflow-ids';
import { newId, openStack, uniqueEmail } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const stack = openStack();
afterAll(() => stack.ctx.close());

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'bin', 'email-to-ticket.js');
const cli = async (...args: string[]) => (await run(process.execPath, [CLI, ...args], { env: { ...process.env, ...TEST_STACK_ENV } })).stdout;
/** The CLI's error message when it exits non-zero. */
const cliFails = (...args: string[]) =>
  run(process.execPath, [CLI, ...args], { env: { ...process.env, ...TEST_STACK_ENV } }).then(
    () => {
      throw new Error(`email-to-ticket ${args.join(' ')} succeeded`);
    },
    (err: { stderr: string; code: number }) => ({ stderr: err.stderr, code: err.code }),
  );

const { EventType } = temporal.api.enums.v1;

/** Signals the email's workflow and returns once a workflow task has handled the signal. */
async function signalHandled(id: string, name: string, arg: object): Promise<void> {
  const handle = (await stack.ctx.temporal()).workflow.getHandle(inboundEmailWorkflowId(id));
  const signalled = (events: temporal.api.history.v1.IHistoryEvent[]) => events.map((e, i) => [e, i] as const).filter(([e]) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
  const before = signalled((await handle.fetchHistory()).events ?? []).length;
  await handle.signal(name, arg);
  for (let i = 0; i < 100; i++) {
    const events = (await handle.fetchHistory()).events ?? [];
    const mine = signalled(events)[before];
    if (mine && events.slice(mine[1] + 1).some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the ${name} signal was never handled`);
}

async function quarantinedVirus(label: string, sender: string): Promise<string> {
  const id = newId(label);
  await stack.deliver(uniqueEmail('plain-text.eml', id, sender), { messageId: id, verdicts: { virus: 'FAIL' } });
  expect(await stack.settle(id)).toMatchObject({ stage: 'quarantined', incidentNumber: null, reason: 'virus', workflowStatus: 'RUNNING' });
  return id;
}

test('a virus is released only with --override: without it the CLI refuses and the workflow ignores a bare release', async () => {
  const sender = `${newId('infected')}@customer.example`;
  const id = await quarantinedVirus('virus', sender);
  expect(await getInboundEmail(stack.ctx.pool, id)).toMatchObject({ stage: 'quarantined', reason: 'virus', verdicts: expect.objectContaining({ virus: 'FAIL' }) });

  const refused = await cliFails('quarantine', 'release', id);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`${id} failed the virus scan: releasing it needs an explicit override`);
  // A release signal without the override (as an older client or a script might send) is ignored by the workflow.
  await signalHandled(id, 'release', { override: false });
  expect(await stack.settle(id)).toMatchObject({ stage: 'quarantined', workflowStatus: 'RUNNING' });
  expect(await stack.incidentsFor(id)).toEqual([]);

  expect((await cli('quarantine', 'release', id, '--override')).trim()).toBe(`released ${id}`);
  const released = await stack.finish(id);
  expect(released).toMatchObject({ stage: 'confirmed', workflowStatus: 'COMPLETED' });
  expect(await stack.incidentsFor(id)).toEqual([released.incidentNumber]);
  expect((await stack.outbox()).filter((m) => m.to.includes(sender))).toHaveLength(1);
}, 90_000);

test('release and allowlist the sender (--allowlist-sender --override): the email goes on, and the sender skips the spam threshold from then on, never the virus verdict', async () => {
  const domain = `${newId('monitor')}.example`;
  const sender = `alerts@${domain}`;
  const id = await quarantinedVirus('allow', sender);

  // Without the override nothing happens, not even the allowlisting.
  expect((await cliFails('quarantine', 'release', id, '--allowlist-sender')).stderr).toContain('needs an explicit override');
  expect(await listAllowlist(stack.ctx.pool)).not.toContain(sender);

  expect((await cli('quarantine', 'release', id, '--allowlist-sender', '--override')).trim().split('\n')).toEqual([`allowlisted ${sender}`, `released ${id}`]);
  expect(await stack.finish(id)).toMatchObject({ stage: 'confirmed', workflowStatus: 'COMPLETED' });
  expect(JSON.parse(await cli('allowlist', 'list', '--json'))).toContain(sender);

  const spam = newId('allow-spam');
  await stack.deliver(uniqueEmail('plain-text.eml', spam, sender), { messageId: spam, verdicts: { spam: 'FAIL' } });
  expect(await stack.finish(spam)).toMatchObject({ stage: 'confirmed' });

  const virus = newId('allow-virus');
  await stack.deliver(uniqueEmail('plain-text.eml', virus, sender), { messageId: virus, verdicts: { virus: 'FAIL' } });
  expect(await stack.settle(virus)).toMatchObject({ stage: 'quarantined', reason: 'virus' });
  // Only the sender's address was allowlisted, not its domain.
  const neighbour = newId('allow-other');
  await stack.deliver(uniqueEmail('plain-text.eml', neighbour, `someone@${domain}`), { messageId: neighbour, verdicts: { spam: 'FAIL' } });
  expect(await stack.settle(neighbour)).toMatchObject({ stage: 'quarantined', reason: 'spam verdict FAIL' });
}, 90_000);

test('release or discard of an email that is not in quarantine is refused and changes nothing', async () => {
  const id = newId('notq');
  await stack.deliver(uniqueEmail('plain-text.eml', id, `${id}@customer.example`), { messageId: id });
  const done = await stack.finish(id);
  expect(done.stage).toBe('confirmed');
  for (const args of [['release', id, '--override'], ['discard', id, '--reason', 'late']]) {
    expect((await cliFails('quarantine', ...args)).stderr).toContain(`${id} is not in quarantine (stage confirmed)`);
  }
  expect(await stack.settle(id)).toMatchObject({ stage: 'confirmed', incidentNumber: done.incidentNumber, reason: null });
  expect(await getInboundEmail(stack.ctx.pool, id)).toMatchObject({ stage: 'confirmed', incidentNumber: done.incidentNumber });
  expect(await stack.incidentsFor(id)).toEqual([done.incidentNumber]);
}, 60_000);
