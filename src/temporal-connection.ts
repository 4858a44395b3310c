// Connects to Temporal, waiting for it: a worker, bridge or admin page started before the server must not die.
import { Client, Connection } from '@temporalio/client';
import type { Config, TemporalTls } from './config';
import { encryptingDataConverter } from './encryption/data-converter';
import type { Logger } from './logger';

/** Calls `connect` until it succeeds, 0.5 s more between attempts each time (at most 10 s). */
export async function untilConnected<C>(address: string, connect: () => Promise<C>, log: Logger): Promise<C> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect();
    } catch (err) {
      log.warn({ address, attempt, err: (err as Error).message }, 'Temporal not reachable yet; retrying');
      await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * attempt)));
    }
  }
}

/**
 * What every process passes to Connection.connect / NativeConnection.connect: the address, TLS or mTLS,
 * and the API key, from one validated configuration (README, "Connecting to a Temporal cluster").
 */
export function connectionOptions(temporal: Config['temporal']): { address: string; tls: TemporalTls | undefined; apiKey: string | undefined } {
  return { address: temporal.address, tls: temporal.tls, apiKey: temporal.apiKey };
}

/** A client whose payloads are encrypted with the configured keys (README, "Customer data in Temporal"). */
export async function createTemporalClient(config: Config, log: Logger): Promise<Client> {
  const { address, namespace } = config.temporal;
  return new Client({
    connection: await untilConnected(address, () => Connection.connect(connectionOptions(config.temporal)), log),
    namespace,
    dataConverter: encryptingDataConverter(config.customerData.payloadKeys),
  });
}

/** A connection to Temporal, client's or worker's (both have these). */
interface TemporalConnectionLike {
  withDeadline<T>(deadline: number, fn: () => Promise<T>): Promise<T>;
  workflowService: { getSystemInfo(request: object): Promise<unknown> };
}

/**
 * Resolves when the Temporal frontend answers within 3 s, rejects when not: a server that is down may
 * not even refuse, and the call would otherwise wait on the client's own retries. Readiness checks and
 * the bridge's outage probe use it.
 */
export async function temporalAnswers(connection: TemporalConnectionLike): Promise<void> {
  await connection.withDeadline(Date.now() + 3000, () => connection.workflowService.getSystemInfo({}));
}
