// The incident thread continues as new when the server suggests it (workflowInfo().continueAsNewSuggested),
// not only after 500 events. The dev server here suggests it after a few dozen history events, so a
// 40-reply thread runs through several runs: each carries its seen ids, the Message-ID chain, closed and
// the signals still pending to the next, and no signal is lost or handled twice.
import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { IncidentThreadInput } from '../../src/workflows';
import type { ThreadEvent, ThreadView } from '../../src/domain/thread-events';
import { useDevServer } from './dev-server';
import { fakeThreadActivities, reply } from './fake-thread-activities';

const SUGGEST_AFTER_EVENTS = 60;
const server = useDevServer({ dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': SUGGEST_AFTER_EVENTS } });
const { EventType } = temporal.api.enums.v1;

async function until(probe: () => boolean, what: string, refresh: () => Promise<void> = async () => undefined): Promise<void> {
  for (let i = 0; i < 600; i++) {
    await refresh();
    if (probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never: ${what}`);
}

interface Run {
  runId: string;
  events: temporal.api.history.v1.IHistoryEvent[];
  /** What the run passed to the next one, when it continued as new. */
  carried: IncidentThreadInput | null;
  next: string | null;
}

/** The runs of one workflow id, following continue-as-new from the first run. */
async function runsFrom(workflowId: string, firstRunId: string): Promise<Run[]> {
  const runs: Run[] = [];
  for (let runId: string | null = firstRunId; runId; ) {
    const history: temporal.api.history.v1.IHistory = await server.env().client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
    const last: temporal.api.history.v1.IHistoryEvent | undefined = events[events.length - 1];
    const continued: temporal.api.history.v1.IWorkflowExecutionContinuedAsNewEventAttributes | null = last?.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW ? last.workflowExecutionContinuedAsNewEventAttributes! : null;
    const carried = continued ? (defaultPayloadConverter.fromPayload(continued.input!.payloads![0]) as IncidentThreadInput) : null;
    runs.push({ runId, events, carried, next: continued?.newExecutionRunId ?? null });
    runId = continued?.newExecutionRunId ?? null;
  }
  return runs;
}

test('the server suggests continue-as-new long before 500 events: the thread continues, carrying its state, losing no signal', async () => {
  const fake = fakeThreadActivities();
  const taskQueue = `thread-${randomUUID()}`;
  const incidentNumber = `INC${String(Math.floor(Math.random() * 9_000_000) + 1_000_000)}`;
  const workflowId = `incident-thread-${incidentNumber}`;
  const worker = await Worker.create({ connection: server.env().nativeConnection, taskQueue, workflowBundle: server.workflowBundle(), activities: fake.activities });
  // No maxEventsPerRun: the default (500) is far away; only the server's suggestion can end a run.
  const signal = (event: ThreadEvent) =>
    server.env().client.workflow.signalWithStart('incidentThread', { workflowId, taskQueue, args: [{ incidentNumber }], signal: 'threadEvent', signalArgs: [event] });
  const replyIds = Array.from({ length: 40 }, (_, i) => `r${i}`);
  const repliesHandled = () => fake.log.filter((l) => l.startsWith('reply:')).map((l) => l.slice('reply:'.length));
  /** Until the thread (whichever run) has this many entries and nothing pending. */
  const idle = async (total: number) => {
    let view: ThreadView | null = null;
    await until(() => view !== null && view.total === total && view.pending === 0, `the thread idle with ${total} entries`, async () => {
      view = await server.env().client.workflow.getHandle(workflowId).query<ThreadView>('thread').catch(() => null); // between runs: ask again
    });
  };

  let runs: Run[] = [];
  await worker.runUntil(async () => {
    const first = await signal({ type: 'opened', id: 'e0', messageId: 'first@customer.example' });
    const burst = (from: number) => Promise.all(replyIds.slice(from, from + 10).map((id) => signal(reply(id))));
    // The thread looks at the suggestion when it has nothing left to handle. Two bursts of ten replies,
    // each waited for until the thread is idle: the first one alone takes the history past the limit,
    // so by the end of the second the thread has continued as new at least once.
    await burst(0);
    await idle(10);
    await burst(10);
    await idle(20);
    // Then twenty more at once, without waiting: signals also arrive while a run is ending.
    await Promise.all([burst(20), burst(30)]);
    await idle(replyIds.length);
    // After the runs changed: an old reply delivered again, and a comment to send (it needs the chain).
    await signal(reply('r0'));
    await signal({ type: 'agent-comment', id: 'c1', author: 'Dana', body: 'Done?', sendToCustomer: true });
    await until(() => fake.sent.length === 1, 'the comment sent');
    await idle(replyIds.length + 1);
    runs = await runsFrom(workflowId, first.signaledRunId);
  });

  // Several runs, each ended because the server suggested it (the flag on a workflow task), not by the count.
  expect(runs.length).toBeGreaterThanOrEqual(2);
  const ended = runs.filter((r) => r.carried);
  expect(ended.length).toBe(runs.length - 1);
  for (const run of ended) {
    expect(run.events.some((e) => e.workflowTaskStartedEventAttributes?.suggestContinueAsNew === true)).toBe(true);
    expect(run.carried!.state!.seen.length).toBeLessThan(500);
    expect(run.carried!.maxEventsPerRun).toBeUndefined();
  }

  // Every reply handled exactly once, the late duplicate not at all.
  const handled = repliesHandled();
  expect(handled).toHaveLength(replyIds.length);
  expect([...handled].sort()).toEqual([...replyIds].sort());

  // What each run carried over is exactly what had happened until then, in the order it was handled:
  // the ids seen, then the signals not yet handled, the chain of Message-IDs (the newest 20), not closed.
  // A run may also end after the late duplicate or the comment arrived (their handling adds events too).
  const handledOrder = ['e0', ...handled, 'c1']; // the late duplicate of r0 is skipped, never seen twice
  const messageIdOf = (id: string) => (id === 'e0' ? 'first@customer.example' : id === 'c1' ? 'out-c1@ours' : `${id}@customer.example`);
  for (const run of ended) {
    const { seen, pending, references, closed, total } = run.carried!.state!;
    expect(seen).toEqual(handledOrder.slice(0, seen.length));
    const waiting = pending.map((e) => e.id).filter((id) => !seen.includes(id)); // a pending duplicate will be skipped
    expect(waiting).toEqual(handledOrder.slice(seen.length, seen.length + waiting.length));
    expect(references).toEqual(seen.map(messageIdOf).slice(-20));
    expect(closed).toBe(false);
    expect(total).toBe(seen.length - 1); // 'opened' adds no entry
  }

  // The comment, sent after the runs changed, answers the newest message and names the chain.
  const chain = ['first@customer.example', ...handled.map((id) => `${id}@customer.example`)];
  expect(fake.sent).toEqual([{ incidentNumber, commentKey: 'c1', body: 'Done?', inReplyTo: chain[chain.length - 1], references: chain.slice(-20) }]);
}, 120_000);
