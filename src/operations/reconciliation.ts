// The ledger's Schedule, made or brought up to date by `setup` and `stack up` (idempotently), and one
// reconciliation run now (`email-to-ticket reconcile`).
import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Config, ReconcileSettings } from '../config';
import { RECONCILIATION_SCHEDULE_ID, reconciliationWorkflowId } from '../domain/workflow-ids';
import { encryptingDataConverter } from '../encryption/data-converter';
import { connectionOptions } from '../temporal-connection';
import { reconciliation, ReconciliationInput, ReconciliationResult } from '../workflows';

function scheduleOptions(taskQueue: string, settings: ReconcileSettings) {
  const every = settings.intervalMinutes * 60_000;
  return {
    spec: { intervals: [{ every }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: reconciliation,
      workflowId: RECONCILIATION_SCHEDULE_ID,
      taskQueue,
      args: [{ windowMs: settings.windowMs, graceMs: settings.graceMs }] as [ReconciliationInput],
    },
    policies: {
      // One at a time; a run missed while Temporal was down is not made up run by run: the next one looks
      // back over the whole window anyway.
      overlap: ScheduleOverlapPolicy.SKIP,
      catchupWindow: every,
    },
  };
}

/** Creates the Schedule, or sets an existing one to these settings. */
export async function ensureReconciliationSchedule(client: Client, taskQueue: string, settings: ReconcileSettings): Promise<'created' | 'updated'> {
  const options = scheduleOptions(taskQueue, settings);
  try {
    await client.schedule.create({ scheduleId: RECONCILIATION_SCHEDULE_ID, ...options });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID).update((previous) => ({ ...previous, ...options }));
  return 'updated';
}

/** The same from a configuration alone (`stack up`, which has no Deployment): connects, ensures, closes. */
export async function ensureReconciliationScheduleFor(config: Config): Promise<'created' | 'updated'> {
  const connection = await Connection.connect({ ...connectionOptions(config.temporal), connectTimeout: 10_000 });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: encryptingDataConverter(config.customerData.payloadKeys) });
    return await ensureReconciliationSchedule(client, config.temporal.taskQueue, config.reconcile);
  } finally {
    await connection.close();
  }
}

/** Runs one reconciliation now and waits for its result (across continue-as-new). */
export async function reconcileNow(client: Client, taskQueue: string, input: ReconciliationInput): Promise<ReconciliationResult & { workflowId: string }> {
  const workflowId = reconciliationWorkflowId(new Date());
  const result = await client.workflow.execute(reconciliation, { workflowId, taskQueue, args: [input] });
  return { workflowId, ...result };
}
