// The core scenarios against a real Temporal server (PostgreSQL, SQL visibility, mTLS) with two workers
// and two bridges: a new ticket, a duplicate delivery, quarantine and release, a reply.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Connection, ConnectionOptions } from '@temporalio/client';
import { getIncident } from '../../src/db/incidents';
import { TEMPORAL_SERVER_VERSION } from '../../src/stack/settings';
import { header, newId, openStack, replyEmail, uniqueEmail, waitFor } from '../integration/helpers';
import { TEST_STACK_ENV } from '../integration/stack-env';

const stack = openStack();
afterAll(() => stack.ctx.close());

/** Messages the two bridges counted with `result` (each serves its metrics; the second 100 ports above the first). */
async function bridgesCounted(result: string): Promise<number> {
  const first = Number(TEST_STACK_ENV.STACK_BRIDGE_METRICS_PORT);
  let sum = 0;
  for (const port of [first, first + 100]) {
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const line = metrics.split('\n').find((l) => l.startsWith(`email_to_ticket_bridge_messages_total{result="${result}"}`));
    sum += Number(line?.split(' ').pop() ?? 0);
  }
  return sum;
}

const confirmationsTo = async (address: string) => (await stack.outbox()).filter((m) => m.to.includes(address));

/** The pinned release, as the server reports it (no leading v). */
const SERVER_VERSION = TEMPORAL_SERVER_VERSION.replace(/^v/, '');

test('the stack runs the real server, which takes only TLS with a client certificate from the stack\'s CA', async () => {
  const client = await stack.ctx.temporal();
  expect((await client.connection.workflowService.getSystemInfo({})).serverVersion).toBe(SERVER_VERSION);

  // The stack's configuration (read by the Deployment above) names the CA and the server's name.
  const address = process.env.TEMPORAL_ADDRESS!;
  const serverTls = { serverNameOverride: process.env.TEMPORAL_TLS_SERVER_NAME, serverRootCACertificate: readFileSync(process.env.TEMPORAL_TLS_SERVER_CA_CERT_PATH!) };
  const answers = async (options: ConnectionOptions) => {
    const connection = await Connection.connect({ address, connectTimeout: 3000, ...options });
    try {
      return (await connection.workflowService.getSystemInfo({})).serverVersion;
    } finally {
      await connection.close();
    }
  };
  await expect(answers({})).rejects.toThrow();
  await expect(answers({ tls: serverTls })).rejects.toThrow();
  const clientCertPair = { crt: readFileSync(process.env.TEMPORAL_TLS_CLIENT_CERT_PATH!), key: readFileSync(process.env.TEMPORAL_TLS_CLIENT_KEY_PATH!) };
  expect(await answers({ tls: { ...serverTls, clientCertPair } })).toBe(SERVER_VERSION);
});

test('a new email becomes one incident and one confirmation', async () => {
  const id = newId('cluster-new');
  const customer = `${id}@customer.example`;
  await stack.deliver(uniqueEmail('plain-text.eml', id, customer), { messageId: id });
  const status = await stack.finish(id);
  expect(status).toMatchObject({ stage: 'confirmed', workflowStatus: 'COMPLETED' });
  expect(await stack.incidentsFor(id)).toEqual([status.incidentNumber]);
  const confirmations = await confirmationsTo(customer);
  expect(confirmations).toHaveLength(1);
  expect(confirmations[0].subject).toContain(status.incidentNumber!);
});

test('the same SES notification delivered twice, to either bridge, makes one incident and one confirmation', async () => {
  const id = newId('cluster-dup');
  const customer = `${id}@customer.example`;
  const raw = uniqueEmail('plain-text.eml', id, customer);
  const duplicatesBefore = await bridgesCounted('duplicate');
  await stack.deliver(raw, { messageId: id });
  await stack.deliver(raw, { messageId: id });
  expect(await stack.finish(id)).toMatchObject({ stage: 'confirmed', workflowStatus: 'COMPLETED' });
  // The second copy reached a bridge and was recognised (its workflow id was taken), not just lost.
  await waitFor(async () => ((await bridgesCounted('duplicate')) > duplicatesBefore ? true : null));
  expect(await stack.incidentsFor(id)).toHaveLength(1);
  expect(await confirmationsTo(customer)).toHaveLength(1);
});

test('a quarantined email released through the CLI continues to an incident', async () => {
  const id = newId('cluster-spam');
  await stack.deliver(uniqueEmail('html-only.eml', id, `${id}@spam.example`), { messageId: id, verdicts: { spam: 'FAIL' } });
  expect(await stack.settle(id)).toMatchObject({ stage: 'quarantined', incidentNumber: null, workflowStatus: 'RUNNING' });
  expect(await stack.incidentsFor(id)).toEqual([]);

  // The CLI is a client of its own: it reaches the server with the stack's certificates too.
  const cli = join(__dirname, '..', '..', 'bin', 'email-to-ticket.js');
  await promisify(execFile)(process.execPath, [cli, 'quarantine', 'release', id], { env: { ...process.env, ...TEST_STACK_ENV } });
  expect(await stack.finish(id)).toMatchObject({ stage: 'confirmed', workflowStatus: 'COMPLETED' });
  expect(await stack.incidentsFor(id)).toHaveLength(1);
});

test('a reply to the confirmation is threaded onto the incident: a comment, no new incident', async () => {
  const id = newId('cluster-thread');
  const customer = `${id}@customer.example`;
  await stack.deliver(uniqueEmail('plain-text.eml', id, customer), { messageId: id });
  const created = await stack.finish(id);
  const number = created.incidentNumber!;
  const [confirmation] = await confirmationsTo(customer);

  const replyId = newId('cluster-reply');
  const body = 'The jam is back after restarting the printer.';
  await stack.deliver(
    replyEmail({ from: customer, subject: `Re: ${confirmation.subject}`, messageId: `${replyId}@customer.example`, inReplyTo: header(confirmation.raw!, 'Message-ID'), body }),
    { messageId: replyId },
  );
  expect(await stack.finish(replyId)).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: number });
  expect(await stack.incidentsFor(replyId)).toEqual([]);
  // The incident's only comment is the reply (the agent wrote none).
  const comments = await waitFor(async () => {
    const incident = await getIncident(stack.ctx.pool, number);
    return incident!.comments.length > 0 ? incident!.comments : null;
  });
  expect(comments).toEqual([expect.objectContaining({ source: 'email', body })]);
});
