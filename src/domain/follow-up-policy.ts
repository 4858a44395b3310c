// What a customer's reply does to a closed incident (Zammad's and Znuny's "follow-up" setting): reopen it
// (the default, and what every reply did before this setting existed), keep it as a note and tell the
// sender the incident is closed ('reject'), or make a new incident linked to it ('new-incident'). With
// a reopen window, a reply within that many days of the close still reopens it; the policy applies after.
// Only `closed` counts: a `resolved` incident (the solution given, the customer may still say it is not)
// is reopened by a reply, as it always was.

export const FOLLOW_UP_POLICIES = ['reopen', 'reject', 'new-incident'] as const;
export type FollowUpPolicyName = (typeof FOLLOW_UP_POLICIES)[number];

export interface FollowUpPolicy {
  policy: FollowUpPolicyName;
  /** Days after the close during which a reply still reopens the incident; 0: the policy applies at once. */
  reopenDays: number;
}

/** The policy of every group without one of its own, and the groups that have one (by exact name). */
export interface FollowUpSettings {
  policy: FollowUpPolicy;
  byGroup: Record<string, FollowUpPolicy>;
}

export const REOPEN: FollowUpPolicy = { policy: 'reopen', reopenDays: 0 };
export const MAX_REOPEN_DAYS = 3650;

/** The policy for an incident of this assignment group. */
export function followUpPolicyFor(settings: FollowUpSettings, group: string | null): FollowUpPolicy {
  return (group !== null && Object.hasOwn(settings.byGroup, group) ? settings.byGroup[group] : undefined) ?? settings.policy;
}

/** A closed incident a reply names: when it was closed, and the policy of its group. */
export interface ClosedIncident {
  /** ISO 8601; null when the close time is unknown (then the policy applies, as after the window). */
  closedAt: string | null;
  followUp: FollowUpPolicy;
}

export type FollowUpAction = 'reopen' | 'reject' | 'new-incident';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What a reply arriving at `arrivedAt` does to the incident it names. `closed` is unset for an incident
 * that is not closed (and in lookups recorded before this rule existed): the reply joins it as ever.
 */
export function followUpAction(closed: ClosedIncident | undefined, arrivedAt: string): FollowUpAction {
  if (!closed || closed.followUp.policy === 'reopen') return 'reopen';
  const closedAt = closed.closedAt === null ? NaN : Date.parse(closed.closedAt);
  const arrived = Date.parse(arrivedAt);
  // Within the window (the close time known): the customer is still talking about the same problem.
  if (Number.isFinite(closedAt) && Number.isFinite(arrived) && arrived - closedAt < closed.followUp.reopenDays * DAY_MS) return 'reopen';
  return closed.followUp.policy;
}

/** Why a reply did not reopen the incident, for the email's outcome and the note on the incident. */
export function followUpReason(incidentNumber: string, closed: ClosedIncident): string {
  const window = closed.followUp.reopenDays > 0 ? ` more than ${closed.followUp.reopenDays} day${closed.followUp.reopenDays === 1 ? '' : 's'} ago` : '';
  const when = closed.closedAt ? ` (closed ${closed.closedAt.slice(0, 10)}${window})` : '';
  return `${incidentNumber} is closed${when}; follow-up policy ${closed.followUp.policy}`;
}

/**
 * One policy as configured: `reopen`, `reject`, `new-incident`, optionally with the reopen window in days
 * after a colon (`new-incident:14`). Throws with what is wrong.
 */
export function parseFollowUpPolicy(text: string): FollowUpPolicy {
  const [name, days, ...rest] = text.trim().split(':').map((p) => p.trim());
  if (!(FOLLOW_UP_POLICIES as readonly string[]).includes(name)) throw new Error(`"${name}" is not a policy: one of ${FOLLOW_UP_POLICIES.join(', ')}`);
  if (rest.length) throw new Error(`"${text.trim()}": a policy and at most one number of days`);
  if (days === undefined) return { policy: name as FollowUpPolicyName, reopenDays: 0 };
  return withReopenDays(name as FollowUpPolicyName, days);
}

/** The policy with its reopen window; a window on `reopen` would change nothing, and is refused as a mistake. */
export function withReopenDays(policy: FollowUpPolicyName, days: string): FollowUpPolicy {
  const reopenDays = Number(days);
  if (!/^\d+$/.test(days) || reopenDays > MAX_REOPEN_DAYS) throw new Error(`"${days}" is not a number of days 0..${MAX_REOPEN_DAYS}`);
  if (policy === 'reopen' && reopenDays > 0) throw new Error('a reopen window does nothing with the policy reopen (a reply always reopens)');
  return { policy, reopenDays };
}

/**
 * Per assignment group: `Group=policy[:days]`, separated by `;` (group names may hold commas and spaces),
 * e.g. `Billing=reject:14; Network Operations=new-incident`. Throws with what is wrong.
 */
export function parseFollowUpByGroup(text: string): Record<string, FollowUpPolicy> {
  const entries = new Map<string, FollowUpPolicy>();
  for (const entry of text.split(';').map((e) => e.trim()).filter(Boolean)) {
    const at = entry.lastIndexOf('=');
    const group = entry.slice(0, Math.max(at, 0)).trim();
    if (at < 0 || !group) throw new Error(`"${entry}": expected Group=policy[:days]`);
    if (entries.has(group)) throw new Error(`group "${group}" is named twice`);
    entries.set(group, parseFollowUpPolicy(entry.slice(at + 1)));
  }
  // Own properties only, whatever the names ("__proto__" included).
  return Object.fromEntries(entries);
}
