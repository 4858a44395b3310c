// `STACK_TEMPORAL=server`: a real Temporal server (not the CLI's dev server) on the stack's PostgreSQL,
// as an operator runs it: two databases made by the SQL schema tool (postgres12 plugin, SQL
// visibility), a server config, a dynamic config file, and TLS on the frontend with client
// certificates required. No Web UI in this mode.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalCertificates } from './certificates';
import { databaseNames } from './postgres';
import { TemporalServerBinaries } from './temporal-server-binaries';

const DATABASES = [
  { name: 'temporal', schema: 'postgresql/v12/temporal' },
  { name: 'temporal_visibility', schema: 'postgresql/v12/visibility' },
];

interface PostgresTarget {
  host: string;
  port: string;
  user: string;
  password: string;
}

function postgresTarget(databaseUrl: string): PostgresTarget {
  const url = new URL(databaseUrl);
  return { host: url.hostname, port: url.port || '5432', user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
}

/**
 * Creates both databases and their schemas on first use; afterwards only brings the schemas up to the
 * binary's version (update-schema does nothing when they are current).
 */
export async function prepareTemporalDatabases(binaries: TemporalServerBinaries, databaseUrl: string): Promise<void> {
  const pg = postgresTarget(databaseUrl);
  const existing = await databaseNames(databaseUrl);
  for (const db of DATABASES) {
    const sql = (...args: string[]) =>
      execFileSync(binaries.sql, ['--plugin', 'postgres12', '--ep', pg.host, '--port', pg.port, '--user', pg.user, '--db', db.name, ...args], {
        stdio: 'pipe',
        env: { ...process.env, SQL_PASSWORD: pg.password },
      });
    try {
      if (!existing.has(db.name)) {
        sql('create-database');
        sql('setup-schema', '-v', '0.0');
      }
      sql('update-schema', '--schema-name', db.schema);
    } catch (err) {
      const e = err as { stderr?: Buffer; message: string };
      throw new Error(`Temporal's SQL tool failed on database ${db.name}: ${e.stderr?.toString().trim() || e.message}`);
    }
  }
}

/** The server's ports: the frontend on the stack's Temporal port, the other services on the next ones. */
export function temporalServerPorts(frontend: number) {
  if (frontend + 7 > 32767) {
    throw new Error(`STACK_TEMPORAL_PORT=${frontend} is too high for STACK_TEMPORAL=server: at most 32760 (the server keeps its services' membership ports, the next 7, in a smallint column)`);
  }
  return {
    frontend: { grpcPort: frontend, membershipPort: frontend + 4, httpPort: frontend + 8 },
    history: { grpcPort: frontend + 1, membershipPort: frontend + 5 },
    matching: { grpcPort: frontend + 2, membershipPort: frontend + 6 },
    worker: { grpcPort: frontend + 3, membershipPort: frontend + 7 },
  };
}

/** What the tests and the product need from the server beyond its defaults. */
const DYNAMIC_CONFIG = {
  // Workflow ids carry SES message ids; 1000 is what the dev server allows.
  'limit.maxIDLength': [{ value: 1000 }],
  // Search attributes registered by `stack up` are usable at once, not after the cache's next refresh.
  'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
  // The namespace registered by `stack up` is seen by every service within a second.
  'system.namespaceCacheRefreshInterval': [{ value: '1s' }],
};

function tlsConfig(tls: LocalCertificates) {
  return {
    frontend: {
      server: { certFile: tls.serverCertFile, keyFile: tls.serverKeyFile, clientCaFiles: [tls.caFile], requireClientAuth: true },
      client: { serverName: tls.serverName, rootCaFiles: [tls.caFile] },
    },
    // The server's own system workers call the frontend too, so they present a client certificate.
    systemWorker: { certFile: tls.clientCertFile, keyFile: tls.clientKeyFile, client: { serverName: tls.serverName, rootCaFiles: [tls.caFile] } },
  };
}

/**
 * Writes the server config and its dynamic config into `dir`; returns the config file's path.
 * Both are JSON, which is YAML too: no YAML writer needed. Field names as in the server's
 * config/development-postgres12.yaml (v1.31 and v1.32).
 */
export function writeTemporalServerConfig(dir: string, frontendPort: number, databaseUrl: string, tls: LocalCertificates | null): string {
  mkdirSync(dir, { recursive: true });
  const pg = postgresTarget(databaseUrl);
  const dynamicConfigFile = join(dir, 'dynamic-config.yaml');
  writeFileSync(dynamicConfigFile, JSON.stringify(DYNAMIC_CONFIG, null, 2) + '\n');
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${pg.host}:${pg.port}`,
      connectProtocol: 'tcp',
      user: pg.user,
      password: pg.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (ports: object) => ({ rpc: { ...ports, bindOnLocalHost: true } });
  const ports = temporalServerPorts(frontendPort);
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: { 'postgres-default': store('temporal', 20), 'postgres-visibility': store('temporal_visibility', 4) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      ...(tls ? { tls: tlsConfig(tls) } : {}),
    },
    services: { frontend: rpc(ports.frontend), history: rpc(ports.history), matching: rpc(ports.matching), worker: rpc(ports.worker) },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `localhost:${frontendPort}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');
  return configFile;
}

/** The server's command line (no authorizer: the frontend's mTLS is the access control here). */
export const temporalServerArgs = (configFile: string) => ['--config-file', configFile, '--allow-no-auth', 'start'];
