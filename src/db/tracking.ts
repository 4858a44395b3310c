// What the tracking page may show: one incident, found by its unguessable token, and its public
// conversation, never internal comments, notes, or mail that others (agents, participants) wrote to
// the ticket address.
import { Pool } from 'pg';

export interface TrackedIncident {
  id: number;
  number: string;
  shortDescription: string;
  state: string;
  priority: number;
  slaDueAt: Date;
  createdAt: Date;
  senderAddress: string;
  reporterEmail: string | null;
}

/** By the SHA-256 of the token the link carries (trackingTokenDigest): tokens are not stored. */
export async function trackedIncident(pool: Pool, tokenDigest: string): Promise<TrackedIncident | null> {
  const { rows } = await pool.query(
    'SELECT id, number, short_description, state, priority, sla_due_at, created_at, sender_address, reporter_email FROM incidents WHERE tracking_token_digest = $1',
    [tokenDigest],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: Number(r.id),
    number: r.number,
    shortDescription: r.short_description,
    state: r.state,
    priority: r.priority,
    slaDueAt: r.sla_due_at,
    createdAt: r.created_at,
    senderAddress: r.sender_address,
    reporterEmail: r.reporter_email,
  };
}

/** Only what the customer wrote (from the sender's or reporter's address, authenticated) or was sent, oldest first. */
export async function publicConversation(pool: Pool, incident: TrackedIncident): Promise<{ body: string; source: string; createdAt: Date }[]> {
  const own = [incident.senderAddress, incident.reporterEmail].filter((a): a is string => Boolean(a)).map((a) => a.toLowerCase());
  const { rows } = await pool.query(
    `SELECT body, source, created_at FROM incident_comments
     WHERE incident_id = $1 AND (source = 'agent' AND sent_to_customer
       OR source = 'email' AND NOT unverified AND EXISTS (SELECT 1 FROM unnest($2::text[]) a
         -- The author is 'address' or 'Name <address>': compared exactly (LIKE would read _ and % in it as wildcards).
         WHERE lower(author) = a OR right(lower(author), length(a) + 2) = '<' || a || '>'))
     ORDER BY id`,
    [incident.id, own],
  );
  return rows.map((c) => ({ body: c.body, source: c.source, createdAt: c.created_at }));
}
