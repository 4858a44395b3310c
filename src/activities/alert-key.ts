// Monitoring alert keys' side effects: handing an alert to its key's workflow (signal-with-start, the
// worker's ALERT_* settings given to a run it starts), telling the storm workflow of an opening, and
// linking a storm's children to its parent incident.
import { Context } from '@temporalio/activity';
import { addComment } from '../db/threads';
import { linkToParent } from '../db/alert-storms';
import type { AlertHandover } from '../domain/alert-key';
import { alertKeyWorkflowId, ALERT_STORM_WORKFLOW_ID } from '../domain/workflow-ids';
import { alertKeyHash } from '../encryption/keyed-hash';
import { alertKey, alertOpeningSignal, alertSignal, alertStorm, AlertOpening } from '../workflows';
import { ActivityDeps } from './deps';

export function createAlertKeyActivities(deps: ActivityDeps) {
  const { pool, config } = deps;
  const { openDelayMs, flapWindowMs, flapThreshold, reopenWindowMs, stormKeys, stormWindowMs } = config.alerts;
  return {
    /** Starts the key's workflow if it does not run, and hands it the alert; the key orders, debounces and opens. */
    async signalAlertKey(input: { alertKey: string; event: AlertHandover }): Promise<void> {
      const { client, info } = Context.current();
      await client.workflow.signalWithStart(alertKey, {
        workflowId: alertKeyWorkflowId(alertKeyHash(config.customerData.hashKey, input.alertKey)),
        taskQueue: info.taskQueue,
        args: [{ alertKey: input.alertKey, settings: { openDelayMs, flapWindowMs, flapThreshold, reopenWindowMs } }],
        signal: alertSignal,
        signalArgs: [{ ...input.event, at: input.event.at ?? Date.now() }],
      });
    },

    /** An alert key opened this incident: the storm workflow counts it. */
    async tellAlertStorm(input: AlertOpening): Promise<void> {
      const { client, info } = Context.current();
      await client.workflow.signalWithStart(alertStorm, {
        workflowId: ALERT_STORM_WORKFLOW_ID,
        taskQueue: info.taskQueue,
        args: [{ settings: { stormKeys, stormWindowMs } }],
        signal: alertOpeningSignal,
        signalArgs: [input],
      });
    },

    /** Links the children to the storm's parent, each noted on the parent once (a retry notes none twice). */
    async linkStormChildren(input: { parent: string; children: string[] }): Promise<void> {
      await linkToParent(pool, input.parent, input.children);
      for (const child of input.children) {
        await addComment(pool, { incidentNumber: input.parent, author: 'system', body: `${child} is part of this alert storm`, source: 'note', commentKey: `alert-storm-${input.parent}-${child}` });
      }
    },
  };
}
