// `email-to-ticket stack up|down|status`: the whole product on loopback, started in the background.
// Temporal (dev server with Web UI and a SQLite file so state survives a restart, or a real server:
// see temporal.ts), moto (S3, SNS, SQS, SES, DynamoDB, Cognito) with the SES events emitter in front of
// its SES, PostgreSQL, the setup step, then the worker(s) and the bridge(s). `up` twice starts nothing twice.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAwsClients } from '../aws/clients';
import { provisionAws } from '../aws/provision';
import { ensureUserPool } from '../aws/user-pool-setup';
import { loadConfig, queueMaxReceiveCount } from '../config';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { ensureReconciliationScheduleFor } from '../operations/reconciliation';
import { startPostgres, stopPostgres } from './postgres';
import { ensureService, logFile, portOpen, runningPid, startDetached, stopProcess, waitFor } from './processes';
import { PROJECT_ROOT, StackSettings, stackSettings } from './settings';
import { ensureTemporal } from './temporal';
import { ensureTools, toolPath } from './tools';

export const TICKET_ADDRESS = 'tickets@your-instance.stackflow-tech.com';
export const INBOUND_BUCKET = 'stackflow-email-inbox';
/** The user pool the stack makes in moto, and its agent group (USER_DIRECTORY=cognito reads them). */
export const USER_POOL_NAME = 'stackflow-users';
export const AGENT_GROUP = 'agents';
/** Outbound mail goes through it; its events come back through the stack's emitter (README, "Delivery feedback"). */
export const DELIVERY_CONFIGURATION_SET = 'email-to-ticket';
const ENV_FILE = 'stack.env';
/** The process that stands in for SES event publishing (delivery-event-emitter.ts). */
export const SES_EVENTS = 'ses-events';

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

