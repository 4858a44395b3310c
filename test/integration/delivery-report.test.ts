// A mail server's bounce of our mail that comes to our inbound address (not SES's event) on the local
// stack: it names our confirmation's Message-ID in its returned message and carries an RFC 3464 report;
// it is noted on the incident and tied to the confirmation's recipient (bounced, with the diagnostic),
// without suppressing anything. One naming another recipient changes nothing.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suppressionOf } from '../../src/db/delivery-events';
import { getIncident } from '../../src/db/incidents';
import { withIncidentMail } from '../../src/operations/outbound-mail-view';
import { adminCredentials, adminSignIn, webBase } from './admin-session';
import { newId, openStack, uniqueEmail, waitFor } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const stack = openStack();
afterAll(() => stack.ctx.close());
jest.setTimeout(120_000);

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'bin', 'email-to-ticket.js');

/** SES's events trail the send through SNS, SQS, the bridge and a workflow: up to 60 s. */
const eventually = <T>(probe: () => Promise<T | null | undefined | false>) => waitFor(probe, 60);

async function mailOf(incidentNumber: string) {
  return withIncidentMail(stack.ctx.pool, (await getIncident(stack.ctx.pool, incidentNumber))!);
}

/** A Postfix-style RFC 3464 bounce from the recipient's server, returning our message. */
function bounceOf(messageId: string, failedRecipient: string): Buffer {
  return Buffer.from(
    [
      'From: MAILER-DAEMON@mx.customer.example (Mail Delivery System)',
      `To: ${stack.ctx.config.ticketAddress}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <${newId('dsn')}@mx.customer.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      '',
      '--B',
      'Content-Type: text/plain',
      '',
      'This is the mail system at host mx.customer.example.',
      '',
      '--B',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.example',
      '',
      `Final-Recipient: rfc822; ${failedRecipient}`,
      'Action: failed',
      'Status: 5.1.1',
      `Diagnostic-Code: smtp; 550 5.1.1 <${failedRecipient}>: Recipient address rejected: User unknown`,
      '',
      '--B',
      'Content-Type: message/rfc822',
      '',
      `From: ${stack.ctx.config.ticketAddress}`,
      `To: ${failedRecipient}`,
      `Message-ID: ${messageId}`,
      'Subject: We received your request',
      '',
      'Hello',
      '--B--',
      '',
    ].join('\r\n'),
  );
}

async function deliverBounce(raw: Buffer) {
  const id = newId('bounce');
  await stack.deliver(raw, { messageId: id });
  return stack.settle(id);
}

test("a bounce naming our confirmation's Message-ID marks that recipient bounced, with the diagnostic; one naming another recipient changes nothing", async () => {
  const address = `${newId('anna')}@customer.example`;
  const id = newId('report');
  await stack.deliver(uniqueEmail('plain-text.eml', id, address), { messageId: id });
  const { incidentNumber, stage } = await stack.settle(id);
  expect(stage).toBe('confirmed');
  const number = incidentNumber!;
  // SES's own events first (the stand-in delivers): the report comes on top of them.
  const sent = await eventually(async () => {
    const m = await mailOf(number);
    return m.outboundMail[0]?.recipients[0]?.status === 'delivered' && m.outboundMail[0];
  });
  expect(sent).toMatchObject({ kind: 'confirmation', recipient: address });

  // A bounce naming another recipient, with our Message-ID: noted, but no status of anyone changes.
  const other = await deliverBounce(bounceOf(sent.messageId!, 'boss@customer.example'));
  expect(other).toMatchObject({ stage: 'ignored', incidentNumber: number });
  expect(other.reason).toContain(`noted on ${number}`);
  // Once the thread has kept its note, nothing was tied.
  await eventually(async () => (await getIncident(stack.ctx.pool, number))!.comments.some((c) => c.source === 'note'));
  const unchanged = await mailOf(number);
  expect(unchanged.outboundMail[0].recipients).toEqual([{ address, status: 'delivered' }]);
  expect(unchanged.outboundMail[0].events.map((e) => e.type)).toEqual(['send', 'delivery']);
  expect(unchanged.suppressedAddresses).toEqual([]);

  // The recipient's own server: the confirmation's recipient is bounced, with what the server said.
  const bounce = await deliverBounce(bounceOf(sent.messageId!, address));
  expect(bounce).toMatchObject({ stage: 'ignored', incidentNumber: number });
  const mail = await eventually(async () => {
    const m = await mailOf(number);
    return m.outboundMail[0].events.some((e) => e.source === 'report') && m;
  });
  expect(mail.outboundMail[0].recipients).toEqual([{ address, status: 'bounced' }]);
  expect(mail.outboundMail[0].events.at(-1)).toMatchObject({ type: 'bounce', source: 'report', bounceType: 'Permanent', recipients: [address], detail: expect.stringContaining('550 5.1.1') });
  // Shown, not a suppression: SES's own bounce event is what suppresses.
  expect(await suppressionOf(stack.ctx.pool, address)).toBeNull();
  const incident = await getIncident(stack.ctx.pool, number);
  expect(incident!.comments.filter((c) => c.source === 'note').map((c) => c.body)).toEqual([
    expect.not.stringContaining('our confirmation'),
    expect.stringContaining(`our confirmation to ${address}: bounced (5.1.1 smtp; 550 5.1.1`),
  ]);

  // incident show (text and JSON), the API and the admin page show it.
  const env = { ...process.env, ...TEST_STACK_ENV };
  const text = (await run(process.execPath, [CLI, 'incident', 'show', number], { env })).stdout;
  expect(text).toContain(`${address}: bounced`);
  expect(text).toContain("bounce (the mail server's report to us): 5.1.1 smtp; 550 5.1.1");
  const json = JSON.parse((await run(process.execPath, [CLI, 'incident', 'show', number, '--json'], { env })).stdout);
  expect(json.outboundMail[0].recipients).toEqual([{ address, status: 'bounced' }]);
  const api = await fetch(`${webBase()}/api/incidents/${number}`, { headers: { authorization: `Bearer ${adminCredentials(stack.ctx).token}` } });
  expect(((await api.json()) as { outboundMail: { events: unknown[] }[] }).outboundMail[0].events.at(-1)).toMatchObject({ type: 'bounce', source: 'report' });
  const { cookie } = await adminSignIn(stack.ctx);
  const page = await (await fetch(`${webBase()}/admin/incidents/${number}`, { headers: { cookie } })).text();
  expect(page).toContain(`${address}: bounced`);
  expect(page).toContain('bounce (the mail server&#39;s report to us): 5.1.1 smtp; 550 5.1.1');
});

test("a bounce naming the Message-ID SES gave our mail (<SES message id@...amazonses.com>) is tied to it too", async () => {
  const address = `${newId('bo')}@customer.example`;
  const id = newId('report-ses');
  await stack.deliver(uniqueEmail('plain-text.eml', id, address), { messageId: id });
  const { incidentNumber } = await stack.settle(id);
  const number = incidentNumber!;
  const sent = await eventually(async () => {
    const m = await mailOf(number);
    return m.outboundMail[0]?.recipients[0]?.status === 'delivered' && m.outboundMail[0];
  });
  const bounce = await deliverBounce(bounceOf(`<${sent.sesMessageId}@email.amazonses.com>`, address));
  expect(bounce).toMatchObject({ stage: 'ignored', incidentNumber: number });
  // The email ends once its note is signalled; the thread records the tie a moment later.
  const mail = await eventually(async () => {
    const m = await mailOf(number);
    return m.outboundMail[0].events.some((e) => e.source === 'report') && m;
  });
  expect(mail.outboundMail[0].recipients).toEqual([{ address, status: 'bounced' }]);
  expect(mail.outboundMail[0].events.filter((e) => e.source === 'report')).toHaveLength(1);
});
