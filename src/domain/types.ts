// The product's nouns, shared by workflows, activities, the bridge and the CLI.
// Everything here is plain data: it crosses the workflow/activity boundary and lands in history,
// so it stays small (keys and summaries, never raw MIME or whole bodies).
import type { ExternalNumber } from './external-ticket-numbers';

/** SES receipt verdict values, as SES writes them. */
export const VERDICT_STATUSES = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED'] as const;
export type VerdictStatus = (typeof VERDICT_STATUSES)[number];

/** The verdicts SES gives on a received email. */
export const VERDICT_NAMES = ['spam', 'virus', 'spf', 'dkim', 'dmarc'] as const satisfies readonly (keyof SesVerdicts)[];

export interface SesVerdicts {
  spam: VerdictStatus;
  virus: VerdictStatus;
  spf: VerdictStatus;
  dkim: VerdictStatus;
  dmarc: VerdictStatus;
}

/** What the bridge learned from one queue message: enough to start the inbound-email workflow. */
export interface InboundEmailNotice {
  sesMessageId: string;
  bucket: string;
  key: string;
  /** When SES received the mail (ISO 8601), if the notification said. */
  receivedAt?: string;
  /** Verdicts from the receipt notification; absent for S3 events (then read from the stored headers). */
  verdicts?: SesVerdicts;
  /** Envelope recipients SES accepted the mail for. */
  recipients?: string[];
  /** The envelope MAIL FROM SES checked SPF for (the notification's mail.source), at most 254 characters. */
  mailFrom?: string;
}

/** The domains SES's checks were for, from its Authentication-Results (docs/sender-authentication.md). */
export interface AuthenticatedDomains {
  /** The envelope MAIL FROM domain that SPF was checked for. */
  mailFrom: string | null;
  /** Signing domains of the DKIM signatures that passed (a few at most). */
  dkim: string[];
  /** The From domain SES's DMARC check was for (its header.from); unset in parses older than it. */
  dmarcFrom?: string | null;
}

/** How a message was sent: by a person, or by a machine that must never get an auto-response. */
export type MailKind = 'human' | 'auto-reply' | 'bounce' | 'bulk';

export interface Address {
  address: string;
  name: string;
}

export interface AttachmentSummary {
  filename: string;
  contentType: string;
  size: number;
  inline: boolean;
  /** Where the attachment's bytes were stored (set by the activity that stores it). */
  key?: string;
}

/** The parse result that the CLI prints with `parse --json` (a contract: field names are fixed). */
export interface ParsedEmail {
  messageId: string | null;
  subject: string;
  shortDescription: string;
  description: string;
  from: Address | null;
  to: Address[];
  cc: Address[];
  inReplyTo: string | null;
  references: string[];
  kind: MailKind;
  attachments: AttachmentSummary[];
}

/** At most this many To/Cc addresses travel in workflow history; the full lists stay in S3. */
export const SUMMARY_ADDRESS_LIMIT = 50;

/**
 * A parse result small enough for workflow history whatever the email's size: the whole parse
 * (description, every address, the attachment list) is stored in S3 at `parsedKey`.
 */
export interface EmailSummary extends Omit<ParsedEmail, 'description' | 'attachments'> {
  parsedKey: string;
  /** What may tie this email to an existing incident's thread (found by the parse activity). */
  clues: ReplyClues;
  /** A monitoring alert a parsing rule recognised (its fields stay in S3). */
  alert?: AlertSummary | null;
  /** The sender as the EmailSender search attribute shows it (address, domain or hash, by configuration). */
  senderForSearch?: string | null;
  descriptionLength: number;
  attachmentCount: number;
  /** Verdicts as SES wrote them into the stored message's headers (used when the notice had none). */
  headerVerdicts?: Partial<SesVerdicts>;
  /** The domains SES checked, for alignment with the From domain (absent from parses older than it). */
  authenticatedDomains?: AuthenticatedDomains;
  /** Why the From header is not exactly one valid mailbox (domain/sender-mailbox); absent or null when it is. */
  senderProblem?: string | null;
  /** The email forwarded in this one, if any (whether it counts is domain/agent-forward's); absent in older parses. */
  forward?: ForwardSummary | null;
  /** A bounce's delivery report (src/mail/delivery-report.ts): absent from other mail and from older parses. */
  deliveryReport?: DeliveryReport | null;
}

/**
 * A forwarded email found in an email (mail/forwarded-email): attached as message/rfc822, or inline under
 * a mail program's forward header. Bounded like the rest of the summary; its texts stay in S3.
 */
export interface ForwardSummary {
  form: 'attached' | 'inline';
  /** The original sender: one valid mailbox of at most 254 characters, not ours; null when none was found. */
  from: Address | null;
  /** Why `from` is null. */
  problem: string | null;
  /** The forwarder asked for the customer to be mailed a confirmation (#notify or [notify] in their own subject or text). */
  notify: boolean;
  /** The original subject, one line, at most 998 characters. */
  subject: string;
  /** The incident's short description: the original subject without prefixes. */
  shortDescription: string;
  /** The original's Message-ID, when the forward carries it (an attached message). */
  messageId: string | null;
}

/**
 * What a bounce says about the mail it returns, bounded (at most 5 recipients, 500 characters a
 * diagnostic): the RFC 3464 message/delivery-status fields, or what a non-standard bounce's text says.
 */
