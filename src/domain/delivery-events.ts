// Delivery feedback: what SES tells us about the mail we sent (its configuration set's send, delivery,
// bounce and complaint events), read into a small bounded record. The text in a bounce or complaint was
// written by whichever mail server answered: it is cut to size and stripped of control characters.
import { createHash } from 'node:crypto';
import { normaliseAddress } from './participants';
import { oneLine } from './short-description';
import { isValidSesMessageId } from './workflow-ids';
import { isJsonObject, JsonObject } from './json-object';
import type { DeliveryReportRecipient } from './types';

export type DeliveryEventType = 'send' | 'delivery' | 'bounce' | 'complaint';

export interface DeliveryEvent {
  /** The same for the same event however often it is delivered: its workflow id and its record's key. */
  key: string;
  type: DeliveryEventType;
  sesMessageId: string;
  /** The local part of our Message-ID, from the message tag we send it with: names our outbound record. */
  outboundMessage: string | null;
  /** When it happened, by SES (ISO 8601). */
  occurredAt: string;
  /** The recipients it is about (all destinations for a Send), lower-cased. */
  recipients: string[];
  /** Bounces only: Permanent, Transient or Undetermined, and SES's subtype. */
  bounceType?: 'Permanent' | 'Transient' | 'Undetermined';
  bounceSubType?: string;
  /** The remote server's words: the diagnostic code, the SMTP answer, the complaint's feedback type. */
  detail?: string;
}

export type ParsedDeliveryEvent =
  | { kind: 'event'; event: DeliveryEvent }
  /** SES's other events (Open, Click, Reject, DeliveryDelay, ...): nothing to record. */
  | { kind: 'ignore'; reason: string }
  | { kind: 'malformed'; reason: string };

/** The message tag our outbound mail carries (src/activities/outbound-mail.ts). */
export const OUTBOUND_MESSAGE_TAG = 'outbound-message';

/** The tag's value for our Message-ID <uuid@domain>: the uuid, which SES allows in a tag. */
export function outboundMessageTag(messageId: string): string {
  return messageId.replace(/^<|>$/g, '').split('@')[0].replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

const MAX_RECIPIENTS = 50;
const MAX_ADDRESS = 254;
const MAX_DETAIL = 500;


/** Printable text, one line, bounded: what the admin page and the CLI show. */
export function boundedDetail(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = oneLine(value.slice(0, MAX_DETAIL * 2));
  return text ? text.slice(0, MAX_DETAIL) : undefined;
}

function address(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > MAX_ADDRESS) return null;
  // SES writes a bare address; a display name ("Name <a@b>") is unwrapped.
  return normaliseAddress(/<([^<>]+)>\s*$/.exec(value)?.[1] ?? value);
}

function addresses(values: unknown, pick: (v: unknown) => unknown = (v) => v): string[] {
  if (!Array.isArray(values)) return [];
  const found = new Set<string>();
  for (const value of values.slice(0, MAX_RECIPIENTS)) {
    const a = address(pick(value));
    if (a) found.add(a);
  }
  return [...found];
}

