// Threads in PostgreSQL: the messages of each incident (to match In-Reply-To/References), its
// participants, its comments, and the people who may speak on it.
import { Pool } from 'pg';
import type { ThreadPeople } from '../domain/inbound-steps';
import { isIncidentDone } from '../domain/incident-state';

async function incidentId(pool: Pool, incidentNumber: string): Promise<number> {
  const { rows } = await pool.query('SELECT id FROM incidents WHERE number = $1', [incidentNumber]);
  if (!rows[0]) throw new Error(`No incident ${incidentNumber}`);
  return Number(rows[0].id);
}

/** Remembers that a message (by its Message-ID, without <>) belongs to an incident's thread. */
export async function recordThreadMessages(pool: Pool, incidentNumber: string, messageIds: string[], direction: 'inbound' | 'outbound'): Promise<void> {
  if (messageIds.length === 0) return;
  const id = await incidentId(pool, incidentNumber);
  await pool.query(
    `INSERT INTO thread_messages (message_id, incident_id, direction)
     SELECT m, $2, $3 FROM unnest($1::text[]) AS m ON CONFLICT (message_id) DO NOTHING`,
    [messageIds, id, direction],
  );
}

/** The incident whose thread holds the newest of these Message-IDs (given newest first); only our own with 'outbound'. */
export async function findIncidentByMessageIds(pool: Pool, messageIds: string[], direction?: 'outbound'): Promise<string | null> {
  if (messageIds.length === 0) return null;
  const { rows } = await pool.query(
    `SELECT i.number, array_position($1::text[], t.message_id) AS rank
     FROM thread_messages t JOIN incidents i ON i.id = t.incident_id
     WHERE t.message_id = ANY($1::text[]) AND ($2::text IS NULL OR t.direction = $2) ORDER BY rank LIMIT 1`,
    [messageIds, direction ?? null],
  );
  return rows[0]?.number ?? null;
}

export async function incidentExists(pool: Pool, incidentNumber: string): Promise<boolean> {
  return ((await pool.query('SELECT 1 FROM incidents WHERE number = $1', [incidentNumber])).rowCount ?? 0) > 0;
}

/** People the mail named join (ON CONFLICT: one there already, or removed by an agent, stays as they are). */
export async function addParticipants(pool: Pool, incidentNumber: string, addresses: string[], addedVia: string): Promise<void> {
  if (addresses.length === 0) return;
  const id = await incidentId(pool, incidentNumber);
  await pool.query(
    `INSERT INTO incident_participants (incident_id, address, added_via)
     SELECT $2, a, $3 FROM unnest($1::text[]) AS a ON CONFLICT DO NOTHING`,
    [addresses.map((a) => a.toLowerCase()), id, addedVia],
  );
}

export interface Participant {
  address: string;
  /** The name an agent gave, if any. */
  name: string | null;
  /** How they joined: 'to/cc of the first email', 'cc on a reply', 'added by <agent>'. */
  addedVia: string;
  addedAt: Date;
}

/** The incident's participants (not the removed ones), in the order they joined; null for an unknown incident. */
export async function listParticipants(pool: Pool, incidentNumber: string): Promise<Participant[] | null> {
  const { rows } = await pool.query('SELECT id FROM incidents WHERE number = $1', [incidentNumber]);
  if (!rows[0]) return null;
  const participants = await pool.query(
    'SELECT address, name, added_via, created_at FROM incident_participants WHERE incident_id = $1 AND removed_at IS NULL ORDER BY created_at, address',
    [rows[0].id],
  );
  return participants.rows.map((r) => ({ address: r.address, name: r.name, addedVia: r.added_via, addedAt: r.created_at }));
}

/**
 * An agent adds one participant (an address already normalised): a new one, or one removed before, joins
 * with `addedVia`; one who is there already keeps their place (a name given replaces theirs). Whether they
 * were not a participant before.
 */
export async function addParticipantByAgent(pool: Pool, incidentNumber: string, address: string, name: string | null, addedVia: string): Promise<boolean> {
  const id = await incidentId(pool, incidentNumber);
  const { rows } = await pool.query(
    `WITH before AS (SELECT removed_at FROM incident_participants WHERE incident_id = $1 AND address = $2)
     INSERT INTO incident_participants (incident_id, address, added_via, name) VALUES ($1, $2, $3, $4)
     ON CONFLICT (incident_id, address) DO UPDATE SET
       name = COALESCE(EXCLUDED.name, incident_participants.name),
       added_via = CASE WHEN incident_participants.removed_at IS NULL THEN incident_participants.added_via ELSE EXCLUDED.added_via END,
       created_at = CASE WHEN incident_participants.removed_at IS NULL THEN incident_participants.created_at ELSE now() END,
       removed_at = NULL, removed_by = NULL
     RETURNING (SELECT count(*) = 0 OR bool_or(removed_at IS NOT NULL) FROM before) AS joined`,
    [id, address.toLowerCase(), addedVia, name],
  );
  return Boolean(rows[0]?.joined);
}

