// An incident's state and what moves it, in one place: the thread's activities say what happened,
// this says where the incident goes, and db/incident-state.ts alone writes it.
export const INCIDENT_STATES = ['new', 'in-progress', 'awaiting-customer', 'resolved', 'closed'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** What happened on the incident's thread. */
export type IncidentChange =
  /** A customer's reply (a new one, not a repeated delivery). */
  | { by: 'customer-reply' }
  /** A monitoring alert for its host/service: a recovery, or a new problem. */
  | { by: 'alert'; recovery: boolean }
  /** An agent set the state (`incident close`, a comment that waits for the customer). */
  | { by: 'agent'; state: IncidentState };

const DONE: readonly string[] = ['resolved', 'closed'];

/** Resolved or closed: the thread ends, and only a reply or a new problem opens it again. */
export const isIncidentDone = (state: string): boolean => DONE.includes(state);

/** The state the incident moves to, or null when it stays as it is. */
export function nextIncidentState(current: string, change: IncidentChange): IncidentState | null {
  switch (change.by) {
    case 'customer-reply':
      // The answer the agent waited for (the SLA clock resumes), or a reply reopening a done incident.
      return isIncidentDone(current) || current === 'awaiting-customer' ? 'in-progress' : null;
    case 'alert':
      // A new problem after a recovery (a flapping service) opens it again.
      if (change.recovery) return current === 'resolved' ? null : 'resolved';
      return isIncidentDone(current) ? 'in-progress' : null;
    case 'agent':
      return change.state === current ? null : change.state;
  }
}

/** The state as the customer reads it on the tracking page. */
export function customerStateWording(state: string): string {
  return state === 'awaiting-customer' ? 'Waiting for your reply' : state;
}
