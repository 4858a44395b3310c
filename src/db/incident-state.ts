// The one writer of an incident's state: the rule of where it goes is domain/incident-state.ts.
import { Pool } from 'pg';
import { IncidentChange, IncidentState, isIncidentDone, nextIncidentState } from '../domain/incident-state';

/** Applies what happened; returns the new state, or null when the incident stays as it was (or is unknown). */
export async function changeIncidentState(pool: Pool, incidentNumber: string, change: IncidentChange): Promise<IncidentState | null> {
  const { rows } = await pool.query('SELECT state FROM incidents WHERE number = $1', [incidentNumber]);
  if (!rows[0]) return null;
  const current: string = rows[0].state;
  const next = nextIncidentState(current, change);
  if (next === null) return null;
  if (next === 'in-progress' && change.by !== 'agent' && isIncidentDone(current)) {
    // Reopening: if a newer incident is open for the same monitoring alert, this one gives up the alert
    // key (one open incident per host/service). Only a resolved or closed incident is reopened, so two
    // replies at once reopen it once.
    const reopened = await pool.query(
      `UPDATE incidents i SET state = 'in-progress',
         alert_key = CASE WHEN EXISTS (SELECT 1 FROM incidents o WHERE o.alert_key = i.alert_key AND o.id <> i.id
                                       AND o.state NOT IN ('closed', 'resolved')) THEN NULL ELSE i.alert_key END
       WHERE number = $1 AND state IN ('closed', 'resolved')`,
      [incidentNumber],
    );
    return reopened.rowCount ? next : null;
  }
  // Only from the state the rule was applied to: a change in between (another reply, an alert) wins,
  // rather than being overwritten by a decision taken on a stale state.
  // A close is timed: the follow-up policy counts its reopen window from it.
  const updated = await pool.query(
    "UPDATE incidents SET state = $2, closed_at = CASE WHEN $2 = 'closed' THEN now() ELSE closed_at END WHERE number = $1 AND state = $3",
    [incidentNumber, next, current],
  );
  return updated.rowCount ? next : null;
}

/** A closed incident's close time and assignment group (its follow-up policy's); null when it is not closed. */
export async function closedIncident(pool: Pool, incidentNumber: string): Promise<{ closedAt: Date | null; assignmentGroup: string | null } | null> {
  const { rows } = await pool.query("SELECT closed_at, assignment_group FROM incidents WHERE number = $1 AND state = 'closed'", [incidentNumber]);
  return rows[0] ? { closedAt: rows[0].closed_at, assignmentGroup: rows[0].assignment_group } : null;
}
