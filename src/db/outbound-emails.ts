// Outbound mail, recorded before it is sent so that a retried send finds its record and does not send twice.
import { Pool } from 'pg';

export interface OutboundRecord {
  id: number;
  dedupeKey: string;
  kind: string;
  incidentNumber: string | null;
  recipient: string;
  subject: string | null;
  sesMessageId: string | null;
  createdAt: string;
  sentAt: string | null;
}

function toRecord(row: Record<string, any>): OutboundRecord {
  return {
    id: Number(row.id),
    dedupeKey: row.dedupe_key,
    kind: row.kind,
    incidentNumber: row.incident_number,
    recipient: row.recipient,
    subject: row.subject,
    sesMessageId: row.ses_message_id,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at ? row.sent_at.toISOString() : null,
  };
}

/** Records the intent to send (once per dedupe key) and returns the record, sent or not. */
export async function recordOutbound(
  pool: Pool,
  mail: { dedupeKey: string; kind: string; incidentNumber: string | null; recipient: string; subject: string | null },
): Promise<OutboundRecord> {
  await pool.query(
    `INSERT INTO outbound_emails (dedupe_key, kind, incident_number, recipient, subject)
     VALUES ($1,$2,$3,$4,$5) ON CONFLICT (dedupe_key) DO NOTHING`,
    [mail.dedupeKey, mail.kind, mail.incidentNumber, mail.recipient, mail.subject],
  );
  const { rows } = await pool.query('SELECT * FROM outbound_emails WHERE dedupe_key = $1', [mail.dedupeKey]);
  return toRecord(rows[0]);
}

export async function markOutboundSent(pool: Pool, id: number, sesMessageId: string): Promise<void> {
  await pool.query('UPDATE outbound_emails SET ses_message_id = $2, sent_at = now() WHERE id = $1', [id, sesMessageId]);
}

export async function listOutbound(pool: Pool): Promise<OutboundRecord[]> {
  return (await pool.query('SELECT * FROM outbound_emails ORDER BY id')).rows.map(toRecord);
}
