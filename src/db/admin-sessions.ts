// Admin sessions in PostgreSQL, shared by every web replica. Stored by the hash of the cookie value.
import { Pool } from 'pg';

export interface StoredSession {
  idHash: string;
  csrf: string;
  user: string;
  expiresAt: Date;
}

export async function createAdminSession(pool: Pool, session: { idHash: string; csrf: string; user: string; lifetimeMs: number }): Promise<StoredSession> {
  // Expired sessions go when a new one comes: the table holds live ones and the few since the last sign-in.
  await pool.query('DELETE FROM admin_sessions WHERE expires_at < now()');
  const { rows } = await pool.query(
    `INSERT INTO admin_sessions (id_hash, csrf, user_name, expires_at) VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
     RETURNING expires_at`,
    [session.idHash, session.csrf, session.user, session.lifetimeMs],
  );
  return { idHash: session.idHash, csrf: session.csrf, user: session.user, expiresAt: rows[0].expires_at };
}

/** The session with this hash, unless it has expired. */
export async function findAdminSession(pool: Pool, idHash: string): Promise<StoredSession | null> {
  const { rows } = await pool.query('SELECT csrf, user_name, expires_at FROM admin_sessions WHERE id_hash = $1 AND expires_at > now()', [idHash]);
  return rows[0] ? { idHash, csrf: rows[0].csrf, user: rows[0].user_name, expiresAt: rows[0].expires_at } : null;
}

export async function deleteAdminSession(pool: Pool, idHash: string): Promise<void> {
  await pool.query('DELETE FROM admin_sessions WHERE id_hash = $1', [idHash]);
}
