// One incident's SLA clock, kept by durable timers: no sweep over open incidents, no cron. It starts with
// the incident (or again when a closed one reopens), sleeps until the next warning or breach, and wakes
// for what it is told: an agent answered, the incident's state changed, the policy changed. Every change
// is saved with its events in PostgreSQL (the incident shows them); warnings and breaches are escalated.
// Its own workflow, not part of the thread: the thread ends when the incident closes and keeps the
// conversation, the clock ends when both targets are met and keeps only time.
import { allHandlersFinished, condition, continueAsNew, metricMeter, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { applySlaChange, fireSlaDeadlines, nextSlaDeadline, SlaChange, SlaClock, slaClockFinished, SlaStep, slaView, startSlaClock } from '../domain/sla-clock';
import { IncidentSlaInput, SlaNotice, slaNoticeSignal, slaQuery } from './contracts';
import { ACTIVITY_RETRY } from './retry';

const { loadSlaStart, recordSlaEvents } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: ACTIVITY_RETRY });
// During a rolling restart a worker on the old policy refuses the plan: retried every second (not with
// the usual backoff up to a minute), so the next poll by a worker on the new policy answers soon.
const { slaPlan } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { ...ACTIVITY_RETRY, backoffCoefficient: 1, maximumInterval: '1 second' } });

const SEEN_LIMIT = 200;
const NOTICES_PER_RUN = 500;
const NOTICE_KINDS: readonly SlaNotice['kind'][] = ['responded', 'state', 'replan'];

/** Notices come from our activities, but a clock must not break on a malformed one: it is dropped. */
function wellFormed(n: SlaNotice): boolean {
  return (
    typeof n === 'object' && n !== null &&
    typeof n.id === 'string' && n.id.length > 0 && n.id.length <= 200 &&
    NOTICE_KINDS.includes(n.kind) && Number.isSafeInteger(n.at) &&
    (n.kind !== 'state' || (typeof n.state === 'string' && n.state.length <= 40)) &&
    (n.kind !== 'replan' || (typeof n.fingerprint === 'string' && /^[0-9a-f]{64}$/.test(n.fingerprint)))
  );
}

export async function incidentSla(input: IncidentSlaInput): Promise<void> {
  const { incidentNumber } = input;
  const pending: SlaNotice[] = [...(input.pending ?? [])];
  const seen = [...(input.seen ?? [])];
  let clock: SlaClock | null = input.clock ?? null;

  setHandler(slaNoticeSignal, (notice) => {
    if (wellFormed(notice)) pending.push(notice);
  });
  setHandler(slaQuery, () => (clock ? slaView(clock, Date.now()) : null));

  const events = metricMeter.createCounter('email_to_ticket_sla_events_total', 'events', 'SLA clock events by target and event');
  async function record(step: SlaStep): Promise<SlaClock> {
    // A re-plan that changed nothing for this incident is saved too: the record names the policy.
    if (step.events.length > 0 || step.clock.plan.fingerprint !== clock?.plan.fingerprint) {
      await recordSlaEvents({ incidentNumber, clock: step.clock, events: step.events, now: Date.now() });
      for (const e of step.events) events.withTags({ target: e.target ?? 'clock', event: e.event }).add(1);
    }
    return step.clock;
  }

  if (!clock) {
    const start = await loadSlaStart({ incidentNumber });
    if (!start.saved) clock = await record(startSlaClock(start.plan, start.createdAt, start.state));
    // A clock saved on another policy (it changed while the incident was closed) goes on under this one.
    else if (start.saved.plan.fingerprint !== start.plan.fingerprint) clock = await record(applySlaChange(start.saved, { type: 'replan', plan: start.plan, at: Date.now() }));
    else clock = start.saved;
  }

  let handled = 0;
  for (;;) {
    if (pending.length === 0) {
      if (slaClockFinished(clock)) {
        await condition(allHandlersFinished);
        if (pending.length === 0) return;
      }
      const deadline = nextSlaDeadline(clock);
      const now = Date.now();
      if (deadline === null) await condition(() => pending.length > 0);
      else if (deadline > now) await condition(() => pending.length > 0, deadline - now);
      if (pending.length === 0) {
        const fired = fireSlaDeadlines(clock, Date.now());
        // Never spin: a deadline that fires nothing (it cannot, by the rules) waits a minute instead.
        if (fired.events.length === 0) await condition(() => pending.length > 0, 60_000);
        clock = await record(fired);
        continue;
      }
    }
    const notice = pending.shift() as SlaNotice;
    if (seen.includes(notice.id)) continue;
    // What fell due before the change counts first: a breach before the answer is a breach.
    const at = Math.min(notice.at, Date.now());
    const fired = fireSlaDeadlines(clock, at);
    const change = await changeOf(notice, fired.clock, at);
    const applied = change ? applySlaChange(fired.clock, change) : { clock: fired.clock, events: [] };
    clock = await record({ clock: applied.clock, events: [...fired.events, ...applied.events] });
    seen.push(notice.id);
    if (seen.length > SEEN_LIMIT) seen.splice(0, seen.length - SEEN_LIMIT);
    if (++handled >= NOTICES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof incidentSla>({ incidentNumber, clock, seen, pending });
    }
  }

  async function changeOf(notice: SlaNotice, current: SlaClock, at: number): Promise<SlaChange | null> {
    switch (notice.kind) {
      case 'responded':
        return { type: 'responded', at };
      case 'state':
        return { type: 'state', state: notice.state as string, at };
      case 'replan':
        // Already on that policy (a repeated re-plan): nothing to do.
        if (current.plan.fingerprint === notice.fingerprint) return null;
        return { type: 'replan', plan: await slaPlan({ incidentNumber, fingerprint: notice.fingerprint as string }), at };
    }
  }
}