/**
 * Removes a participant: they get no more of the thread's mail and may no longer speak on it, and a Cc on
 * a later reply does not bring them back (only an agent does). Whether they were a participant.
 */
export async function removeParticipant(pool: Pool, incidentNumber: string, address: string, removedBy: string): Promise<boolean> {
  const id = await incidentId(pool, incidentNumber);
  const { rowCount } = await pool.query(
    'UPDATE incident_participants SET removed_at = now(), removed_by = $3 WHERE incident_id = $1 AND address = $2 AND removed_at IS NULL',
    [id, address.toLowerCase(), removedBy],
  );
  return (rowCount ?? 0) > 0;
}

export async function threadPeople(pool: Pool, incidentNumber: string): Promise<ThreadPeople | null> {
  const { rows } = await pool.query('SELECT id, state, sender_address, reporter_email, sender_authenticated FROM incidents WHERE number = $1', [incidentNumber]);
  if (!rows[0]) return null;
  const participants = await pool.query('SELECT address FROM incident_participants WHERE incident_id = $1 AND removed_at IS NULL ORDER BY created_at, address', [rows[0].id]);
  return {
    incidentNumber,
    state: rows[0].state,
    senderAddress: rows[0].sender_address,
    reporterEmail: rows[0].reporter_email,
    participants: participants.rows.map((r) => r.address),
    senderAuthenticated: rows[0].sender_authenticated,
  };
}

export async function listAgents(pool: Pool): Promise<string[]> {
  return (await pool.query("SELECT email FROM users WHERE role = 'agent' ORDER BY email")).rows.map((r) => r.email);
}

export interface NewComment {
  incidentNumber: string;
  author: string;
  body: string;
  source: 'email' | 'agent' | 'note';
  /** Exactly one of these identifies the comment, so a retried insert adds nothing. */
  sesMessageId?: string;
  commentKey?: string;
  messageId?: string | null;
  sentToCustomer?: boolean;
  /** A reply from a sender SES could not authenticate. */
  unverified?: boolean;
}

/** Idempotent: returns false when the comment was already there. */
export async function addComment(pool: Pool, comment: NewComment): Promise<boolean> {
  const id = await incidentId(pool, comment.incidentNumber);
  const { rowCount } = await pool.query(
    `INSERT INTO incident_comments (incident_id, author, body, source, ses_message_id, comment_key, message_id, sent_to_customer, unverified)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT DO NOTHING`,
    [
      id, comment.author, comment.body, comment.source, comment.sesMessageId ?? null, comment.commentKey ?? null,
      comment.messageId ?? null, comment.sentToCustomer ?? false, comment.unverified ?? false,
    ],
  );
  return rowCount === 1;
}

/** Whether an agent's comment is stored, and sent or refused; null while the thread has not stored it. */
export async function commentDelivery(pool: Pool, commentKey: string): Promise<{ sentToCustomer: boolean; sendFailure: string | null } | null> {
  const { rows } = await pool.query('SELECT sent_to_customer, send_failure FROM incident_comments WHERE comment_key = $1', [commentKey]);
  return rows[0] ? { sentToCustomer: rows[0].sent_to_customer, sendFailure: rows[0].send_failure } : null;
}

/** The comment each of these emails (a reply, an alert) made, for those that made one: when, and on which incident. */
export async function commentsMadeBy(pool: Pool, sesMessageIds: string[]): Promise<{ sesMessageId: string; incidentNumber: string; createdAt: Date }[]> {
  const { rows } = await pool.query(
    'SELECT c.ses_message_id, i.number, c.created_at FROM incident_comments c JOIN incidents i ON i.id = c.incident_id WHERE c.ses_message_id = ANY($1)',
    [sesMessageIds],
  );
  return rows.map((r) => ({ sesMessageId: r.ses_message_id, incidentNumber: r.number, createdAt: r.created_at }));
}

export async function markCommentSent(pool: Pool, commentKey: string, messageId: string): Promise<void> {
  await pool.query('UPDATE incident_comments SET sent_to_customer = TRUE, message_id = $2, send_failure = NULL WHERE comment_key = $1', [commentKey, messageId]);
}

export async function markCommentNotSent(pool: Pool, commentKey: string, failure: string): Promise<void> {
  await pool.query('UPDATE incident_comments SET send_failure = $2 WHERE comment_key = $1', [commentKey, failure]);
}

/** What a new run of a thread workflow starts from when it has no carried-over state. */
export async function threadStart(pool: Pool, incidentNumber: string): Promise<{ closed: boolean; references: string[] }> {
  const { rows } = await pool.query('SELECT id, state FROM incidents WHERE number = $1', [incidentNumber]);
  if (!rows[0]) return { closed: false, references: [] };
  const refs = await pool.query(
    "SELECT message_id FROM thread_messages WHERE incident_id = $1 AND message_id NOT LIKE 'ses:%' ORDER BY created_at DESC LIMIT 20",
    [rows[0].id],
  );
  return { closed: isIncidentDone(rows[0].state), references: refs.rows.map((r) => r.message_id).reverse() };
}
