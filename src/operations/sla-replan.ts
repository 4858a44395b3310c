// Re-planning the open clocks when the SLA policy changes: a worker that starts with a policy other than
// the one the clocks were last planned on starts the re-plan (once per policy: the workflow id names it),
// and `sla replan` starts it by hand.
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Pool } from 'pg';
import { Config } from '../config';
import { latestSlaPolicy, recordSlaPolicy } from '../db/sla';
import { slaReplanWorkflowId } from '../domain/workflow-ids';
import { slaReplan } from '../workflows';

export type ReplanStart = 'unchanged' | 'first policy' | 'started' | 'already started';

/** Starts the re-plan of every open clock on this policy; a second start of the same one is a no-op. */
export async function startSlaReplan(client: Client, taskQueue: string, sla: Config['sla'], workflowId = slaReplanWorkflowId(sla.fingerprint)): Promise<'started' | 'already started'> {
  try {
    await client.workflow.start(slaReplan, { workflowId, taskQueue, args: [{ fingerprint: sla.fingerprint }] });
    return 'started';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already started';
    throw err;
  }
}

/**
 * At a worker's start: the policy is recorded, and when the open clocks were planned on another, they are
 * re-planned. The re-plan starts before the policy is recorded, so a failure in between starts it again.
 */
export async function replanSlaIfChanged(client: Client, pool: Pool, taskQueue: string, sla: Config['sla']): Promise<ReplanStart> {
  const latest = await latestSlaPolicy(pool);
  if (latest === sla.fingerprint) return 'unchanged';
  const result = latest === null ? 'first policy' : await startSlaReplan(client, taskQueue, sla);
  await recordSlaPolicy(pool, sla.fingerprint, sla.policy);
  return result;
}
