// `stuck`: inbound emails whose workflow is still running after a while, and not because an admin has
// to decide (quarantine): with their stage and what they are retrying. The same query works in the UI.
import { Client } from '@temporalio/client';
import { EMAIL_SENDER, EMAIL_STAGE } from '../domain/search-attributes';
import { INBOUND_EMAIL_WORKFLOW_ID_PREFIX } from '../domain/workflow-ids';
import { PendingActivityView, pendingActivityOf } from '../operations/email-status';
import { inboundEmail } from '../workflows';

export interface StuckEmail {
  sesMessageId: string;
  workflowId: string;
  startedAt: string;
  stage: string | null;
  sender: string | null;
  pendingActivity: PendingActivityView | null;
}

/** The visibility query: also what to paste into the Temporal UI's search box. */
export function stuckQuery(olderThan: Date, senderTerm?: string): string {
  const sender = senderTerm ? ` AND ${senderTerm}` : '';
  return `WorkflowType = '${inboundEmail.name}' AND ExecutionStatus = 'Running' AND StartTime < '${olderThan.toISOString()}' AND ${EMAIL_STAGE.name} != 'quarantined'${sender}`;
}

export function parseDuration(text: string): number {
  const match = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!match) throw new Error(`Not a duration: "${text}" (e.g. 30s, 5m, 2h, 1d)`);
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

/** `senderTerm`: only one sender's emails (emails-by-sender.ts computes it from the address). */
export async function findStuckEmails(client: Client, olderThanMs: number, senderTerm?: string, limit = 500): Promise<StuckEmail[]> {
  const stuck: StuckEmail[] = [];
  for await (const execution of client.workflow.list({ query: stuckQuery(new Date(Date.now() - olderThanMs), senderTerm) })) {
    const description = await client.workflow.getHandle(execution.workflowId).describe();
    stuck.push({
      sesMessageId: execution.workflowId.slice(INBOUND_EMAIL_WORKFLOW_ID_PREFIX.length),
      workflowId: execution.workflowId,
      startedAt: execution.startTime.toISOString(),
      stage: execution.typedSearchAttributes.get(EMAIL_STAGE) ?? null,
      sender: execution.typedSearchAttributes.get(EMAIL_SENDER) ?? null,
      pendingActivity: await pendingActivityOf(client, description),
    });
    if (stuck.length >= limit) break;
  }
  return stuck;
}
