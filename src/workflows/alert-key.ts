// One workflow per monitoring alert key (host/service): its alerts, whatever order they arrive in, go
// through the key's rules (domain/alert-key.ts: order, debounce, flapping, reopen), and the incident they
// open is counted by the storm workflow. Signal handlers only enqueue; the loop applies the alert with the
// oldest time first, sleeps on durable timers until the next deadline, and continues as new before its
// history grows large. It ends once the key has been quiet for its windows.
import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  AlertKeyAction,
  AlertKeyEvent,
  alertKeyQuietAt,
  AlertKeyState,
  AlertKeyStep,
  alertKeyView,
  applyAlert,
  fireAlertKeyDeadlines,
  incidentOpened,
  nextAlertKeyDeadline,
  startAlertKey,
} from '../domain/alert-key';
import type { AlertUpdate } from '../domain/thread-events';
import { AlertKeyInput, alertKeyQuery, alertSignal } from './contracts';
import { ACTIVITY_RETRY } from './retry';

const { findAlertIncident, raiseIncident, signalThread, tellAlertStorm } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: ACTIVITY_RETRY });

const SEEN_LIMIT = 500;
/** A flood of alerts for one key waits in the queue of the bridge, not in this workflow's memory. */
const PENDING_LIMIT = 1000;
const ALERTS_PER_RUN = 300;

/** Alerts come from our own activity, but a key must not break on a malformed one: it is dropped. */
function wellFormed(e: AlertKeyEvent): boolean {
  return (
    typeof e === 'object' && e !== null &&
    typeof e.id === 'string' && e.id.length > 0 && e.id.length <= 200 &&
    Number.isSafeInteger(e.at) && typeof e.recovery === 'boolean' &&
    typeof e.incident === 'object' && e.incident !== null
  );
}

const alertUpdate = (event: AlertKeyEvent, flapping: boolean): AlertUpdate => ({
  type: 'alert',
  id: event.id,
  bucket: event.bucket,
  parsedKey: event.parsedKey,
  from: event.from,
  state: event.state,
  recovery: event.recovery,
  ...(flapping ? { flapping: true } : {}),
});

export async function alertKey(input: AlertKeyInput): Promise<void> {
  const { alertKey: key, settings } = input;
  const pending: AlertKeyEvent[] = [...(input.pending ?? [])];
  const seen: string[] = [...(input.seen ?? [])];
  let state: AlertKeyState | null = input.state ?? null;

  setHandler(alertSignal, (event) => {
    if (wellFormed(event) && pending.length < PENDING_LIMIT) pending.push(event);
  });
  setHandler(alertKeyQuery, () => ({ alertKey: key, pending: pending.length, ...alertKeyView(state ?? startAlertKey(null)) }));

  // A key's first run starts from what PostgreSQL knows: an incident already open for it (opened before
  // this workflow existed, or by a run that ended) is its incident.
  if (!state) state = startAlertKey(await findAlertIncident({ alertKey: key }));

  async function perform(action: AlertKeyAction): Promise<void> {
    switch (action.type) {
      case 'open': {
        const made = await raiseIncident(action.event.incident);
        state = incidentOpened(state!, made.number);
        // Another incident was open for the key (opened by the path of an older version): the alert joins it.
        if (made.joinedAlert) await signalThread({ incidentNumber: made.number, event: alertUpdate(action.event, action.flapping) });
        for (const follower of action.followers) await signalThread({ incidentNumber: made.number, event: alertUpdate(follower, action.flapping) });
        if (made.created) await tellAlertStorm({ incident: made.number });
        return;
      }
      case 'reopen':
        // The thread adds the problem and reopens the incident the recovery resolved.
        for (const event of [action.event, ...action.followers]) await signalThread({ incidentNumber: action.incident, event: alertUpdate(event, action.flapping) });
        return;
      case 'add':
        await signalThread({ incidentNumber: action.incident, event: alertUpdate(action.event, action.flapping) });
        return;
    }
  }

  async function run(step: AlertKeyStep): Promise<void> {
    state = step.state;
    for (const action of step.actions) await perform(action);
  }

  let handled = 0;
  for (;;) {
    if (pending.length === 0) {
      const deadline = nextAlertKeyDeadline(state);
      const quietAt = alertKeyQuietAt(state, settings);
      const wake = deadline ?? quietAt;
      if (wake === null) await condition(() => pending.length > 0);
      else if (wake > Date.now()) await condition(() => pending.length > 0, wake - Date.now());
      if (pending.length === 0) {
        if (deadline !== null) {
          await run(fireAlertKeyDeadlines(state, Date.now(), settings));
          continue;
        }
        // Quiet for its windows: the key ends; its next alert starts it again.
        await condition(allHandlersFinished);
        if (pending.length === 0) return;
        continue;
      }
    }
    // The oldest alert first: those that arrived together are applied in their own time order.
    const index = pending.reduce((oldest, e, i) => (e.at < pending[oldest].at ? i : oldest), 0);
    const [event] = pending.splice(index, 1);
    if (seen.includes(event.id)) continue;
    // What fell due before the alert arrived counts first.
    const due = nextAlertKeyDeadline(state);
    if (due !== null && due <= Date.now()) await run(fireAlertKeyDeadlines(state, Date.now(), settings));
    await run(applyAlert(state, event, Date.now(), settings));
    seen.push(event.id);
    if (seen.length > SEEN_LIMIT) seen.splice(0, seen.length - SEEN_LIMIT);
    if (++handled >= (input.maxAlertsPerRun ?? ALERTS_PER_RUN) || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof alertKey>({ alertKey: key, settings, state, pending, seen, maxAlertsPerRun: input.maxAlertsPerRun });
    }
  }
}
