// SLA clocks in PostgreSQL: each incident's saved clock and due times, its events, and the policy the
// open clocks were last planned on. The clock itself runs in the incidentSla workflow; this is its record.
import { Pool } from 'pg';
import { SlaClock, SlaEvent, SlaView } from '../domain/sla-clock';
import { inTransaction } from './transaction';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const msIso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A retried save writes each event once: an event is its incident, kind, target and instant. */
const eventKey = (incidentNumber: string, e: SlaEvent) => `${incidentNumber}:${e.event}:${e.target ?? '-'}:${e.at}`;

/** Saves the clock after a change, with the events of the change, in one transaction. */
export async function saveSlaClock(pool: Pool, incidentNumber: string, clock: SlaClock, view: SlaView, events: SlaEvent[]): Promise<void> {
  await inTransaction(pool, async (db) => {
    await db.query(
      `INSERT INTO incident_slas (incident_number, clock, first_response_due_at, resolution_due_at, paused_since,
                                  first_response_breached, resolution_breached, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (incident_number) DO UPDATE SET clock = $2, first_response_due_at = $3, resolution_due_at = $4,
         paused_since = $5, first_response_breached = $6, resolution_breached = $7, updated_at = now()`,
      [incidentNumber, JSON.stringify(clock), view.firstResponseDueAt, view.resolutionDueAt, view.pausedSince, clock.firstResponse.breached, clock.resolution.breached],
    );
    for (const e of events) {
      await db.query(
        `INSERT INTO sla_events (incident_number, event_key, target, event, at, due_at, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_key) DO NOTHING`,
        [incidentNumber, eventKey(incidentNumber, e), e.target, e.event, msIso(e.at), msIso(e.dueAt), e.detail],
      );
    }
    // The incident's due time (tracking page, confirmation, lists) follows the resolution target.
    if (view.resolutionDueAt) await db.query('UPDATE incidents SET sla_due_at = $2 WHERE number = $1', [incidentNumber, view.resolutionDueAt]);
  });
}

export async function loadSlaClock(pool: Pool, incidentNumber: string): Promise<SlaClock | null> {
  const { rows } = await pool.query('SELECT clock FROM incident_slas WHERE incident_number = $1', [incidentNumber]);
  return rows[0] ? (rows[0].clock as SlaClock) : null;
}

/** What starts a clock: the incident's creation, state, priority and group, and its escalation address. */
export interface SlaSubject {
  createdAt: string;
  state: string;
  priority: number;
  assignmentGroup: string | null;
  escalationAddress: string | null;
  shortDescription: string;
}

export async function slaSubject(pool: Pool, incidentNumber: string): Promise<SlaSubject | null> {
  const { rows } = await pool.query(
    'SELECT created_at, state, priority, assignment_group, escalation_address, short_description FROM incidents WHERE number = $1',
    [incidentNumber],
  );
  const r = rows[0];
  if (!r) return null;
  return { createdAt: r.created_at.toISOString(), state: r.state, priority: r.priority, assignmentGroup: r.assignment_group, escalationAddress: r.escalation_address, shortDescription: r.short_description };
}

export interface SlaEventView {
  target: string | null;
  event: string;
  at: string;
  dueAt: string | null;
  detail: string;
}

/** `sla` of `incident show --json` and the API: due times, the pause, breaches, every event. */
export interface IncidentSlaView {
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  pausedSince: string | null;
  firstResponseBreached: boolean;
  resolutionBreached: boolean;
  events: SlaEventView[];
}

/** Events shown per incident: the newest this many (a clock re-planned daily for years stays readable). */
const EVENTS_SHOWN = 500;

export async function incidentSla(pool: Pool, incidentNumber: string): Promise<IncidentSlaView | null> {
  const { rows } = await pool.query(
    `SELECT first_response_due_at, resolution_due_at, paused_since, first_response_breached, resolution_breached
       FROM incident_slas WHERE incident_number = $1`,
    [incidentNumber],
  );
  const r = rows[0];
  if (!r) return null;
  const events = await pool.query(
    `SELECT target, event, at, due_at, detail FROM (
       SELECT id, target, event, at, due_at, detail FROM sla_events WHERE incident_number = $1 ORDER BY id DESC LIMIT $2
     ) newest ORDER BY id`,
    [incidentNumber, EVENTS_SHOWN],
  );
  return {
    firstResponseDueAt: iso(r.first_response_due_at),
    resolutionDueAt: iso(r.resolution_due_at),
    pausedSince: iso(r.paused_since),
    firstResponseBreached: r.first_response_breached,
    resolutionBreached: r.resolution_breached,
    events: events.rows.map((e) => ({ target: e.target, event: e.event, at: e.at.toISOString(), dueAt: iso(e.due_at), detail: e.detail })),
  };
}

/** Open incidents after `after` (by number), for re-planning every open clock page by page. */
export async function openIncidentNumbers(pool: Pool, after: string, limit: number): Promise<string[]> {
  const { rows } = await pool.query(
    `SELECT number FROM incidents WHERE number > $1 AND state NOT IN ('resolved', 'closed') ORDER BY number LIMIT $2`,
    [after, limit],
  );
  return rows.map((r) => r.number);
}

/** The fingerprint of the policy the open clocks were last planned on; null before any. */
export async function latestSlaPolicy(pool: Pool): Promise<string | null> {
  const { rows } = await pool.query('SELECT fingerprint FROM sla_policies ORDER BY applied_at DESC, fingerprint LIMIT 1');
  return rows[0]?.fingerprint ?? null;
}

/** Records the policy in force (again, if it comes back after another). */
export async function recordSlaPolicy(pool: Pool, fingerprint: string, policy: unknown): Promise<void> {
  await pool.query(
    `INSERT INTO sla_policies (fingerprint, policy) VALUES ($1, $2) ON CONFLICT (fingerprint) DO UPDATE SET applied_at = now()`,
    [fingerprint, JSON.stringify(policy)],
  );
}

/** A list's view of each incident's clock (those that have one): resolution due, the pause, any breach. */
export interface SlaSummary {
  resolutionDueAt: string | null;
  pausedSince: string | null;
  breached: boolean;
}

export async function slaSummaries(pool: Pool, numbers: string[]): Promise<Map<string, SlaSummary>> {
  if (numbers.length === 0) return new Map();
  const { rows } = await pool.query(
    `SELECT incident_number, resolution_due_at, paused_since, first_response_breached OR resolution_breached AS breached
       FROM incident_slas WHERE incident_number = ANY($1)`,
    [numbers],
  );
  return new Map(rows.map((r) => [r.incident_number, { resolutionDueAt: iso(r.resolution_due_at), pausedSince: iso(r.paused_since), breached: r.breached }]));
}
