// The one workflow that counts incidents opened by monitoring alert keys (domain/alert-storm.ts): many
// keys opening within a window are grouped under one parent incident, their incidents linked to it as
// children. A singleton (one workflow id), started by the first opening and ended when openings stop.
import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { alertStormIdle, alertStormQuietAt, AlertStormState, applyOpening, parentRaised, startAlertStorm } from '../domain/alert-storm';
import { AlertOpening, alertOpeningSignal, AlertStormInput, alertStormQuery } from './contracts';
import { ACTIVITY_RETRY } from './retry';

const { raiseStormIncident, linkStormChildren } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: ACTIVITY_RETRY });

const PENDING_LIMIT = 10_000;
const OPENINGS_PER_RUN = 500;

export async function alertStorm(input: AlertStormInput): Promise<void> {
  const { settings } = input;
  const pending: AlertOpening[] = [...(input.pending ?? [])];
  let state: AlertStormState = input.state ?? startAlertStorm();

  setHandler(alertOpeningSignal, (opening) => {
    if (typeof opening?.incident === 'string' && /^INC[0-9]{7}$/.test(opening.incident) && pending.length < PENDING_LIMIT) pending.push(opening);
  });
  setHandler(alertStormQuery, () => state);

  let handled = 0;
  for (;;) {
    if (pending.length === 0) {
      if (alertStormIdle(state, Date.now(), settings)) {
        await condition(allHandlersFinished);
        if (pending.length === 0) return;
        continue;
      }
      const quietAt = alertStormQuietAt(state, settings) ?? Date.now();
      await condition(() => pending.length > 0, Math.max(1, quietAt - Date.now() + 1));
      continue;
    }
    const opening = pending.shift()!;
    const step = applyOpening(state, opening.incident, Date.now(), settings);
    state = step.state;
    for (const action of step.actions) {
      if (action.type === 'raise-parent') state = parentRaised(state, await raiseStormIncident({ children: action.children, windowMinutes: Math.round(settings.stormWindowMs / 60_000) }));
      else await linkStormChildren({ parent: action.parent, children: action.children });
    }
    if (++handled >= OPENINGS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof alertStorm>({ settings, state, pending });
    }
  }
}
