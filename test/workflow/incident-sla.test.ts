// The SLA clock workflow on the time-skipping test server, over weeks of simulated time: warnings and
// breaches at their exact instants, the first response, a two-week pause for the customer, a business
// calendar whose next working hour is a week away behind a holiday, closing, reopening and re-planning.
// Its activities are faked in memory (the record of the clock is what the test reads).
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { SlaStart } from '../../src/activities/sla-clock';
import { parseBusinessCalendar } from '../../src/domain/business-calendar';
import type { SlaClock, SlaEvent } from '../../src/domain/sla-clock';
import type { SlaPlan } from '../../src/domain/sla-policy';
import { testSlaPlan } from '../fixtures/sla-plan';
import { incidentSla, SlaNotice, slaNoticeSignal, slaQuery, slaReplan } from '../../src/workflows';
import { useTimeSkipping } from './time-skipping';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;
const FP_A = 'a'.repeat(64);
const FP_B = 'b'.repeat(64);

const timeSkipping = useTimeSkipping();

const plan = testSlaPlan;

/** The clock's activities in memory: the saved clock, every event, the plans of the policies known. */
function fakeRecord(createdAt: number, plans: SlaPlan[]) {
  const record = { saved: null as SlaClock | null, events: [] as SlaEvent[], starts: 0, replanCalls: 0 };
  const activities = {
    async loadSlaStart(): Promise<SlaStart> {
      record.starts++;
      return { saved: record.saved, plan: plans[0], createdAt, state: 'new' };
    },
    async slaPlan(input: { fingerprint: string }): Promise<SlaPlan> {
      record.replanCalls++;
      const found = plans.find((p) => p.fingerprint === input.fingerprint);
      if (!found) throw ApplicationFailure.nonRetryable('unknown policy');
      return found;
    },
    async recordSlaEvents(input: { clock: SlaClock; events: SlaEvent[] }): Promise<{ escalated: number }> {
      record.saved = input.clock;
      record.events.push(...input.events);
      return { escalated: 0 };
    },
  };
  return { record, activities };
}

const seen = (events: SlaEvent[]) => events.map((e) => `${e.target ?? 'clock'} ${e.event}`);

/** Waits (in real time; simulated time stands still meanwhile) until the workflow has recorded `n` events. */
async function recorded(record: { events: SlaEvent[] }, n: number): Promise<SlaEvent[]> {
  for (let i = 0; i < 200 && record.events.length < n; i++) await new Promise((r) => setTimeout(r, 50));
  return record.events;
}

async function withClock<T>(createdAt: number, plans: SlaPlan[], work: (ctx: { record: ReturnType<typeof fakeRecord>['record']; workflowId: string; taskQueue: string; notify: (n: Omit<SlaNotice, 'at' | 'id'> & { id?: string }) => Promise<number> }) => Promise<T>) {
  const { record, activities } = fakeRecord(createdAt, plans);
  const taskQueue = `sla-${randomUUID()}`;
  const workflowId = `incident-sla-${randomUUID()}`;
  const worker = await Worker.create({ connection: timeSkipping.env.nativeConnection, taskQueue, workflowBundle: timeSkipping.workflowBundle, activities });
  /** Signals the clock (starting it if it does not run); returns the instant the notice carries. */
  const notify = async (n: Omit<SlaNotice, 'at' | 'id'> & { id?: string }) => {
    const at = await timeSkipping.env.currentTimeMs();
    await timeSkipping.env.client.workflow.signalWithStart(incidentSla, {
      workflowId,
      taskQueue,
      args: [{ incidentNumber: 'INC0010001' }],
      signal: slaNoticeSignal,
      signalArgs: [{ id: n.id ?? randomUUID(), at, ...n } as SlaNotice],
    });
    return at;
  };
  return worker.runUntil(work({ record, workflowId, taskQueue, notify }));
}

test('wall time: warning and breach at their instants, the answer meets the first target, a two-week pause, the close ends the clock', async () => {
  const t0 = await timeSkipping.env.currentTimeMs();
  await withClock(t0, [plan()], async ({ record, workflowId, notify }) => {
    await notify({ kind: 'state', state: 'new' });
    expect(seen(await recorded(record, 2))).toEqual(['firstResponse started', 'resolution started']);

    await timeSkipping.env.sleep(50 * M);
    const warning = (await recorded(record, 3))[2];
    expect([warning.target, warning.event, warning.at]).toEqual(['firstResponse', 'warning', t0 + 48 * M]);
    await timeSkipping.env.sleep(15 * M);
    const breach = (await recorded(record, 4))[3];
    expect([breach.target, breach.event, breach.at]).toEqual(['firstResponse', 'breach', t0 + 60 * M]);

    await notify({ kind: 'responded' });
    expect((await recorded(record, 5))[4]).toMatchObject({ target: 'firstResponse', event: 'met', detail: 'answered after the breach' });
    const pausedAt = await notify({ kind: 'state', state: 'awaiting-customer' });
    expect(seen(await recorded(record, 6)).slice(5)).toEqual(['clock paused']);
    const query = await timeSkipping.env.client.workflow.getHandle(workflowId).query(slaQuery);
    expect(query).toMatchObject({ resolutionDueAt: null, pausedSince: new Date(pausedAt).toISOString(), targets: { firstResponse: { state: 'met', breached: true }, resolution: { state: 'paused' } } });

    // Two weeks waiting for the customer: the resolution target (due after 4 h) neither warns nor breaches.
    await timeSkipping.env.sleep(14 * D);
    expect(record.events).toHaveLength(6);
    const resumedAt = await notify({ kind: 'state', state: 'in-progress' });
    const resumed = (await recorded(record, 7))[6];
    const used = pausedAt - t0;
    expect(resumed).toMatchObject({ target: null, event: 'resumed', dueAt: resumedAt + 4 * H - used });

    await timeSkipping.env.sleep(4 * H);
    const after = await recorded(record, 9);
    expect(after.slice(7).map((e) => [e.target, e.event, e.at])).toEqual([
      ['resolution', 'warning', resumedAt + Math.floor(0.8 * 4 * H) - used],
      ['resolution', 'breach', resumedAt + 4 * H - used],
    ]);

    await notify({ kind: 'state', state: 'closed' });
    await timeSkipping.env.client.workflow.getHandle(workflowId).result();
    expect(seen(record.events).slice(9)).toEqual(['resolution met']);
    expect(record.events[9].detail).toBe('closed after the breach');
  });
}, 120_000);

