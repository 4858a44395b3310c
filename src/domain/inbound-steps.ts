// What each step of an inbound email takes and gives back: the contract between the decision order
// (inbound-decision.ts), the workflow that runs it, the activities that act, and the benchmark's direct
// pipeline. Plain data only: every value here crosses into workflow history.
import type { ConfirmationInput } from './confirmation-request';
import type { CcParticipants } from './sender-policy';
import type { ClosedIncident } from './follow-up-policy';
import type { ThreadEvent } from './thread-events';
import type { EmailStage, EmailSummary, Reporter, Routing, SesVerdicts, SpamDecision } from './types';

/** How an email ended (or, for `quarantined`, where it waits): the one record the workflow writes. */
export interface EmailOutcome {
  sesMessageId: string;
  stage: EmailStage;
  reason?: string | null;
  incidentNumber?: string | null;
  verdicts?: SesVerdicts;
  spamScore?: number;
  /** Whether the sender was authenticated, and why (domain/sender-authentication); set once the email is parsed. */
  sender?: { authenticated: boolean; reason: string };
}

/** The parse, or the permanent fault that prevents one (transient faults are retried, never returned). */
export type ParseResult = { email: EmailSummary } | { fault: { type: string; message: string } };

export interface SpamCheckInput {
  sender: string | null;
  verdicts: SesVerdicts;
  /** The allowlist applies to authenticated senders only; unset in runs of version inbound-email-2 (it applied to all). */
  authenticated?: boolean;
}

export interface ReporterLookupInput {
  address: string;
  name: string;
  /** Only an authenticated sender is matched to a user. */
  verified: boolean;
}

export interface RouteInput {
  sender: string;
  /** False: routing rules on the sender do not apply (unset in runs of version inbound-email-2: they did). */
  senderAuthenticated?: boolean;
  subject: string;
  bucket?: string;
  parsedKey?: string;
}

/** Who may speak on one incident's thread. */
export interface ThreadPeople {
  incidentNumber: string;
  state: string;
  senderAddress: string;
  reporterEmail: string | null;
  participants: string[];
  /** Whether the email that made the incident came from an authenticated sender (unset: recorded before it was kept). */
  senderAuthenticated?: boolean;
}

/** Which incidents an email's clues name, and who may speak on them. */
export interface ThreadCandidates {
  found: {
    byMessageId: string | null;
    /** The incident found by a Message-ID that we generated (unguessable), or null; unset in lookups of version inbound-email-2. */
    byOurMessageId?: string | null;
    byWatermark: string | null;
    bySubject: string | null;
    /** The incident that recorded one of the email's external numbers; unset in lookups made before them. */
    byExternalNumber?: string | null;
  };
  people: Record<string, ThreadPeople>;
  agents: string[];
  /**
   * The closed incidents among them whose follow-up policy is not plain reopen (domain/follow-up-policy),
   * and when they were looked up (the reply's arrival when SES did not say). Unset: none (and in lookups
   * recorded before the policy existed).
   */
  closed?: Record<string, ClosedIncident>;
  lookedUpAt?: string;
}

export interface CreateIncidentInput {
  sesMessageId: string;
  bucket: string;
  /** Where the parse step stored the whole parse (the history carries only the key). */
  parsedKey: string;
  /** host/service of a monitoring alert. */
  alertKey?: string | null;
  routing: Routing;
  reporter: Reporter | null;
  /** Only an authenticated sender's To/Cc become participants, and only to one is mail sent; unset counts as true. */
  senderAuthenticated?: boolean;
  /** Which of those To/Cc become participants (the sender policy); unset: all of them. */
  ccParticipants?: CcParticipants;
  /** The agent whose forward this is: the incident is made of the forwarded email, the customer's (domain/agent-forward). */
  forwardedBy?: string;
  /** The closed incident this reply follows up (the follow-up policy new-incident): the two are linked. */
  followUpOf?: string;
}

/** No tracking token: the confirmation derives it (README, "Customer data in Temporal"), so none is in history. */
export interface CreatedIncident {
  number: string;
  slaDueAt: string;
  /** False when this email had already made the incident (a duplicate delivery or a retried activity). */
  created: boolean;
  /** Set when another email had just opened the incident for the same alert: this one joins it. */
  joinedAlert?: boolean;
}

export type OutboundResult =
  | { sent: true; messageId: string; sesMessageId: string; alreadySent: boolean }
  | { sent: false; reason: string };

/** An admin's decision on a quarantined email; `held` where nothing waits for one (the direct pipeline). */
export type QuarantineDecision = { decision: 'release' } | { decision: 'discard'; reason: string } | { decision: 'expired' } | { decision: 'held' };

export interface ThreadSignal {
  incidentNumber: string;
  event: ThreadEvent;
}
