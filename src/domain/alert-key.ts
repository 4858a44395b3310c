// One monitoring alert key (host/service) over time: the rules its workflow (workflows/alert-key.ts)
// runs. Pure, deterministic, no I/O: given the key's state, an alert (or the clock reaching a deadline),
// it says the new state and what to do (open, reopen or add to an incident). The rules, in order:
//
//   order     alerts are applied in their own time order; one older than the last applied is stale:
//             recorded, it changes nothing (a RECOVERY that overtook its PROBLEM wins over it)
//   debounce  a PROBLEM waits `openDelayMs` for its RECOVERY before opening anything
//   flapping  `flapThreshold` state changes within `flapWindowMs`: the key is flapping; its incident
//             opens at once, stays open (noted as flapping), and resolves only once the key has kept
//             still for a whole window with its last alert a recovery
//   reopen    a PROBLEM within `reopenWindowMs` of the recovery reopens the incident it resolved
//
// Two clocks: an alert's time (`at`, the monitoring system's, ordering alerts and measuring the flap and
// reopen windows) and the workflow's (`now`, for the deadlines it sleeps until).
import type { CreateIncidentInput } from './inbound-steps';

export interface AlertKeySettings {
  openDelayMs: number;
  flapWindowMs: number;
  flapThreshold: number;
  reopenWindowMs: number;
}

/** What the defaults of the configuration give (config.ts: ALERT_*). */
export const DEFAULT_ALERT_KEY_SETTINGS: AlertKeySettings = {
  openDelayMs: 2 * 60_000,
  flapWindowMs: 30 * 60_000,
  flapThreshold: 5,
  reopenWindowMs: 60 * 60_000,
};

/** One alert mail of the key, as the inbound email hands it over (its text stays in S3). */
export interface AlertKeyEvent {
  /** The SES message id of the alert mail: a repeated delivery is applied once. */
  id: string;
  /** The alert's own time (ms since the epoch): see alertTime. */
  at: number;
  recovery: boolean;
  state: string | null;
  from: string;
  bucket: string;
  parsedKey: string;
  /** The incident this alert would open: routing, reporter, priority, as the inbound email decided them. */
  incident: CreateIncidentInput;
}

/** An alert as the inbound email hands it over: without a time of its own (a parse older than it), its arrival. */
export type AlertHandover = Omit<AlertKeyEvent, 'at'> & { at: number | null };

/** A PROBLEM waiting out the open delay, and those that came after it meanwhile. */
export interface WaitingProblem {
  event: AlertKeyEvent;
  until: number;
  followers: AlertKeyEvent[];
}

export interface AlertKeyState {
  /** Alert time of the newest applied alert (stale ones are older), and whether it was a recovery. */
  lastAt: number | null;
  level: 'problem' | 'ok';
  /** The incident open for the key. */
  incident: string | null;
  /** The incident the last recovery resolved: a PROBLEM within the reopen window reopens it. */
  resolved: { incident: string; at: number; until: number } | null;
  waiting: WaitingProblem | null;
  /** Alert times of the state changes within the flap window (newest last). */
  changes: number[];
  /** Flapping: the incident stays open until `calmAt` (workflow time) passes without a change. */
  flapping: { calmAt: number } | null;
  /** The recovery that will resolve the incident when the flapping stops, unless a PROBLEM comes first. */
  heldRecovery: AlertKeyEvent | null;
  /** Workflow time of the last alert received: the key stays awake a flap window after it. */
  lastSeen: number | null;
  /** The last few decisions, for the Temporal UI's query (no alert text). */
  recent: AlertKeyNote[];
}

export interface AlertKeyNote {
  id: string;
  at: number;
  what: string;
}

/** What the workflow does; `flapping` marks the comment so the agent sees why the incident stays open. */
export type AlertKeyAction =
  | { type: 'open'; event: AlertKeyEvent; followers: AlertKeyEvent[]; flapping: boolean }
  | { type: 'reopen'; incident: string; event: AlertKeyEvent; followers: AlertKeyEvent[]; flapping: boolean }
  | { type: 'add'; incident: string; event: AlertKeyEvent; flapping: boolean };

export interface AlertKeyStep {
  state: AlertKeyState;
  actions: AlertKeyAction[];
}

