// The inbound queue's work: each message names stored emails (an SES receipt notification or an S3
// event); each email starts its inbound-email workflow.
import { Client } from '@temporalio/client';
import { inboundEmailWorkflowId } from '../domain/workflow-ids';
import type { QueueWork } from './consumer';
import { decodeEnvelope, InboundLocation, ReceivedEmail } from './envelope';
import { InboundStartSettings, startInboundEmail } from './start-inbound-email';

export function inboundEmailWork(temporal: Client, settings: InboundStartSettings, inbound: InboundLocation): QueueWork<ReceivedEmail> {
  return {
    what: 'inbound-email',
    decode(body) {
      const envelope = decodeEnvelope(body, inbound);
      return envelope.kind === 'emails' ? { kind: 'items', items: envelope.emails } : envelope;
    },
    async start(email) {
      const { sesMessageId } = email.notice;
      const result = await startInboundEmail(temporal, settings, email);
      return { result, logged: { sesMessageId, workflowId: inboundEmailWorkflowId(sesMessageId) } };
    },
  };
}
