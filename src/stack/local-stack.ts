// `email-to-ticket stack up|down|status`: the whole product on loopback, started in the background.
// Temporal dev server (Web UI, SQLite file so state survives a restart), moto (S3, SNS, SQS, SES,
// DynamoDB), PostgreSQL, the setup step, then the worker and the bridge. `up` twice starts nothing twice.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { createAwsClients } from '../aws/clients';
import { provisionAws } from '../aws/provision';
import { queueMaxReceiveCount } from '../config';
import { migrate } from '../db/migrate';
import { registerSearchAttributes } from '../operations/search-attributes';
import { EMAIL_SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { createPool } from '../db/pool';
import { startPostgres, stopPostgres } from './postgres';
import { logFile, portOpen, runningPid, startDetached, stopProcess, waitFor } from './processes';
import { PROJECT_ROOT, StackSettings, stackSettings } from './settings';
import { ensureTools, toolPath } from './tools';

export const TICKET_ADDRESS = 'tickets@your-instance.stackflow-tech.com';
export const INBOUND_BUCKET = 'stackflow-email-inbox';
const ENV_FILE = 'stack.env';

export const stackEnvFile = (settings: StackSettings = stackSettings()) => join(settings.dir, ENV_FILE);

function readStackEnv(settings: StackSettings): Record<string, string> {
  const file = stackEnvFile(settings);
  if (!existsSync(file)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match) vars[match[1]] = match[2];
  }
  return vars;
}

/** Fills unset variables from the running local stack's env file, so CLI commands need no setup. */
export function loadStackEnv(settings: StackSettings = stackSettings()): boolean {
  const vars = readStackEnv(settings);
  for (const [name, value] of Object.entries(vars)) if (process.env[name] === undefined) process.env[name] = value;
  return Object.keys(vars).length > 0;
}

/**
 * The file holds the admin password, the API token and the database URL: readable by its owner only.
 * writeFileSync's mode applies only to a new file: an existing one (an older stack's) is closed first.
 */
function writeStackEnv(file: string, env: Record<string, string>): void {
  if (existsSync(file)) chmodSync(file, 0o600);
  writeFileSync(file, Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
}

async function temporalHealthy(port: number): Promise<boolean> {
  const connection = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 1000 });
  try {
    await connection.workflowService.getSystemInfo({});
    return true;
  } finally {
    await connection.close();
  }
}

