// One incident's SLA clock, as pure rules: two targets (first response, resolution) that run on the plan's
// calendar, warn at a share of the target and breach at its end; the first agent response meets the first
// one, resolving meets both; waiting for the customer pauses them, the customer's reply resumes them, and
// reopening restarts (or resumes) the resolution target. The workflow keeps the timers; this says when
// they fall and what each change does. Instants are epoch milliseconds.
import { addBusinessTime, businessTimeBetween } from './business-calendar';
import { isIncidentDone } from './incident-state';
import type { SlaPlan, SlaTargetName } from './sla-policy';
import { SLA_TARGET_NAMES } from './sla-policy';

export interface TargetClock {
  targetMs: number;
  /** Working time used up to `runningSince` (or up to the pause or stop). */
  usedMs: number;
  /** Runs from this instant; null while paused or stopped. */
  runningSince: number | null;
  warned: boolean;
  breached: boolean;
  /** When it breached: its due time from then on (a breach is a fact; a re-plan does not move it). */
  breachedAt: number | null;
  /** When it was met or stopped; null while it counts. */
  stoppedAt: number | null;
  /** Met (answered, resolved), or stopped without being met (resolved before any answer). */
  outcome: 'met' | 'stopped' | null;
}

export interface SlaClock {
  plan: SlaPlan;
  firstResponse: TargetClock;
  resolution: TargetClock;
  /** Waiting for the customer since. */
  pausedSince: number | null;
  /** The newest change applied: a late change never moves the clock back. */
  lastAt: number;
}

/** What the clock hears: an agent answered the customer, or the incident's state is now this. */
export type SlaChange =
  | { type: 'responded'; at: number }
  | { type: 'state'; state: string; at: number }
  | { type: 'replan'; plan: SlaPlan; at: number };

export type SlaEventName = 'started' | 'warning' | 'breach' | 'met' | 'stopped' | 'paused' | 'resumed' | 'reopened' | 'replanned';

export interface SlaEvent {
  /** Null for an event of the whole clock (paused, resumed). */
  target: SlaTargetName | null;
  event: SlaEventName;
  at: number;
  /** The target's due time after the event, when it runs. */
  dueAt: number | null;
  detail: string;
}

export interface SlaStep {
  clock: SlaClock;
  events: SlaEvent[];
}

const AWAITING_CUSTOMER = 'awaiting-customer';
const minutesMs = (m: number) => m * 60_000;

function targetClock(targetMs: number, at: number, running: boolean): TargetClock {
  return { targetMs, usedMs: 0, runningSince: running ? at : null, warned: false, breached: false, breachedAt: null, stoppedAt: null, outcome: null };
}

/** The instant a running target falls due; null when it does not run. */
export function slaDueAt(clock: SlaClock, name: SlaTargetName): number | null {
  const t = clock[name];
  if (t.runningSince === null) return null;
  if (t.breachedAt !== null) return t.breachedAt;
  return addBusinessTime(clock.plan.calendar, t.runningSince, Math.max(0, t.targetMs - t.usedMs));
}

/** The instant a running target warns; null once warned (or breached) or when it does not run. */
export function slaWarningAt(clock: SlaClock, name: SlaTargetName): number | null {
  const t = clock[name];
  if (t.runningSince === null || t.warned || t.breached) return null;
  const warnMs = Math.floor((t.targetMs * clock.plan.warningPercent) / 100);
  return addBusinessTime(clock.plan.calendar, t.runningSince, Math.max(0, warnMs - t.usedMs));
}

/** The next instant something falls due (a warning or a breach), or null when nothing runs. */
export function nextSlaDeadline(clock: SlaClock): number | null {
  const instants: number[] = [];
  for (const name of SLA_TARGET_NAMES) {
    const warning = slaWarningAt(clock, name);
    if (warning !== null) instants.push(warning);
    if (!clock[name].breached) {
      const due = slaDueAt(clock, name);
      if (due !== null) instants.push(due);
    }
  }
  return instants.length ? Math.min(...instants) : null;
}

const ev = (target: SlaTargetName | null, event: SlaEventName, at: number, dueAt: number | null, detail: string): SlaEvent => ({ target, event, at, dueAt, detail });

