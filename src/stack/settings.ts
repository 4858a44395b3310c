// Where the local stack lives and which loopback ports it uses. A second stack (the test suite's)
// runs beside the demo one by setting STACK_DIR and the STACK_*_PORT variables.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');

export interface StackSettings {
  dir: string;
  venvBin: string;
  ports: { temporal: number; temporalUi: number; aws: number; postgres: number; web: number; workerMetrics: number; bridgeMetrics: number; workerHealth: number; bridgeHealth: number; sesEvents: number };
  /** Set when PostgreSQL is given (DATABASE_URL) instead of started by the stack. */
  externalDatabaseUrl: string | undefined;
  /** 'fifo' (the seed's StackFlow-Events-Ingestion.fifo) or 'standard' (what SES on real AWS can feed). */
  queueKind: 'fifo' | 'standard';
  /** 'safe' (S3Action with TopicArn, no 150 KB limit) or 'seed' (the seed's S3Action + SNSAction). */
  receiptRuleShape: 'safe' | 'seed';
  /** 'dev' (the `temporal` CLI's dev server, with Web UI) or 'server' (a real Temporal server on PostgreSQL, TLS). */
  temporal: 'dev' | 'server';
  /** Where the real server's binaries are built once and kept, outside the checkout. */
  temporalServerDir: string;
  /** How many worker and bridge processes run (the cluster tests run two of each). */
  workers: number;
  bridges: number;
  /** The user directory worker and CLI use: 'postgres' (the users table) or 'cognito' (the user pool the stack makes in moto). */
  userDirectory: 'postgres' | 'cognito';
}

/** The pinned Temporal server release `STACK_TEMPORAL=server` builds from the Go module proxy. */
export const TEMPORAL_SERVER_VERSION = 'v1.32.2';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`Malformed ${name}="${raw}": expected a TCP port`);
  return value;
}

function count(env: NodeJS.ProcessEnv, name: string): number {
  const raw = env[name];
  if (!raw) return 1;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 9) throw new Error(`Malformed ${name}="${raw}": expected a number from 1 to 9`);
  return value;
}

export function stackSettings(env = process.env): StackSettings {
  const queueKind = env.STACK_QUEUE_KIND ?? 'fifo';
  if (queueKind !== 'fifo' && queueKind !== 'standard') throw new Error(`Malformed STACK_QUEUE_KIND="${queueKind}": fifo or standard`);
  const shape = env.STACK_RECEIPT_RULE ?? 'safe';
  if (shape !== 'safe' && shape !== 'seed') throw new Error(`Malformed STACK_RECEIPT_RULE="${shape}": safe or seed`);
  const temporal = env.STACK_TEMPORAL ?? 'dev';
  if (temporal !== 'dev' && temporal !== 'server') throw new Error(`Malformed STACK_TEMPORAL="${temporal}": dev or server`);
  const userDirectory = env.STACK_USER_DIRECTORY ?? 'postgres';
  if (userDirectory !== 'postgres' && userDirectory !== 'cognito') throw new Error(`Malformed STACK_USER_DIRECTORY="${userDirectory}": postgres or cognito`);
  return {
    dir: resolve(env.STACK_DIR ?? join(PROJECT_ROOT, '.stack')),
    venvBin: join(PROJECT_ROOT, '.venv', 'bin'),
    ports: {
      temporal: port('STACK_TEMPORAL_PORT', 7233),
      temporalUi: port('STACK_TEMPORAL_UI_PORT', 8233),
      aws: port('STACK_AWS_PORT', 4566),
      postgres: port('STACK_POSTGRES_PORT', 5433),
      web: port('STACK_WEB_PORT', 8090),
      workerMetrics: port('STACK_WORKER_METRICS_PORT', 9464),
      bridgeMetrics: port('STACK_BRIDGE_METRICS_PORT', 9465),
      workerHealth: port('STACK_WORKER_HEALTH_PORT', 9466),
      bridgeHealth: port('STACK_BRIDGE_HEALTH_PORT', 9467),
      // The SES endpoint of worker and CLI: the delivery-event emitter in front of moto.
      sesEvents: port('STACK_SES_EVENTS_PORT', 4567),
    },
    externalDatabaseUrl: env.STACK_DATABASE_URL || undefined,
    queueKind,
    receiptRuleShape: shape,
    temporal,
    temporalServerDir: resolve(env.STACK_TEMPORAL_SERVER_DIR ?? join(homedir(), '.cache', 'email-to-ticket', `temporal-server-${TEMPORAL_SERVER_VERSION}`)),
    workers: count(env, 'STACK_WORKERS'),
    bridges: count(env, 'STACK_BRIDGES'),
    userDirectory,
  };
}
