// The workflows' public contract: their inputs, signals and queries with argument types. Every caller
// (bridge, activities, operations, CLI, web) uses these definitions, never a name as a string, so a
// rename is a compile error instead of a run-time failure.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ThreadEvent, ThreadView } from '../domain/thread-events';
import type { EmailStatus, InboundEmailNotice } from '../domain/types';
import type { ReconciliationTally, ReconciliationWindow } from '../domain/reconciliation';
import type { DeliveryEvent } from '../domain/delivery-events';
import type { SlaClock, SlaView } from '../domain/sla-clock';
import type { SenderPolicy } from '../domain/sender-policy';
import type { AlertKeyEvent, AlertKeySettings, AlertKeyState, AlertKeyView } from '../domain/alert-key';
import type { AlertStormSettings, AlertStormState } from '../domain/alert-storm';

export interface InboundEmailInput {
  notice: InboundEmailNotice;
  /** How long a quarantined email waits for an admin before it is discarded (raw mail stays in S3). */
  quarantineRetentionMs?: number;
  /** What an unauthenticated sender is sent (UNAUTHENTICATED_CONFIRMATION): nothing by default, or a minimal confirmation. */
  unauthenticatedConfirmation?: 'none' | 'minimal';
  /** The sender policy for the addresses the mail was received for (SENDER_POLICY_FILE); unset: today's behaviour. */
  senderPolicy?: Partial<SenderPolicy>;
}


export const DEFAULT_QUARANTINE_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Where an inbound email stands: stage, incident, reason, the step running now. */
export const statusQuery = defineQuery<EmailStatus>('status');
export interface ReleaseRequest {
  /** Required to release mail SES found a virus in. */
  override?: boolean;
}
export const releaseSignal = defineSignal<[ReleaseRequest?]>('release');
export interface DiscardRequest {
  reason?: string;
}
export const discardSignal = defineSignal<[DiscardRequest?]>('discard');

export interface IncidentThreadInput {
  incidentNumber: string;
  /** Carried over by continue-as-new. */
  state?: ThreadState;
  /** Events handled per run before continuing as new (tests lower it; the server may suggest earlier). */
  maxEventsPerRun?: number;
}

/** What a thread carries from one run to the next. */
export interface ThreadState {
  /** Ids of events already handled (newest last, bounded): a repeated signal is handled once. */
  seen: string[];
  /** Newest entries (bounded); the whole thread is in PostgreSQL. */
  recent: ThreadView['recent'];
  total: number;
  /** Message-IDs of the conversation, oldest first (bounded), for In-Reply-To/References of our mail. */
  references: string[];
  closed: boolean;
  pending: ThreadEvent[];
}

/** Everything that happens on an incident reaches its thread as this signal (always signal-with-start). */
export const threadEventSignal = defineSignal<[ThreadEvent]>('threadEvent');
export const threadQuery = defineQuery<ThreadView>('thread');

/**
 * The reconciliation (the ledger): every email stored under the inbound prefix within a window has a
 * workflow or a recorded outcome; one that has neither is started as the bridge would have started it.
 */
export interface ReconciliationInput {
  /** Looks back this far from the run's start (RECONCILE_WINDOW_HOURS; default 24 h) ... */
  windowMs?: number;
  /** ... up to this long before it, left to the normal path (RECONCILE_GRACE_MINUTES; default 15 min). */
  graceMs?: number;
  /** A window given outright (the CLI's --since), instead of one computed from the run's start. */
  window?: ReconciliationWindow;
  /** Objects listed per page (at most S3's 1000; tests lower it). */
  pageSize?: number;
  /** Pages per run before continuing as new, so that the history stays bounded however many emails. */
  pagesPerRun?: number;
  /** Carried over by continue-as-new. */
  progress?: ReconciliationProgress;
}

export interface ReconciliationProgress {
  window: ReconciliationWindow;
  tally: ReconciliationTally;
  /** S3's continuation token of the next page. */
  continuationToken: string;
  runs: number;
}

export interface ReconciliationResult extends ReconciliationTally {
  window: ReconciliationWindow;
  /** Runs of the workflow it took (1 + continue-as-new). */
  runs: number;
}

/** One event SES published about our mail (delivery feedback), as the bridge read it from the queue. */
export interface DeliveryFeedbackInput {
  event: DeliveryEvent;
}

export interface DeliveryFeedbackResult {
  /** False when the event had been recorded before. */
  recorded: boolean;
  incidentNumber: string | null;
  /** How many addresses it suppressed for automatic mail, and lifted (counts: no addresses in the history). */
  suppressed: number;
  lifted: number;
}

/** An incident's SLA clock (domain/sla-clock.ts): one workflow per incident while it is open. */
export interface IncidentSlaInput {
  incidentNumber: string;
  /** Carried over by continue-as-new. */
  clock?: SlaClock;
  /** Ids of notices already applied (newest last, bounded). */
  seen?: string[];
  /** Notices carried over by continue-as-new. */
  pending?: SlaNotice[];
}

/**
 * What the clock is told. `responded`: an agent's comment reached the customer; `state`: the incident's
 * state is now this (level, not edge: a repeated notice changes nothing); `replan`: the policy with this
 * fingerprint is in force.
 */
export interface SlaNotice {
  id: string;
  kind: 'responded' | 'state' | 'replan';
  at: number;
  state?: string;
  fingerprint?: string;
}

export const slaNoticeSignal = defineSignal<[SlaNotice]>('slaNotice');
/** The clock as it stands: due times, pause, what warned and breached (the Temporal UI's Queries tab). */
export const slaQuery = defineQuery<SlaView | null>('sla');

/** Re-plans every open incident's clock on the policy with this fingerprint, a page of incidents at a time. */
export interface SlaReplanInput {
  fingerprint: string;
  /** The last incident number signalled (carried over by continue-as-new). */
  after?: string;
  signalled?: number;
  /** Incidents per page (tests lower it) and pages per run. */
  pageSize?: number;
  pagesPerRun?: number;
}

/** One monitoring alert key (host/service): its alerts in their own time order (domain/alert-key.ts). */
export interface AlertKeyInput {
  /** host/service as the parsing rule gave it (the workflow id names only its keyed hash). */
  alertKey: string;
  settings: AlertKeySettings;
  /** Carried over by continue-as-new. */
  state?: AlertKeyState;
  pending?: AlertKeyEvent[];
  seen?: string[];
  /** Alerts applied per run before continuing as new (tests lower it; the server may suggest earlier). */
  maxAlertsPerRun?: number;
}

/** Every authenticated alert reaches its key's workflow as this signal (always signal-with-start). */
export const alertSignal = defineSignal<[AlertKeyEvent]>('alertReceived');
/** The key as it stands: open incident, waiting problem, flapping, recent decisions (the Temporal UI's Queries tab). */
export const alertKeyQuery = defineQuery<AlertKeyView & { alertKey: string; pending: number }>('alertKeyState');

/** The one workflow that counts incidents opened by alert keys and groups a storm under a parent incident. */
export interface AlertStormInput {
  settings: AlertStormSettings;
  /** Carried over by continue-as-new. */
  state?: AlertStormState;
  pending?: AlertOpening[];
}

/** An alert key opened this incident (a reopened one is no new opening). */
export interface AlertOpening {
  incident: string;
}

export const alertOpeningSignal = defineSignal<[AlertOpening]>('alertOpening');
export const alertStormQuery = defineQuery<AlertStormState>('alertStormState');
