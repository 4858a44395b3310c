// Incidents in PostgreSQL: created once per inbound email, read by the CLI and (later) the admin page.
import { inTransaction } from './transaction';
import { listExternalNumbers, RecordedExternalNumber } from './external-numbers';
import { Pool, PoolClient } from 'pg';
import { formatIncidentNumber, isIncidentNumber } from '../domain/incident-number';
import type { CreatedIncident } from '../domain/inbound-steps';
import { AttachmentSummary, Priority, Reporter } from '../domain/types';

export interface NewIncident {
  sesMessageId: string;
  shortDescription: string;
  description: string;
  priority: Priority;
  assignmentGroup: string | null;
  category: string | null;
  routingRuleId: string | null;
  /** Where SLA warnings and breaches are emailed (from routing); null: none. */
  escalationAddress: string | null;
  sender: { address: string; name: string };
  reporter: Reporter | null;
  messageId: string | null;
  slaDueAt: string;
  attachments: AttachmentSummary[];
  /** host/service of a monitoring alert: at most one open incident per key. */
  alertKey?: string | null;
  /** False when the email came from a sender SES could not authenticate (unset: true). */
  senderAuthenticated?: boolean;
  /** The closed incident this one follows up (a reply the follow-up policy made a new incident). */
  followUpOf?: string | null;
  /** SHA-256 of the tracking token (the token itself is derived when it is mailed, never stored). */
  trackingTokenDigest: string;
  /** The agent whose forward of the customer's email made it (unset: not a forward). */
  forwardedBy?: string | null;
}

export interface IncidentView {
  number: string;
  shortDescription: string;
  description: string;
  state: string;
  priority: number;
  assignmentGroup: string | null;
  category: string | null;
  escalationAddress: string | null;
  reporter: Reporter | null;
  sender: { address: string; name: string };
  sesMessageId: string;
  slaDueAt: string;
  createdAt: string;
  attachments: AttachmentSummary[];
  /** False when the email that made it came from a sender SES could not authenticate. */
  senderAuthenticated: boolean;
  /** The agent who forwarded the customer's email that made it; null when the customer wrote to us. */
  forwardedBy: string | null;
  /** The closed incident this one follows up, and the incidents that follow this one up (follow-up policy). */
  followUpOf: string | null;
  followUps: string[];
  /** The alert storm's incident this one is grouped under (monitoring alerts), or null. */
  parentIncident: string | null;
  /** unverified: a reply from a sender SES could not authenticate (kept, moving nothing). */
  comments: { author: string; body: string; source: string; createdAt: string; unverified: boolean }[];
  /** Other helpdesks' ticket numbers the incident recorded (getIncident only, not in lists). */
  externalNumbers?: RecordedExternalNumber[];
}

async function findBySesMessageId(db: Pool | PoolClient, sesMessageId: string): Promise<CreatedIncident | null> {
  const { rows } = await db.query(
    'SELECT number, sla_due_at FROM incidents WHERE ses_message_id = $1',
    [sesMessageId],
  );
  if (!rows[0]) return null;
  return { number: rows[0].number, slaDueAt: rows[0].sla_due_at.toISOString(), created: false };
}

/** Idempotent on the SES message id: the second call for the same email returns the first incident. */
export async function insertIncident(pool: Pool, incident: NewIncident): Promise<CreatedIncident> {
  const existing = await findBySesMessageId(pool, incident.sesMessageId);
  if (existing) return existing;
  const made = await inTransaction(pool, async (client) => {
    const seq = Number((await client.query("SELECT nextval('incident_number_seq') AS n")).rows[0].n);
    const number = formatIncidentNumber(seq);
    const inserted = await client.query(
      `INSERT INTO incidents (number, ses_message_id, short_description, description, priority, assignment_group,
         category, routing_rule_id, sender_address, sender_name, reporter_email, reporter_name, reporter_verified,
         message_id, tracking_token_digest, sla_due_at, attachments, alert_key, sender_authenticated, escalation_address, follow_up_of, forwarded_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22)
       ON CONFLICT DO NOTHING
       RETURNING number`,
      [
        number, incident.sesMessageId, incident.shortDescription, incident.description, incident.priority,
        incident.assignmentGroup, incident.category, incident.routingRuleId, incident.sender.address,
        incident.sender.name, incident.reporter?.email ?? null, incident.reporter?.name ?? null,
        incident.reporter?.verified ?? false, incident.messageId, incident.trackingTokenDigest, incident.slaDueAt,
        JSON.stringify(incident.attachments),
        incident.alertKey ?? null,
        incident.senderAuthenticated ?? true,
        incident.escalationAddress,
        incident.followUpOf ?? null,
        incident.forwardedBy ?? null,
      ],
    );
    return inserted.rowCount === 1 ? number : null;
  });
  if (made) return { number: made, slaDueAt: incident.slaDueAt, created: true };
  // A concurrent attempt for the same email won the race: report its incident.
  const winner = await findBySesMessageId(pool, incident.sesMessageId);
  if (winner) return winner;
  // Or another email just opened the incident for the same alert: join it.
  const open = incident.alertKey ? await findOpenAlertIncident(pool, incident.alertKey) : null;
  if (open) return { ...open, created: false, joinedAlert: true };
  throw new Error(`Incident for ${incident.sesMessageId} neither inserted nor found`);
}

