// The fault-injection run, reduced (100 emails, 10 s outages): worker SIGKILLed twice, bridge SIGKILLed,
// Temporal restarted, PostgreSQL stopped, SES failing; afterwards nothing lost and nothing duplicated.
// `npx email-to-ticket faults` runs the full one (1000 emails, 30 s outages).
import { formatChecks, runFaults } from '../../src/faults';
import { openStack } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

test('100 emails through every fault: all accounted for, one incident each, one confirmation each, queues clean', async () => {
  const result = await runFaults(stack.ctx, { emails: 100, rate: 5, seed: 3, workerKills: 2, outageSeconds: 10, timeoutMinutes: 6 }, () => undefined);
  console.log(formatChecks(result));
  expect(new Set(result.faults.map((f) => f.kind))).toEqual(new Set(['kill-worker', 'kill-bridge', 'restart-temporal', 'stop-postgres', 'ses-outage']));
  expect(result.checks.map((c) => [c.name, c.ok])).toEqual(result.checks.map((c) => [c.name, true]));
}, 10 * 60_000);
