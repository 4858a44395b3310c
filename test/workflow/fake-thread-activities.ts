// Activities of the incident-thread workflow for workflow tests: every call recorded, with scripted
// answers for "send to customer" (sent, not sent, refused by SES, a transient failure first).
import { ApplicationFailure } from '@temporalio/common';
import { PermanentFault } from '../../src/domain/permanent-faults';
import type { CustomerReply } from '../../src/domain/thread-events';

export interface ThreadScript {
  /** Comment ids SES refuses (sendAgentComment throws OutboundRejected, non-retryable). */
  refuse?: string[];
  /** Comment ids the activity decides not to send ({ sent: false }), e.g. the recipient is our own address. */
  notSent?: string[];
  /** Comment ids whose first send attempt fails with a transient error. */
  flaky?: string[];
}

export interface SendRequest {
  incidentNumber: string;
  commentKey: string;
  body: string;
  inReplyTo: string | null;
  references: string[];
}

export function fakeThreadActivities(script: ThreadScript = {}) {
  const log: string[] = [];
  let closed = false;
  const sent: SendRequest[] = [];
  const notSent: { commentKey: string; reason: string }[] = [];
  const attempts = new Map<string, number>();
  const entry = (source: 'email' | 'agent' | 'note', text: string) => ({ source, author: 'x', excerpt: text, at: '2026-01-01T00:00:00Z' });
  return {
    log,
    sent,
    notSent,
    activities: {
      async appendCustomerReply({ reply }: { reply: CustomerReply }) {
        log.push(`reply:${reply.id}`);
        return entry('email', reply.id);
      },
      async addAgentComment({ comment }: { comment: { id: string } }) {
        log.push(`comment:${comment.id}`);
        return entry('agent', comment.id);
      },
      async sendAgentComment(input: SendRequest) {
        const attempt = (attempts.get(input.commentKey) ?? 0) + 1;
        attempts.set(input.commentKey, attempt);
        log.push(`send:${input.commentKey}`);
        if (script.flaky?.includes(input.commentKey) && attempt === 1) throw new Error('SES throttled');
        if (script.refuse?.includes(input.commentKey)) {
          throw ApplicationFailure.nonRetryable('SES refused the email: InvalidParameterValue: Missing domain', PermanentFault.OutboundRejected);
        }
        if (script.notSent?.includes(input.commentKey)) return { sent: false as const, reason: 'recipient is our own address' };
        sent.push(input);
        return { sent: true as const, messageId: `<out-${input.commentKey}@ours>`, sesMessageId: 's', alreadySent: false };
      },
      async addThreadNote({ note }: { note: { id: string } }) {
        log.push(`note:${note.id}`);
        return entry('note', note.id);
      },
      async appendAlert({ alert }: { alert: { id: string; recovery: boolean } }) {
        log.push(`alert:${alert.id}${alert.recovery ? ':recovery' : ''}`);
        return entry('email', alert.id);
      },
      async setThreadState({ state }: { state: string }) {
        log.push(`state:${state}`);
        closed = state === 'closed';
      },
      async loadThreadStart() {
        return { closed, references: closed ? ['from-database@customer.example'] : [] };
      },
      async recordCommentNotSent(input: { commentKey: string; reason: string }) {
        log.push(`not-sent:${input.commentKey}`);
        notSent.push(input);
      },
    },
  };
}

export const reply = (id: string, messageId = `${id}@customer.example`): CustomerReply => ({
  type: 'customer-reply',
  id,
  bucket: 'b',
  key: `inbound/${id}`,
  from: { address: 'anna@customer.example', name: 'Anna' },
  messageId,
  cc: [],
  via: 'references',
});
