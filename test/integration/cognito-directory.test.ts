// Reporters and agents from the Cognito user pool (USER_DIRECTORY=cognito). The test stack keeps the
// PostgreSQL directory (the other tests use it); its user pool is made in moto either way, so this test runs
// a worker of its own configured for the pool, on a task queue of its own, and starts its emails there
// directly (stored in S3 as SES would, not announced to the stack's bridge). Users are added with the CLI.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Client } from '@temporalio/client';
import { getIncident } from '../../src/db/incidents';
import { EmailStatus } from '../../src/domain/types';
import { inboundEmailWorkflowId } from '../../src/domain/workflow-ids';
import { emailStatus } from '../../src/operations/email-status';
import { storeEmailAsSes } from '../../src/operations/ingest-email';
import { inboundEmail } from '../../src/workflows';
import { freePort, newId, openStack, replyEmail, waitFor } from './helpers';

const stack = openStack();
const ROOT = join(__dirname, '..', '..');
const taskQueue = newId('cognito');
const workers: ChildProcess[] = [];
let temporal: Client;

const tag = newId('c').toLowerCase();
const customer = `cora.${tag}@customer.example`;
const agent = `dana.${tag}@helpdesk.example`;
const colleague = `carl.${tag}@customer.example`;
const unverified = `eve.${tag}@customer.example`;

/** The stack's configuration with the Cognito directory (the pool the stack made, named in its env file). */
const cognitoEnv = (more: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...process.env, USER_DIRECTORY: 'cognito', ...more });

const cliWith = (env: NodeJS.ProcessEnv, ...args: string[]) => execFileSync(process.execPath, [join(ROOT, 'lib', 'cli.js'), ...args], { env, encoding: 'utf8' });
const cli = (...args: string[]) => cliWith(cognitoEnv(), ...args);

beforeAll(async () => {
  stack.ctx.config; // loads the stack's configuration (its user pool among it) into process.env
  // Added before any email: the worker keeps answers for COGNITO_CACHE_SECONDS, misses included.
  cli('users', 'add', customer, '--name', 'Cora Cognito');
  cli('users', 'add', agent, '--name', 'Dana Agent', '--agent');
  cli('users', 'add', colleague, '--name', 'Carl Colleague');
  // In the pool, but its email not verified: a claim, which must not name anyone's incident.
  await stack.ctx.aws.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: process.env.COGNITO_USER_POOL_ID,
      Username: unverified,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: unverified }, { Name: 'name', Value: 'Eve Claimed' }],
    }),
  );
  await startWorker(taskQueue);
  temporal = await stack.ctx.temporal();
}, 60_000);

/** A worker with the Cognito directory on its own task queue, polling when this returns. */
async function startWorker(queue: string, more: Record<string, string> = {}): Promise<void> {
  const healthPort = await freePort();
  workers.push(
    spawn(process.execPath, [join(ROOT, 'lib', 'worker.js')], {
      env: cognitoEnv({ TEMPORAL_TASK_QUEUE: queue, WORKER_HEALTH_ADDRESS: `127.0.0.1:${healthPort}`, WORKER_METRICS_ADDRESS: '', ...more }),
      stdio: 'ignore',
    }),
  );
  await waitFor(async () => (await fetch(`http://127.0.0.1:${healthPort}/readyz`).catch(() => null))?.ok || null);
}

afterAll(async () => {
  for (const worker of workers) worker.kill('SIGTERM');
  await stack.ctx.close();
});

/** An email from `from`, started on a Cognito worker's task queue. */
async function start(from: string, subject: string, queue = taskQueue) {
  const raw = replyEmail({ from, subject, messageId: `${newId('m')}@customer.example`, body: `About: ${subject}` });
  const notice = await storeEmailAsSes(stack.ctx.aws, stack.ctx.config, raw);
  return temporal.workflow.start(inboundEmail, { taskQueue: queue, workflowId: inboundEmailWorkflowId(notice.sesMessageId), args: [{ notice }] });
}

/** An email from `from`, run to its outcome by the Cognito worker. */
async function run(from: string, subject: string): Promise<EmailStatus> {
  return (await start(from, subject)).result();
}

test('`users list` shows the pool users the CLI added, the agent marked', () => {
  const listed = JSON.parse(cli('users', 'list', '--json')) as { email: string; name: string; role: string }[];
  expect(listed).toEqual(
    expect.arrayContaining([
      { email: customer, name: 'Cora Cognito', role: 'customer' },
      { email: agent, name: 'Dana Agent', role: 'agent' },
      { email: colleague, name: 'Carl Colleague', role: 'customer' },
    ]),
  );
  // Its email is not verified: not a user of the directory.
  expect(listed.map((u) => u.email)).not.toContain(unverified);
});

