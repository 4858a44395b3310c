// The reconciliation workflow on a real Temporal dev server, its page activity faked: it goes through every
// page of the listing with the window it computed at its start, adds up what each page found, continues as
// new after `pagesPerRun` pages without losing the count, and retries a page that failed.
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import type { ReconcilePageInput } from '../../src/activities/reconciliation';
import type { ReconciledPage } from '../../src/domain/reconciliation';
import { reconciliation, ReconciliationInput } from '../../src/workflows';
import { useDevServer } from './dev-server';

const server = useDevServer();

/** Page i (0-based) found i + 1 objects, one email in the window, started when i is even. */
const pageFound = (i: number): ReconciledPage => ({
  listed: i + 1,
  inWindow: 1,
  recorded: i % 2,
  alreadyStarted: 0,
  started: 1 - (i % 2),
  startedIds: i % 2 ? [] : [`email-${i}`],
});

function fakeListing(pages: number, failFirstCallOfPage?: number) {
  const calls: ReconcilePageInput[] = [];
  const activities = {
    async reconcileInboundPage(input: ReconcilePageInput): Promise<ReconciledPage & { next?: string }> {
      calls.push(input);
      const i = input.continuationToken ? Number(input.continuationToken.slice('token-'.length)) : 0;
      if (i === failFirstCallOfPage && calls.filter((c) => c.continuationToken === input.continuationToken).length === 1) {
        throw ApplicationFailure.retryable('S3 throttled', 'SlowDown');
      }
      return { ...pageFound(i), ...(i + 1 < pages ? { next: `token-${i + 1}` } : {}) };
    },
  };
  return { calls, activities };
}

async function run(input: ReconciliationInput, fake: ReturnType<typeof fakeListing>) {
  const taskQueue = `reconcile-${randomUUID()}`;
  const worker = await Worker.create({ connection: server.env().nativeConnection, taskQueue, workflowBundle: server.workflowBundle(), activities: fake.activities });
  return worker.runUntil(async () => {
    const handle = await server.env().client.workflow.start(reconciliation, { taskQueue, workflowId: `reconcile-${randomUUID()}`, args: [input] });
    const result = await handle.result();
    return { result, firstRunId: handle.firstExecutionRunId, handle };
  });
}

test('every page is reconciled with the window computed at the start, and the pages add up', async () => {
  const before = Date.now();
  const fake = fakeListing(3);
  const { result } = await run({ windowMs: 24 * 3_600_000, graceMs: 15 * 60_000, pageSize: 2 }, fake);
  const after = Date.now();

  expect(fake.calls.map((c) => c.continuationToken)).toEqual([undefined, 'token-1', 'token-2']);
  expect(new Set(fake.calls.map((c) => JSON.stringify(c.window))).size).toBe(1);
  expect(fake.calls.every((c) => c.pageSize === 2)).toBe(true);
  // The window ends 15 minutes before the run started and begins 24 hours before it.
  const to = Date.parse(result.window.to);
  expect(to).toBeGreaterThanOrEqual(before - 15 * 60_000 - 1000);
  expect(to).toBeLessThanOrEqual(after - 15 * 60_000);
  expect(to - Date.parse(result.window.from)).toBe(24 * 3_600_000 - 15 * 60_000);
  expect(result).toMatchObject({ runs: 1, pages: 3, listed: 6, inWindow: 3, recorded: 1, alreadyStarted: 0, started: 2, startedIds: ['email-0', 'email-2'] });
});

test('a window given outright is used as it is; an empty listing is one page', async () => {
  const window = { from: '2026-11-30T08:00:00.000Z', to: '2026-11-30T09:00:00.000Z' };
  const fake = fakeListing(1);
  const { result } = await run({ window }, fake);
  expect(fake.calls).toEqual([{ window, pageSize: 1000 }]);
  expect(result).toMatchObject({ window, runs: 1, pages: 1, started: 1 });
});

test('after pagesPerRun pages the run continues as new, carrying the window, the tally and where the listing stands', async () => {
  const fake = fakeListing(7);
  const { result, handle, firstRunId } = await run({ windowMs: 3_600_000, graceMs: 0, pagesPerRun: 3 }, fake);
  expect(fake.calls.map((c) => c.continuationToken)).toEqual([undefined, 'token-1', 'token-2', 'token-3', 'token-4', 'token-5', 'token-6']);
  expect(new Set(fake.calls.map((c) => JSON.stringify(c.window))).size).toBe(1);
  expect(result).toMatchObject({ runs: 3, pages: 7, listed: 28, inWindow: 7, recorded: 3, started: 4, startedIds: ['email-0', 'email-2', 'email-4', 'email-6'] });
  // Three runs of one workflow id: the first two continued as new.
  const first = await server.env().client.workflow.getHandle(handle.workflowId, firstRunId).describe();
  expect(first.status.name).toBe('CONTINUED_AS_NEW');
});

test('a page that fails is retried and counted once', async () => {
  const fake = fakeListing(3, 1);
  const { result } = await run({ windowMs: 3_600_000, graceMs: 0 }, fake);
  expect(fake.calls.map((c) => c.continuationToken)).toEqual([undefined, 'token-1', 'token-1', 'token-2']);
  expect(result).toMatchObject({ pages: 3, listed: 6, started: 2 });
});
