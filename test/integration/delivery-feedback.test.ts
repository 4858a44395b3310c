// Delivery feedback on the local stack: our mail goes through the configuration set, the stack's emitter
// publishes SES's events for it (in AWS's format, to the configuration set's topic), and the bridge brings
// them back to the incident: statuses, suppression of automatic mail, and a send claim settled by a Send
// event instead of a second send.
import { randomUUID } from 'node:crypto';
import { SendRawEmailCommand } from '@aws-sdk/client-ses';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { sendOutboundEmail } from '../../src/activities/outbound-mail';
import { liftSuppression, suppressionOf } from '../../src/db/delivery-events';
import { getIncident } from '../../src/db/incidents';
import { reserveOutbound } from '../../src/db/outbound-emails';
import { OUTBOUND_MESSAGE_TAG, outboundMessageTag } from '../../src/domain/delivery-events';
import { composeEmail } from '../../src/mail/compose-email';
import { addAgentComment, waitForComment } from '../../src/operations/incident-thread';
import { withIncidentMail } from '../../src/operations/outbound-mail-view';
import { newId, openStack, uniqueEmail, waitFor } from './helpers';
import { adminCredentials, adminSignIn, webBase } from './admin-session';

const stack = openStack();
afterAll(() => stack.ctx.close());
jest.setTimeout(120_000);

/** SES's events trail the send through SNS, SQS, the bridge and a workflow: up to 60 s. */
const eventually = <T>(probe: () => Promise<T | null | undefined | false>) => waitFor(probe, 60);

async function mailOf(incidentNumber: string) {
  return withIncidentMail(stack.ctx.pool, (await getIncident(stack.ctx.pool, incidentNumber))!);
}

async function newIncident(from: string): Promise<{ id: string; number: string; stage: string; reason: string | null }> {
  const id = newId('feedback');
  await stack.deliver(uniqueEmail('plain-text.eml', id, from), { messageId: id });
  const status = await stack.settle(id);
  return { id, number: status.incidentNumber!, stage: status.stage, reason: status.reason ?? null };
}

test('a confirmation is sent, then delivered: both events reach the incident', async () => {
  const address = `${newId('anna')}@customer.example`;
  const { number, stage } = await newIncident(address);
  expect(stage).toBe('confirmed');
  const mail = await eventually(async () => {
    const m = await mailOf(number);
    return m.outboundMail[0]?.recipients[0]?.status === 'delivered' && m;
  });
  const [confirmation] = mail.outboundMail;
  expect(confirmation).toMatchObject({ kind: 'confirmation', recipient: address, recipients: [{ address, status: 'delivered' }] });
  expect(confirmation.events.map((e) => e.type)).toEqual(['send', 'delivery']);
  expect(mail.suppressedAddresses).toEqual([]);
});

test('a hard bounce suppresses automatic mail to the address; the agent sees why, can still write, and can lift it', async () => {
  const address = 'bounce@simulator.amazonses.com';
  await liftSuppression(stack.ctx.pool, address);
  const first = await newIncident(address);
  expect(first.stage).toBe('confirmed');
  const suppressed = await eventually(() => suppressionOf(stack.ctx.pool, address));
  expect(suppressed).toMatchObject({ reason: 'bounce', detail: expect.stringContaining('5.1.1') });
  const firstMail = await mailOf(first.number);
  expect(firstMail.outboundMail[0].recipients).toEqual([{ address, status: 'bounced' }]);
  expect(firstMail.suppressedAddresses).toEqual([expect.objectContaining({ address, reason: 'bounce' })]);

  // The next email from the address: its incident, and no confirmation, with the reason.
  const second = await newIncident(address);
  expect(second.stage).toBe('incident-created');
  expect(second.reason).toContain('recipient suppressed since');
  expect(second.reason).toContain('hard bounce');

  // An agent's comment is mail a person wrote: it goes out, and bounces again.
  const commentId = await addAgentComment(await stack.ctx.temporal(), stack.ctx.pool, stack.ctx.config.temporal.taskQueue, {
    incidentNumber: second.number,
    body: 'Is there another address we can reach you at?',
    author: 'Agent',
    sendToCustomer: true,
  });
  await waitForComment(stack.ctx.pool, commentId, true, 60_000);
  await eventually(async () => (await mailOf(second.number)).outboundMail.find((m) => m.kind === 'agent-comment')?.recipients[0]?.status === 'bounced');

  // Lifted: automatic mail goes out again.
  expect(await liftSuppression(stack.ctx.pool, address)).toBe(true);
  expect((await newIncident(address)).stage).toBe('confirmed');
  await liftSuppression(stack.ctx.pool, address);
});

