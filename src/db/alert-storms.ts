// Alert storms: a parent incident and the incidents of the alert keys it groups (its children).
import { Pool } from 'pg';
import type { Priority } from '../domain/types';

export interface StormChild {
  number: string;
  shortDescription: string;
  priority: Priority;
  assignmentGroup: string | null;
}

/** The children as they are now, in the order given (unknown numbers left out). */
export async function stormChildren(pool: Pool, numbers: string[]): Promise<StormChild[]> {
  const { rows } = await pool.query('SELECT number, short_description, priority, assignment_group FROM incidents WHERE number = ANY($1)', [numbers]);
  const byNumber = new Map(rows.map((r) => [r.number as string, { number: r.number, shortDescription: r.short_description, priority: r.priority, assignmentGroup: r.assignment_group }]));
  return numbers.map((n) => byNumber.get(n)).filter((c): c is StormChild => c !== undefined);
}

/** Links the children to the parent; returns those newly linked (a retry links none twice). */
export async function linkToParent(pool: Pool, parent: string, children: string[]): Promise<string[]> {
  const { rows } = await pool.query(
    'UPDATE incidents SET parent_incident = $1 WHERE number = ANY($2) AND number <> $1 AND parent_incident IS NULL RETURNING number',
    [parent, children],
  );
  return rows.map((r) => r.number as string);
}

/** The incidents a parent groups, oldest first. */
export async function childIncidents(pool: Pool, parent: string): Promise<string[]> {
  const { rows } = await pool.query('SELECT number FROM incidents WHERE parent_incident = $1 ORDER BY id', [parent]);
  return rows.map((r) => r.number as string);
}
