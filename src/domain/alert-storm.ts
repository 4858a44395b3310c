// An alert storm: many keys (hosts/services) opening incidents within a short window, as when a switch
// or a data centre goes down. Pure rules for the one workflow that counts openings (workflows/alert-storm.ts):
// at `stormKeys` openings within `stormWindowMs` a parent incident is raised and the openings linked to it
// as its children; later openings join it while they keep coming within the window of the previous one.

export interface AlertStormSettings {
  stormKeys: number;
  stormWindowMs: number;
}

export const DEFAULT_ALERT_STORM_SETTINGS: AlertStormSettings = { stormKeys: 10, stormWindowMs: 5 * 60_000 };

export interface AlertStormState {
  /** Incidents opened within the window (workflow time), oldest first; only while no storm runs. */
  openings: { incident: string; at: number }[];
  /** The storm running: its parent incident (null until raised), and when it ends without another opening. */
  storm: { parent: string | null; until: number } | null;
}

export type AlertStormAction =
  /** Raise the parent incident with these children. */
  | { type: 'raise-parent'; children: string[] }
  /** Link these children to the parent. */
  | { type: 'link'; parent: string; children: string[] };

export const startAlertStorm = (): AlertStormState => ({ openings: [], storm: null });

/** One incident opened by an alert key, at workflow time `now`. */
export function applyOpening(state: AlertStormState, incident: string, now: number, settings: AlertStormSettings): { state: AlertStormState; actions: AlertStormAction[] } {
  const current = endedStorm(state, now);
  if (current.storm?.parent) {
    return { state: { ...current, storm: { ...current.storm, until: now + settings.stormWindowMs } }, actions: [{ type: 'link', parent: current.storm.parent, children: [incident] }] };
  }
  const openings = [...current.openings.filter((o) => o.at > now - settings.stormWindowMs && o.incident !== incident), { incident, at: now }];
  if (openings.length < settings.stormKeys) return { state: { ...current, openings }, actions: [] };
  return { state: { openings: [], storm: { parent: null, until: now + settings.stormWindowMs } }, actions: [{ type: 'raise-parent', children: openings.map((o) => o.incident) }] };
}

/** The parent the raise-parent action made. */
export function parentRaised(state: AlertStormState, parent: string): AlertStormState {
  return state.storm ? { ...state, storm: { ...state.storm, parent } } : state;
}

function endedStorm(state: AlertStormState, now: number): AlertStormState {
  return state.storm && now > state.storm.until ? { ...state, storm: null } : state;
}

/** No storm and no opening left within the window: the workflow may end. */
export function alertStormIdle(state: AlertStormState, now: number, settings: AlertStormSettings): boolean {
  const current = endedStorm(state, now);
  return !current.storm && current.openings.every((o) => o.at <= now - settings.stormWindowMs);
}

/** When the workflow may next find itself idle. */
export function alertStormQuietAt(state: AlertStormState, settings: AlertStormSettings): number | null {
  const times = [state.storm?.until, ...state.openings.map((o) => o.at + settings.stormWindowMs)].filter((t): t is number => t !== undefined);
  return times.length ? Math.max(...times) : null;
}
