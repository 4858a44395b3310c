// SES event-publishing records (what a configuration set's SNS event destination receives), built in
// AWS's JSON shape: the local stack publishes them where moto publishes none, so that the consumer reads
// here what it will read on AWS. Only Send, Delivery, Bounce and Complaint: the events the stack's
// configuration set asks for. No I/O: the caller gives the times (feedback ids are random unless given).
import { randomBytes } from 'node:crypto';

export type SesEventType = 'Send' | 'Delivery' | 'Bounce' | 'Complaint';

export interface SesHeader {
  name: string;
  value: string;
}

export interface SesCommonHeaders {
  from: string[];
  to: string[];
  cc?: string[];
  replyTo?: string[];
  date?: string;
  messageId: string;
  subject?: string;
}

/** The `mail` object: the message an event is about, the same in every event of that message. */
export interface SesMail {
  timestamp: string;
  source: string;
  sourceArn: string;
  sendingAccountId: string;
  messageId: string;
  destination: string[];
  headersTruncated: boolean;
  headers: SesHeader[];
  commonHeaders: SesCommonHeaders;
  tags: Record<string, string[]>;
}

export interface SesDelivery {
  timestamp: string;
  processingTimeMillis: number;
  recipients: string[];
  smtpResponse: string;
  reportingMTA: string;
  remoteMtaIp: string;
}

export type BounceType = 'Permanent' | 'Transient' | 'Undetermined';

export interface SesBouncedRecipient {
  emailAddress: string;
  action: string;
  status: string;
  diagnosticCode: string;
}

export interface SesBounce {
  bounceType: BounceType;
  bounceSubType: string;
  bouncedRecipients: SesBouncedRecipient[];
  timestamp: string;
  feedbackId: string;
  reportingMTA: string;
}

export interface SesComplaint {
  complainedRecipients: { emailAddress: string }[];
  timestamp: string;
  feedbackId: string;
  userAgent: string;
  complaintFeedbackType: string;
  arrivalDate: string;
}

export type SesEvent =
  | { eventType: 'Send'; mail: SesMail; send: Record<string, never> }
  | { eventType: 'Delivery'; mail: SesMail; delivery: SesDelivery }
  | { eventType: 'Bounce'; mail: SesMail; bounce: SesBounce }
  | { eventType: 'Complaint'; mail: SesMail; complaint: SesComplaint };

/** The subject SES gives the SNS notifications of an event destination. */
export const SES_EVENT_SNS_SUBJECT = 'Amazon SES Email Event Notification';

/** Where the stand-in says mail went: no real MTA is involved. */
const LOCAL_MTA = 'local-ses-events.invalid';
const LOCAL_MTA_IP = '127.0.0.1';