async function motoHealthy(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/moto-api/`);
  return response.ok;
}

async function ensureService(
  s: StackSettings,
  name: string,
  port: number,
  start: () => void,
  healthy: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  if (!runningPid(s.dir, name)) {
    if (await portOpen(port)) {
      throw new Error(`Port ${port} for ${name} is taken by another program; stop it or choose another port (see README, "Ports")`);
    }
    start();
  }
  await waitFor(name, healthy, timeoutMs, logFile(s.dir, name));
}

/**
 * How the worker is started (the Dockerfile does the same): --expose-gc lets a large email's parse collect
 * its buffers at once, and with a fixed mmap threshold glibc gives buffers of 4 MB and more back to the
 * system when they are freed instead of keeping them in its heap (README, Performance).
 */
export const WORKER_MEMORY_TUNING = { args: ['--expose-gc'], env: { MALLOC_MMAP_THRESHOLD_: String(4 * 1024 * 1024) } };

async function ensureProgram(s: StackSettings, name: 'worker' | 'bridge' | 'web', script: string, env: NodeJS.ProcessEnv): Promise<void> {
  const ready = join(s.dir, `${name}.ready`);
  if (runningPid(s.dir, name) && existsSync(ready)) return;
  // Running but never ready (an earlier `up` was interrupted): replace it rather than start a second one.
  await stopProcess(s.dir, name);
  rmSync(ready, { force: true });
  const tuning = name === 'worker' ? WORKER_MEMORY_TUNING : { args: [], env: {} };
  startDetached(s.dir, name, process.execPath, [...tuning.args, join(PROJECT_ROOT, 'lib', script)], {
    env: { ...tuning.env, ...env, READY_FILE: ready },
    cwd: PROJECT_ROOT,
  });
  await waitFor(name, async () => existsSync(ready) || (runningPid(s.dir, name) === null ? Promise.reject() : false), 120_000, logFile(s.dir, name));
}

/** The admin page's codec server, which the local Temporal Web UI is configured with. */
const codecEndpoint = (s: StackSettings) => `http://127.0.0.1:${s.ports.web}/codec`;

export interface StackInfo {
  env: Record<string, string>;
  temporalUi: string;
  adminUrl: string;
  envFile: string;
}

export interface StackUpOptions {
  /** Variables only the worker gets on top of the stack's (the fault run points its AWS endpoint at a proxy). */
  workerEnv?: Record<string, string>;
}

export async function stackUp(log: (line: string) => void = console.log, options: StackUpOptions = {}): Promise<StackInfo> {
  const s = stackSettings();
  if (!existsSync(join(PROJECT_ROOT, 'lib', 'worker.js'))) throw new Error('The project is not built: run `npm run build` first');
  ensureTools(log);
  mkdirSync(s.dir, { recursive: true });

  log(`PostgreSQL${s.externalDatabaseUrl ? ' (given by STACK_DATABASE_URL)' : ` on 127.0.0.1:${s.ports.postgres}`}`);
  const databaseUrl = s.externalDatabaseUrl ?? (await startPostgres(s.dir, s.ports.postgres));

  log(`AWS emulator (moto: S3, SNS, SQS, SES, DynamoDB) on 127.0.0.1:${s.ports.aws}`);
  await ensureService(
    s,
    'aws',
    s.ports.aws,
    () => startDetached(s.dir, 'aws', toolPath('moto_server'), ['-H', '127.0.0.1', '-p', String(s.ports.aws)]),
    () => motoHealthy(s.ports.aws),
    60_000,
  );

  log(`Temporal dev server on 127.0.0.1:${s.ports.temporal}, Web UI on http://127.0.0.1:${s.ports.temporalUi}`);
  await ensureService(
    s,
    'temporal',
    s.ports.temporal,
    () =>
      startDetached(s.dir, 'temporal', toolPath('temporal'), [
        'server', 'start-dev',
        '--ip', '127.0.0.1',
        '--port', String(s.ports.temporal),
        '--ui-port', String(s.ports.temporalUi),
        '--db-filename', join(s.dir, 'temporal.db'),
        '--namespace', 'default',
        '--log-level', 'warn',
        // The Web UI asks the admin page to decrypt payloads for signed-in operators (README, Customer data in Temporal).
        '--ui-codec-endpoint', codecEndpoint(s),
        ...EMAIL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
      ]),
    () => temporalHealthy(s.ports.temporal),
    120_000,
  );

  // The start flags register them only when the database file is new: register them (idempotently) anyway.
  const connection = await Connection.connect({ address: `127.0.0.1:${s.ports.temporal}` });
  try {
    await registerSearchAttributes(connection, 'default');
  } finally {
    await connection.close();
  }

  log('setup: database migrations and AWS resources');
  const pool = createPool(databaseUrl, 2);
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  const awsEndpoint = `http://127.0.0.1:${s.ports.aws}`;
  const credentials = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
  Object.assign(process.env, credentials);
  const fifo = s.queueKind === 'fifo';
  const provisioned = await provisionAws(createAwsClients({ region: 'us-east-1', endpoint: awsEndpoint }), {
    bucket: INBOUND_BUCKET,
    prefix: 'inbound/',
    topicName: fifo ? 'stackflow-inbound-email.fifo' : 'stackflow-inbound-email',
    queueName: fifo ? 'StackFlow-Events-Ingestion.fifo' : 'StackFlow-Events-Ingestion',
    deadLetterQueueName: fifo ? 'StackFlow-Events-Ingestion-DLQ.fifo' : 'StackFlow-Events-Ingestion-DLQ',
    routingRuleTable: 'StackFlow_EmailRoutingRule',
    parsingRuleTable: 'StackFlow_EmailParsingRule',
    ticketAddress: TICKET_ADDRESS,
    confirmationTemplate: 'email_to_ticket_confirmation',
    receiptRuleShape: s.receiptRuleShape,
    maxReceiveCount: queueMaxReceiveCount(),
  });

  const previous = readStackEnv(s);
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: `127.0.0.1:${s.ports.temporal}`,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: 'email-to-ticket',
    ...credentials,
    AWS_ENDPOINT_URL: awsEndpoint,
    DATABASE_URL: databaseUrl,
    INBOUND_BUCKET,
    INBOUND_PREFIX: 'inbound/',
    INBOUND_TOPIC_ARN: provisioned.topicArn,
    INBOUND_QUEUE_URL: provisioned.queueUrl,
    DEAD_LETTER_QUEUE_URL: provisioned.deadLetterQueueUrl,
    TICKET_ADDRESS,
    TRACKING_BASE_URL: `http://127.0.0.1:${s.ports.web}/track`,
    WEB_PORT: String(s.ports.web),
    WORKER_METRICS_ADDRESS: `127.0.0.1:${s.ports.workerMetrics}`,
    BRIDGE_METRICS_ADDRESS: `127.0.0.1:${s.ports.bridgeMetrics}`,
    WORKER_HEALTH_ADDRESS: `127.0.0.1:${s.ports.workerHealth}`,
    BRIDGE_HEALTH_ADDRESS: `127.0.0.1:${s.ports.bridgeHealth}`,
    ADMIN_USER: 'admin',
    // Made once per stack and kept in stack.env: the local admin page is not left open with a known password.
    ADMIN_PASSWORD: previous.ADMIN_PASSWORD ?? randomBytes(9).toString('base64url'),
    // 43 characters; the web refuses a token under 32. One kept from an older stack is replaced if shorter.
    ADMIN_API_TOKEN: (previous.ADMIN_API_TOKEN?.length ?? 0) >= 32 ? previous.ADMIN_API_TOKEN : randomBytes(32).toString('base64url'),
    TEMPORAL_UI_URL: `http://127.0.0.1:${s.ports.temporalUi}`,
    TEMPORAL_UI_ORIGIN: `http://127.0.0.1:${s.ports.temporalUi}`,
    // Made once per stack, like the password: what this stack's Temporal holds is encrypted with them, so
    // they are kept (a new key would leave the stored histories unreadable).
    PAYLOAD_KEYS: previous.PAYLOAD_KEYS ?? `local-1:${randomBytes(32).toString('base64')}`,
    CUSTOMER_HASH_KEY: previous.CUSTOMER_HASH_KEY ?? randomBytes(32).toString('base64'),
  };
  writeStackEnv(stackEnvFile(s), env);

  const programEnv = { ...process.env, ...env };
  log('worker');
  await ensureProgram(s, 'worker', 'worker.js', { ...programEnv, ...options.workerEnv });
  log('bridge (SQS -> Temporal)');
  await ensureProgram(s, 'bridge', 'starter.js', programEnv);
  log(`admin page on http://127.0.0.1:${s.ports.web}`);
  await ensureProgram(s, 'web', 'web.js', programEnv);
  return { env, temporalUi: env.TEMPORAL_UI_URL, adminUrl: `http://127.0.0.1:${s.ports.web}/admin/quarantine`, envFile: stackEnvFile(s) };
}

