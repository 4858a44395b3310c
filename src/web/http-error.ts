// An answer other than success, with the status and the message the client sees.
import { Refusal } from '../domain/refusal';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Sent as Retry-After (429). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const REFUSAL_STATUS = { invalid: 400, 'not-found': 404, conflict: 409 } as const;

/** The HttpError for what a handler threw; anything that is neither an HttpError nor a Refusal is a fault (500). */
export function asHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof Refusal) return new HttpError(REFUSAL_STATUS[err.kind], err.message);
  return new HttpError(500, 'Something went wrong; see the server log');
}
