// Metrics and logs on the running stack: the worker's Prometheus endpoint has the Temporal SDK's metrics
// and ours (emails by outcome, stage latency, quarantine size); the bridge's has its counters and lag;
// the logs are JSON lines that name the SES message id and the workflow id.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newId, openStack, uniqueEmail } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const stack = openStack();
afterAll(() => stack.ctx.close());

const scrape = async (port: string) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
const value = (metrics: string, line: RegExp) => Number(metrics.split('\n').find((l) => line.test(l))?.split(' ').pop() ?? 0);

test('an email moves the worker and bridge metrics, and can be followed through the JSON logs', async () => {
  const workerBefore = await scrape(TEST_STACK_ENV.STACK_WORKER_METRICS_PORT);
  const bridgeBefore = await scrape(TEST_STACK_ENV.STACK_BRIDGE_METRICS_PORT);
  const confirmed = /^email_to_ticket_emails\{.*outcome="confirmed".*\} /;
  const started = /^email_to_ticket_bridge_messages_total\{result="started"\} /;

  const id = newId('metrics');
  await stack.deliver(uniqueEmail('plain-text.eml', id, `${id}@customer.example`), { messageId: id });
  expect((await stack.finish(id)).stage).toBe('confirmed');

  const worker = await scrape(TEST_STACK_ENV.STACK_WORKER_METRICS_PORT);
  expect(value(worker, confirmed)).toBe(value(workerBefore, confirmed) + 1);
  expect(worker).toMatch(/^email_to_ticket_stage_latency_bucket\{.*stage="incident-created".*\} \d+/m);
  expect(worker).toMatch(/^email_to_ticket_quarantine_size \d+/m);
  expect(worker).toMatch(/^temporal_workflow_completed\{/m); // the SDK's own
  const bridge = await scrape(TEST_STACK_ENV.STACK_BRIDGE_METRICS_PORT);
  expect(value(bridge, started)).toBe(value(bridgeBefore, started) + 1);
  expect(bridge).toMatch(/^email_to_ticket_bridge_lag_seconds_count \d+/m);

  const lines = (file: string) => readFileSync(join(TEST_STACK_ENV.STACK_DIR, file), 'utf8').split('\n').filter((l) => l.includes(id));
  const bridgeLog = lines('bridge.log').map((l) => JSON.parse(l));
  expect(bridgeLog).toContainEqual(expect.objectContaining({ sesMessageId: id, workflowId: `inbound-email-${id}`, msg: 'inbound-email workflow started' }));
  const workerLog = lines('worker.log').map((l) => JSON.parse(l));
  expect(workerLog.length).toBeGreaterThan(0);
  for (const entry of workerLog) expect(entry).toHaveProperty('workflowId', `inbound-email-${id}`);
});
