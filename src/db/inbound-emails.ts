// The record of every inbound email: its stage and reason, so none is ever unaccounted for.
import { Pool } from 'pg';
import type { EmailOutcome } from '../domain/inbound-steps';
import { EmailStage, SesVerdicts } from '../domain/types';

export interface InboundEmailRecord {
  sesMessageId: string;
  bucket: string;
  key: string;
  sender: string | null;
  subject: string | null;
  verdicts: SesVerdicts | null;
  spamScore: number | null;
  stage: EmailStage;
  reason: string | null;
  incidentNumber: string | null;
  /** The first characters of the plain-text description (for the quarantine page). */
  preview: string | null;
  /** Whether the workflow found the sender authenticated, and why (null until it said). */
  senderAuthenticated: boolean | null;
  senderAuthentication: string | null;
  receivedAt: string;
  updatedAt: string;
}

export async function recordInboundEmail(
  pool: Pool,
  email: { sesMessageId: string; bucket: string; key: string; sender: string | null; subject: string | null; preview?: string },
): Promise<void> {
  // The row starts as 'received'; from then on only the workflow's recorded outcome changes the stage.
  await pool.query(
    `INSERT INTO inbound_emails (ses_message_id, bucket, object_key, sender_address, subject, stage, preview)
     VALUES ($1,$2,$3,$4,$5,'received',$6)
     ON CONFLICT (ses_message_id) DO UPDATE SET
       sender_address = COALESCE(EXCLUDED.sender_address, inbound_emails.sender_address),
       subject = COALESCE(EXCLUDED.subject, inbound_emails.subject),
       preview = COALESCE(EXCLUDED.preview, inbound_emails.preview),
       updated_at = now()`,
    [email.sesMessageId, email.bucket, email.key, email.sender, email.subject, email.preview ?? null],
  );
}

export async function updateInboundEmail(
  pool: Pool,
  sesMessageId: string,
  change: Omit<EmailOutcome, 'sesMessageId'>,
): Promise<void> {
  await pool.query(
    `UPDATE inbound_emails SET stage = $2, reason = COALESCE($3, reason), incident_number = COALESCE($4, incident_number),
       verdicts = COALESCE($5, verdicts), spam_score = COALESCE($6, spam_score),
       sender_authenticated = COALESCE($7, sender_authenticated), sender_authentication = COALESCE($8, sender_authentication),
       updated_at = now()
     WHERE ses_message_id = $1`,
    [sesMessageId, change.stage, change.reason ?? null, change.incidentNumber ?? null,
      change.verdicts ? JSON.stringify(change.verdicts) : null, change.spamScore ?? null,
      change.sender?.authenticated ?? null, change.sender?.reason ?? null],
  );
}

function toRecord(row: Record<string, any>): InboundEmailRecord {
  return {
    sesMessageId: row.ses_message_id,
    bucket: row.bucket,
    key: row.object_key,
    sender: row.sender_address,
    subject: row.subject,
    verdicts: row.verdicts,
    spamScore: row.spam_score,
    stage: row.stage,
    reason: row.reason,
    incidentNumber: row.incident_number,
    preview: row.preview ?? null,
    senderAuthenticated: row.sender_authenticated ?? null,
    senderAuthentication: row.sender_authentication ?? null,
    receivedAt: row.received_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function listInboundEmails(pool: Pool, stage?: EmailStage, limit = 1000): Promise<InboundEmailRecord[]> {
  const { rows } = stage
    ? await pool.query('SELECT * FROM inbound_emails WHERE stage = $1 ORDER BY received_at DESC LIMIT $2', [stage, limit])
    : await pool.query('SELECT * FROM inbound_emails ORDER BY received_at DESC LIMIT $1', [limit]);
  return rows.map(toRecord);
}

export async function getInboundEmail(pool: Pool, sesMessageId: string): Promise<InboundEmailRecord | null> {
  const { rows } = await pool.query('SELECT * FROM inbound_emails WHERE ses_message_id = $1', [sesMessageId]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export interface EmailStageRow {
  sesMessageId: string;
  stage: EmailStage;
  reason: string | null;
  incidentNumber: string | null;
  updatedAt: Date;
}

/** The stage of each of these emails that has a record (the benchmark's and the fault run's watch). */
export async function inboundEmailStages(pool: Pool, sesMessageIds: string[]): Promise<EmailStageRow[]> {
  const { rows } = await pool.query('SELECT ses_message_id, stage, reason, incident_number, updated_at FROM inbound_emails WHERE ses_message_id = ANY($1)', [sesMessageIds]);
  return rows.map((r) => ({ sesMessageId: r.ses_message_id, stage: r.stage, reason: r.reason, incidentNumber: r.incident_number, updatedAt: r.updated_at }));
}

export async function countQuarantined(pool: Pool): Promise<number> {
  return Number((await pool.query("SELECT count(*) AS n FROM inbound_emails WHERE stage = 'quarantined'")).rows[0].n);
}

/** Where an email of an incident is stored: the bucket its parse is in (parsed/<SES message id>/). */
export interface IncidentEmailObject {
  sesMessageId: string;
  bucket: string;
  receivedAt: string;
  /** The email that made the incident (the others are replies or later alerts). */
  original: boolean;
}

/**
 * The emails of an incident, oldest first: the one that made it and the newest `limit - 1` of those that
 * made a comment on it (replies, later alerts); `more` counts the older ones left out.
 */
export async function incidentEmailObjects(pool: Pool, incidentNumber: string, limit: number): Promise<{ emails: IncidentEmailObject[]; more: number }> {
  const { rows } = await pool.query(
    `WITH incident AS (SELECT id, ses_message_id FROM incidents WHERE number = $1),
     replies AS (SELECT c.ses_message_id FROM incident_comments c JOIN incident ON c.incident_id = incident.id WHERE c.ses_message_id IS NOT NULL)
     SELECT e.ses_message_id, e.bucket, e.received_at, e.ses_message_id = (SELECT ses_message_id FROM incident) AS original,
       count(*) OVER () AS total
     FROM inbound_emails e
     WHERE e.ses_message_id IN (SELECT ses_message_id FROM incident UNION SELECT ses_message_id FROM replies)
     ORDER BY original DESC, e.received_at DESC LIMIT $2`,
    [incidentNumber, Math.max(1, limit)],
  );
  const emails: IncidentEmailObject[] = rows.map((r) => ({ sesMessageId: r.ses_message_id, bucket: r.bucket, receivedAt: r.received_at.toISOString(), original: r.original === true }));
  // The original first, then the replies from oldest to newest.
  const originals = emails.filter((e) => e.original);
  const replies = emails.filter((e) => !e.original).reverse();
  return { emails: [...originals, ...replies], more: rows.length ? Number(rows[0].total) - rows.length : 0 };
}
