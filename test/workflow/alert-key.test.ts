// The alert-key and alert-storm workflows on the time-skipping test server: a recovery that overtakes its
// problem, a problem debounced by its recovery, a flapping service kept on one incident, a problem soon
// after the recovery reopening the incident, and a storm of keys grouped under one parent. Activities are
// faked in memory; the storm workflow is the real one, started by the fake tellAlertStorm.
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import type { AlertKeyEvent, AlertKeySettings } from '../../src/domain/alert-key';
import type { CreateIncidentInput, CreatedIncident } from '../../src/domain/inbound-steps';
import type { ThreadEvent } from '../../src/domain/thread-events';
import { alertKey, alertKeyQuery, alertOpeningSignal, alertSignal, alertStorm, alertStormQuery } from '../../src/workflows';
import { useTimeSkipping } from './time-skipping';

const S = 1000;
const M = 60 * S;
const SETTINGS: AlertKeySettings = { openDelayMs: 2 * M, flapWindowMs: 30 * M, flapThreshold: 5, reopenWindowMs: 60 * M };

const timeSkipping = useTimeSkipping();

/** The key's activities in memory: incidents raised (numbered in order), thread events, storm parents and links. */
function fakeWorld(taskQueue: string, openIncident: string | null = null) {
  const world = {
    raised: [] as CreateIncidentInput[],
    thread: [] as { incidentNumber: string; event: ThreadEvent }[],
    parents: [] as { number: string; children: string[] }[],
    links: [] as { parent: string; children: string[] }[],
  };
  let next = 10001;
  const numbers = new Map<string, string>();
  // The incident open when the key's first run starts; a later run (after the key went quiet) finds none.
  let open = openIncident;
  const activities = {
    async findAlertIncident(): Promise<string | null> {
      const found = open;
      open = null;
      return found;
    },
    async raiseIncident(input: CreateIncidentInput): Promise<CreatedIncident> {
      let number = numbers.get(input.sesMessageId);
      if (!number) {
        number = `INC00${next++}`;
        numbers.set(input.sesMessageId, number);
        world.raised.push(input);
      }
      return { number, slaDueAt: '2030-01-01T00:00:00.000Z', created: true };
    },
    async signalThread(input: { incidentNumber: string; event: ThreadEvent }): Promise<void> {
      world.thread.push(input);
    },
    async tellAlertStorm(input: { incident: string }): Promise<void> {
      await timeSkipping.env.client.workflow.signalWithStart(alertStorm, {
        workflowId: `alert-storm-${taskQueue}`,
        taskQueue,
        args: [{ settings: { stormKeys: 3, stormWindowMs: 5 * M } }],
        signal: alertOpeningSignal,
        signalArgs: [input],
      });
    },
    async raiseStormIncident(input: { children: string[] }): Promise<string> {
      const number = `INC00${next++}`;
      world.parents.push({ number, children: input.children });
      return number;
    },
    async linkStormChildren(input: { parent: string; children: string[] }): Promise<void> {
      world.links.push(input);
    },
  };
  return { world, activities };
}

let n = 0;
function alert(kind: 'problem' | 'recovery', at: number, key = 'web1/http'): AlertKeyEvent {
  const id = `ses-${++n}`;
  return {
    id,
    at,
    recovery: kind === 'recovery',
    state: kind === 'recovery' ? 'OK' : 'CRITICAL',
    from: 'nagios@monitoring.example',
    bucket: 'inbox',
    parsedKey: `parsed/${id}/email.json`,
    incident: { sesMessageId: id, bucket: 'inbox', parsedKey: `parsed/${id}/email.json`, routing: { ruleId: null, ruleIds: [], assignmentGroup: null, category: null, priority: 2, escalationAddress: null, ignore: false, ignoredBy: null }, reporter: null, alertKey: key },
  };
}