test('a user added with `users add` is the reporter of their email, by the name in the pool', async () => {
  const outcome = await run(customer, `Printer jam ${tag}`);
  expect(outcome.stage).toBe('confirmed');
  const incident = await getIncident(stack.ctx.pool, outcome.incidentNumber!);
  expect(incident!.reporter).toEqual({ email: customer, name: 'Cora Cognito', verified: true });
}, 60_000);

test('a pool user whose email is not verified, and an address not in the pool, report nothing', async () => {
  for (const from of [unverified, `nobody.${tag}@customer.example`]) {
    const outcome = await run(from, `Question ${tag}`);
    expect(outcome.incidentNumber).toMatch(/^INC\d{7}$/);
    expect((await getIncident(stack.ctx.pool, outcome.incidentNumber!))!.reporter).toBeNull();
  }
}, 60_000);

test('a member of the agent group speaks on any incident; a pool user outside it gets an incident of their own', async () => {
  const first = await run(customer, `Laptop will not boot ${tag}`);
  const number = first.incidentNumber!;
  const subject = `Re: [${number}] Laptop will not boot ${tag}`;

  const fromAgent = await run(agent, subject);
  expect(fromAgent).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: number });
  expect(fromAgent.reason).toContain(`reply to ${number}`);

  const fromColleague = await run(colleague, subject);
  expect(fromColleague.incidentNumber).not.toBe(number);
  expect(fromColleague.reason).toContain('sender is not the reporter, a participant or an agent');
  expect((await getIncident(stack.ctx.pool, fromColleague.incidentNumber!))!.reporter).toMatchObject({ email: colleague, name: 'Carl Colleague' });
}, 90_000);

test('a pool that cannot answer holds the email at the reporter lookup, retried: the sender is not taken for unknown', async () => {
  const queue = newId('cognito-missing-pool');
  await startWorker(queue, { COGNITO_USER_POOL_ID: 'us-east-1_NoSuchPool0' });
  const handle = await start(customer, `Held ${tag}`, queue);
  const sesMessageId = handle.workflowId.replace(/^inbound-email-/, '');
  // Past the first failures of the lookup (retried from 1 s, doubling), still there, and no incident made.
  const held = await waitFor(async () => {
    const status = await emailStatus(temporal, sesMessageId);
    return status.step === 'lookupReporter' && status.workflowStatus === 'RUNNING' ? status : null;
  });
  await new Promise((r) => setTimeout(r, 3000));
  expect(await emailStatus(temporal, sesMessageId)).toMatchObject({ step: 'lookupReporter', workflowStatus: 'RUNNING', incidentNumber: null });
  expect(held.incidentNumber).toBeNull();
  expect(await stack.incidentsFor(sesMessageId)).toEqual([]);
  await handle.terminate('test: the pool does not exist');
}, 60_000);

test('the stack\'s own directory, PostgreSQL: the same through its bridge and worker, and the pool\'s agent is no agent there', async () => {
  const pgCustomer = `pat.${tag}@customer.example`;
  const pgAgent = `quinn.${tag}@helpdesk.example`;
  cliWith(process.env, 'users', 'add', pgCustomer, '--name', 'Pat Postgres');
  cliWith(process.env, 'users', 'add', pgAgent, '--name', 'Quinn Agent', '--agent');
  const deliver = async (from: string, subject: string) =>
    stack.settle(await stack.deliver(replyEmail({ from, subject, messageId: `${newId('m')}@customer.example`, body: `About: ${subject}` })));

  const first = await deliver(pgCustomer, `Monitor flickers ${tag}`);
  expect(first.stage).toBe('confirmed');
  expect((await getIncident(stack.ctx.pool, first.incidentNumber!))!.reporter).toEqual({ email: pgCustomer, name: 'Pat Postgres', verified: true });
  const subject = `Re: [${first.incidentNumber}] Monitor flickers ${tag}`;
  expect(await deliver(pgAgent, subject)).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: first.incidentNumber });
  // The Cognito agent is no agent of the PostgreSQL directory.
  const fromPoolAgent = await deliver(agent, subject);
  expect(fromPoolAgent.incidentNumber).not.toBe(first.incidentNumber);
  expect(fromPoolAgent.reason).toContain('sender is not the reporter, a participant or an agent');
}, 90_000);