export interface DeliveryReport {
  /** The Message-ID of the mail that bounced (without <>), from the returned message or its quoted headers. */
  originalMessageId: string | null;
  recipients: DeliveryReportRecipient[];
}

export interface DeliveryReportRecipient {
  /** Final-Recipient (or the address a non-standard bounce names), lower case. */
  address: string;
  /** Action: failed, delayed, delivered, relayed or expanded; null when the bounce does not say. */
  action: 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded' | null;
  /** Status, an RFC 3463 code such as 5.1.1, or null. */
  status: string | null;
  /** Diagnostic-Code (or the remote server's answer a non-standard bounce quotes), one printable line. */
  diagnostic: string | null;
}

export type SpamDecision =
  | { action: 'accept'; score: number; reasons: string[]; allowlisted: boolean }
  | { action: 'quarantine'; score: number; reasons: string[]; allowlisted: boolean };

/** A header field names its header after the prefix, in any case: `header:X-Priority`. */
export type RoutingHeaderField = `header:${string}`;
/** sender: the From address; recipient: any of the recipients; subject; or one header (any of its occurrences). */
export type RoutingField = 'sender' | 'recipient' | 'subject' | RoutingHeaderField;
/** All case-insensitive. not_contains holds when no value of the field contains the text. */
export type RoutingOperator = 'contains' | 'not_contains' | 'equals' | 'starts_with' | 'ends_with' | 'any_of' | 'regex';

export type RoutingCondition =
  | { field: RoutingField; operator: Exclude<RoutingOperator, 'any_of'>; value: string }
  /** Equals any of the values: a list, or one string split on commas and newlines. */
  | { field: RoutingField; operator: 'any_of'; value: string | string[] };

/** One item of the DynamoDB table StackFlow_EmailRoutingRule. */
export interface RoutingRule {
  ruleId: string;
  /** Lower runs first. */
  position: number;
  enabled: boolean;
  /** Every condition must match. */
  conditions: RoutingCondition[];
  /** Whether no later rule runs once this one matched; unset means true (the first matching rule wins). */
  stopAfterMatch?: boolean;
  assignmentGroup?: string;
  category?: string;
  priority?: Priority;
  /** Where SLA warnings and breaches of the incident are emailed: one plain address, lower-cased. */
  escalationAddress?: string;
  /** true: the email makes no incident; false: undoes an earlier matching rule's ignore; unset: leaves it. */
  ignore?: boolean;
}

/** 1 critical, 2 high, 3 moderate, 4 low, 5 planning (the ServiceNow scale). */
export type Priority = 1 | 2 | 3 | 4 | 5;

export interface Routing {
  /** The first rule applied, or null when none matched. */
  ruleId: string | null;
  /** Every rule applied, in the order applied. */
  ruleIds: string[];
  assignmentGroup: string | null;
  category: string | null;
  priority: Priority;
  /** Where SLA warnings and breaches are emailed. Absent from routings recorded before it (old histories): read it as null. */
  escalationAddress: string | null;
  /** The email makes no incident. */
  ignore: boolean;
  /** When ignore: the rule that decided it (the reason to record); otherwise null. */
  ignoredBy: string | null;
}

export interface Reporter {
  email: string;
  name: string;
  /** True when the sender was authenticated (domain/sender-authentication): only then is it matched to a user. */
  verified: boolean;
}

/** Where an inbound email is now; the workflow's `status` query answers with this. */
export type EmailStage =
  | 'received'
  | 'parsed'
  | 'quarantined'
  | 'routed'
  | 'incident-created'
  | 'confirmed'
  | 'threaded-as-reply'
  /** A monitoring alert handed to the workflow of its host/service, which decides what it opens or resolves. */
  | 'alert-forwarded'
  | 'ignored'
  /** No incident: the sender policy rejects unknown senders at the address the mail was sent to. */
  | 'rejected'
  | 'discarded'
  | 'failed';

export interface EmailStatus {
  stage: EmailStage;
  incidentNumber: string | null;
  reason: string | null;
  /** The step running now, while one runs. Local activities retry inside the worker and do not show as
   * pending activities, so this is how an operator sees which one an email waits on. */
  step?: string;
}

/** What may tie an email to an existing thread, in the order they are trusted (see domain/reply-detection). */
export interface ReplyClues {
  /** In-Reply-To first, then References newest first; without <>. */
  messageIds: string[];
  /** SES message ids named by Message-IDs SES rewrote (<id@region.amazonses.com>). */
  sesIds: string[];
  /** Incident numbers of our watermarks in the body. */
  watermarkNumbers: string[];
  /** The incident number in the subject after reply prefixes are stripped. */
  subjectNumber: string | null;
  reply: boolean;
  forward: boolean;
  /** Other helpdesks' ticket numbers (EXTERNAL_TICKET_PATTERNS), at most 5; absent when none. */
  externalNumbers?: ExternalNumber[];
}

/** What the workflow needs of a recognised monitoring alert. */
export interface AlertSummary {
  ruleId: string;
  /** host/service, lower-cased: the same alert across mails. */
  alertKey: string | null;
  state: string | null;
  recovery: boolean;
  priority: Priority | null;
  /** The alert's own time (ms since the epoch: domain/alert-key alertTime); absent from parses older than it. */
  at?: number | null;
}
