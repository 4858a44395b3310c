// Sending one email of ours through SES, once: recorded and claimed first (db/outbound-emails), our own
// Message-ID fixed at that moment, threading and loop headers set, the sent ids remembered for the thread.
import { randomUUID } from 'node:crypto';
import { SendRawEmailCommand } from '@aws-sdk/client-ses';
import { ApplicationFailure } from '@temporalio/activity';
import { markOutboundSent, releaseOutbound, reserveOutbound } from '../db/outbound-emails';
import { suppressionOf } from '../db/delivery-events';
import { recordThreadMessages } from '../db/threads';
import { OUTBOUND_MESSAGE_TAG, outboundMessageTag, suppressionRefusal } from '../domain/delivery-events';
import { LOOP_HEADER } from '../domain/mail-kind';
import { PermanentFault } from '../domain/permanent-faults';
import type { OutboundResult } from '../domain/inbound-steps';
import { composeEmail } from '../mail/compose-email';
import { ActivityDeps } from './deps';

export interface OutboundRequest {
  dedupeKey: string;
  kind: 'confirmation' | 'agent-comment' | 'sla-escalation' | 'follow-up-refusal' | 'rejection';
  /** Null for mail about no incident (a rejection): then it belongs to no thread. */
  incidentNumber: string | null;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html?: string;
  inReplyTo?: string | null;
  references?: string[];
  /** Auto-responses carry Auto-Submitted and count against the per-recipient limit. */
  autoResponse: boolean;
}


/** SES errors that no retry can fix: the recipient or the message is refused. */
const REJECTIONS = new Set(['MessageRejected', 'InvalidParameterValue', 'MailFromDomainNotVerifiedException']);

/** SES answered with an error, or could not be reached at all: nothing was sent. */
function certainlyNotSent(err: unknown): boolean {
  const e = err as { $metadata?: { httpStatusCode?: number }; code?: string };
  return Boolean(e.$metadata?.httpStatusCode) || ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(e.code ?? '');
}

/** Real SES replaces the Message-ID with <SES message id@region.amazonses.com>: replies name that one. */
export const sesThreadKey = (sesMessageId: string) => `ses:${sesMessageId}`;

/**
 * Mail SES accepted whose recording failed (PostgreSQL down at that moment), by dedupe key: the next
 * attempt in this process records it instead of sending it again. Only a process that dies in between
 * leaves the claim to be taken over and the mail resent.
 */
const acceptedUnrecorded = new Map<string, string>();

async function recordSent(pool: ActivityDeps['pool'], request: OutboundRequest, recordId: number, sesMessageId: string): Promise<void> {
  await markOutboundSent(pool, recordId, sesMessageId);
  acceptedUnrecorded.delete(request.dedupeKey);
  await recordOnThread(pool, request, [sesThreadKey(sesMessageId)]);
}

/** Our message ids on the incident's thread, so that replies naming them join it; mail about no incident has none. */
async function recordOnThread(pool: ActivityDeps['pool'], request: OutboundRequest, ids: string[]): Promise<void> {
  if (request.incidentNumber !== null) await recordThreadMessages(pool, request.incidentNumber, ids, 'outbound');
}

export type { OutboundResult };

export async function sendOutboundEmail({ pool, aws, config, sesSendRate }: ActivityDeps, request: OutboundRequest): Promise<OutboundResult> {
  const recipient = request.to[0].toLowerCase();
  // Never mail ourselves: that is how loops start.
  if ([...request.to, ...request.cc].some((a) => a.toLowerCase() === config.ticketAddress)) {
    return { sent: false, reason: 'recipient is our own address' };
  }
  // Delivery feedback: no automatic mail to an address that hard-bounced or complained.
  const suppressed = request.autoResponse ? suppressionRefusal(true, await suppressionOf(pool, recipient)) : null;
  if (suppressed) return { sent: false, reason: suppressed };
  // Before the claim: a send refused for the rate leaves nothing claimed, and one that waits holds no claim meanwhile.
  await sesSendRate?.turn(request.to.length + request.cc.length);
  const domain = config.ticketAddress.split('@')[1];
  const reservation = await reserveOutbound(
    pool,
    { dedupeKey: request.dedupeKey, kind: request.kind, incidentNumber: request.incidentNumber, recipient, subject: request.subject, messageId: `<${randomUUID()}@${domain}>` },
    request.autoResponse ? config.autoResponseLimit : null,
  );
  const { record } = reservation;
  const accepted = acceptedUnrecorded.get(request.dedupeKey);
  if (accepted && (reservation.outcome === 'claimed' || reservation.outcome === 'in-progress')) {
    await recordSent(pool, request, record.id, accepted);
    return { sent: true, messageId: record.messageId!, sesMessageId: accepted, alreadySent: true };
  }
  switch (reservation.outcome) {
    case 'already-sent':
      // An attempt that failed after sending may not have recorded the ids: record them (idempotent).
      await recordOnThread(pool, request, [record.messageId!.replace(/^<|>$/g, ''), sesThreadKey(record.sesMessageId!)]);
      return { sent: true, messageId: record.messageId!, sesMessageId: record.sesMessageId!, alreadySent: true };
    case 'in-progress':
      // Retried with backoff: the other attempt finishes, or its claim goes stale and this one sends.
      throw new Error(`another attempt started sending this email at ${record.sendStartedAt} and has not reported back yet`);
    case 'rate-limited':
      return { sent: false, reason: `rate limited: ${reservation.recent} auto-responses to ${recipient} in the window` };
  }
  const messageId = record.messageId!;
  // Known to the thread before it exists anywhere else: a reply can never name an unrecorded id of ours.
  await recordOnThread(pool, request, [messageId.replace(/^<|>$/g, '')]);
  const raw = await composeEmail({
    from: { address: config.ticketAddress, name: 'Support' },
    to: request.to,
    cc: request.cc,
    replyTo: config.ticketAddress,
    subject: request.subject,
    text: request.text,
    html: request.html,
    messageId,
    inReplyTo: request.inReplyTo,
    references: request.references,
    headers: {
      [LOOP_HEADER]: config.ticketAddress,
      ...(request.autoResponse ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {}),
    },
  });
  let sesMessageId: string;
  try {
    const sent = await aws.ses.send(
      new SendRawEmailCommand({
        Source: config.ticketAddress,
        Destinations: [...request.to, ...request.cc],
        RawMessage: { Data: raw },
        // Its events (send, delivery, bounce, complaint) come back tagged with our Message-ID's local part.
        ...(config.delivery.configurationSet
          ? { ConfigurationSetName: config.delivery.configurationSet, Tags: [{ Name: OUTBOUND_MESSAGE_TAG, Value: outboundMessageTag(messageId) }] }
          : {}),
      }),
    );
    sesMessageId = sent.MessageId!;
  } catch (err) {
    // A timeout or reset mid-request leaves the claim in place: SES may have accepted the mail.
    if (!certainlyNotSent(err)) throw err;
    const name = (err as Error).name;
    await releaseOutbound(pool, record.id, `${name}: ${(err as Error).message}`);
    if (REJECTIONS.has(name)) {
      throw ApplicationFailure.nonRetryable(`SES refused the email: ${name}: ${(err as Error).message}`, PermanentFault.OutboundRejected);
    }
    throw err;
  }
  acceptedUnrecorded.set(request.dedupeKey, sesMessageId);
  await recordSent(pool, request, record.id, sesMessageId);
  return { sent: true, messageId, sesMessageId, alreadySent: false };
}
