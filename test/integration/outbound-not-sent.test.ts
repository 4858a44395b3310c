// Mail of ours that does not go out, on the real stack. SES (the emulator, as real SES does) refuses to
// send while our address is not a verified identity (as in a sandbox or after a misconfiguration): the
// incident exists without a confirmation, the reason is recorded, nothing is retried; an agent comment "send to customer" to that address is stored and
// recorded as not sent, and the thread goes on. And we never mail our own address: an email whose
// sender is TICKET_ADDRESS gets its incident but no confirmation, and a comment to it is not sent.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteIdentityCommand, ListIdentitiesCommand, VerifyDomainIdentityCommand, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { getInboundEmail } from '../../src/db/inbound-emails';
import { newId, openStack } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const stack = openStack();
afterAll(() => stack.ctx.close());

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'bin', 'email-to-ticket.js');
const cli = (...args: string[]) => run(process.execPath, [CLI, ...args], { env: { ...process.env, ...TEST_STACK_ENV } });

/** What SES answers when the sender is no verified identity. */
const SES_ANSWER = 'MessageRejected: Did not have authority to send from email';
const REFUSAL = `SES refused the email: ${SES_ANSWER}`;

function mail(id: string, from: string, subject: string): Buffer {
  return Buffer.from(
    [`From: ${from}`, `To: ${stack.ctx.config.ticketAddress}`, `Subject: ${subject}`, `Message-ID: <${id}@test.example>`, 'Content-Type: text/plain; charset=utf-8', '', 'Please help.', ''].join('\r\n'),
  );
}

async function outboundRows(incidentNumber: string) {
  const { rows } = await stack.ctx.pool.query('SELECT dedupe_key, kind, recipient, sent_at, failure, send_started_at FROM outbound_emails WHERE incident_number = $1 ORDER BY id', [incidentNumber]);
  return rows as { dedupe_key: string; kind: string; recipient: string; sent_at: Date | null; failure: string | null; send_started_at: Date | null }[];
}

async function comments(incidentNumber: string) {
  const { rows } = await stack.ctx.pool.query(
    `SELECT c.body, c.source, c.sent_to_customer, c.send_failure FROM incident_comments c JOIN incidents i ON i.id = c.incident_id WHERE i.number = $1 ORDER BY c.id`,
    [incidentNumber],
  );
  return rows as { body: string; source: string; sent_to_customer: boolean; send_failure: string | null }[];
}

/** `incident comment --send-to-customer` through the binary: its exit and what it printed. */
async function commentToCustomer(incidentNumber: string, body: string): Promise<{ ok: boolean; out: string }> {
  return cli('incident', 'comment', incidentNumber, '--body', body, '--send-to-customer', '--author', 'Dana').then(
    (r) => ({ ok: true, out: r.stdout }),
    (err: { stderr: string }) => ({ ok: false, out: err.stderr }),
  );
}

