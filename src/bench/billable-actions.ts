// Temporal Cloud billable actions of one workflow run, counted from its event history by the published rules:
//   https://docs.temporal.io/cloud/actions (source: github.com/temporalio/documentation docs/evaluate/cloud/actions.mdx)
// - Workflow started (client start, continue-as-new's new run, child start): 1 (EVENT_TYPE_WORKFLOW_EXECUTION_STARTED).
//   Signal-with-start is 1 in all, whether or not it starts the workflow: a start immediately followed by the
//   signal it came with (events 1 and 2) counts once. A continued-as-new event is not counted (the new run's start is).
// - Activity scheduled: 1 each; retries: ActivityTaskStarted.attempt - 1 ("the first attempt is not a retry").
// - Local activities: all of one workflow task count 1 (MarkerRecorded events of the local-activity marker,
//   grouped by workflowTaskCompletedEventId); their retries: WorkflowTaskCompleted.meteringMetadata
//   .nonfirstLocalActivityExecutionAttempts. (Workflow task heartbeats also count; they are not in history.)
// - Timer started: 1 (including the implicit timer of condition() with a timeout).
// - Signal received: 1 (WorkflowExecutionSignaled). Signalling another workflow is billed in the *signalled*
//   workflow's history, not in the signaller's (SignalExternalWorkflowExecutionInitiated: 0 here).
// - Start child workflow initiated: 2 ("one for durably storing the intent ... and one for the attempt").
// - UpsertWorkflowSearchAttributes: 1 per command, except one that only sets TemporalChangeVersion.
// - Workflow execution options updated, update accepted, Nexus operation scheduled / cancel requested: 1.
// - Reset: WorkflowTaskFailed with cause RESET_WORKFLOW: 1.
// - Memo upserts (WorkflowPropertiesModified) are not on the list: counted apart, not billed.
// - Queries (not in history) are billed too: the benchmark sends none.
import { temporal } from '@temporalio/proto';

const E = temporal.api.enums.v1.EventType;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export const BILLING_RULES_SOURCE = 'https://docs.temporal.io/cloud/actions';
/** sdk-core's marker name for local activities (Go and Java write 'LocalActivity'). */
const LOCAL_ACTIVITY_MARKERS = new Set(['core_local_activity', 'LocalActivity']);

export interface ActionCount {
  total: number;
  /** Actions by rule: workflowStarted, activities, activityRetries, localActivityTasks, ... */
  byRule: Record<string, number>;
  /** Not billed, reported for completeness. */
  memoUpserts: number;
  /** Signals this run sent to other workflows (billed in their histories). */
  signalsSent: number;
}

export function countBillableActions(events: HistoryEvent[], opts: { signalActivityTypes?: string[] } = {}): ActionCount {
  const byRule: Record<string, number> = {};
  const add = (rule: string, n = 1) => {
    if (n > 0) byRule[rule] = (byRule[rule] ?? 0) + n;
  };
  const localActivityTasks = new Set<string>();
  let memoUpserts = 0;
  let signalsSent = 0;
  const signalActivities = new Set(opts.signalActivityTypes ?? []);
  events.forEach((event, i) => {
    switch (event.eventType) {
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        add('workflowStarted');
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: {
        // Signal-with-start that started this run: one action for both events.
        const withStart = i === 1 && events[0].eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED;
        if (!withStart) add('signalsReceived');
        break;
      }
      case E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        add('activities');
        if (signalActivities.has(event.activityTaskScheduledEventAttributes?.activityType?.name ?? '')) signalsSent++;
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        add('activityRetries', Math.max(0, (event.activityTaskStartedEventAttributes?.attempt ?? 1) - 1));
        break;
      case E.EVENT_TYPE_MARKER_RECORDED: {
        const a = event.markerRecordedEventAttributes;
        if (a?.markerName && LOCAL_ACTIVITY_MARKERS.has(a.markerName)) {
          localActivityTasks.add(String(a.workflowTaskCompletedEventId ?? `event-${event.eventId}`));
          if (signalActivities.has(localActivityType(a) ?? '')) signalsSent++;
        }
        break;
      }
      case E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        add('localActivityRetries', event.workflowTaskCompletedEventAttributes?.meteringMetadata?.nonfirstLocalActivityExecutionAttempts ?? 0);
        break;
      case E.EVENT_TYPE_TIMER_STARTED:
        add('timers');
        break;
      case E.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
        signalsSent++;
        break;
      case E.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        add('childWorkflows', 2);
        break;
      case E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const keys = Object.keys(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {});
        if (keys.some((k) => k !== 'TemporalChangeVersion')) add('searchAttributeUpserts');
        break;
      }
      case E.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED:
        memoUpserts++;
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED:
        add('optionsUpdated');
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        add('updatesAccepted');
        break;
      case E.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED:
      case E.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED:
        add('nexusOperations');
        break;
      case E.EVENT_TYPE_WORKFLOW_TASK_FAILED:
        if (event.workflowTaskFailedEventAttributes?.cause === temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW) add('resets');
        break;
    }
  });
  add('localActivityTasks', localActivityTasks.size);
  const total = Object.values(byRule).reduce((a, b) => a + b, 0);
  return { total, byRule, memoUpserts, signalsSent };
}

/** The activity type sdk-core writes into a local-activity marker's `data` detail (JSON). */
function localActivityType(marker: temporal.api.history.v1.IMarkerRecordedEventAttributes): string | null {
  const data = marker.details?.data?.payloads?.[0]?.data;
  if (!data) return null;
  try {
    const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: unknown };
    return typeof parsed.activity_type === 'string' ? parsed.activity_type : null;
  } catch {
    return null;
  }
}
