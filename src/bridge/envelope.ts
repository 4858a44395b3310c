// Decodes one SQS message body into inbound-email notices. Accepts what AWS actually delivers:
// an SNS envelope or raw delivery of an SES receipt notification, and an S3 event notification.
import { verdictsFrom } from '../domain/spam-decision';
import { InboundEmailNotice, SesVerdicts } from '../domain/types';
import { isValidSesMessageId } from '../domain/workflow-ids';
import { senderAtStart } from './sender-at-start';
import { unwrapSnsMessage } from './sns-envelope';
import { isJsonObject, JsonObject } from '../domain/json-object';

/** One email to start, and the sender SES named (for the EmailSender search attribute), if it did. */
export interface ReceivedEmail {
  notice: InboundEmailNotice;
  senderAtStart?: string | null;
}

export type Envelope =
  | { kind: 'emails'; emails: ReceivedEmail[] }
  /** Not an email and not an error (an S3 test event, an SNS subscription confirmation). */
  | { kind: 'ignore'; reason: string }
  | { kind: 'malformed'; reason: string };

export interface InboundLocation {
  bucket: string;
  prefix: string;
}


function verdictStatus(receipt: JsonObject, name: string): unknown {
  const verdict = receipt[name];
  return isJsonObject(verdict) ? verdict.status : undefined;
}

function fromSesNotification(notification: JsonObject, inbound: InboundLocation): Envelope {
  const mail = notification.mail;
  const receipt = notification.receipt;
  if (!isJsonObject(mail) || !isJsonObject(receipt)) return { kind: 'malformed', reason: 'SES notification without mail or receipt' };
  const sesMessageId = mail.messageId;
  if (typeof sesMessageId !== 'string' || !isValidSesMessageId(sesMessageId)) {
    return { kind: 'malformed', reason: `SES notification with an invalid mail.messageId: ${JSON.stringify(sesMessageId)?.slice(0, 80)}` };
  }
  const action = isJsonObject(receipt.action) ? receipt.action : {};
  // An S3Action names the object; an SNSAction (the seed's two-action rule) does not, but the
  // S3Action beside it stored the email at prefix + message id.
  const bucket = action.type === 'S3' && typeof action.bucketName === 'string' ? action.bucketName : inbound.bucket;
  const key = action.type === 'S3' && typeof action.objectKey === 'string' ? action.objectKey : inbound.prefix + sesMessageId;
  const verdicts: SesVerdicts = verdictsFrom({
    spam: verdictStatus(receipt, 'spamVerdict'),
    virus: verdictStatus(receipt, 'virusVerdict'),
    spf: verdictStatus(receipt, 'spfVerdict'),
    dkim: verdictStatus(receipt, 'dkimVerdict'),
    dmarc: verdictStatus(receipt, 'dmarcVerdict'),
  });
  // Bounded: the notice goes into history (SES accepts at most 100 recipients per message anyway).
  const recipients = Array.isArray(receipt.recipients)
    ? receipt.recipients.filter((r): r is string => typeof r === 'string' && r.length <= 254).slice(0, 100)
    : undefined;
  const receivedAt = typeof mail.timestamp === 'string' ? mail.timestamp : undefined;
  // The envelope sender SPF was checked for: a sender's alignment with its From domain is judged on it.
  const mailFrom = typeof mail.source === 'string' && mail.source.length <= 254 ? mail.source : undefined;
  const notice: InboundEmailNotice = { sesMessageId, bucket, key, verdicts, recipients, receivedAt, ...(mailFrom ? { mailFrom } : {}) };
  return { kind: 'emails', emails: [{ notice, senderAtStart: senderAtStart(mail) }] };
}

function fromS3Event(event: JsonObject, inbound: InboundLocation): Envelope {
  const records = event.Records as unknown[];
  const emails: ReceivedEmail[] = [];
  for (const record of records) {
    if (!isJsonObject(record) || record.eventSource !== 'aws:s3') return { kind: 'malformed', reason: 'S3 event record of another source' };
    if (typeof record.eventName === 'string' && !record.eventName.startsWith('ObjectCreated:')) continue;
    const s3 = isJsonObject(record.s3) ? record.s3 : {};
    const bucket = isJsonObject(s3.bucket) ? s3.bucket.name : undefined;
    const rawKey = isJsonObject(s3.object) ? s3.object.key : undefined;
    if (typeof bucket !== 'string' || typeof rawKey !== 'string') return { kind: 'malformed', reason: 'S3 event without bucket or key' };
    // S3 event keys are URL-encoded with '+' for spaces.
    let key: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    } catch {
      return { kind: 'malformed', reason: `S3 event with an undecodable key: ${rawKey.slice(0, 80)}` };
    }
    // Event notifications on the whole bucket also report our own writes (parsed/<id>/...): only objects
    // the receipt rule stored, in the inbound bucket under its prefix, are emails.
    if (bucket !== inbound.bucket || !key.startsWith(inbound.prefix) || key.slice(inbound.prefix.length).includes('/')) continue;
    const sesMessageId = key.slice(key.lastIndexOf('/') + 1);
    if (!isValidSesMessageId(sesMessageId)) return { kind: 'malformed', reason: `S3 object key does not end in an SES message id: ${key.slice(0, 120)}` };
    // No verdicts in an S3 event: the workflow reads the ones SES wrote into the stored headers.
    emails.push({ notice: { sesMessageId, bucket, key } });
  }
  if (emails.length === 0) return { kind: 'ignore', reason: 'S3 event without new inbound emails' };
  return { kind: 'emails', emails };
}

function fromNotification(payload: unknown, inbound: InboundLocation): Envelope {
  if (!isJsonObject(payload)) return { kind: 'malformed', reason: 'notification is not a JSON object' };
  if (payload.notificationType === 'Received' || payload.eventType === 'Received') return fromSesNotification(payload, inbound);
  if (typeof payload.notificationType === 'string' || typeof payload.eventType === 'string') {
    // Send/Bounce/Complaint/Delivery feedback about mail we sent: not inbound email (it has its own queue).
    return { kind: 'ignore', reason: `SES ${String(payload.notificationType ?? payload.eventType).slice(0, 40)} notification is not inbound email` };
  }
  if (payload.Event === 's3:TestEvent') return { kind: 'ignore', reason: 'S3 test event' };
  if (Array.isArray(payload.Records)) return fromS3Event(payload, inbound);
  return { kind: 'malformed', reason: 'neither an SES receipt notification nor an S3 event' };
}

/** SQS body -> notices. Never throws: anything it cannot use comes back as malformed with the reason. */
export function decodeEnvelope(body: string | undefined, inbound: InboundLocation): Envelope {
  const unwrapped = unwrapSnsMessage(body);
  return unwrapped.kind === 'payload' ? fromNotification(unwrapped.payload, inbound) : unwrapped;
}
