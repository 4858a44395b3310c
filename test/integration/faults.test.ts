// The fault-injection run, reduced (100 emails, 10 s outages): worker SIGKILLed twice, bridge SIGKILLed,
// Temporal restarted, PostgreSQL stopped, PostgreSQL crashed while the worker's transactions are open, SES
// failing; afterwards every email became what the mix says it must, the queues are clean, and no part of
// the stack died by itself. `npx email-to-ticket faults` runs the full one (1000 emails, 30 s outages).
import { formatChecks, runFaults } from '../../src/faults';
import { ONCE_EACH } from '../../src/faults/schedule';
import { openStack } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

test('100 emails through every fault, a PostgreSQL crash mid-transaction among them: each email as expected, queues clean, nothing died', async () => {
  const result = await runFaults(stack.ctx, { emails: 100, rate: 5, seed: 3, workerKills: 2, outageSeconds: 10, timeoutMinutes: 6 }, () => undefined);
  console.log(formatChecks(result));
  expect(new Set(result.faults.map((f) => f.kind))).toEqual(new Set(['kill-worker', ...ONCE_EACH]));
  expect(result.faults.find((f) => f.kind === 'restart-postgres')!.transactionsInFlight).toBeGreaterThan(0);
  expect(result.checks.map((c) => [c.name, c.ok])).toEqual(result.checks.map((c) => [c.name, true]));
  expect(result.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['PostgreSQL restarted with transactions in flight', 'the SES outage refused calls', 'no part of the stack died by itself', "every accepted message's Send event came back", 'nothing sent again after its Send event arrived']));
}, 10 * 60_000);
