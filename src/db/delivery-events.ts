// Delivery feedback in PostgreSQL: SES's events about our mail, the outbound messages they are about,
// and the suppression list of automatic mail.
import { Pool } from 'pg';
import { DeliveryEvent, DeliveryEventType, liftsBounceSuppression, reportedDelivery, reportEventKey, Suppression, suppressionsFrom } from '../domain/delivery-events';
import type { DeliveryReportRecipient } from '../domain/types';
import { inTransaction } from './transaction';

export interface RecordedDeliveryEvent {
  /** False when this event was recorded before (SES or SNS delivered it again). */
  recorded: boolean;
  /** The outbound message it is about, when it is ours. */
  incidentNumber: string | null;
  suppressed: string[];
  lifted: string[];
}

/**
 * Records the event once, and in the same transaction applies what it means: a send event names the
 * outbound record's SES message id if its attempt could not; a hard bounce or complaint suppresses the
 * address; a delivery lifts a bounce suppression.
 */
export async function recordDeliveryEvent(pool: Pool, e: DeliveryEvent): Promise<RecordedDeliveryEvent> {
  return inTransaction(pool, async (client) => {
    const inserted = await client.query(
      `INSERT INTO delivery_events (event_key, event_type, ses_message_id, outbound_message, recipients, bounce_type, bounce_sub_type, detail, occurred_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (event_key) DO NOTHING`,
      [e.key, e.type, e.sesMessageId, e.outboundMessage, e.recipients, e.bounceType ?? null, e.bounceSubType ?? null, e.detail ?? null, e.occurredAt],
    );
    const outbound = (
      await client.query(
        `SELECT id, incident_number FROM outbound_emails WHERE ses_message_id = $1 OR ($2::text IS NOT NULL AND outbound_message = $2) ORDER BY id LIMIT 1`,
        [e.sesMessageId, e.outboundMessage],
      )
    ).rows[0];
    const result: RecordedDeliveryEvent = { recorded: inserted.rowCount === 1, incidentNumber: outbound?.incident_number ?? null, suppressed: [], lifted: [] };
    if (!result.recorded) return result;
    if (e.type === 'send' && outbound) {
      // SES accepted it: an attempt that died before recording so leaves it recorded now, never to be sent again.
      const { rowCount } = await client.query(
        'UPDATE outbound_emails SET ses_message_id = $2, sent_at = coalesce(sent_at, $3), failure = NULL WHERE id = $1 AND ses_message_id IS NULL',
        [outbound.id, e.sesMessageId, e.occurredAt],
      );
      if (rowCount) await client.query('UPDATE delivery_events SET recorded_send = true WHERE event_key = $1', [e.key]);
    }
    for (const s of suppressionsFrom(e)) {
      await suppress(client, s, e.sesMessageId);
      result.suppressed.push(s.address);
    }
    if (liftsBounceSuppression(e)) {
      const { rows } = await client.query(`DELETE FROM suppressed_recipients WHERE address = ANY($1) AND reason = 'bounce' RETURNING address`, [e.recipients]);
      result.lifted.push(...rows.map((r) => r.address));
    }
    return result;
  });
}

async function suppress(client: { query: Pool['query'] }, s: Suppression, sesMessageId: string): Promise<void> {
  // A complaint outranks a bounce: it is kept when the address later bounces too.
  await client.query(
    `INSERT INTO suppressed_recipients (address, reason, detail, ses_message_id) VALUES ($1,$2,$3,$4)
     ON CONFLICT (address) DO UPDATE SET reason = EXCLUDED.reason, detail = EXCLUDED.detail, ses_message_id = EXCLUDED.ses_message_id, suppressed_at = now()
     WHERE suppressed_recipients.reason <> 'complaint' OR EXCLUDED.reason = 'complaint'`,
    [s.address, s.reason, s.detail, sesMessageId],
  );
}

export interface ReportedOutbound {
  /** The outbound message's kind (confirmation, comment, ...) and the recipient it was sent to. */
  kind: string;
  recipient: string;
  bounceType: NonNullable<DeliveryEvent['bounceType']>;
  detail: string;
  /** False when this report was recorded for it before (the step ran again). */
  recorded: boolean;
}