function timestamp(...candidates: unknown[]): string | null {
  for (const c of candidates) {
    if (typeof c !== 'string' || c.length > 64) continue;
    const ms = Date.parse(c);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  return null;
}

function taggedOutboundMessage(mail: JsonObject): string | null {
  const tags = isJsonObject(mail.tags) ? mail.tags : {};
  const values = tags[OUTBOUND_MESSAGE_TAG];
  const value = Array.isArray(values) ? values[0] : undefined;
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : null;
}

const TYPES: Record<string, DeliveryEventType> = { Send: 'send', Delivery: 'delivery', Bounce: 'bounce', Complaint: 'complaint' };

/**
 * One SES event (event publishing's `eventType`, or an identity notification's `notificationType`) into a
 * DeliveryEvent. Never throws.
 */
export function parseDeliveryEvent(payload: unknown): ParsedDeliveryEvent {
  if (!isJsonObject(payload)) return { kind: 'malformed', reason: 'SES event is not a JSON object' };
  const name = typeof payload.eventType === 'string' ? payload.eventType : payload.notificationType;
  if (typeof name !== 'string') return { kind: 'malformed', reason: 'neither eventType nor notificationType: not an SES event' };
  const type = TYPES[name];
  if (!type) return { kind: 'ignore', reason: `SES ${name.slice(0, 40)} event: not recorded` };
  const mail = payload.mail;
  if (!isJsonObject(mail)) return { kind: 'malformed', reason: `SES ${name} event without mail` };
  const sesMessageId = mail.messageId;
  if (typeof sesMessageId !== 'string' || !isValidSesMessageId(sesMessageId)) {
    return { kind: 'malformed', reason: `SES ${name} event with an invalid mail.messageId: ${JSON.stringify(sesMessageId)?.slice(0, 80)}` };
  }
  const detailOf = (key: string): JsonObject => (isJsonObject(payload[key]) ? (payload[key] as JsonObject) : {});
  let event: Omit<DeliveryEvent, 'key'>;
  const common = { sesMessageId, outboundMessage: taggedOutboundMessage(mail) };
  switch (type) {
    case 'send':
      event = { ...common, type, occurredAt: timestamp(mail.timestamp) ?? '', recipients: addresses(mail.destination) };
      break;
    case 'delivery': {
      const d = detailOf('delivery');
      event = { ...common, type, occurredAt: timestamp(d.timestamp, mail.timestamp) ?? '', recipients: addresses(d.recipients), detail: boundedDetail(d.smtpResponse) };
      break;
    }
    case 'bounce': {
      const b = detailOf('bounce');
      const bounced = Array.isArray(b.bouncedRecipients) ? b.bouncedRecipients : [];
      const bounceType = b.bounceType === 'Permanent' || b.bounceType === 'Transient' ? b.bounceType : 'Undetermined';
      const first = isJsonObject(bounced[0]) ? bounced[0] : {};
      event = {
        ...common,
        type,
        occurredAt: timestamp(b.timestamp, mail.timestamp) ?? '',
        recipients: addresses(bounced, (r) => (isJsonObject(r) ? r.emailAddress : undefined)),
        bounceType,
        bounceSubType: boundedDetail(b.bounceSubType)?.slice(0, 64),
        detail: boundedDetail(first.diagnosticCode) ?? boundedDetail(first.status),
      };
      break;
    }
    case 'complaint': {
      const c = detailOf('complaint');
      event = {
        ...common,
        type,
        occurredAt: timestamp(c.timestamp, mail.timestamp) ?? '',
        recipients: addresses(c.complainedRecipients, (r) => (isJsonObject(r) ? r.emailAddress : undefined)),
        detail: boundedDetail(c.complaintFeedbackType),
      };
      break;
    }
  }
  if (!event.occurredAt) return { kind: 'malformed', reason: `SES ${name} event without a valid timestamp` };
  if (event.recipients.length === 0) return { kind: 'malformed', reason: `SES ${name} event names no recipient address` };
  return { kind: 'event', event: { ...event, key: eventKey(event) } };
}

/** From what the event says, not from how it came: SES may publish one event twice, SNS deliver it twice. */
function eventKey(e: Omit<DeliveryEvent, 'key'>): string {
  const digest = createHash('sha256').update(JSON.stringify([e.type, e.sesMessageId, e.occurredAt, [...e.recipients].sort(), e.bounceType ?? ''])).digest('hex');
  return `${e.type}-${digest.slice(0, 24)}`;
}

export interface Suppression {
  address: string;
  reason: 'bounce' | 'complaint';
  detail: string;
}

/**
 * Which addresses get no more automatic mail because of this event: a hard bounce (the mailbox does not
 * exist, or SES's own suppression list holds it) and a complaint, unless the complaint says "not spam".
 * A soft bounce (mailbox full, server down) suppresses nothing: SES retried it already and may succeed next time.
 */
export function suppressionsFrom(event: DeliveryEvent): Suppression[] {
  if (event.type === 'bounce' && event.bounceType === 'Permanent') {
    const detail = `hard bounce (${event.bounceSubType ?? 'General'})${event.detail ? `: ${event.detail}` : ''}`;
    return event.recipients.map((address) => ({ address, reason: 'bounce', detail }));
  }
  if (event.type === 'complaint' && event.detail !== 'not-spam') {
    const detail = `complaint${event.detail ? ` (${event.detail})` : ''}: the recipient marked our mail as spam`;
    return event.recipients.map((address) => ({ address, reason: 'complaint', detail }));
  }
  return [];
}

/** A delivery proves a bounced address works again (a complaint stays: the person asked for no mail). */
export const liftsBounceSuppression = (event: DeliveryEvent): boolean => event.type === 'delivery';

/** What an outbound message's recipient last came to, from its events. */
export type DeliveryStatus = 'not sent' | 'sent' | 'delivered' | 'soft-bounced' | 'bounced' | 'complained';

const RANK: Record<DeliveryStatus, number> = { 'not sent': 0, sent: 1, 'soft-bounced': 2, delivered: 3, bounced: 4, complained: 5 };

export function deliveryStatus(sent: boolean, events: { type: DeliveryEventType; bounceType?: DeliveryEvent['bounceType'] | null }[]): DeliveryStatus {
  let status: DeliveryStatus = sent ? 'sent' : 'not sent';
  for (const e of events) {
    const s: DeliveryStatus =
      e.type === 'send' ? 'sent' : e.type === 'delivery' ? 'delivered' : e.type === 'complaint' ? 'complained' : e.bounceType === 'Permanent' ? 'bounced' : 'soft-bounced';
    if (RANK[s] > RANK[status]) status = s;
  }
  return status;
}

/**
 * Automatic mail (a confirmation, an auto-response) is not sent to a suppressed address; mail an agent
 * wrote is, and the agent sees the suppression beside it. Returns why it is not sent, or null.
 */
export function suppressionRefusal(automatic: boolean, suppressed: { reason: string; detail: string; suppressedAt: string } | null): string | null {
  if (!automatic || !suppressed) return null;
  return `recipient suppressed since ${suppressed.suppressedAt}: ${suppressed.detail}`;
}

/**
 * What a bounce that came to our inbound address (a mail server's delivery report) says about our
 * message sent to `recipient`, or null when it says nothing of a failure or delay for that address.
 * Only the recipient the message was sent to is ever read from the report: whoever can name our
 * (unguessable) Message-ID received that message, and may speak of its delivery to that address only,
 * never of another one. It is shown, never a suppression: SES reports a real bounce itself (and that
 * suppresses), while this mail is from an unauthenticated stranger as far as we can tell.
 *   failed -> Permanent (shown 'bounced'); delayed -> Transient ('soft-bounced'); no Action: by the
 *   Status class (5 Permanent, 4 Transient), else Undetermined; delivered, relayed, expanded -> nothing.
 */
export function reportedDelivery(report: readonly DeliveryReportRecipient[], recipient: string): { bounceType: NonNullable<DeliveryEvent['bounceType']>; detail: string } | null {
  const address = normaliseAddress(recipient);
  const entry = address === null ? undefined : report.find((r) => r.address === address);
  if (!entry || entry.action === 'delivered' || entry.action === 'relayed' || entry.action === 'expanded') return null;
  const bounceType =
    entry.action === 'failed' ? 'Permanent' : entry.action === 'delayed' ? 'Transient' : entry.status?.startsWith('5') ? 'Permanent' : entry.status?.startsWith('4') ? 'Transient' : 'Undetermined';
  const detail = boundedDetail([entry.status, entry.diagnostic].filter((v) => v).join(' ')) ?? 'no diagnostic given';
  return { bounceType, detail };
}

/** The key of a report's event about one outbound message: the same report recorded twice is recorded once. */
export function reportEventKey(reportedBy: string, outboundId: number, recipient: string): string {
  return `report-${createHash('sha256').update(JSON.stringify([reportedBy, outboundId, recipient])).digest('hex').slice(0, 24)}`;
}
