// The incident thread workflow on a real Temporal dev server, activities faked: ordering, deduplication,
// "send to customer", close and reopen by signal-with-start, and a 500-reply thread across continue-as-new.
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { ThreadEvent, ThreadView } from '../../src/domain/thread-events';
import { useDevServer } from './dev-server';
import { fakeThreadActivities, reply, ThreadScript } from './fake-thread-activities';

const server = useDevServer();

async function withThread<T>(
  maxEventsPerRun: number | undefined,
  body: (signal: (e: ThreadEvent) => Promise<void>, workflowId: string, handled: string[]) => Promise<T>,
  script: ThreadScript = {},
) {
  const fake = fakeThreadActivities(script);
  const taskQueue = `thread-${randomUUID()}`;
  const incidentNumber = `INC${String(Math.floor(Math.random() * 9_000_000) + 1_000_000)}`;
  const workflowId = `incident-thread-${incidentNumber}`;
  const worker = await Worker.create({ connection: server.env().nativeConnection, taskQueue, workflowBundle: server.workflowBundle(), activities: fake.activities });
  const signal = (event: ThreadEvent) =>
    server.env().client.workflow
      .signalWithStart('incidentThread', { workflowId, taskQueue, args: [{ incidentNumber, maxEventsPerRun }], signal: 'threadEvent', signalArgs: [event] })
      .then(() => undefined);
  const result = await worker.runUntil(() => body(signal, workflowId, fake.log));
  return { result, ...fake };
}

async function untilQuery(workflowId: string, done: (v: ThreadView) => boolean): Promise<ThreadView> {
  let last: unknown = null;
  for (let i = 0; i < 300; i++) {
    try {
      const view = await server.env().client.workflow.getHandle(workflowId).query<ThreadView>('thread');
      last = { total: view.total, pending: view.pending };
      if (done(view)) return view;
    } catch {
      /* between runs */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`thread never reached the expected state (last: ${JSON.stringify(last)})`);
}

test('events are handled in order, once each; a comment marked "send to customer" is emailed, threaded', async () => {
  const { log, sent } = await withThread(undefined, async (signal, workflowId) => {
    await signal({ type: 'opened', id: 'e0', messageId: 'first@customer.example' });
    await signal(reply('r1'));
    await signal(reply('r1')); // the same email delivered again
    await signal({ type: 'agent-comment', id: 'c1', author: 'Dana', body: 'Try again?', sendToCustomer: true });
    await signal({ type: 'agent-comment', id: 'c2', author: 'Dana', body: 'internal note', sendToCustomer: false });
    await signal({ type: 'note', id: 'n1', kind: 'auto-reply', from: 'anna@customer.example', subject: 'OOO', reason: 'auto-reply' });
    const view = await untilQuery(workflowId, (v) => v.total === 4);
    expect(view.recent.map((e) => e.source)).toEqual(['email', 'agent', 'agent', 'note']);
  });
  expect(log).toEqual(['reply:r1', 'comment:c1', 'send:c1', 'comment:c2', 'note:n1']);
  // The agent's email answers the newest message of the conversation and names the whole chain.
  expect(sent).toEqual([{ commentKey: 'c1', body: 'Try again?', incidentNumber: expect.any(String), inReplyTo: 'r1@customer.example', references: ['first@customer.example', 'r1@customer.example'] }]);
});

test('a closed thread ends; a later reply starts it again and is not lost', async () => {
  const { log } = await withThread(undefined, async (signal, workflowId) => {
    await signal(reply('before'));
    await signal({ type: 'close', id: 'x1' });
    await server.env().client.workflow.getHandle(workflowId).result();
    await signal(reply('after')); // signal-with-start: a new run
    await untilQuery(workflowId, (v) => v.total === 1 && !v.closed);
  });
  expect(log).toEqual(['reply:before', 'state:closed', 'reply:after']);
});

test('an unverified reply to a closed incident is kept but does not reopen it: the thread ends again', async () => {
  const { log } = await withThread(undefined, async (signal, workflowId) => {
    await signal({ type: 'close', id: 'x1' });
    await server.env().client.workflow.getHandle(workflowId).result();
    await signal({ ...reply('forged'), verified: false });
    // The new run appends it and, still closed, completes.
    await server.env().client.workflow.getHandle(workflowId).result();
    const view = await server.env().client.workflow.getHandle(workflowId).query<ThreadView>('thread');
    expect(view).toMatchObject({ total: 1, closed: true });
  });
  expect(log).toEqual(['state:closed', 'reply:forged']);
});

test('a reply the follow-up policy keeps off a closed incident is kept but does not reopen it: the thread ends again', async () => {
  const { log } = await withThread(undefined, async (signal, workflowId) => {
    await signal({ type: 'close', id: 'x1' });
    await server.env().client.workflow.getHandle(workflowId).result();
    await signal({ ...reply('late'), verified: true, notReopened: 'INC0010001 is closed; follow-up policy reject' });
    await server.env().client.workflow.getHandle(workflowId).result();
    const view = await server.env().client.workflow.getHandle(workflowId).query<ThreadView>('thread');
    expect(view).toMatchObject({ total: 1, closed: true });
  });
  expect(log).toEqual(['state:closed', 'reply:late']);
});

test('a thread with 500 replies continues as new along the way and handles every reply exactly once', async () => {
  const { log } = await withThread(100, async (signal, workflowId, handled) => {
    for (let i = 0; i < 500; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, k) => signal(reply(`m${i + k}`))));
    }
    await signal(reply('m7')); // a late duplicate of an early reply, after several runs
    await untilQuery(workflowId, (v) => v.pending === 0 && handled.length >= 500).catch((err) => {
      throw new Error(`${(err as Error).message}; handled ${handled.length}`);
    });
    await new Promise((r) => setTimeout(r, 1000)); // time for the late duplicate to be (not) handled
    const runs = [];
    for await (const w of server.env().client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(w.runId);
    expect(runs.length).toBeGreaterThanOrEqual(5);
  });
  expect(log).toHaveLength(500);
  expect(new Set(log).size).toBe(500);
}, 120_000);

