// The faults of one run, at seeded random points, one after another: a fault never overlaps another, so
// each one's effect is its own (a restart does not also bring back a database another fault stopped).
export type FaultKind = 'kill-worker' | 'kill-worker-mid-send' | 'kill-bridge' | 'restart-temporal' | 'stop-postgres' | 'restart-postgres' | 'ses-outage';

/**
 * The faults a run applies once each (worker kills at random moments come in a number of their own);
 * kill-worker-mid-send kills the worker just after SES accepted one of its sends, before it heard so.
 */
export const ONCE_EACH: FaultKind[] = ['kill-worker-mid-send', 'kill-bridge', 'restart-temporal', 'stop-postgres', 'restart-postgres', 'ses-outage'];

export interface Fault {
  kind: FaultKind;
  /** How long the outage lasts (stop-postgres, ses-outage); restarts follow a kill at once. */
  outageMs: number;
  /** Pause before this fault, after the previous one ended. */
  gapMs: number;
}

export interface ScheduleOptions {
  workerKills: number;
  outageMs: number;
  /** Longest pause between faults. */
  maxGapMs: number;
  /** The faults applied once each (default: all of them). */
  onceEach?: FaultKind[];
}

/** Every fault the issue names, in a seeded random order with seeded random pauses. */
export function faultSchedule(rand: () => number, o: ScheduleOptions): Fault[] {
  const kinds: FaultKind[] = [...Array.from({ length: o.workerKills }, () => 'kill-worker' as const), ...(o.onceEach ?? ONCE_EACH)];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  return kinds.map((kind) => ({
    kind,
    outageMs: kind === 'stop-postgres' || kind === 'ses-outage' ? o.outageMs : 0,
    gapMs: Math.floor(rand() * o.maxGapMs),
  }));
}