const RECENT_LIMIT = 20;
/** Alerts kept while a PROBLEM waits: the rest are counted, not added, when it opens. */
const FOLLOWERS_LIMIT = 10;

/** A key with nothing known, or (from PostgreSQL) with an incident already open for it. */
export function startAlertKey(openIncident: string | null): AlertKeyState {
  return { lastAt: null, level: openIncident ? 'problem' : 'ok', incident: openIncident, resolved: null, waiting: null, changes: [], flapping: null, heldRecovery: null, lastSeen: null, recent: [] };
}

function note(state: AlertKeyState, id: string, at: number, what: string): AlertKeyState {
  const recent = [...state.recent, { id, at, what }];
  return { ...state, recent: recent.length > RECENT_LIMIT ? recent.slice(recent.length - RECENT_LIMIT) : recent };
}

/** Applies one alert, arrived at workflow time `now`. */
export function applyAlert(state: AlertKeyState, event: AlertKeyEvent, now: number, settings: AlertKeySettings): AlertKeyStep {
  const kind = event.recovery ? 'recovery' : 'problem';
  if (state.lastAt !== null && event.at < state.lastAt) {
    return { state: note({ ...state, lastSeen: now }, event.id, event.at, `stale ${kind}: older than the last alert applied, changes nothing`), actions: [] };
  }
  let next: AlertKeyState = { ...state, lastAt: event.at, lastSeen: now };
  const level = event.recovery ? 'ok' : 'problem';
  if (level !== state.level) {
    const changes = [...state.changes.filter((t) => t > event.at - settings.flapWindowMs), event.at];
    next = { ...next, level, changes };
    if (next.flapping || changes.length >= settings.flapThreshold) next.flapping = { calmAt: now + settings.flapWindowMs };
    if (next.flapping && !state.flapping) next = note(next, event.id, event.at, `flapping: ${changes.length} state changes within the flap window`);
  }
  const flapping = next.flapping !== null;

  if (!event.recovery) {
    next.heldRecovery = null;
    if (next.incident) return { state: note(next, event.id, event.at, `problem added to ${next.incident}`), actions: [{ type: 'add', incident: next.incident, event, flapping }] };
    if (next.waiting) {
      const followers = next.waiting.followers.length < FOLLOWERS_LIMIT ? [...next.waiting.followers, event] : next.waiting.followers;
      next = { ...next, waiting: { ...next.waiting, followers } };
      if (!flapping) return { state: note(next, event.id, event.at, 'problem joins the one waiting to open'), actions: [] };
      return open(next, next.waiting!, now, true);
    }
    const waiting: WaitingProblem = { event, until: now + settings.openDelayMs, followers: [] };
    // A flapping key opens at once: its problems would otherwise each be followed by a recovery in time.
    if (flapping || settings.openDelayMs <= 0) return open(next, waiting, now, flapping);
    return { state: note({ ...next, waiting }, event.id, event.at, 'problem waits for its recovery before opening'), actions: [] };
  }

  if (next.waiting) {
    return { state: note({ ...next, waiting: null }, event.id, event.at, 'recovery within the open delay: nothing opened'), actions: [] };
  }
  if (!next.incident) return { state: note(next, event.id, event.at, 'recovery with no open incident'), actions: [] };
  if (flapping) {
    return { state: note({ ...next, heldRecovery: event }, event.id, event.at, `recovery held: ${next.incident} stays open while the key flaps`), actions: [] };
  }
  return resolve(next, event, now, settings);
}

function resolve(state: AlertKeyState, event: AlertKeyEvent, now: number, settings: AlertKeySettings): AlertKeyStep {
  const incident = state.incident!;
  const next: AlertKeyState = { ...state, incident: null, heldRecovery: null, resolved: { incident, at: event.at, until: now + settings.reopenWindowMs } };
  return { state: note(next, event.id, event.at, `recovery resolves ${incident}`), actions: [{ type: 'add', incident, event, flapping: false }] };
}

function open(state: AlertKeyState, waiting: WaitingProblem, now: number, flapping: boolean): AlertKeyStep {
  const { event, followers } = waiting;
  const reopen = state.resolved && now <= state.resolved.until ? state.resolved.incident : null;
  const next: AlertKeyState = { ...state, waiting: null, resolved: null };
  if (reopen) {
    return { state: note({ ...next, incident: reopen }, event.id, event.at, `problem reopens ${reopen}`), actions: [{ type: 'reopen', incident: reopen, event, followers, flapping }] };
  }
  return { state: note(next, event.id, event.at, 'problem opens an incident'), actions: [{ type: 'open', event, followers, flapping }] };
}

