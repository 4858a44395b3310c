// The allowlist and the user directory (when USER_DIRECTORY=postgres): small tables the operator edits from the CLI.
import { Pool } from 'pg';
import { normaliseAllowlistEntry } from '../domain/allowlist';
import { DirectoryUser } from '../domain/user-directory';

export type { DirectoryUser } from '../domain/user-directory';

export async function listAllowlist(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query('SELECT entry FROM allowlist ORDER BY entry');
  return rows.map((r) => r.entry);
}

export async function addToAllowlist(pool: Pool, entry: string): Promise<string> {
  const { kind, value } = normaliseAllowlistEntry(entry);
  await pool.query('INSERT INTO allowlist (entry, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING', [value, kind]);
  return value;
}

export async function removeFromAllowlist(pool: Pool, entry: string): Promise<boolean> {
  const { value } = normaliseAllowlistEntry(entry);
  return ((await pool.query('DELETE FROM allowlist WHERE entry = $1', [value])).rowCount ?? 0) > 0;
}

export async function addUser(pool: Pool, user: DirectoryUser): Promise<void> {
  const email = user.email.trim().toLowerCase();
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(email)) throw new Error(`Not an email address: "${user.email}"`);
  await pool.query(
    'INSERT INTO users (email, name, role) VALUES ($1, $2, $3) ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role',
    [email, user.name.trim(), user.role ?? 'customer'],
  );
}

export async function findUser(pool: Pool, email: string): Promise<DirectoryUser | null> {
  const { rows } = await pool.query('SELECT email, name, role FROM users WHERE email = $1', [email.trim().toLowerCase()]);
  return rows[0] ?? null;
}

export async function listUsers(pool: Pool): Promise<DirectoryUser[]> {
  return (await pool.query('SELECT email, name, role FROM users ORDER BY email')).rows;
}