/**
 * A bounce that came to our inbound address, tied to the incident's outbound messages it names by our
 * Message-ID (with <>) or SES's message id: what it says of each one's recipient (domain: reportedDelivery)
 * becomes a bounce event of source 'report' on that message, once. No address is suppressed.
 */
export async function recordDeliveryReport(
  pool: Pool,
  report: { incidentNumber: string; messageIds: string[]; sesIds: string[]; recipients: DeliveryReportRecipient[]; reportedBy: string },
): Promise<ReportedOutbound[]> {
  const { rows } = await pool.query(
    `SELECT id, kind, recipient, ses_message_id, outbound_message FROM outbound_emails
      WHERE incident_number = $1 AND (message_id = ANY($2) OR ses_message_id = ANY($3)) ORDER BY id LIMIT 10`,
    [report.incidentNumber, report.messageIds.map((id) => `<${id}>`), report.sesIds],
  );
  const tied: ReportedOutbound[] = [];
  for (const row of rows) {
    const outcome = reportedDelivery(report.recipients, row.recipient);
    if (!outcome) continue;
    const inserted = await pool.query(
      `INSERT INTO delivery_events (event_key, event_type, ses_message_id, outbound_message, recipients, bounce_type, detail, occurred_at, source, reported_by)
       VALUES ($1, 'bounce', $2, $3, $4, $5, $6, now(), 'report', $7) ON CONFLICT (event_key) DO NOTHING`,
      [reportEventKey(report.reportedBy, Number(row.id), row.recipient), row.ses_message_id ?? report.reportedBy, row.outbound_message, [row.recipient], outcome.bounceType, outcome.detail, report.reportedBy],
    );
    tied.push({ kind: row.kind, recipient: row.recipient, ...outcome, recorded: inserted.rowCount === 1 });
  }
  return tied;
}

export interface SuppressedRecipient {
  address: string;
  reason: 'bounce' | 'complaint';
  detail: string;
  sesMessageId: string | null;
  suppressedAt: string;
}

const toSuppressed = (r: Record<string, any>): SuppressedRecipient => ({
  address: r.address,
  reason: r.reason,
  detail: r.detail,
  sesMessageId: r.ses_message_id,
  suppressedAt: r.suppressed_at.toISOString(),
});

export async function suppressionOf(pool: Pool, address: string): Promise<SuppressedRecipient | null> {
  const { rows } = await pool.query('SELECT * FROM suppressed_recipients WHERE address = $1', [address.toLowerCase()]);
  return rows[0] ? toSuppressed(rows[0]) : null;
}

export async function listSuppressedAmong(pool: Pool, addresses: string[]): Promise<SuppressedRecipient[]> {
  return (await pool.query('SELECT * FROM suppressed_recipients WHERE address = ANY($1) ORDER BY address', [addresses])).rows.map(toSuppressed);
}

export async function listSuppressed(pool: Pool): Promise<SuppressedRecipient[]> {
  return (await pool.query('SELECT * FROM suppressed_recipients ORDER BY suppressed_at DESC')).rows.map(toSuppressed);
}

/** An agent lifts it (the customer fixed their mailbox, or asked for mail again). */
export async function liftSuppression(pool: Pool, address: string): Promise<boolean> {
  return ((await pool.query('DELETE FROM suppressed_recipients WHERE address = $1', [address.toLowerCase()])).rowCount ?? 0) > 0;
}

export interface OutboundDelivery {
  kind: string;
  recipient: string;
  subject: string | null;
  messageId: string | null;
  sesMessageId: string | null;
  sentAt: string | null;
  failure: string | null;
  /** source: 'ses' for SES's events, 'report' for a mail server's bounce that came to our inbound address. */
  events: { type: DeliveryEventType; at: string; recipients: string[]; bounceType: DeliveryEvent['bounceType'] | null; detail: string | null; source: 'ses' | 'report' }[];
}