describe('SES refusing to send', () => {
  const id = newId('refused');
  const address = `${id}@customer.example`;
  let incidentNumber: string;
  // Our address and its domain (whichever of the two setup verified) stop being verified identities for
  // these tests, and are verified again after.
  const ticketAddress = () => stack.ctx.config.ticketAddress;
  let removed: string[] = [];
  beforeAll(async () => {
    const { Identities = [] } = await stack.ctx.aws.ses.send(new ListIdentitiesCommand({}));
    removed = [ticketAddress(), ticketAddress().split('@')[1]].filter((identity) => Identities.includes(identity));
    expect(removed.length).toBeGreaterThan(0);
    for (const identity of removed) await stack.ctx.aws.ses.send(new DeleteIdentityCommand({ Identity: identity }));
  });
  afterAll(async () => {
    for (const identity of removed) {
      if (identity.includes('@')) await stack.ctx.aws.ses.send(new VerifyEmailIdentityCommand({ EmailAddress: identity }));
      else await stack.ctx.aws.ses.send(new VerifyDomainIdentityCommand({ Domain: identity }));
    }
  });

  test('the incident exists without a confirmation, the refusal recorded as the reason, nothing retried', async () => {
    await stack.deliver(mail(id, `Anna Customer <${address}>`, 'Cannot log in'), { messageId: id });
    const status = await stack.finish(id);
    expect(status).toMatchObject({ stage: 'incident-created', workflowStatus: 'COMPLETED' });
    expect(status.reason).toMatch(new RegExp(`^no confirmation: ${REFUSAL}`));
    incidentNumber = status.incidentNumber!;
    expect(await stack.incidentsFor(id)).toEqual([incidentNumber]);
    expect(await getInboundEmail(stack.ctx.pool, id)).toMatchObject({ stage: 'incident-created', reason: status.reason, incidentNumber });
    // The claim was released with SES's answer, and nothing reached SES's sent mail.
    expect(await outboundRows(incidentNumber)).toEqual([
      { dedupe_key: `confirmation:${id}`, kind: 'confirmation', recipient: address, sent_at: null, failure: expect.stringMatching(new RegExp(`^${SES_ANSWER}`)), send_started_at: null },
    ]);
    expect((await stack.outbox()).filter((m) => m.subject.includes(incidentNumber))).toEqual([]);
  });

  test('an agent comment to that customer is stored and recorded as not sent, and the thread goes on', async () => {
    const refused = await commentToCustomer(incidentNumber, 'Could you try again?');
    expect(refused.ok).toBe(false);
    expect(refused.out).toContain(`was stored but not sent: ${REFUSAL}`);
    const [stored] = await comments(incidentNumber);
    expect(stored).toEqual({ body: 'Could you try again?', source: 'agent', sent_to_customer: false, send_failure: expect.stringMatching(new RegExp(`^${REFUSAL}`)) });

    // The thread still takes the next event.
    const { stdout } = await cli('incident', 'comment', incidentNumber, '--body', 'Customer address is broken', '--author', 'Dana');
    expect(stdout).toMatch(/^comment \S+ added$/m);
    expect((await comments(incidentNumber)).map((c) => [c.body, c.send_failure])).toEqual([
      ['Could you try again?', stored.send_failure],
      ['Customer address is broken', null],
    ]);
    expect(JSON.parse((await cli('incident', 'thread', incidentNumber, '--json')).stdout)).toMatchObject({ incidentNumber, total: 2, closed: false });
    expect((await stack.outbox()).filter((m) => m.subject.includes(incidentNumber))).toEqual([]);
  }, 60_000);
});

describe('our own address as the sender', () => {
  test('gets an incident but no confirmation, and a comment "sent to the customer" is not mailed to it', async () => {
    const ticketAddress = stack.ctx.config.ticketAddress;
    const id = newId('self');
    await stack.deliver(mail(id, `Support <${ticketAddress}>`, `Loop test ${id}`), { messageId: id });
    const status = await stack.finish(id);
    expect(status).toMatchObject({ stage: 'incident-created', reason: 'no confirmation: recipient is our own address', workflowStatus: 'COMPLETED' });
    const incidentNumber = status.incidentNumber!;
    expect(await stack.incidentsFor(id)).toEqual([incidentNumber]);
    // Refused before anything is claimed or sent.
    expect(await outboundRows(incidentNumber)).toEqual([]);
    expect((await stack.outbox()).filter((m) => m.to.includes(ticketAddress))).toEqual([]);

    const comment = await commentToCustomer(incidentNumber, 'Talking to ourselves?');
    expect(comment.ok).toBe(false);
    expect(comment.out).toContain('was stored but not sent: recipient is our own address');
    expect(await comments(incidentNumber)).toEqual([{ body: 'Talking to ourselves?', source: 'agent', sent_to_customer: false, send_failure: 'recipient is our own address' }]);
    expect((await stack.outbox()).filter((m) => m.to.includes(ticketAddress))).toEqual([]);
  }, 60_000);
});
