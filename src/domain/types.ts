// The product's nouns, shared by workflows, activities, the bridge and the CLI.
// Everything here is plain data: it crosses the workflow/activity boundary and lands in history,
// so it stays small (keys and summaries, never raw MIME or whole bodies).

/** SES receipt verdict values, as SES writes them. */
export type VerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

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
  descriptionLength: number;
  attachmentCount: number;
  /** Verdicts as SES wrote them into the stored message's headers (used when the notice had none). */
  headerVerdicts?: Partial<SesVerdicts>;
}

export type SpamDecision =
  | { action: 'accept'; score: number; reasons: string[]; allowlisted: boolean }
  | { action: 'quarantine'; score: number; reasons: string[]; allowlisted: boolean };

export interface RoutingCondition {
  field: 'sender' | 'subject';
  operator: 'contains' | 'equals' | 'starts_with' | 'ends_with' | 'regex';
  value: string;
}

/** One item of the DynamoDB table StackFlow_EmailRoutingRule. */
export interface RoutingRule {
  ruleId: string;
  /** Lower runs first. */
  position: number;
  enabled: boolean;
  /** Every condition must match. */
  conditions: RoutingCondition[];
  assignmentGroup?: string;
  category?: string;
  priority?: Priority;
}

/** 1 critical, 2 high, 3 moderate, 4 low, 5 planning (the ServiceNow scale). */
export type Priority = 1 | 2 | 3 | 4 | 5;

export interface Routing {
  ruleId: string | null;
  assignmentGroup: string | null;
  category: string | null;
  priority: Priority;
}

export interface Reporter {
  email: string;
  name: string;
  /** True when the sender passed SPF or DKIM, and DMARC: only then is it matched to a user. */
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
  | 'ignored'
  | 'discarded'
  | 'failed';

export interface EmailStatus {
  stage: EmailStage;
  incidentNumber: string | null;
  reason: string | null;
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
}