async function motoHealthy(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/moto-api/`);
  return response.ok;
}

/**
 * How the worker is started (the Dockerfile does the same): --expose-gc lets a large email's parse collect
 * its buffers at once, and with a fixed mmap threshold glibc gives buffers of 4 MB and more back to the
 * system when they are freed instead of keeping them in its heap (README, Performance).
 */
export const WORKER_MEMORY_TUNING = { args: ['--expose-gc'], env: { MALLOC_MMAP_THRESHOLD_: String(4 * 1024 * 1024) } };

type ProgramKind = 'worker' | 'bridge' | 'web';

async function ensureProgram(s: StackSettings, kind: ProgramKind, name: string, script: string, env: NodeJS.ProcessEnv): Promise<void> {
  const ready = join(s.dir, `${name}.ready`);
  if (runningPid(s.dir, name) && existsSync(ready)) return;
  // Running but never ready (an earlier `up` was interrupted): replace it rather than start a second one.
  await stopProcess(s.dir, name);
  rmSync(ready, { force: true });
  const tuning = kind === 'worker' ? WORKER_MEMORY_TUNING : { args: [], env: {} };
  startDetached(s.dir, name, process.execPath, [...tuning.args, join(PROJECT_ROOT, 'lib', script)], {
    env: { ...tuning.env, ...env, READY_FILE: ready },
    cwd: PROJECT_ROOT,
  });
  await waitFor(name, async () => existsSync(ready) || (runningPid(s.dir, name) === null ? Promise.reject() : false), 120_000, logFile(s.dir, name));
}

/** Workers and bridges are `worker`, `worker-2`, ... (STACK_WORKERS, STACK_BRIDGES); the first keeps the plain name. */
const instanceName = (kind: 'worker' | 'bridge', i: number) => (i === 1 ? kind : `${kind}-${i}`);

/** Each further instance serves its metrics and health 100 ports above the previous one. */
function instanceAddresses(s: StackSettings, kind: 'worker' | 'bridge', i: number): Record<string, string> {
  const shift = 100 * (i - 1);
  const [metrics, health] = kind === 'worker' ? [s.ports.workerMetrics, s.ports.workerHealth] : [s.ports.bridgeMetrics, s.ports.bridgeHealth];
  const prefix = kind.toUpperCase();
  return { [`${prefix}_METRICS_ADDRESS`]: `127.0.0.1:${metrics + shift}`, [`${prefix}_HEALTH_ADDRESS`]: `127.0.0.1:${health + shift}` };
}

/** The instances a stack folder has pid files for, so `down` stops them whatever STACK_WORKERS says now. */
function instancesIn(dir: string, kind: 'worker' | 'bridge', wanted: number): string[] {
  const found = existsSync(dir) ? readdirSync(dir).map((f) => new RegExp(`^${kind}-(\\d+)\\.pid$`).exec(f)).filter((m) => m !== null).map((m) => Number(m[1])) : [];
  const count = Math.max(wanted, ...found);
  return Array.from({ length: count }, (_, i) => instanceName(kind, i + 1));
}

export interface StackInfo {
  env: Record<string, string>;
  /** The Temporal Web UI, when the stack has one (not with STACK_TEMPORAL=server). */
  temporalUi: string | null;
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

  log(`AWS emulator (moto: S3, SNS, SQS, SES, DynamoDB, Cognito) on 127.0.0.1:${s.ports.aws}`);
  await ensureService(
    s.dir,
    'aws',
    s.ports.aws,
    () => startDetached(s.dir, 'aws', toolPath('moto_server'), ['-H', '127.0.0.1', '-p', String(s.ports.aws)]),
    () => motoHealthy(s.ports.aws),
    60_000,
  );
  const awsEndpoint = `http://127.0.0.1:${s.ports.aws}`;
  const credentials = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
  // moto accepts sends through a configuration set but publishes no events: SES goes through the emitter.
  log(`SES events (the stand-in for SES event publishing, in front of moto) on 127.0.0.1:${s.ports.sesEvents}`);
  await ensureService(
    s.dir,
    SES_EVENTS,
    s.ports.sesEvents,
    () =>
      startDetached(s.dir, SES_EVENTS, process.execPath, [join(PROJECT_ROOT, 'lib', 'stack', 'delivery-event-emitter-main.js')], {
        env: { ...process.env, ...credentials, SES_EVENTS_PORT: String(s.ports.sesEvents), SES_EVENTS_UPSTREAM: awsEndpoint },
        cwd: PROJECT_ROOT,
      }),
    // moto's page, answered through the emitter: both are up.
    () => motoHealthy(s.ports.sesEvents),
    30_000,
  );

  const temporal = await ensureTemporal(s, databaseUrl, log);

  log('setup: database migrations and AWS resources');
  const pool = createPool(databaseUrl, 2);
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  Object.assign(process.env, credentials);
  const fifo = s.queueKind === 'fifo';
  const aws = createAwsClients({ region: 'us-east-1', endpoint: awsEndpoint });
  const provisioned = await provisionAws(aws, {
    region: 'us-east-1',
    bucket: INBOUND_BUCKET,
    prefix: 'inbound/',
    topicName: fifo ? 'stackflow-inbound-email.fifo' : 'stackflow-inbound-email',
    queueName: fifo ? 'StackFlow-Events-Ingestion.fifo' : 'StackFlow-Events-Ingestion',
    deadLetterQueueName: fifo ? 'StackFlow-Events-Ingestion-DLQ.fifo' : 'StackFlow-Events-Ingestion-DLQ',
    routingRuleTable: 'StackFlow_EmailRoutingRule',
    parsingRuleTable: 'StackFlow_EmailParsingRule',
    ticketAddress: TICKET_ADDRESS,
    confirmationTemplate: 'email_to_ticket_confirmation',
    // The emulator's region has no other rule set: ours is made active, as on a fresh account.
    receiptRule: { shape: s.receiptRuleShape, activate: true },
    // The seed's FIFO queue needs a FIFO topic; moto lets the receipt rule name it, AWS would not
    // (`setup` refuses it; README "Which AWS shapes, and why").
    emulatorAcceptsFifoTopic: fifo,
    maxReceiveCount: queueMaxReceiveCount(),
    configurationSet: DELIVERY_CONFIGURATION_SET,
  });
  // Made whichever directory the stack uses, so that a worker or a command may be pointed at it alone.
  const userPoolId = await ensureUserPool(aws.cognito, USER_POOL_NAME, AGENT_GROUP);

  const previous = readStackEnv(s);
  const env: Record<string, string> = {
    ...temporal.env,
    TEMPORAL_TASK_QUEUE: 'email-to-ticket',
    ...credentials,
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_ENDPOINT_URL_SES: `http://127.0.0.1:${s.ports.sesEvents}`,
    DATABASE_URL: databaseUrl,
    INBOUND_BUCKET,
    INBOUND_PREFIX: 'inbound/',
    INBOUND_TOPIC_ARN: provisioned.topicArn,
    INBOUND_QUEUE_URL: provisioned.queueUrl,
    DEAD_LETTER_QUEUE_URL: provisioned.deadLetterQueueUrl,
    SES_CONFIGURATION_SET: DELIVERY_CONFIGURATION_SET,
    DELIVERY_EVENTS_QUEUE_URL: provisioned.deliveryEvents!.queueUrl,
    DELIVERY_EVENTS_DEAD_LETTER_QUEUE_URL: provisioned.deliveryEvents!.deadLetterQueueUrl,
    TICKET_ADDRESS,
    USER_DIRECTORY: s.userDirectory,
    COGNITO_USER_POOL_ID: userPoolId,
    COGNITO_AGENT_GROUP: AGENT_GROUP,
    TRACKING_BASE_URL: `http://127.0.0.1:${s.ports.web}/track`,
    WEB_PORT: String(s.ports.web),
    ...instanceAddresses(s, 'worker', 1),
    ...instanceAddresses(s, 'bridge', 1),
    ADMIN_USER: 'admin',
    // Made once per stack and kept in stack.env: the local admin page is not left open with a known password.
    ADMIN_PASSWORD: previous.ADMIN_PASSWORD ?? randomBytes(9).toString('base64url'),
    // 43 characters; the web refuses a token under 32. One kept from an older stack is replaced if shorter.
    ADMIN_API_TOKEN: (previous.ADMIN_API_TOKEN?.length ?? 0) >= 32 ? previous.ADMIN_API_TOKEN : randomBytes(32).toString('base64url'),
    ...(temporal.uiUrl ? { TEMPORAL_UI_URL: temporal.uiUrl, TEMPORAL_UI_ORIGIN: temporal.uiUrl } : {}),
    // Made once per stack, like the password: what this stack's Temporal holds is encrypted with them, so
    // they are kept (a new key would leave the stored histories unreadable).
    PAYLOAD_KEYS: previous.PAYLOAD_KEYS ?? `local-1:${randomBytes(32).toString('base64')}`,
    CUSTOMER_HASH_KEY: previous.CUSTOMER_HASH_KEY ?? randomBytes(32).toString('base64'),
  };
  writeStackEnv(stackEnvFile(s), env);

  const programEnv = { ...process.env, ...env };
  const config = loadConfig(programEnv);
  log(`reconciliation schedule (${await ensureReconciliationScheduleFor(config)}): every ${config.reconcile.intervalMinutes} min`);
  for (let i = 1; i <= s.workers; i++) {
    log(instanceName('worker', i));
    await ensureProgram(s, 'worker', instanceName('worker', i), 'worker.js', { ...programEnv, ...instanceAddresses(s, 'worker', i), ...options.workerEnv });
  }
  for (let i = 1; i <= s.bridges; i++) {
    log(`${instanceName('bridge', i)} (SQS -> Temporal)`);
    await ensureProgram(s, 'bridge', instanceName('bridge', i), 'starter.js', { ...programEnv, ...instanceAddresses(s, 'bridge', i) });
  }
  log(`admin page on http://127.0.0.1:${s.ports.web}`);
  await ensureProgram(s, 'web', 'web', 'web.js', programEnv);
  return { env, temporalUi: temporal.uiUrl, adminUrl: `http://127.0.0.1:${s.ports.web}/admin/quarantine`, envFile: stackEnvFile(s) };
}

export async function stackDown(log: (line: string) => void = console.log): Promise<void> {
  const s = stackSettings();
  for (const name of ['web', ...instancesIn(s.dir, 'bridge', s.bridges), ...instancesIn(s.dir, 'worker', s.workers), 'temporal', SES_EVENTS, 'aws']) {
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
    await part(SES_EVENTS, s.ports.sesEvents, `http://127.0.0.1:${s.ports.sesEvents} (SES, publishes its events)`),
    await part('temporal', s.ports.temporal, s.temporal === 'dev' ? `127.0.0.1:${s.ports.temporal} (UI http://127.0.0.1:${s.ports.temporalUi})` : `127.0.0.1:${s.ports.temporal} (server, TLS)`),
    ...(await Promise.all(instancesIn(s.dir, 'worker', s.workers).map((name) => part(name, null, 'task queue email-to-ticket')))),
    ...(await Promise.all(instancesIn(s.dir, 'bridge', s.bridges).map((name) => part(name, null, 'StackFlow-Events-Ingestion')))),
    await part('web', s.ports.web, `http://127.0.0.1:${s.ports.web}/admin/quarantine`),
  ];
}