test('a complaint suppresses the address, and a delivery does not lift it', async () => {
  const address = 'complaint@simulator.amazonses.com';
  await liftSuppression(stack.ctx.pool, address);
  const { number } = await newIncident(address);
  const suppressed = await eventually(() => suppressionOf(stack.ctx.pool, address));
  expect(suppressed.reason).toBe('complaint');
  // The simulator delivers, then complains: the status is the complaint, and the suppression stays.
  const mail = await eventually(async () => {
    const m = await mailOf(number);
    return m.outboundMail[0]?.events.some((e) => e.type === 'delivery') && m;
  });
  expect(mail.outboundMail[0].recipients).toEqual([{ address, status: 'complained' }]);
  expect(await suppressionOf(stack.ctx.pool, address)).toMatchObject({ reason: 'complaint' });

  // The API and the admin page show it, and the agent lifts it there.
  const api = await fetch(`${webBase()}/api/incidents/${number}`, { headers: { authorization: `Bearer ${adminCredentials(stack.ctx).token}` } });
  expect(await api.json()).toMatchObject({ outboundMail: [{ kind: 'confirmation', recipients: [{ address, status: 'complained' }] }], suppressedAddresses: [{ address, reason: 'complaint' }] });
  const { cookie, csrf } = await adminSignIn(stack.ctx);
  const page = await (await fetch(`${webBase()}/admin/incidents/${number}`, { headers: { cookie } })).text();
  expect(page).toContain('Mail we sent');
  expect(page).toContain(`${address}: complained`);
  expect(page).toContain(`No automatic mail to ${address} since`);
  const lift = `${webBase()}/admin/incidents/${number}/lift-suppression`;
  expect((await fetch(lift, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ address }), redirect: 'manual' })).status).toBe(403);
  const lifted = await fetch(lift, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ address, csrf }), redirect: 'manual' });
  expect(lifted.status).toBe(303);
  expect(decodeURIComponent(lifted.headers.get('location')!)).toContain(`automatic mail to ${address} is sent again`);
  expect(await suppressionOf(stack.ctx.pool, address)).toBeNull();
});

test('an attempt that died after SES accepted its mail: the Send event settles the claim, and the retry sends nothing', async () => {
  const { pool, aws, config } = stack.ctx;
  const key = newId('died');
  const to = `${key}@customer.example`;
  const { number } = await newIncident(`${key}-reporter@customer.example`);
  const messageId = `<${randomUUID()}@${config.ticketAddress.split('@')[1]}>`;
  const dedupeKey = `test:${key}`;
  // What the dead attempt did: claimed the mail, and SES accepted it through the configuration set...
  const claim = await reserveOutbound(pool, { dedupeKey, kind: 'confirmation', incidentNumber: number, recipient: to, subject: 's', messageId }, null);
  expect(claim.outcome).toBe('claimed');
  const raw = await composeEmail({ from: { address: config.ticketAddress, name: 'Support' }, to: [to], cc: [], replyTo: config.ticketAddress, subject: 's', text: 'hi', messageId, headers: {} });
  const accepted = await aws.ses.send(
    new SendRawEmailCommand({
      Source: config.ticketAddress,
      Destinations: [to],
      RawMessage: { Data: raw },
      ConfigurationSetName: config.delivery.configurationSet!,
      Tags: [{ Name: OUTBOUND_MESSAGE_TAG, Value: outboundMessageTag(messageId) }],
    }),
  );
  // ... and died before recording it. SES's Send event records it instead.
  const recorded = await eventually(async () => (await pool.query('SELECT ses_message_id FROM outbound_emails WHERE dedupe_key = $1 AND sent_at IS NOT NULL', [dedupeKey])).rows[0]);
  expect(recorded.ses_message_id).toBe(accepted.MessageId);
  // The retry (another worker, with no memory of the send) finds it sent: nothing goes out again.
  const retry = await sendOutboundEmail({ pool, aws, config }, { dedupeKey, kind: 'confirmation', incidentNumber: number, to: [to], cc: [], subject: 's', text: 'hi', autoResponse: true });
  expect(retry).toMatchObject({ sent: true, alreadySent: true, sesMessageId: accepted.MessageId, messageId });
  expect((await stack.outbox()).filter((m) => m.to.includes(to))).toHaveLength(1);
});

test('a malformed delivery-events message is moved to its dead-letter queue, and the events behind it still arrive', async () => {
  const { aws, config } = stack.ctx;
  const queues = config.delivery.eventsQueue!;
  const marker = newId('garbage');
  await aws.sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: JSON.stringify({ Type: 'Notification', TopicArn: 'arn:aws:sns:us-east-1:123456789012:x', Message: `{"eventType":"Bounce","marker":"${marker}"}` }) }));
  const deadLettered = await eventually(async () => {
    const out = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.deadLetterQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
    return out.Messages?.find((m) => m.Body?.includes(marker));
  });
  expect(deadLettered.MessageAttributes?.reason?.StringValue).toContain('without mail');
  // The bridge went on: a new confirmation's events still come back.
  const { number } = await newIncident(`${newId('after')}@customer.example`);
  await eventually(async () => (await mailOf(number)).outboundMail[0]?.recipients[0]?.status === 'delivered');
});
