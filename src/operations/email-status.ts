// Where an inbound email is now, asked of its workflow (`status ID`, `wait ID`, the quarantine decisions).
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { inboundEmailWorkflowId } from '../domain/workflow-ids';
import { EmailStatus } from '../domain/types';
import { inboundEmail, statusQuery } from '../workflows';

export interface PendingActivityView {
  activityType: string;
  attempt: number;
  /** SCHEDULED, STARTED, ... */
  state: string;
  lastFailure: string | null;
}

export interface EmailStatusView extends EmailStatus {
  workflowId: string;
  /** RUNNING, COMPLETED, FAILED, ... or NOT_FOUND when the bridge has not started it (yet). */
  workflowStatus: string;
  /** What the workflow is doing now, when it waits on an activity (retrying: attempt > 1, last failure). */
  pendingActivity: PendingActivityView | null;
}

type Description = Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['describe']>>;

/** The activity a workflow waits on; its last failure's message decoded (failure messages are encrypted). */
export async function pendingActivityOf(client: Client, description: Description): Promise<PendingActivityView | null> {
  const pending = description.raw.pendingActivities?.[0];
  if (!pending) return null;
  const lastFailure = await decodeOptionalFailureToOptionalError(client.options.loadedDataConverter, pending.lastFailure).catch(() => undefined);
  const stateName = pending.state != null ? temporal.api.enums.v1.PendingActivityState[pending.state] : undefined;
  return {
    activityType: pending.activityType?.name ?? 'unknown',
    attempt: pending.attempt ?? 1,
    state: String(stateName ?? 'UNKNOWN').replace('PENDING_ACTIVITY_STATE_', ''),
    lastFailure: lastFailure?.message ?? pending.lastFailure?.message ?? null,
  };
}

export async function emailStatus(client: Client, sesMessageId: string): Promise<EmailStatusView> {
  const workflowId = inboundEmailWorkflowId(sesMessageId);
  const handle = client.workflow.getHandle<typeof inboundEmail>(workflowId);
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      return { workflowId, workflowStatus: 'NOT_FOUND', stage: 'received', incidentNumber: null, reason: 'not started yet', pendingActivity: null };
    }
    throw err;
  }
  const workflowStatus = description.status.name;
  const pendingActivity = await pendingActivityOf(client, description);
  if (workflowStatus === 'COMPLETED') return { workflowId, workflowStatus, pendingActivity, ...(await handle.result()) };
  if (workflowStatus === 'RUNNING') return { workflowId, workflowStatus, pendingActivity, ...(await handle.query(statusQuery)) };
  return { workflowId, workflowStatus, pendingActivity, stage: 'failed', incidentNumber: null, reason: `workflow ${workflowStatus.toLowerCase()}` };
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
