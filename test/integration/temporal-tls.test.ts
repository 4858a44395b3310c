// Worker and client reach Temporal over mutual TLS with the TEMPORAL_TLS_* configuration. The dev
// server speaks plaintext only, so the test puts a TLS terminator in front of it that, like a secured
// cluster's frontend, requires a client certificate from its CA; the cluster suite (npm run
// test:cluster) does the same against a real Temporal server with TLS of its own.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, Server, TLSSocket } from 'node:tls';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { loadConfig } from '../../src/config';
import { inboundEmailWorkflowId } from '../../src/domain/workflow-ids';
import { newSesMessageId } from '../../src/operations/ingest-email';
import { ensureLocalCertificates } from '../../src/stack/certificates';
import { createLogger } from '../../src/logger';
import { createTemporalClient } from '../../src/temporal-connection';
import { inboundEmail } from '../../src/workflows';
import { freePort, newId, openStack, uniqueEmail, waitFor } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const stack = openStack();
const certs = ensureLocalCertificates(mkdtempSync(join(tmpdir(), 'e2t-tls-test-')));
const other = ensureLocalCertificates(mkdtempSync(join(tmpdir(), 'e2t-tls-other-')));
/** Common names of the client certificates the terminator accepted. */
const clients: string[] = [];
let terminator: Server;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  terminator = createTlsServer(
    {
      cert: readFileSync(certs.serverCertFile),
      key: readFileSync(certs.serverKeyFile),
      ca: readFileSync(certs.caFile),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket: TLSSocket) => {
      clients.push(String(socket.getPeerCertificate().subject?.CN));
      const upstream = connect(Number(TEST_STACK_ENV.STACK_TEMPORAL_PORT), '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      const end = () => (socket.destroy(), upstream.destroy());
      socket.on('error', end);
      upstream.on('error', end);
    },
  );
  terminator.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => terminator.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  worker?.kill('SIGTERM');
  await new Promise((r) => terminator.close(r));
  await stack.ctx.close();
});

const tlsEnv = (overrides: Record<string, string> = {}) => ({
  ...process.env,
  TEMPORAL_ADDRESS: `127.0.0.1:${(terminator.address() as AddressInfo).port}`,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.caFile,
  TEMPORAL_TLS_SERVER_NAME: certs.serverName,
  TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clientCertFile,
  TEMPORAL_TLS_CLIENT_KEY_PATH: certs.clientKeyFile,
  ...overrides,
});

test('a worker and a client connected over mTLS run an email to its incident', async () => {
  stack.ctx.config; // loads the stack's configuration into process.env
  const taskQueue = newId('tls');
  const healthPort = await freePort();
  worker = spawn(process.execPath, [join(__dirname, '..', '..', 'lib', 'worker.js')], {
    env: tlsEnv({ TEMPORAL_TASK_QUEUE: taskQueue, WORKER_HEALTH_ADDRESS: `127.0.0.1:${healthPort}`, WORKER_METRICS_ADDRESS: '' }),
    stdio: 'ignore',
  });
  // Ready means Temporal answered through the terminator and the worker polls its task queue.
  await waitFor(async () => (await fetch(`http://127.0.0.1:${healthPort}/readyz`).catch(() => null))?.ok || null);

  const config = loadConfig(tlsEnv());
  const client = await createTemporalClient(config, createLogger('test'));
  // Stored as SES would, but not announced to the queue: this run belongs to the TLS worker's task queue.
  const sesMessageId = newSesMessageId();
  const key = config.inbound.prefix + sesMessageId;
  await stack.ctx.aws.s3.send(new PutObjectCommand({ Bucket: config.inbound.bucket, Key: key, Body: uniqueEmail('plain-text.eml', newId('tls-mail')) }));
  const pass = 'PASS' as const;
  const handle = await client.workflow.start(inboundEmail, {
    taskQueue,
    workflowId: inboundEmailWorkflowId(sesMessageId),
    args: [{ notice: { sesMessageId, bucket: config.inbound.bucket, key, recipients: [config.ticketAddress], verdicts: { spam: pass, virus: pass, spf: pass, dkim: pass, dmarc: pass } } }],
  });
  const outcome = await handle.result();
  await client.connection.close();
  expect(outcome.incidentNumber).toMatch(/^INC\d{7}$/);
  expect(await stack.incidentsFor(sesMessageId)).toEqual([outcome.incidentNumber]);
  // Every connection through the terminator presented our client certificate.
  expect(clients.length).toBeGreaterThanOrEqual(2);
  expect(new Set(clients)).toEqual(new Set(['email-to-ticket']));
}, 90_000);

test.each([
  ['without a client certificate', { TEMPORAL_TLS_CLIENT_CERT_PATH: '', TEMPORAL_TLS_CLIENT_KEY_PATH: '' }],
  ['with a client certificate from another CA', { TEMPORAL_TLS_CLIENT_CERT_PATH: other.clientCertFile, TEMPORAL_TLS_CLIENT_KEY_PATH: other.clientKeyFile }],
  ['trusting another CA than the server\'s', { TEMPORAL_TLS_SERVER_CA_CERT_PATH: other.caFile }],
])('the CLI %s is refused, with the reason', async (_, overrides) => {
  const result = await runCli(['versions'], tlsEnv(overrides));
  expect(result.status).not.toBe(0);
  expect(result.output).toMatch(/Cannot reach Temporal at 127.0.0.1:\d+ over TLS/);
});

test('the CLI with the full configuration answers', async () => {
  const result = await runCli(['versions', '--json'], tlsEnv());
  expect(result.output).toContain('[');
  expect(result.status).toBe(0);
});

/** Asynchronously: the terminator runs in this process and must go on accepting meanwhile. */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(__dirname, '..', '..', 'lib', 'cli.js'), ...args], { env, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ status: err ? ((err as { code?: number }).code ?? -1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}