test('a business calendar: the next working hour is a week away (the day after tomorrow is a holiday); nothing falls due before it', async () => {
  const t0 = await timeSkipping.env.currentTimeMs();
  const day = (offset: number) => new Date(t0 + offset * D);
  const weekday = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][day(2).getUTCDay()];
  const calendar = parseBusinessCalendar({ timeZone: 'UTC', hours: { [weekday]: '09:00-10:00' }, holidays: [day(2).toISOString().slice(0, 10)] });
  const opens = Date.parse(`${day(9).toISOString().slice(0, 10)}T09:00:00Z`);
  await withClock(t0, [plan({ calendar, time: 'business', firstResponseMinutes: 10, resolutionMinutes: 30 })], async ({ record, notify }) => {
    await notify({ kind: 'state', state: 'new' });
    const started = await recorded(record, 2);
    expect(started.map((e) => e.dueAt)).toEqual([opens + 10 * M, opens + 30 * M]);

    await timeSkipping.env.sleep(opens + 7 * M - t0);
    expect(record.events).toHaveLength(2);
    await timeSkipping.env.sleep(2 * M);
    expect((await recorded(record, 3))[2]).toMatchObject({ target: 'firstResponse', event: 'warning', at: opens + 8 * M });
    await timeSkipping.env.sleep(30 * M);
    expect((await recorded(record, 6)).slice(3).map((e) => [e.target, e.event, e.at])).toEqual([
      ['firstResponse', 'breach', opens + 10 * M],
      ['resolution', 'warning', opens + 24 * M],
      ['resolution', 'breach', opens + 30 * M],
    ]);
  });
}, 120_000);

test('reopening restarts the resolution target in a new run from the saved clock; a re-plan moves it; repeats and malformed notices change nothing', async () => {
  const t0 = await timeSkipping.env.currentTimeMs();
  const longer = plan({ fingerprint: FP_B, resolutionMinutes: 120 });
  await withClock(t0, [plan({ resolutionMinutes: 60 }), longer], async ({ record, workflowId, notify }) => {
    await notify({ kind: 'state', state: 'new' });
    await recorded(record, 2);
    await timeSkipping.env.sleep(10 * M);
    await notify({ kind: 'state', state: 'resolved', id: 'resolve-1' });
    await timeSkipping.env.client.workflow.getHandle(workflowId).result();
    expect(seen(record.events)).toEqual(['firstResponse started', 'resolution started', 'firstResponse stopped', 'resolution met']);

    await timeSkipping.env.sleep(D);
    const reopenedAt = await notify({ kind: 'state', state: 'in-progress', id: 'reply-1' });
    expect((await recorded(record, 5))[4]).toMatchObject({ target: 'resolution', event: 'reopened', dueAt: reopenedAt + 60 * M });
    expect(record.starts).toBe(2);

    await notify({ kind: 'state', state: 'in-progress', id: 'reply-1' }); // the same notice again
    await notify({ kind: 'bogus' as SlaNotice['kind'] }); // dropped by the handler
    await notify({ kind: 'replan', fingerprint: FP_B });
    const replanned = (await recorded(record, 6))[5];
    expect(replanned).toMatchObject({ target: 'resolution', event: 'replanned', dueAt: reopenedAt + 120 * M });
    await notify({ kind: 'replan', fingerprint: FP_B }); // already on it: no plan asked for
    await timeSkipping.env.sleep(2 * H);
    expect((await recorded(record, 8)).slice(6).map((e) => [e.event, e.at])).toEqual([
      ['warning', reopenedAt + 96 * M],
      ['breach', reopenedAt + 120 * M],
    ]);
    expect(record.replanCalls).toBe(1);
    expect(record.events).toHaveLength(8);
  });
}, 120_000);

test('the re-plan tells every open incident, a page at a time, continuing as new after pagesPerRun pages', async () => {
  const open = Array.from({ length: 7 }, (_, i) => `INC00100${String(i + 10)}`);
  const pages: { after: string; pageSize: number }[] = [];
  const activities = {
    async replanSlaPage(input: { fingerprint: string; after: string; pageSize: number }) {
      pages.push({ after: input.after, pageSize: input.pageSize });
      const page = open.filter((n) => n > input.after).slice(0, input.pageSize);
      return { count: page.length, last: page.length ? page[page.length - 1] : null };
    },
  };
  const taskQueue = `replan-${randomUUID()}`;
  const worker = await Worker.create({ connection: timeSkipping.env.nativeConnection, taskQueue, workflowBundle: timeSkipping.workflowBundle, activities });
  const result = await worker.runUntil(
    timeSkipping.env.client.workflow.execute(slaReplan, { taskQueue, workflowId: `sla-replan-${randomUUID()}`, args: [{ fingerprint: FP_B, pageSize: 2, pagesPerRun: 2 }] }),
  );
  expect(result).toEqual({ signalled: 7 });
  expect(pages.map((p) => p.after)).toEqual(['', 'INC0010011', 'INC0010013', 'INC0010015']);
}, 60_000);
