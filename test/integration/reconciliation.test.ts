// The ledger on the real stack: an email SES stored whose notification never reached us becomes an
// incident once the reconciliation runs (`reconcile`, as the Schedule would run it); an email that went
// the normal way is not started again; a just-stored email is left to the normal path for the grace; the
// worker counts what it started and logs it; and `stack up` made the Schedule.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECONCILIATION_SCHEDULE_ID } from '../../src/domain/workflow-ids';
import { reconciliation, type ReconciliationResult } from '../../src/workflows';
import { PROJECT_ROOT } from '../../src/stack/settings';
import { newId, openStack, uniqueEmail, waitFor } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const stack = openStack();
afterAll(() => stack.ctx.close());

function reconcile(...args: string[]): ReconciliationResult & { workflowId: string } {
  return JSON.parse(execFileSync(process.execPath, [join(PROJECT_ROOT, 'lib', 'cli.js'), 'reconcile', ...args, '--json']).toString());
}

const COUNTER = /^email_to_ticket_reconciled_emails\{[^}]*\} /;
async function reconciledCount(): Promise<number> {
  const metrics = await (await fetch(`http://127.0.0.1:${TEST_STACK_ENV.STACK_WORKER_METRICS_PORT}/metrics`)).text();
  return metrics
    .split('\n')
    .filter((line) => COUNTER.test(line))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

test('an email stored without a notification becomes an incident at the next reconciliation; one processed normally is not started again', async () => {
  const normal = newId('ledger-normal');
  await stack.deliver(uniqueEmail('plain-text.eml', normal, `${normal}@customer.example`), { messageId: normal });
  expect((await stack.finish(normal)).stage).toBe('confirmed');
  const lost = newId('ledger-lost');
  await stack.deliver(uniqueEmail('plain-text.eml', lost, `${lost}@customer.example`), { messageId: lost, notify: false });
  const client = await stack.ctx.temporal();
  const hasWorkflow = (id: string) => client.workflow.getHandle(`inbound-email-${id}`).describe().then(() => true, () => false);
  expect(await hasWorkflow(lost)).toBe(false);
  const countBefore = await reconciledCount();

  // The configured grace (15 minutes) leaves an email stored a moment ago to the normal path.
  const early = reconcile('--since', '10m');
  expect(early.startedIds).not.toContain(lost);
  expect(await hasWorkflow(lost)).toBe(false);

  // Without a grace it is in the window: started as the bridge would have, and processed to its incident.
  const run = reconcile('--since', '10m', '--grace', '0s');
  expect(run.startedIds).toContain(lost);
  expect(run.startedIds).not.toContain(normal);
  expect(run.recorded).toBeGreaterThanOrEqual(1);
  expect(run.started).toBe(run.startedIds.length);
  expect(await stack.finish(lost)).toMatchObject({ workflowStatus: 'COMPLETED', stage: 'confirmed' });
  expect(await stack.incidentsFor(lost)).toHaveLength(1);
  expect(await stack.incidentsFor(normal)).toHaveLength(1);
  expect(await reconciledCount()).toBe(countBefore + run.started);

  // Once recorded, neither is started again.
  const again = reconcile('--since', '10m', '--grace', '0s');
  expect(again.startedIds).not.toContain(lost);
  expect(again.startedIds).not.toContain(normal);
  expect(again.recorded).toBeGreaterThanOrEqual(2);
  expect(await stack.incidentsFor(lost)).toHaveLength(1);

  const logged = readFileSync(join(TEST_STACK_ENV.STACK_DIR, 'worker.log'), 'utf8')
    .split('\n')
    .filter((line) => line.includes(lost) && line.includes('reconciliation started'))
    .map((line) => JSON.parse(line));
  expect(logged).toEqual([expect.objectContaining({ sesMessageId: lost, key: `inbound/${lost}`, emailWorkflowId: `inbound-email-${lost}` })]);
}, 180_000);

test('stack up made the Schedule that runs the reconciliation every RECONCILE_INTERVAL_MINUTES; a run it starts completes', async () => {
  const client = await stack.ctx.temporal();
  const handle = client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID);
  const schedule = await handle.describe();
  expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reconciliation', taskQueue: 'email-to-ticket' });
  expect(schedule.spec.intervals).toEqual([expect.objectContaining({ every: 15 * 60_000 })]);

  // Triggered now rather than waited for: the run it starts decodes its (encrypted) input and finishes.
  const before = schedule.info.recentActions.length;
  await handle.trigger();
  const action = await waitFor(async () => (await handle.describe()).info.recentActions[before] ?? null);
  const result = await client.workflow.getHandle<typeof reconciliation>(action.action.workflow.workflowId).result();
  expect(Date.parse(result.window.to) - Date.parse(result.window.from)).toBe(24 * 3_600_000 - 15 * 60_000);
  expect(result.pages).toBeGreaterThanOrEqual(1);
}, 60_000);
