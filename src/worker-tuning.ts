// The worker's slots, cache and pollers as an operator set them (WORKER_* in the README's table); what
// is unset is left out, so the SDK's own defaults (which follow the machine's memory) apply.
import type { WorkerOptions } from '@temporalio/worker';
import type { Config } from './config';

type Tuning = Pick<
  WorkerOptions,
  | 'maxConcurrentWorkflowTaskExecutions'
  | 'maxConcurrentLocalActivityExecutions'
  | 'maxCachedWorkflows'
  | 'maxConcurrentWorkflowTaskPolls'
  | 'maxConcurrentActivityTaskPolls'
  | 'maxActivitiesPerSecond'
  | 'maxTaskQueueActivitiesPerSecond'
>;

export function sdkTuning(tuning: Config['worker']['tuning']): Tuning {
  const set: Tuning = {
    maxConcurrentWorkflowTaskExecutions: tuning.workflowTaskSlots,
    maxConcurrentLocalActivityExecutions: tuning.localActivitySlots,
    maxCachedWorkflows: tuning.workflowCacheSize,
    maxConcurrentWorkflowTaskPolls: tuning.workflowTaskPollers,
    maxConcurrentActivityTaskPolls: tuning.activityTaskPollers,
    // Regular activities only (the parse, the thread's steps): local ones, confirmations among them, are
    // not polled from the task queue. The SES send rate is kept where mail is sent (SES_MAX_SEND_RATE).
    maxActivitiesPerSecond: tuning.activitiesPerSecond,
    maxTaskQueueActivitiesPerSecond: tuning.taskQueueActivitiesPerSecond,
  };
  return Object.fromEntries(Object.entries(set).filter(([, value]) => value !== undefined)) as Tuning;
}
