// Connects to Temporal, waiting for it: a worker or bridge started before the server must not die.
import { Client, Connection } from '@temporalio/client';
import type { Logger } from './logger';

export async function connectTemporal(address: string, log: Logger, signal?: AbortSignal): Promise<Connection> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await Connection.connect({ address });
    } catch (err) {
      if (signal?.aborted) throw err;
      const delay = Math.min(10_000, 500 * attempt);
      log.warn({ address, attempt, err: (err as Error).message }, 'Temporal not reachable yet; retrying');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

export async function createTemporalClient(address: string, namespace: string, log: Logger): Promise<Client> {
  return new Client({ connection: await connectTemporal(address, log), namespace });
}
