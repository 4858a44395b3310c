// Who may call the API: the bearer token, checked under the same per-client throttling as sign-ins (a
// wrong token is a failure of that client), and then at most ADMIN_API_RATE_LIMIT calls a minute.
import { createHash } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { Pool } from 'pg';
import { countApiCall } from '../db/api-call-windows';
import { apiCallWaitMs, windowWithCall } from '../domain/api-rate-limit';
import { retryAfterSeconds } from '../domain/sign-in-backoff';
import { clientKeyOf } from './client-address';
import { HttpError } from './http-error';
import { sameSecret } from './session';
import { SignInThrottle } from './sign-in-throttle';

export interface ApiSettings {
  /** Empty: the API is off. */
  token: string;
  ratePerMinute: number;
  trustProxy: boolean;
}

export class ApiGate {
  private readonly throttle: SignInThrottle;

  constructor(
    private readonly pool: Pool,
    private readonly settings: ApiSettings,
  ) {
    this.throttle = new SignInThrottle(pool);
  }

  /** Resolves when the call may go ahead; otherwise throws the 401 or 429 to answer. */
  async admit(req: IncomingMessage): Promise<void> {
    const { token } = this.settings;
    if (!token) throw new HttpError(401, 'The API is off: ADMIN_API_TOKEN is not set');
    const header = req.headers.authorization ?? '';
    const outcome = await this.throttle.attempt(clientKeyOf(req, this.settings.trustProxy), null, () => sameSecret(header, `Bearer ${token}`));
    if (outcome.kind === 'wait') throw new HttpError(429, 'Too many wrong tokens from this client: try again later', retryAfterSeconds(outcome.waitMs));
    if (outcome.kind === 'refused') throw new HttpError(401, 'Missing or wrong bearer token');
    // Counted by the token's hash: replicas share the count, and the table holds no usable token.
    const tokenHash = createHash('sha256').update(token).digest('hex');
    const { window, now } = await countApiCall(this.pool, tokenHash, (previous, at) => windowWithCall(previous, at));
    const waitMs = apiCallWaitMs(window, this.settings.ratePerMinute, now);
    if (waitMs > 0) throw new HttpError(429, `Rate limit: at most ${this.settings.ratePerMinute} API calls a minute`, retryAfterSeconds(waitMs));
  }
}