async function withKeys<T>(work: (ctx: { world: ReturnType<typeof fakeWorld>['world']; taskQueue: string; send: (e: AlertKeyEvent, key?: string) => Promise<string>; view: (key?: string) => Promise<Awaited<ReturnType<typeof queryView>>> }) => Promise<T>, openIncident: string | null = null, maxAlertsPerRun?: number) {
  const taskQueue = `alert-key-${randomUUID()}`;
  const { world, activities } = fakeWorld(taskQueue, openIncident);
  const worker = await Worker.create({ connection: timeSkipping.env.nativeConnection, taskQueue, workflowBundle: timeSkipping.workflowBundle, activities });
  const idOf = (key: string) => `alert-key-${taskQueue}-${key.replace(/\W/g, '-')}`;
  const started = new Set([`alert-storm-${taskQueue}`]);
  const send = async (event: AlertKeyEvent, key = 'web1/http') => {
    started.add(idOf(key));
    const handle = await timeSkipping.env.client.workflow.signalWithStart(alertKey, { workflowId: idOf(key), taskQueue, args: [{ alertKey: key, settings: SETTINGS, maxAlertsPerRun }], signal: alertSignal, signalArgs: [event] });
    return handle.signaledRunId;
  };
  const view = (key = 'web1/http') => queryView(idOf(key));
  try {
    return await worker.runUntil(work({ world, taskQueue, send, view }));
  } finally {
    // A run left waiting on a timer with no worker would keep the test server from skipping time for the next test.
    for (const id of started) await timeSkipping.env.client.workflow.getHandle(id).terminate().catch(() => undefined);
  }
}

const queryView = (workflowId: string) => timeSkipping.env.client.workflow.getHandle(workflowId).query(alertKeyQuery);

/** Waits (in real time; simulated time stands still meanwhile) until `ready` holds. */
async function until(ready: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition never held');
}

const comments = (world: ReturnType<typeof fakeWorld>['world']) => world.thread.map((t) => `${t.incidentNumber} ${t.event.type === 'alert' ? `${t.event.recovery ? 'recovery' : 'problem'} ${t.event.id}${t.event.flapping ? ' flapping' : ''}` : t.event.type}`);

test('a recovery that overtakes its problem wins: the late problem is stale, nothing opens', async () => {
  await withKeys(async ({ world, send, view }) => {
    const t0 = await timeSkipping.env.currentTimeMs();
    const problem = alert('problem', t0 - 20 * S);
    const recovery = alert('recovery', t0 - 10 * S);
    await send(recovery);
    await until(async () => (await view()).recent.length === 1);
    await send(problem);
    await until(async () => (await view()).recent.length === 2);
    expect((await view()).recent.map((r) => r.what)).toEqual(['recovery with no open incident', 'stale problem: older than the last alert applied, changes nothing']);
    await timeSkipping.env.sleep(10 * M);
    expect(world.raised).toEqual([]);
    expect(world.thread).toEqual([]);
  });
}, 60_000);

test('debounce: a problem recovered within the open delay opens nothing; one that is not opens after it', async () => {
  await withKeys(async ({ world, send, view }) => {
    const t0 = await timeSkipping.env.currentTimeMs();
    await send(alert('problem', t0));
    await until(async () => (await view()).waitingUntil !== null);
    await timeSkipping.env.sleep(30 * S);
    await send(alert('recovery', t0 + 30 * S));
    await until(async () => (await view()).waitingUntil === null);
    await timeSkipping.env.sleep(5 * M);
    expect(world.raised).toEqual([]);

    const t1 = await timeSkipping.env.currentTimeMs();
    const problem = alert('problem', t1);
    await send(problem);
    await until(async () => (await view()).waitingUntil !== null);
    // The open delay from the alert's arrival (a few ms after t1, as the test server's clock moves on).
    expect(Date.parse((await view()).waitingUntil!) - (t1 + 2 * M)).toBeLessThan(S);
    await timeSkipping.env.sleep(2 * M + S);
    await until(() => world.raised.length === 1);
    expect(world.raised[0].sesMessageId).toBe(problem.id);
    expect((await view()).incident).toBe('INC0010001');
  });
}, 60_000);

test('flapping: one incident stays open through the flaps (noted), and is resolved once the service keeps still', async () => {
  await withKeys(async ({ world, send, view }) => {
    const t0 = await timeSkipping.env.currentTimeMs();
    // Up and down every minute: each problem recovers within the open delay, until the fifth change.
    let last: AlertKeyEvent | null = null;
    for (let i = 0; i < 8; i++) {
      last = alert(i % 2 ? 'recovery' : 'problem', t0 + i * M);
      await send(last);
      await until(async () => (await view()).recent.length >= i + 1);
      await timeSkipping.env.sleep(M);
    }
    const flapping = await view();
    expect(flapping).toMatchObject({ flapping: true, incident: 'INC0010001', level: 'ok' });
    expect(world.raised).toHaveLength(1);
    // Opened by the fifth alert (a problem) at once, the later problem added marked as flapping; no recovery resolved it.
    expect(comments(world)).toEqual([`INC0010001 problem ses-${n - 1} flapping`]);
    // Quiet for a whole flap window after the last (a recovery): it resolves the incident.
    await timeSkipping.env.sleep(30 * M);
    await until(() => world.thread.length === 2);
    expect(comments(world)[1]).toBe(`INC0010001 recovery ${last!.id}`);
    expect(await view()).toMatchObject({ flapping: false, incident: null });
  });
}, 60_000);