/** SES ids look like 0100018e8f7b1c2d-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-000000: time, a UUID, a counter. */
export function sesStyleId(now: Date): string {
  const hex = randomBytes(16).toString('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return `${now.getTime().toString(16).padStart(16, '0')}-${uuid}-000000`;
}

export interface EventTagSource {
  configurationSet: string;
  /** The address the send request came from. */
  sourceIp: string;
  /** The domain of the From address. */
  fromDomain: string;
  /** Who signed the request (an IAM user or role name on AWS; the access key id here). */
  callerIdentity: string;
  /** The message tags given with the send (e.g. outbound-id). */
  messageTags: Record<string, string>;
}

/** `mail.tags`: SES's own auto-tags, then each message tag as a one-value list. */
export function eventTags(t: EventTagSource): Record<string, string[]> {
  const tags: Record<string, string[]> = {
    'ses:configuration-set': [t.configurationSet],
    'ses:source-ip': [t.sourceIp],
    'ses:from-domain': [t.fromDomain],
    'ses:caller-identity': [t.callerIdentity],
  };
  // A message tag may not shadow an auto-tag (SES refuses names starting with "ses:").
  for (const [name, value] of Object.entries(t.messageTags)) if (!name.startsWith('ses:')) tags[name] = [value];
  return tags;
}

export interface MailSource {
  sentAt: Date;
  /** The envelope sender (Source, or the From header's address). */
  source: string;
  region: string;
  account: string;
  sesMessageId: string;
  destination: string[];
  headers: SesHeader[];
  headersTruncated: boolean;
  commonHeaders: Omit<SesCommonHeaders, 'messageId'>;
  tags: Record<string, string[]>;
}

export function sesMail(m: MailSource): SesMail {
  const identity = m.source.includes('@') ? m.source.slice(m.source.lastIndexOf('@') + 1) : m.source;
  return {
    timestamp: m.sentAt.toISOString(),
    source: m.source,
    sourceArn: `arn:aws:ses:${m.region}:${m.account}:identity/${identity}`,
    sendingAccountId: m.account,
    messageId: m.sesMessageId,
    destination: m.destination,
    headersTruncated: m.headersTruncated,
    headers: m.headers,
    // SES gives the message its own Message-ID; commonHeaders names that one.
    commonHeaders: { ...m.commonHeaders, messageId: m.sesMessageId },
    tags: m.tags,
  };
}

export function sendEvent(mail: SesMail): SesEvent {
  return { eventType: 'Send', mail, send: {} };
}

export function deliveryEvent(mail: SesMail, recipients: string[], at: Date): SesEvent {
  const delivery: SesDelivery = {
    timestamp: at.toISOString(),
    processingTimeMillis: Math.max(0, at.getTime() - Date.parse(mail.timestamp)),
    recipients,
    smtpResponse: '250 2.6.0 Message received',
    reportingMTA: LOCAL_MTA,
    remoteMtaIp: LOCAL_MTA_IP,
  };
  // SES adds the address it sent from to the delivered mail's tags.
  return { eventType: 'Delivery', mail: { ...mail, tags: { ...mail.tags, 'ses:outgoing-ip': [LOCAL_MTA_IP] } }, delivery };
}

export interface BounceSpec {
  bounceType: BounceType;
  bounceSubType: string;
  status: string;
  diagnosticCode: string;
}

/** What the mailbox simulator and the inject command bounce with. */
export const BOUNCES = {
  userUnknown: { bounceType: 'Permanent', bounceSubType: 'General', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
  onSuppressionList: {
    bounceType: 'Permanent',
    bounceSubType: 'OnAccountSuppressionList',
    status: '5.1.1',
    diagnosticCode: 'Amazon SES did not send the message to this address because it is on the suppression list for your account.',
  },
  mailboxFull: { bounceType: 'Transient', bounceSubType: 'MailboxFull', status: '4.2.2', diagnosticCode: 'smtp; 452 4.2.2 mailbox full' },
} satisfies Record<string, BounceSpec>;

export function bounceEvent(mail: SesMail, recipients: string[], spec: BounceSpec, at: Date, feedbackId = sesStyleId(at)): SesEvent {
  return {
    eventType: 'Bounce',
    mail,
    bounce: {
      bounceType: spec.bounceType,
      bounceSubType: spec.bounceSubType,
      bouncedRecipients: recipients.map((emailAddress) => ({ emailAddress, action: 'failed', status: spec.status, diagnosticCode: spec.diagnosticCode })),
      timestamp: at.toISOString(),
      feedbackId,
      reportingMTA: `dsn; ${LOCAL_MTA}`,
    },
  };
}

export function complaintEvent(mail: SesMail, recipients: string[], at: Date, options: { userAgent: string; feedbackType?: string }, feedbackId = sesStyleId(at)): SesEvent {
  return {
    eventType: 'Complaint',
    mail,
    complaint: {
      complainedRecipients: recipients.map((emailAddress) => ({ emailAddress })),
      timestamp: at.toISOString(),
      feedbackId,
      userAgent: options.userAgent,
      complaintFeedbackType: options.feedbackType ?? 'abuse',
      arrivalDate: at.toISOString(),
    },
  };
}