/** Starts the clock of a new incident at its creation, in the state it has. */
export function startSlaClock(plan: SlaPlan, at: number, state: string): SlaStep {
  let clock: SlaClock = {
    plan,
    firstResponse: targetClock(minutesMs(plan.firstResponseMinutes), at, true),
    resolution: targetClock(minutesMs(plan.resolutionMinutes), at, true),
    pausedSince: null,
    lastAt: at,
  };
  const events = SLA_TARGET_NAMES.map((name) => ev(name, 'started', at, slaDueAt(clock, name), `${clock.plan.time} time`));
  const next = applySlaChange(clock, { type: 'state', state, at });
  clock = next.clock;
  return { clock, events: [...events, ...next.events] };
}

/** Warnings and breaches that fell due by `now`, each at its own instant; a breach makes its warning moot. */
export function fireSlaDeadlines(clock: SlaClock, now: number): SlaStep {
  const events: SlaEvent[] = [];
  const next = { ...clock };
  for (const name of SLA_TARGET_NAMES) {
    const t = { ...clock[name] };
    const due = slaDueAt(clock, name);
    const warning = slaWarningAt(clock, name);
    if (!t.breached && due !== null && due <= now) {
      t.breached = true;
      t.breachedAt = due;
      t.warned = true;
      events.push(ev(name, 'breach', due, due, 'the target passed'));
    } else if (warning !== null && warning <= now) {
      t.warned = true;
      events.push(ev(name, 'warning', warning, due, `${clock.plan.warningPercent}% of the target passed`));
    }
    next[name] = t;
  }
  return { clock: next, events };
}

/** Stops a running or paused target at `at`, counting the time it ran. */
function stopped(clock: SlaClock, name: SlaTargetName, at: number, outcome: 'met' | 'stopped'): TargetClock {
  const t = clock[name];
  const used = t.runningSince === null ? t.usedMs : t.usedMs + businessTimeBetween(clock.plan.calendar, t.runningSince, at);
  return { ...t, usedMs: used, runningSince: null, stoppedAt: at, outcome };
}

function paused(clock: SlaClock, name: SlaTargetName, at: number): TargetClock {
  const t = clock[name];
  if (t.runningSince === null) return t;
  return { ...t, usedMs: t.usedMs + businessTimeBetween(clock.plan.calendar, t.runningSince, at), runningSince: null };
}

const counting = (t: TargetClock) => t.stoppedAt === null;

/** Applies one change; the events say what it did (none when it changed nothing). */
export function applySlaChange(clock: SlaClock, change: SlaChange): SlaStep {
  const at = Math.max(change.at, clock.lastAt);
  const events: SlaEvent[] = [];
  let next: SlaClock = { ...clock, lastAt: at };
  const stop = (name: SlaTargetName, event: 'met' | 'stopped', detail: string) => {
    next = { ...next, [name]: stopped(next, name, at, event) };
    events.push(ev(name, event, at, null, detail));
  };
  switch (change.type) {
    case 'responded':
      if (counting(next.firstResponse)) stop('firstResponse', 'met', next.firstResponse.breached ? 'answered after the breach' : 'answered in time');
      break;
    case 'state': {
      if (isIncidentDone(change.state)) {
        if (counting(next.firstResponse)) stop('firstResponse', 'stopped', `${change.state} before an agent answered`);
        if (counting(next.resolution)) stop('resolution', 'met', next.resolution.breached ? `${change.state} after the breach` : `${change.state} in time`);
        next = { ...next, pausedSince: null };
      } else if (!counting(next.resolution)) {
        // Reopened: the resolution target counts again, from zero or from where it stopped.
        const t = next.resolution;
        const restart = next.plan.onReopen === 'restart';
        next = { ...next, pausedSince: null, resolution: { ...t, usedMs: restart ? 0 : t.usedMs, warned: restart ? false : t.warned, breached: restart ? false : t.breached, breachedAt: restart ? null : t.breachedAt, runningSince: at, stoppedAt: null, outcome: null } };
        events.push(ev('resolution', 'reopened', at, slaDueAt(next, 'resolution'), restart ? 'the target starts again' : 'the target resumes with the time already used'));
        if (change.state === AWAITING_CUSTOMER) return withPause(next, at, events);
      } else if (change.state === AWAITING_CUSTOMER) {
        if (next.pausedSince === null) return withPause(next, at, events);
      } else if (next.pausedSince !== null) {
        const since = next.pausedSince;
        for (const name of SLA_TARGET_NAMES) if (counting(next[name])) next = { ...next, [name]: { ...next[name], runningSince: at } };
        next = { ...next, pausedSince: null };
        events.push(ev(null, 'resumed', at, slaDueAt(next, 'resolution'), `paused since ${new Date(since).toISOString()}`));
      }
      break;
    }
    case 'replan':
      return replanned(next, change.plan, at);
  }
  return { clock: next, events };
}