/** An incident's outbound messages, oldest first, each with the events SES published about it. */
export async function outboundDeliveries(pool: Pool, incidentNumber: string): Promise<OutboundDelivery[]> {
  const { rows } = await pool.query(
    `SELECT o.id, o.kind, o.recipient, o.subject, o.message_id, o.ses_message_id, o.sent_at, o.failure,
            coalesce(json_agg(json_build_object('type', e.event_type, 'at', e.occurred_at, 'recipients', e.recipients, 'bounceType', e.bounce_type, 'detail', e.detail, 'source', e.source)
                     ORDER BY e.occurred_at, e.id) FILTER (WHERE e.id IS NOT NULL), '[]') AS events
       FROM outbound_emails o
       LEFT JOIN delivery_events e ON e.ses_message_id = o.ses_message_id OR e.outbound_message = o.outbound_message
      WHERE o.incident_number = $1
      GROUP BY o.id ORDER BY o.id`,
    [incidentNumber],
  );
  return rows.map((r) => ({
    kind: r.kind,
    recipient: r.recipient,
    subject: r.subject,
    messageId: r.message_id,
    sesMessageId: r.ses_message_id,
    sentAt: r.sent_at ? r.sent_at.toISOString() : null,
    failure: r.failure,
    events: (r.events as OutboundDelivery['events']).map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
  }));
}

export interface SendEventEvidence {
  /** Outbound messages of these incidents that SES accepted, by our records. */
  sent: number;
  /** Of them, those whose Send event came back. */
  withSendEvent: number;
  /** Claims taken over (to send again) after the message's Send event had been recorded: must be none. */
  retakenAfterSendEvent: number;
  /** Messages the Send event recorded as sent before their attempt could (it was killed, or slower). */
  recordedBySendEvent: number;
}

/** The fault run's evidence that a Send event, where it arrived, settled its message (no second send). */
export async function sendEventEvidence(pool: Pool, incidentNumbers: string[]): Promise<SendEventEvidence> {
  const { rows } = await pool.query(
    `SELECT count(*) FILTER (WHERE o.sent_at IS NOT NULL)::int AS sent,
            count(*) FILTER (WHERE o.sent_at IS NOT NULL AND s.first_received IS NOT NULL)::int AS with_send_event,
            count(*) FILTER (WHERE s.first_received < o.send_started_at)::int AS retaken,
            count(*) FILTER (WHERE s.recorded_send)::int AS recorded_by_event
       FROM outbound_emails o
       LEFT JOIN LATERAL (
         SELECT min(e.received_at) AS first_received, bool_or(e.recorded_send) AS recorded_send FROM delivery_events e
          WHERE e.event_type = 'send' AND (e.outbound_message = o.outbound_message OR e.ses_message_id = o.ses_message_id)
       ) s ON true
      WHERE o.incident_number = ANY($1)`,
    [incidentNumbers],
  );
  return { sent: rows[0].sent, withSendEvent: rows[0].with_send_event, retakenAfterSendEvent: rows[0].retaken, recordedBySendEvent: rows[0].recorded_by_event };
}

/** The events of one kind recorded about an incident's mail, by their SES message id and key (the workflow id's parts). */
export async function deliveryEventKeys(pool: Pool, incidentNumber: string, type: DeliveryEventType): Promise<{ sesMessageId: string; key: string }[]> {
  const { rows } = await pool.query(
    `SELECT e.ses_message_id, e.event_key FROM delivery_events e JOIN outbound_emails o ON o.ses_message_id = e.ses_message_id
      WHERE o.incident_number = $1 AND e.event_type = $2 ORDER BY e.id`,
    [incidentNumber, type],
  );
  return rows.map((r) => ({ sesMessageId: r.ses_message_id, key: r.event_key }));
}

/** Of these SES message ids, those whose Send event recorded the message as sent (its attempt never did). */
export async function sendsRecordedByEvent(pool: Pool, sesMessageIds: string[]): Promise<string[]> {
  const { rows } = await pool.query(`SELECT DISTINCT ses_message_id FROM delivery_events WHERE event_type = 'send' AND recorded_send AND ses_message_id = ANY($1)`, [sesMessageIds]);
  return rows.map((r) => r.ses_message_id);
}
