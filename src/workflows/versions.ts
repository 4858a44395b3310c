// The version each run of a workflow carries: a patch marker taken at the very top of every run, which
// the SDK also writes to the run's TemporalChangeVersion search attribute (not billed). Operators list
// open runs by it (`email-to-ticket versions`) to know when an older version's code can be removed
// (README, "Retiring a workflow version").

/**
 * Inbound-email runs that follow the decision order of domain/inbound-decision.ts, unauthenticated senders
 * unanswered, monitoring alerts handed to the workflow of their key (host/service).
 */
export const INBOUND_EMAIL_VERSION = 'inbound-email-4';
/**
 * The same decision order, except that an alert found its key's open incident (or opened one) itself. Its
 * runs replay with that one setting of the decision (`alertHandling: 'incident'`), not with a frozen copy.
 */
export const INBOUND_EMAIL_VERSION_3 = 'inbound-email-3';
/**
 * The same decision order, except that unauthenticated senders got a confirmation. Its runs replay with
 * that one setting of the decision (`unauthenticatedConfirmation: 'full'`), not with a frozen copy.
 */
export const INBOUND_EMAIL_VERSION_2 = 'inbound-email-2';
/** Incident-thread runs that always start from what PostgreSQL knows. */
export const INCIDENT_THREAD_VERSION = 'incident-thread-2';

export const WORKFLOW_VERSIONS = { inboundEmail: INBOUND_EMAIL_VERSION, incidentThread: INCIDENT_THREAD_VERSION };