export async function stackDown(log: (line: string) => void = console.log): Promise<void> {
  const s = stackSettings();
  for (const name of ['web', 'bridge', 'worker', 'temporal', 'aws']) {
    if (await stopProcess(s.dir, name)) log(`stopped ${name}`);
    rmSync(join(s.dir, `${name}.ready`), { force: true });
  }
  if (!s.externalDatabaseUrl && stopPostgres(s.dir)) log('stopped PostgreSQL');
}

export interface PartStatus {
  name: string;
  running: boolean;
  pid: number | null;
  address: string;
}

export async function stackStatus(): Promise<PartStatus[]> {
  const s = stackSettings();
  const part = async (name: string, port: number | null, address: string): Promise<PartStatus> => {
    const pid = runningPid(s.dir, name);
    const running = port === null ? pid !== null : await portOpen(port);
    return { name, running, pid, address };
  };
  return [
    await part('postgres', s.ports.postgres, `127.0.0.1:${s.ports.postgres}`),
    await part('aws', s.ports.aws, `http://127.0.0.1:${s.ports.aws}`),
    await part('temporal', s.ports.temporal, `127.0.0.1:${s.ports.temporal} (UI http://127.0.0.1:${s.ports.temporalUi})`),
    await part('worker', null, 'task queue email-to-ticket'),
    await part('bridge', null, 'StackFlow-Events-Ingestion'),
    await part('web', s.ports.web, `http://127.0.0.1:${s.ports.web}/admin/quarantine`),
  ];
}
