// The API's rate limit: at most `limit` calls per token in a window of a minute that starts with the
// first call after the previous window ended (not on clock minutes, so a burst cannot straddle two).

export interface CallWindow {
  startedAt: Date;
  calls: number;
}

export const API_WINDOW_MS = 60_000;

/** The window a call at `now` counts in, with that call counted. */
export function windowWithCall(previous: CallWindow | null, now: Date, windowMs = API_WINDOW_MS): CallWindow {
  if (!previous || now.getTime() - previous.startedAt.getTime() >= windowMs) return { startedAt: now, calls: 1 };
  return { startedAt: previous.startedAt, calls: previous.calls + 1 };
}

/** Milliseconds until the next call is allowed, when this window has gone over the limit (0: allowed). */
export function apiCallWaitMs(window: CallWindow, limit: number, now: Date, windowMs = API_WINDOW_MS): number {
  if (window.calls <= limit) return 0;
  return Math.max(1, window.startedAt.getTime() + windowMs - now.getTime());
}
