// Other helpdesks' ticket numbers that incidents recorded (domain/external-ticket-numbers): recorded by a
// reply, looked up for later mail, listed with the incident.
import { Pool } from 'pg';
import type { ExternalNumber } from '../domain/external-ticket-numbers';

export interface RecordedExternalNumber extends ExternalNumber {
  recordedAt: string;
}

/**
 * The incident records these numbers, brought by the email `sesMessageId`. Idempotent; a number another
 * incident recorded first stays with it. Which of them this incident now holds that it did not before.
 */
export async function recordExternalNumbers(pool: Pool, incidentNumber: string, numbers: ExternalNumber[], sesMessageId: string): Promise<ExternalNumber[]> {
  if (numbers.length === 0) return [];
  const { rows } = await pool.query(
    `INSERT INTO incident_external_numbers (incident_id, system, number, recorded_by)
     SELECT i.id, n.system, n.number, $4 FROM incidents i, unnest($2::text[], $3::text[]) AS n(system, number)
     WHERE i.number = $1
     ON CONFLICT (system, number) DO NOTHING
     RETURNING system, number`,
    [incidentNumber, numbers.map((n) => n.system), numbers.map((n) => n.number), sesMessageId],
  );
  return rows.map((r) => ({ system: r.system, number: r.number }));
}

/** The incident that recorded the first of these numbers (in their order) that any incident recorded; null for none. */
export async function findIncidentByExternalNumbers(pool: Pool, numbers: ExternalNumber[]): Promise<string | null> {
  if (numbers.length === 0) return null;
  const { rows } = await pool.query(
    `SELECT i.number FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS n(system, number, rank)
     JOIN incident_external_numbers e ON e.system = n.system AND e.number = n.number
     JOIN incidents i ON i.id = e.incident_id
     ORDER BY n.rank LIMIT 1`,
    [numbers.map((n) => n.system), numbers.map((n) => n.number)],
  );
  return rows[0]?.number ?? null;
}

/** The numbers an incident recorded, oldest first. */
export async function listExternalNumbers(pool: Pool, incidentId: number | string): Promise<RecordedExternalNumber[]> {
  const { rows } = await pool.query(
    'SELECT system, number, created_at FROM incident_external_numbers WHERE incident_id = $1 ORDER BY created_at, id',
    [incidentId],
  );
  return rows.map((r) => ({ system: r.system, number: r.number, recordedAt: r.created_at.toISOString() }));
}
