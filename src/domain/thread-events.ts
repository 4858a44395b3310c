// What happens on an incident's thread. Each event has an id that makes it unique (an SES message id,
// or the id an agent's request carried), so a repeated signal is handled once.
import type { ExternalNumber } from './external-ticket-numbers';
import { DeliveryReportRecipient, MailKind } from './types';

/** The incident was created from an email with this Message-ID (the start of the conversation). */
export interface ThreadOpened {
  type: 'opened';
  id: string;
  messageId: string | null;
}

/** A customer's reply: its body stays in S3, the activity reads and quote-strips it. */
export interface CustomerReply {
  type: 'customer-reply';
  id: string;
  bucket: string;
  key: string;
  from: { address: string; name: string };
  messageId: string | null;
  cc: string[];
  via: 'references' | 'watermark' | 'subject' | 'external';
  /** False when the sender was not authenticated: the reply is kept, marked unverified, and moves no state. Unset counts as true. */
  verified?: boolean;
  /** 'known-users': of `cc`, only users of the directory become participants (the sender policy); unset: all of them. */
  ccParticipants?: 'known-users';
  /**
   * Set when the incident is closed and its follow-up policy turns the reply away: why. The reply is kept
   * as a note; it reopens nothing and copies no one in.
   */
  notReopened?: string;
  /** Other helpdesks' numbers the incident is to record: an authenticated reply matched by our own clues; absent when none. */
  externalNumbers?: ExternalNumber[];
}

export interface AgentComment {
  type: 'agent-comment';
  id: string;
  author: string;
  body: string;
  sendToCustomer: boolean;
  /** The agent waits for the customer's answer: the incident and its SLA clock pause once the comment is sent. */
  awaitingCustomer?: boolean;
}

/** An auto-reply or bounce that names the thread: kept as a note, never answered. */
export interface ThreadNote {
  type: 'note';
  id: string;
  kind: MailKind;
  from: string | null;
  subject: string;
  reason: string;
  /** A bounce's delivery report and the Message-IDs it names: tied to our outbound message it returns. */
  delivery?: NoteDeliveryReport;
  /** Other helpdesks' numbers the incident is to record (a vendor's acknowledgement of our mail); absent when none. */
  externalNumbers?: ExternalNumber[];
}

/** What of a bounce's report travels with its note (bounded: at most 10 ids each, 5 recipients). */
export interface NoteDeliveryReport {
  /** Message-IDs the bounce names (without <>), and SES message ids from SES-written ones. */
  messageIds: string[];
  sesIds: string[];
  recipients: DeliveryReportRecipient[];
}

/** Another alert for the incident's host/service: added to it; a recovery closes the incident. */
export interface AlertUpdate {
  type: 'alert';
  id: string;
  bucket: string;
  parsedKey: string;
  from: string;
  state: string | null;
  recovery: boolean;
  /** The alert's key is flapping: its incident stays open (the comment says so). */
  flapping?: boolean;
}

export interface ThreadClosed {
  type: 'close';
  id: string;
}

export type ThreadEvent = ThreadOpened | CustomerReply | AgentComment | ThreadNote | AlertUpdate | ThreadClosed;

/** A short line per comment for the thread query; the full text is in PostgreSQL. */
export interface ThreadEntry {
  source: 'email' | 'agent' | 'note';
  author: string;
  excerpt: string;
  at: string;
}

export interface ThreadView {
  incidentNumber: string;
  total: number;
  closed: boolean;
  recent: ThreadEntry[];
  pending: number;
}

/** Agent comments travel in a signal (and so in history): bounded. */
export const AGENT_COMMENT_MAX_CHARS = 20_000;
