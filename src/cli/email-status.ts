// `status ID` and `wait ID`: where an inbound email is now, asked of its workflow.
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { inboundEmailWorkflowId } from '../domain/workflow-ids';
import { EmailStatus } from '../domain/types';

export interface EmailStatusView extends EmailStatus {
  workflowId: string;
  /** RUNNING, COMPLETED, FAILED, ... or NOT_FOUND when the bridge has not started it (yet). */
  workflowStatus: string;
}

export async function emailStatus(client: Client, sesMessageId: string): Promise<EmailStatusView> {
  const workflowId = inboundEmailWorkflowId(sesMessageId);
  const handle = client.workflow.getHandle(workflowId);
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      return { workflowId, workflowStatus: 'NOT_FOUND', stage: 'received', incidentNumber: null, reason: 'not started yet' };
    }
    throw err;
  }
  const workflowStatus = description.status.name;
  if (workflowStatus === 'COMPLETED') return { workflowId, workflowStatus, ...((await handle.result()) as EmailStatus) };
  if (workflowStatus === 'RUNNING') return { workflowId, workflowStatus, ...(await handle.query<EmailStatus>('status')) };
  return { workflowId, workflowStatus, stage: 'failed', incidentNumber: null, reason: `workflow ${workflowStatus.toLowerCase()}` };
}

/** Done: the workflow has closed, or the email waits in quarantine for an admin. */
export const isSettled = (s: EmailStatusView) => (s.workflowStatus !== 'RUNNING' && s.workflowStatus !== 'NOT_FOUND') || s.stage === 'quarantined';

export async function waitForEmail(
  client: Client,
  sesMessageId: string,
  timeoutMs: number,
  until: (s: EmailStatusView) => boolean = isSettled,
): Promise<EmailStatusView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await emailStatus(client, sesMessageId);
    if (until(status)) return status;
    if (Date.now() > deadline) {
      throw new Error(`Email ${sesMessageId} not settled after ${Math.round(timeoutMs / 1000)} s: stage ${status.stage} (${status.workflowStatus})`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
