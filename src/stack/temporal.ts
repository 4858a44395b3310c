// The stack's Temporal: the CLI's dev server (with Web UI; the default) or, with STACK_TEMPORAL=server,
// a real Temporal server on the stack's PostgreSQL behind mTLS. Either way `default` exists and has
// our search attributes when this returns, and the returned variables tell every client how to connect.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection, ConnectionOptions } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { EMAIL_SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { registerSearchAttributes } from '../operations/search-attributes';
import { ensureLocalCertificates, LocalCertificates } from './certificates';
import { ensureService, runningPid, startDetached, waitFor } from './processes';
import { StackSettings } from './settings';
import { prepareTemporalDatabases, temporalServerArgs, writeTemporalServerConfig } from './temporal-server';
import { ensureTemporalServerBinaries } from './temporal-server-binaries';
import { toolPath } from './tools';

export const NAMESPACE = 'default';

export interface StackTemporal {
  /** Variables for every client of this Temporal (worker, bridge, web, CLI). */
  env: Record<string, string>;
  /** The Web UI's address, when there is one (the dev server's). */
  uiUrl: string | null;
}

/** The admin page's codec server, which the local Temporal Web UI is configured with. */
const codecEndpoint = (s: StackSettings) => `http://127.0.0.1:${s.ports.web}/codec`;

function connectionOptions(s: StackSettings, tls: LocalCertificates | null): ConnectionOptions {
  const address = `127.0.0.1:${s.ports.temporal}`;
  if (!tls) return { address };
  return {
    address,
    tls: {
      serverNameOverride: tls.serverName,
      serverRootCACertificate: readFileSync(tls.caFile),
      clientCertPair: { crt: readFileSync(tls.clientCertFile), key: readFileSync(tls.clientKeyFile) },
    },
  };
}

async function withConnection<T>(options: ConnectionOptions, use: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ ...options, connectTimeout: 1000 });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

const answers = (options: ConnectionOptions) => () => withConnection(options, async (c) => (await c.workflowService.getSystemInfo({}), true));

const noteKind = (s: StackSettings) => writeFileSync(join(s.dir, 'temporal.kind'), s.temporal);

function startDevServer(s: StackSettings): void {
  startDetached(s.dir, 'temporal', toolPath('temporal'), [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(s.ports.temporal),
    '--ui-port', String(s.ports.temporalUi),
    '--db-filename', join(s.dir, 'temporal.db'),
    '--namespace', NAMESPACE,
    '--log-level', 'warn',
    // The Web UI asks the admin page to decrypt payloads for signed-in operators (README, Customer data in Temporal).
    '--ui-codec-endpoint', codecEndpoint(s),
    ...EMAIL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
  ]);
}

// gRPC status codes (the SDK's errors carry them as numbers).
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;

/** The real server has no namespace of its own: registered once, then seen by its services within a second. */
async function ensureNamespace(connection: Connection): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace: NAMESPACE });
    return;
  } catch (err) {
    if ((err as { code?: number }).code !== NOT_FOUND) throw err;
  }
  await connection.workflowService
    .registerNamespace({ namespace: NAMESPACE, workflowExecutionRetentionPeriod: msToTs('3 days') })
    .catch((err: { code?: number }) => {
      if (err.code !== ALREADY_EXISTS) throw err;
    });
}

/**
 * A running Temporal of the other kind would never answer this `up`'s probe (TLS or not): say so at
 * once. The kind is noted beside the pid file when it starts.
 */
function refuseOtherKind(s: StackSettings): void {
  const noted = join(s.dir, 'temporal.kind');
  if (runningPid(s.dir, 'temporal') && existsSync(noted)) {
    const running = readFileSync(noted, 'utf8').trim();
    if (running !== s.temporal) {
      throw new Error(`This stack's Temporal is the ${running === 'server' ? 'real server' : 'dev server'}: run \`stack down\` first, or set STACK_TEMPORAL=${running}`);
    }
  }
}

export async function ensureTemporal(s: StackSettings, databaseUrl: string, log: (line: string) => void): Promise<StackTemporal> {
  refuseOtherKind(s);
  const tls = s.temporal === 'server' ? ensureLocalCertificates(join(s.dir, 'tls')) : null;
  const options = connectionOptions(s, tls);
  if (s.temporal === 'dev') {
    log(`Temporal dev server on 127.0.0.1:${s.ports.temporal}, Web UI on http://127.0.0.1:${s.ports.temporalUi}`);
    await ensureService(s.dir, 'temporal', s.ports.temporal, () => (startDevServer(s), noteKind(s)), answers(options), 120_000);
  } else {
    const binaries = ensureTemporalServerBinaries(s.temporalServerDir, log);
    log(`Temporal server (${binaries.server}) on 127.0.0.1:${s.ports.temporal}, PostgreSQL databases temporal and temporal_visibility; no Web UI`);
    await prepareTemporalDatabases(binaries, databaseUrl);
    const configFile = writeTemporalServerConfig(join(s.dir, 'temporal-server'), s.ports.temporal, databaseUrl, tls);
    await ensureService(s.dir, 'temporal', s.ports.temporal, () => (startDetached(s.dir, 'temporal', binaries.server, temporalServerArgs(configFile)), noteKind(s)), answers(options), 120_000);
    await withConnection(options, ensureNamespace);
  }
  // The dev server's flags register them only when its database file is new, and a real server's
  // namespace takes a moment to reach every service: register them (idempotently) until it answers.
  await waitFor('Temporal search attributes', () => withConnection(options, async (c) => (await registerSearchAttributes(c, NAMESPACE), true)), 60_000);
  return {
    env: { TEMPORAL_ADDRESS: options.address!, TEMPORAL_NAMESPACE: NAMESPACE, ...(tls ? tlsEnv(tls) : {}) },
    uiUrl: s.temporal === 'dev' ? `http://127.0.0.1:${s.ports.temporalUi}` : null,
  };
}

/** How the clients find the CA, the server's name and their certificate (the configuration's TEMPORAL_TLS_*). */
function tlsEnv(tls: LocalCertificates): Record<string, string> {
  return {
    TEMPORAL_TLS: 'true', // 'true', not 'yes': the temporal CLI reads this variable too (Go's ParseBool)
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: tls.caFile,
    TEMPORAL_TLS_SERVER_NAME: tls.serverName,
    TEMPORAL_TLS_CLIENT_CERT_PATH: tls.clientCertFile,
    TEMPORAL_TLS_CLIENT_KEY_PATH: tls.clientKeyFile,
  };
}