/** The incident an `open` action made (or found open for the key): the key's incident from now on. */
export function incidentOpened(state: AlertKeyState, incident: string): AlertKeyState {
  return { ...state, incident };
}

/** The next instant the workflow must wake without an alert, or null. */
export function nextAlertKeyDeadline(state: AlertKeyState): number | null {
  const times = [state.waiting?.until, state.flapping?.calmAt].filter((t): t is number => t !== undefined);
  return times.length ? Math.min(...times) : null;
}

/** What falls due at `now`: the open delay ends (the PROBLEM opens), the flapping calms down. */
export function fireAlertKeyDeadlines(state: AlertKeyState, now: number, settings: AlertKeySettings): AlertKeyStep {
  let next = state;
  const actions: AlertKeyAction[] = [];
  if (next.flapping && now >= next.flapping.calmAt) {
    const held = next.heldRecovery;
    next = note({ ...next, flapping: null, changes: [] }, held?.id ?? 'calm', held?.at ?? next.lastAt ?? 0, 'flapping stopped');
    if (held && next.incident) {
      const resolved = resolve(next, held, now, settings);
      next = resolved.state;
      actions.push(...resolved.actions);
    }
  }
  if (next.waiting && now >= next.waiting.until) {
    const opened = open(next, next.waiting, now, next.flapping !== null);
    next = opened.state;
    actions.push(...opened.actions);
  }
  if (next.resolved && now > next.resolved.until && !next.waiting) next = { ...next, resolved: null };
  return { state: next, actions };
}

/**
 * When the key's workflow may end: nothing open, waiting or flapping, the reopen window passed, and a flap
 * window (or open delay) since the last alert, so that a late alert is still told stale and a flap still
 * counted. Null while something is open, waiting or flapping.
 */
export function alertKeyQuietAt(state: AlertKeyState, settings: AlertKeySettings): number | null {
  if (state.incident || state.waiting || state.flapping) return null;
  return Math.max(state.resolved?.until ?? 0, (state.lastSeen ?? 0) + Math.max(settings.flapWindowMs, settings.openDelayMs));
}

/** What the Temporal UI's query shows of the key. */
export interface AlertKeyView {
  level: AlertKeyState['level'];
  incident: string | null;
  lastAlertAt: string | null;
  waitingUntil: string | null;
  flapping: boolean;
  flapChanges: number;
  reopenableUntil: string | null;
  recent: { at: string; what: string }[];
}

const iso = (t: number | null | undefined) => (t === null || t === undefined ? null : new Date(t).toISOString());

export function alertKeyView(state: AlertKeyState): AlertKeyView {
  return {
    level: state.level,
    incident: state.incident,
    lastAlertAt: iso(state.lastAt),
    waitingUntil: iso(state.waiting?.until),
    flapping: state.flapping !== null,
    flapChanges: state.changes.length,
    reopenableUntil: state.resolved ? iso(state.resolved.until) : null,
    recent: state.recent.map((n) => ({ at: new Date(n.at).toISOString(), what: n.what })),
  };
}

/** An alert's own time is believed only this far ahead of its arrival (clock skew) ... */
const AHEAD_LIMIT_MS = 5 * 60_000;
/** ... and this far behind it (a mail queued for a day is late, not from last month). */
const BEHIND_LIMIT_MS = 7 * 24 * 60 * 60_000;

/**
 * The alert's time: the first of the candidates (the alert's own field, then the mail's Date header)
 * that parses and lies near its arrival; else its arrival. A hostile or broken clock cannot put an
 * alert ahead of every later one.
 */
export function alertTime(candidates: (string | null | undefined)[], arrivedAt: number): number {
  for (const text of candidates) {
    if (typeof text !== 'string' || text.length > 100) continue;
    const at = Date.parse(text);
    if (Number.isFinite(at) && at <= arrivedAt + AHEAD_LIMIT_MS && at >= arrivedAt - BEHIND_LIMIT_MS) return at;
  }
  return arrivedAt;
}