async function untilLogged(log: string[], entry: string): Promise<void> {
  for (let i = 0; i < 300 && !log.includes(entry); i++) await new Promise((r) => setTimeout(r, 100));
  if (!log.includes(entry)) throw new Error(`never logged ${entry} (log: ${log.join(', ')})`);
}

describe('"send to customer" that does not go out', () => {
  test('a comment SES refuses is recorded as not sent, with the reason; its Message-ID never joins the chain; the thread goes on', async () => {
    const { log, sent, notSent } = await withThread(
      undefined,
      async (signal, _workflowId, handled) => {
        await signal({ type: 'opened', id: 'e0', messageId: 'first@customer.example' });
        await signal({ type: 'agent-comment', id: 'c1', author: 'Dana', body: 'Hello?', sendToCustomer: true });
        await signal(reply('r1'));
        await signal({ type: 'agent-comment', id: 'c2', author: 'Dana', body: 'Fixed now', sendToCustomer: true });
        await untilLogged(handled, 'send:c2');
      },
      { refuse: ['c1'] },
    );
    expect(log).toEqual(['comment:c1', 'send:c1', 'not-sent:c1', 'reply:r1', 'comment:c2', 'send:c2']);
    expect(notSent).toEqual([{ commentKey: 'c1', reason: 'SES refused the email: InvalidParameterValue: Missing domain' }]);
    expect(sent).toEqual([
      { incidentNumber: expect.any(String), commentKey: 'c2', body: 'Fixed now', inReplyTo: 'r1@customer.example', references: ['first@customer.example', 'r1@customer.example'] },
    ]);
  });

  test('a comment the activity chose not to send (our own address, rate limit) is left to the activity to record; nothing joins the chain', async () => {
    const { log, sent, notSent } = await withThread(
      undefined,
      async (signal, _workflowId, handled) => {
        await signal({ type: 'opened', id: 'e0', messageId: 'first@customer.example' });
        await signal({ type: 'agent-comment', id: 'c1', author: 'Dana', body: 'Hello?', sendToCustomer: true });
        await signal({ type: 'agent-comment', id: 'c2', author: 'Dana', body: 'Again', sendToCustomer: true });
        await untilLogged(handled, 'send:c2');
      },
      { notSent: ['c1'] },
    );
    expect(log).toEqual(['comment:c1', 'send:c1', 'comment:c2', 'send:c2']);
    expect(notSent).toEqual([]);
    expect(sent.map((s) => [s.commentKey, s.inReplyTo, s.references])).toEqual([['c2', 'first@customer.example', ['first@customer.example']]]);
  });

  test('a transient failure is retried and the comment sent, not recorded as not sent', async () => {
    const { log, sent, notSent } = await withThread(
      undefined,
      async (signal, _workflowId, handled) => {
        await signal({ type: 'agent-comment', id: 'c1', author: 'Dana', body: 'Hello?', sendToCustomer: true });
        await signal(reply('r1'));
        await untilLogged(handled, 'reply:r1');
      },
      { flaky: ['c1'] },
    );
    expect(log).toEqual(['comment:c1', 'send:c1', 'send:c1', 'reply:r1']);
    expect(notSent).toEqual([]);
    expect(sent.map((s) => s.commentKey)).toEqual(['c1']);
  }, 30_000);
});

test('an alert is added to the thread; a recovery resolves the incident and ends the thread', async () => {
  const alert = (id: string, recovery: boolean): ThreadEvent => ({ type: 'alert', id, bucket: 'b', parsedKey: `parsed/${id}/email.json`, from: 'nagios@monitoring.example', state: recovery ? 'OK' : 'CRITICAL', recovery });
  const { log } = await withThread(undefined, async (signal, workflowId) => {
    await signal(alert('a1', false));
    await signal(alert('a2', true));
    await server.env().client.workflow.getHandle(workflowId).result();
  });
  expect(log).toEqual(['alert:a1', 'alert:a2:recovery']);
});