function withPause(clock: SlaClock, at: number, events: SlaEvent[]): SlaStep {
  let next = { ...clock, pausedSince: at };
  for (const name of SLA_TARGET_NAMES) next = { ...next, [name]: paused(next, name, at) };
  return { clock: next, events: [...events, ev(null, 'paused', at, null, 'waiting for the customer')] };
}

/** The clock under a new plan: time used so far stays used, the targets and calendar are the new ones. */
function replanned(clock: SlaClock, plan: SlaPlan, at: number): SlaStep {
  let next: SlaClock = { ...clock, plan };
  const events: SlaEvent[] = [];
  const minutes: Record<SlaTargetName, number> = { firstResponse: plan.firstResponseMinutes, resolution: plan.resolutionMinutes };
  for (const name of SLA_TARGET_NAMES) {
    const t = clock[name];
    const oldDue = slaDueAt(clock, name);
    const running = t.runningSince !== null;
    const used = running ? t.usedMs + businessTimeBetween(clock.plan.calendar, t.runningSince as number, at) : t.usedMs;
    next = { ...next, [name]: { ...t, usedMs: used, runningSince: running ? at : null, targetMs: minutesMs(minutes[name]) } };
    const newDue = slaDueAt(next, name);
    // Only a change this incident sees is an event: a policy that moved another group's targets is not.
    if (!counting(t) || (newDue === oldDue && t.targetMs === minutesMs(minutes[name]))) continue;
    const was = oldDue === null ? 'paused' : new Date(oldDue).toISOString();
    const now = newDue === null ? 'paused' : new Date(newDue).toISOString();
    events.push(ev(name, 'replanned', at, newDue, `target ${t.targetMs / 60_000} -> ${minutes[name]} minutes of ${plan.time} time; due ${was} -> ${now}`));
  }
  return { clock: next, events };
}

/** Both targets met or stopped: the clock has nothing left to time. */
export const slaClockFinished = (clock: SlaClock): boolean => !counting(clock.firstResponse) && !counting(clock.resolution);

/** What the clock shows (its query, the incident's record): due times, what is paused, what breached. */
export interface SlaView {
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  pausedSince: string | null;
  targets: Record<SlaTargetName, { minutes: number; usedMinutes: number; state: 'running' | 'paused' | 'met' | 'stopped'; warned: boolean; breached: boolean }>;
  time: SlaPlan['time'];
  timeZone: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function slaView(clock: SlaClock, now: number): SlaView {
  const target = (name: SlaTargetName) => {
    const t = clock[name];
    const used = t.runningSince === null ? t.usedMs : t.usedMs + businessTimeBetween(clock.plan.calendar, t.runningSince, Math.max(now, t.runningSince));
    const state: SlaView['targets'][SlaTargetName]['state'] = t.outcome ?? (t.runningSince === null ? 'paused' : 'running');
    return { minutes: t.targetMs / 60_000, usedMinutes: Math.floor(used / 60_000), state, warned: t.warned, breached: t.breached };
  };
  return {
    firstResponseDueAt: iso(slaDueAt(clock, 'firstResponse')),
    resolutionDueAt: iso(slaDueAt(clock, 'resolution')),
    pausedSince: iso(clock.pausedSince),
    targets: { firstResponse: target('firstResponse'), resolution: target('resolution') },
    time: clock.plan.time,
    timeZone: clock.plan.calendar.timeZone,
  };
}
