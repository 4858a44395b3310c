// Outbound mail, recorded before it is sent so that a retried send finds its record and does not send twice.
import { inTransaction } from './transaction';
import { Pool } from 'pg';

export interface OutboundRecord {
  id: number;
  dedupeKey: string;
  kind: string;
  incidentNumber: string | null;
  recipient: string;
  subject: string | null;
  sesMessageId: string | null;
  /** Our Message-ID (with <>), the same for every attempt. */
  messageId: string | null;
  createdAt: string;
  sendStartedAt: string | null;
  sentAt: string | null;
  failure: string | null;
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
    messageId: row.message_id ?? null,
    createdAt: row.created_at.toISOString(),
    sendStartedAt: row.send_started_at ? row.send_started_at.toISOString() : null,
    sentAt: row.sent_at ? row.sent_at.toISOString() : null,
    failure: row.failure ?? null,
  };
}

/** Twice what an attempt can spend between its claim and SES's answer (SES: 5 s to connect, 30 s to answer). */
export const STALE_CLAIM_MS = 60_000;

export type Reservation =
  | { outcome: 'claimed'; record: OutboundRecord }
  | { outcome: 'already-sent'; record: OutboundRecord }
  /** An earlier attempt claimed it less than `staleMs` ago and has not reported back: it may still be
   *  sending. The caller retries later. */
  | { outcome: 'in-progress'; record: OutboundRecord }
  | { outcome: 'rate-limited'; record: OutboundRecord; recent: number };

/**
 * Records the intent to send and claims it for this attempt, in one transaction serialised per
 * recipient, so that neither retries nor concurrent emails exceed the per-recipient limit.
 */
export async function reserveOutbound(
  pool: Pool,
  mail: { dedupeKey: string; kind: string; incidentNumber: string | null; recipient: string; subject: string | null; messageId: string },
  /** Per-recipient limit for auto-responses; null for mail a person wrote (an agent's comment). */
  limit: { max: number; windowMs: number } | null,
  /**
   * A claim older than this belongs to an attempt that died (a worker killed mid-send): it is taken over
   * and the mail sent again, with the same Message-ID. Longer than any attempt can run.
   */
  staleMs = STALE_CLAIM_MS,
): Promise<Reservation> {
  return inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('outbound:' || $1))", [mail.recipient]);
    await client.query(
      `INSERT INTO outbound_emails (dedupe_key, kind, incident_number, recipient, subject, message_id)
       VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (dedupe_key) DO NOTHING`,
      [mail.dedupeKey, mail.kind, mail.incidentNumber, mail.recipient, mail.subject, mail.messageId],
    );
    const record = toRecord((await client.query('SELECT * FROM outbound_emails WHERE dedupe_key = $1', [mail.dedupeKey])).rows[0]);
    let result: Reservation;
    if (record.sentAt) result = { outcome: 'already-sent', record };
    else if (record.sendStartedAt) {
      const { rowCount } = await client.query(
        `UPDATE outbound_emails SET send_started_at = now() WHERE id = $1 AND send_started_at < now() - ($2::double precision * interval '1 millisecond')`,
        [record.id, staleMs],
      );
      result = rowCount ? { outcome: 'claimed', record } : { outcome: 'in-progress', record };
    } else if (!limit) {
      await client.query('UPDATE outbound_emails SET send_started_at = now() WHERE id = $1', [record.id]);
      result = { outcome: 'claimed', record };
    } else {
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM outbound_emails
         WHERE recipient = $1 AND kind = $2 AND id <> $3 AND (sent_at IS NOT NULL OR send_started_at IS NOT NULL)
           AND created_at > now() - ($4::double precision * interval '1 millisecond')`,
        [mail.recipient, mail.kind, record.id, limit.windowMs],
      );
      if (rows[0].n >= limit.max) {
        await client.query("UPDATE outbound_emails SET failure = 'rate limited' WHERE id = $1", [record.id]);
        result = { outcome: 'rate-limited', record, recent: rows[0].n };
      } else {
        await client.query('UPDATE outbound_emails SET send_started_at = now() WHERE id = $1', [record.id]);
        result = { outcome: 'claimed', record };
      }
    }
    return result;
  });
}

/** Gives the claim back after a send that certainly failed (SES answered with an error). */
export async function releaseOutbound(pool: Pool, id: number, failure: string): Promise<void> {
  await pool.query('UPDATE outbound_emails SET send_started_at = NULL, failure = $2 WHERE id = $1 AND sent_at IS NULL', [id, failure]);
}

export async function markOutboundSent(pool: Pool, id: number, sesMessageId: string): Promise<void> {
  await pool.query('UPDATE outbound_emails SET ses_message_id = $2, sent_at = now(), failure = NULL WHERE id = $1', [id, sesMessageId]);
}

export async function listOutbound(pool: Pool): Promise<OutboundRecord[]> {
  return (await pool.query('SELECT * FROM outbound_emails ORDER BY id')).rows.map(toRecord);
}

/** When each of these mails (by dedupe key) was sent, for those that were. */
export async function sentTimes(pool: Pool, dedupeKeys: string[]): Promise<Map<string, Date>> {
  const { rows } = await pool.query('SELECT dedupe_key, sent_at FROM outbound_emails WHERE dedupe_key = ANY($1) AND sent_at IS NOT NULL', [dedupeKeys]);
  return new Map(rows.map((r) => [r.dedupe_key, r.sent_at]));
}

/** The newest mail sent to this address (the local stand-in's `delivery-event` answers for it), or null. */
export async function latestOutboundTo(pool: Pool, address: string): Promise<OutboundRecord | null> {
  const { rows } = await pool.query(
    'SELECT * FROM outbound_emails WHERE recipient = lower($1) AND sent_at IS NOT NULL ORDER BY sent_at DESC, id DESC LIMIT 1',
    [address.trim()],
  );
  return rows.length ? toRecord(rows[0]) : null;
}
