// A part of the stack that dies while the fault run is on, without a fault having stopped it, is a failed
// check showing the tail of its log: the run goes on (the part is brought back) and reports it, rather than
// stopping with "no worker running". Here the worker is SIGKILLed from outside the run, and no fault is
// scheduled, so nothing in the run expects it down.
import { formatChecks, runFaults } from '../../src/faults';
import { runningPid } from '../../src/stack/processes';
import { stackSettings } from '../../src/stack/settings';
import { openStack } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

test('a worker killed by no fault: its own failed check with its log; every email still processed', async () => {
  let killed: number | null = null;
  const result = await runFaults(stack.ctx, { emails: 6, rate: 2, seed: 5, workerKills: 0, outageSeconds: 5, timeoutMinutes: 4, onceEach: [] }, (line) => {
    if (line.trim() === 'delivering') {
      killed = runningPid(stackSettings().dir, 'worker');
      process.kill(killed!, 'SIGKILL');
    }
  });
  console.log(formatChecks(result));
  expect(killed).not.toBeNull();
  expect(result.faults).toEqual([]);
  expect(result.ok).toBe(false);
  const died = result.checks.find((c) => c.name === 'no part of the stack died by itself')!;
  expect(died.ok).toBe(false);
  expect(died.detail).toMatch(/^worker found down at \S+; last lines of its log:\n {4}\S/);
  // Nothing else failed: the run brought the worker back and every email became what it must.
  expect(result.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['no part of the stack died by itself']);
}, 8 * 60_000);