test('reopen: a problem soon after the recovery reopens the resolved incident; after the window a new one opens', async () => {
  await withKeys(async ({ world, send, view }) => {
    const t0 = await timeSkipping.env.currentTimeMs();
    await send(alert('recovery', t0));
    await until(() => world.thread.length === 1);
    expect(comments(world)).toEqual([`INC0010042 recovery ses-${n}`]);
    await timeSkipping.env.sleep(10 * M);
    const again = alert('problem', t0 + 10 * M);
    await send(again);
    await timeSkipping.env.sleep(2 * M + S);
    await until(() => world.thread.length === 2);
    expect(comments(world)[1]).toBe(`INC0010042 problem ${again.id}`);
    expect(world.raised).toEqual([]);
    expect((await view()).incident).toBe('INC0010042');

    await send(alert('recovery', t0 + 13 * M));
    await until(() => world.thread.length === 3);
    await timeSkipping.env.sleep(61 * M);
    const later = alert('problem', await timeSkipping.env.currentTimeMs());
    await send(later);
    await timeSkipping.env.sleep(2 * M + S);
    await until(() => world.raised.length === 1);
    expect(world.raised[0].sesMessageId).toBe(later.id);
  }, 'INC0010042');
}, 60_000);

test('storm: three keys opening within the window get one parent incident; a fourth is linked to it', async () => {
  await withKeys(async ({ world, send, taskQueue }) => {
    const t0 = await timeSkipping.env.currentTimeMs();
    for (const host of ['a', 'b', 'c']) await send(alert('problem', t0, `${host}/ping`), `${host}/ping`);
    await timeSkipping.env.sleep(2 * M + S);
    await until(() => world.parents.length === 1);
    expect(world.parents[0].children.sort()).toEqual(['INC0010001', 'INC0010002', 'INC0010003']);
    const parent = world.parents[0].number;
    await send(alert('problem', await timeSkipping.env.currentTimeMs(), 'd/ping'), 'd/ping');
    await timeSkipping.env.sleep(2 * M + S);
    await until(() => world.links.length === 1);
    expect(world.links[0]).toEqual({ parent, children: ['INC0010005'] });
    const storm = await timeSkipping.env.client.workflow.getHandle(`alert-storm-${taskQueue}`).query(alertStormQuery);
    expect(storm.storm?.parent).toBe(parent);
    // Quiet for the window: the storm ends, and so does its workflow.
    await timeSkipping.env.sleep(10 * M);
    await timeSkipping.env.client.workflow.getHandle(`alert-storm-${taskQueue}`).result();
  });
}, 60_000);

test('continue-as-new: a run applies its share of alerts, the next carries the key on (open incident, seen alerts)', async () => {
  await withKeys(
    async ({ world, send, view, taskQueue }) => {
      const t0 = await timeSkipping.env.currentTimeMs();
      const alerts = [alert('problem', t0), alert('problem', t0 + S), alert('problem', t0 + 2 * S)];
      const firstRun = await send(alerts[0]);
      for (const a of alerts.slice(1)) await send(a);
      await until(() => world.thread.length === 3);
      // A repeated delivery of the first is still known after the run continued as new.
      await send(alerts[0]);
      await send(alert('recovery', t0 + 3 * S));
      await until(() => world.thread.length === 4);
      expect(comments(world)).toEqual([...alerts.map((a) => `INC0010042 problem ${a.id}`), `INC0010042 recovery ses-${n}`]);
      expect(await view()).toMatchObject({ incident: null, reopenableUntil: expect.any(String) });
      // Two alerts a run: five alerts (one a repeat) took more than one run.
      expect((await timeSkipping.env.client.workflow.getHandle(`alert-key-${taskQueue}-web1-http`).describe()).runId).not.toBe(firstRun);
    },
    'INC0010042',
    2,
  );
}, 60_000);