export async function findOpenAlertIncident(pool: Pool | PoolClient, alertKey: string): Promise<CreatedIncident | null> {
  const { rows } = await pool.query(
    "SELECT number, sla_due_at FROM incidents WHERE alert_key = $1 AND state NOT IN ('closed', 'resolved')",
    [alertKey],
  );
  if (!rows[0]) return null;
  return { number: rows[0].number, slaDueAt: rows[0].sla_due_at.toISOString(), created: false };
}

/** The incidents made from replies to this one after it was closed, oldest first. */
const FOLLOW_UPS = 'ARRAY(SELECT f.number FROM incidents f WHERE f.follow_up_of = i.number ORDER BY f.id) AS follow_ups';

function toView(row: Record<string, any>, comments: IncidentView['comments']): IncidentView {
  return {
    number: row.number,
    shortDescription: row.short_description,
    description: row.description,
    state: row.state,
    priority: row.priority,
    assignmentGroup: row.assignment_group,
    category: row.category,
    escalationAddress: row.escalation_address ?? null,
    reporter: row.reporter_email ? { email: row.reporter_email, name: row.reporter_name, verified: row.reporter_verified } : null,
    sender: { address: row.sender_address, name: row.sender_name },
    senderAuthenticated: row.sender_authenticated,
    forwardedBy: row.forwarded_by ?? null,
    followUpOf: row.follow_up_of ?? null,
    followUps: row.follow_ups ?? [],
    parentIncident: row.parent_incident ?? null,
    sesMessageId: row.ses_message_id,
    slaDueAt: row.sla_due_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    attachments: row.attachments,
    comments,
  };
}

export async function listIncidents(pool: Pool, limit = 100): Promise<IncidentView[]> {
  const { rows } = await pool.query(`SELECT i.*, ${FOLLOW_UPS} FROM incidents i ORDER BY id DESC LIMIT $1`, [limit]);
  return rows.map((row) => toView(row, []));
}

export async function getIncident(pool: Pool, number: string): Promise<IncidentView | null> {
  // Only an incident number is looked up (a NUL byte or other junk is no incident, not a database error).
  if (!isIncidentNumber(number)) return null;
  const { rows } = await pool.query(`SELECT i.*, ${FOLLOW_UPS} FROM incidents i WHERE number = $1`, [number]);
  if (!rows[0]) return null;
  const comments = await pool.query(
    'SELECT author, body, source, created_at, unverified FROM incident_comments WHERE incident_id = $1 ORDER BY id',
    [rows[0].id],
  );
  const view = toView(
    rows[0],
    comments.rows.map((c) => ({ author: c.author, body: c.body, source: c.source, createdAt: c.created_at.toISOString(), unverified: c.unverified })),
  );
  return { ...view, externalNumbers: await listExternalNumbers(pool, rows[0].id) };
}

/** When the incident's SLA falls due (ISO), or null for no such incident. */
export async function incidentSlaDueAt(pool: Pool, number: string): Promise<string | null> {
  const { rows } = await pool.query('SELECT sla_due_at FROM incidents WHERE number = $1', [number]);
  return rows[0] ? rows[0].sla_due_at.toISOString() : null;
}

/** Every incident these emails made: more than one for an email would be a duplicate. */
export async function incidentsMadeBy(pool: Pool, sesMessageIds: string[]): Promise<{ sesMessageId: string; number: string; createdAt: Date }[]> {
  const { rows } = await pool.query('SELECT ses_message_id, number, created_at FROM incidents WHERE ses_message_id = ANY($1)', [sesMessageIds]);
  return rows.map((r) => ({ sesMessageId: r.ses_message_id, number: r.number, createdAt: r.created_at }));
}
