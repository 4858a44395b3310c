// /healthz and /readyz of a process (worker, bridge): alive is "the process answers"; ready is "every
// service it needs answers now" (Kubernetes probes and the compose healthchecks use them; README,
// "Health"). A check that does not answer within its time counts as not ready, never as a hang.
import { createServer, Server } from 'node:http';
import type { Logger } from '../logger';

/** Resolves when the service answers; rejects (with why) when it does not. */
export type ReadinessCheck = () => Promise<unknown>;

const CHECK_TIMEOUT_MS = 3000;

export interface Readiness {
  ready: boolean;
  /** Each check: 'ok', or why it failed. */
  checks: Record<string, string>;
}

export async function readiness(checks: Record<string, ReadinessCheck>): Promise<Readiness> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      });
      try {
        await Promise.race([check(), timeout]);
        return [name, 'ok'] as const;
      } catch (err) {
        return [name, String((err as Error)?.message ?? err).slice(0, 300)] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: results.every(([, result]) => result === 'ok'), checks: Object.fromEntries(results) };
}

/** Serves /healthz and /readyz at host:port. */
export function serveHealth(address: string, checks: Record<string, ReadinessCheck>, log: Logger): Server {
  const at = address.lastIndexOf(':');
  const server = createServer(async (req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    } else if (req.url === '/readyz') {
      const result = await readiness(checks);
      res.writeHead(result.ready ? 200 : 503, { 'Content-Type': 'application/json' }).end(JSON.stringify(result));
    } else {
      res.writeHead(404).end();
    }
  });
  server.on('error', (err) => log.error({ err, address }, 'health endpoint failed'));
  server.listen(Number(address.slice(at + 1)), address.slice(0, at));
  return server;
}
