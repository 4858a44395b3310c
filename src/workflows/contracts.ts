// The workflows' public contract: their inputs, signals and queries with argument types. Every caller
// (bridge, activities, operations, CLI, web) uses these definitions, never a name as a string, so a
// rename is a compile error instead of a run-time failure.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ThreadEvent, ThreadView } from '../domain/thread-events';
import type { EmailStatus, InboundEmailNotice } from '../domain/types';

export interface InboundEmailInput {
  notice: InboundEmailNotice;
  /** How long a quarantined email waits for an admin before it is discarded (raw mail stays in S3). */
  quarantineRetentionMs?: number;
  /** What an unauthenticated sender is sent (UNAUTHENTICATED_CONFIRMATION): nothing by default, or a minimal confirmation. */
  unauthenticatedConfirmation?: 'none' | 'minimal';
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
