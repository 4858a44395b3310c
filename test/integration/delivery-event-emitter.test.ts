// The local stand-in for SES event publishing, on the test stack: mail sent through the stack's SES
// endpoint with the configuration set comes back as SES's event records on the set's topic (read here
// from a queue of the test's own, subscribed to that topic: the bridge reads the stack's), the mailbox
// simulator's bounce address bounces, and `delivery-event` publishes a complaint or bounce for the
// newest mail sent to an address, and refuses where it must.
import { OUTBOUND_MESSAGE_TAG, outboundMessageTag } from '../../src/domain/delivery-events';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeConfigurationSetCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { AwsClients, createAwsClients } from '../../src/aws/clients';
import { SesOutageProxy } from '../../src/faults/ses-outage-proxy';
import { newId, openStack } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'bin', 'email-to-ticket.js');
const stack = openStack();
const { aws, config } = stack.ctx;
const FROM = config.ticketAddress;

interface Envelope {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
}
// The record's fields are checked one by one below.
type Record_ = { eventType: string; mail: any; send?: object; delivery?: any; bounce?: any; complaint?: any };

let topicArn: string;
let queueUrl: string;
let subscriptionArn: string;
/** Every notification received so far, by the SES message id its record names. */
const received: { envelope: Envelope; record: Record_ }[] = [];

beforeAll(async () => {
  const set = await aws.ses.send(new DescribeConfigurationSetCommand({ ConfigurationSetName: config.delivery.configurationSet!, ConfigurationSetAttributeNames: ['eventDestinations'] }));
  topicArn = set.EventDestinations!.find((d) => d.SNSDestination)!.SNSDestination!.TopicARN!;
  queueUrl = (await aws.sqs.send(new CreateQueueCommand({ QueueName: newId('emitter-events') }))).QueueUrl!;
  const queueArn = (await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  // Not raw delivery: the records arrive in SNS's envelope, as in the stack's own queue.
  subscriptionArn = (await aws.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }))).SubscriptionArn!;
});

afterAll(async () => {
  await aws.sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
  await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  await stack.ctx.close();
});

/** Waits (20 s at most) until `count` records about this SES message have arrived; returns them. */
async function recordsFor(sesMessageId: string, count: number): Promise<{ envelope: Envelope; record: Record_ }[]> {
  const mine = () => received.filter((r) => r.record.mail?.messageId === sesMessageId);
  const deadline = Date.now() + 20_000;
  while (mine().length < count && Date.now() < deadline) {
    const out = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of out.Messages ?? []) {
      const envelope = JSON.parse(m.Body!) as Envelope;
      received.push({ envelope, record: JSON.parse(envelope.Message) as Record_ });
    }
    if (out.Messages?.length) {
      await aws.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: out.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  }
  return mine();
}

function rawEmail(to: string, subject: string): Buffer {
  return Buffer.from(
    [`From: Support <${FROM}>`, `To: ${to}`, `Subject: ${subject}`, `Message-ID: <${newId('m')}@test.example>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'Hello.', ''].join('\r\n'),
  );
}

/** Sends through the stack's SES endpoint (the emitter) with the configuration set and an outbound-id tag. */
async function send(to: string, subject: string, outboundId: string, configurationSet = config.delivery.configurationSet!, through: AwsClients = aws): Promise<string> {
  const out = await through.ses.send(
    new SendRawEmailCommand({ RawMessage: { Data: rawEmail(to, subject) }, ConfigurationSetName: configurationSet, Tags: [{ Name: 'outbound-id', Value: outboundId }] }),
  );
  return out.MessageId!;
}

/** What every record about a mail we sent holds, in SES's event-publishing shape. */
function expectMail(record: Record_, sesMessageId: string, to: string, subject: string, outboundId: string): void {
  expect(record.mail).toMatchObject({
    messageId: sesMessageId,
    source: FROM,
    destination: [to],
    headersTruncated: false,
    commonHeaders: { from: [`Support <${FROM}>`], to: [to], subject, messageId: sesMessageId },
    tags: {
      'ses:configuration-set': [config.delivery.configurationSet],
      'ses:from-domain': [FROM.split('@')[1]],
      'outbound-id': [outboundId],
    },
  });
  expect(record.mail.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  expect(record.mail.sourceArn).toMatch(/^arn:aws:ses:us-east-1:\d{12}:identity\//);
  expect(record.mail.headers).toEqual(expect.arrayContaining([{ name: 'Subject', value: subject }, { name: 'To', value: to }]));
}

function expectEnvelope(envelope: Envelope): void {
  expect(envelope).toMatchObject({ Type: 'Notification', TopicArn: topicArn, Subject: 'Amazon SES Email Event Notification' });
  expect(typeof envelope.MessageId).toBe('string');
}

test('a send through the configuration set: a Send and a Delivery record, with the tags and the SES message id', async () => {
  const to = `${newId('anna')}@example.com`.toLowerCase();
  const id = await send(to, 'Your incident INC0000001', '4242');
  const records = await recordsFor(id, 2);
  expect(records.map((r) => r.record.eventType).sort()).toEqual(['Delivery', 'Send']);
  for (const { envelope, record } of records) {
    expectEnvelope(envelope);
    expectMail(record, id, to, 'Your incident INC0000001', '4242');
  }
  const sent = records.find((r) => r.record.eventType === 'Send')!.record;
  expect(Object.keys(sent).sort()).toEqual(['eventType', 'mail', 'send']);
  expect(sent.send).toEqual({});
  const delivery = records.find((r) => r.record.eventType === 'Delivery')!.record.delivery;
  expect(delivery).toMatchObject({ recipients: [to], smtpResponse: expect.stringMatching(/^250 /) });
  expect(typeof delivery.processingTimeMillis).toBe('number');
});

test("the mailbox simulator's bounce address: a Send and a Bounce (Permanent, 5.1.1), no Delivery", async () => {
  const to = 'bounce@simulator.amazonses.com';
  const id = await send(to, 'Bounce me', '4343');
  const records = await recordsFor(id, 2);
  expect(records.map((r) => r.record.eventType).sort()).toEqual(['Bounce', 'Send']);
  const bounce = records.find((r) => r.record.eventType === 'Bounce')!;
  expectEnvelope(bounce.envelope);
  expectMail(bounce.record, id, to, 'Bounce me', '4343');
  expect(bounce.record.bounce).toMatchObject({
    bounceType: 'Permanent',
    bounceSubType: 'General',
    bouncedRecipients: [{ emailAddress: to, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
  });
  expect(typeof bounce.record.bounce.feedbackId).toBe('string');
});

test('a configuration set SES does not know: the send goes through, nothing is published for it', async () => {
  const unknown = await send(`${newId('bob')}@example.com`.toLowerCase(), 'No set', '1', newId('no-such-set'));
  expect(unknown).toBeTruthy();
  // A later send's records arrive; by then the first one's would have.
  const later = await send(`${newId('bob')}@example.com`.toLowerCase(), 'With the set', '2');
  expect(await recordsFor(later, 2)).toHaveLength(2);
  expect(received.filter((r) => r.record.mail?.messageId === unknown)).toEqual([]);
});

test("the fault run's SES outage proxy: SES goes on to the emitter (events published), the rest to moto; an outage refuses sends", async () => {
  const proxy = new SesOutageProxy(new URL(config.aws.endpoint!), new URL(config.aws.sesEndpoint!));
  const url = await proxy.start();
  try {
    const through = createAwsClients({ region: config.aws.region, endpoint: url, sesEndpoint: url });
    const to = `${newId('frank')}@example.com`.toLowerCase();
    const id = await send(to, 'Through the proxy', '77', undefined, through);
    expect((await recordsFor(id, 2)).map((r) => r.record.eventType).sort()).toEqual(['Delivery', 'Send']);
    const attributes = await through.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    expect(attributes.Attributes?.QueueArn).toMatch(/^arn:aws:sqs:/);
    proxy.sesDown = true;
    await expect(send(to, 'During the outage', '78', undefined, through)).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
    expect(proxy.refused).toBeGreaterThan(0);
  } finally {
    await proxy.stop();
  }
});

/** An outbound email recorded as sent, as the worker records it. */
async function recordOutbound(recipient: string, sentAgo: string): Promise<{ id: number; sesMessageId: string; messageId: string }> {
  const sesMessageId = newId('ses');
  const messageId = `<${newId('m')}@test.example>`;
  const { rows } = await stack.ctx.pool.query(
    `INSERT INTO outbound_emails (dedupe_key, kind, incident_number, recipient, subject, ses_message_id, message_id, sent_at)
     VALUES ($1, 'confirmation', 'INC0000099', $2, 'Your incident INC0000099', $3, $4, now() - $5::interval) RETURNING id`,
    [newId('emitter-test'), recipient, sesMessageId, messageId, sentAgo],
  );
  return { id: Number(rows[0].id), sesMessageId, messageId };
}

const cli = (args: string[], env: Record<string, string> = {}) => run(process.execPath, [CLI, ...args], { env: { ...process.env, ...TEST_STACK_ENV, ...env } });

test('delivery-event complaint: a Complaint for the newest mail sent to the address, tagged as our mail is', async () => {
  const recipient = `${newId('carol')}@example.com`.toLowerCase();
  const older = await recordOutbound(recipient, '1 hour');
  const newest = await recordOutbound(recipient, '1 minute');
  const { stdout } = await cli(['delivery-event', 'complaint', recipient.toUpperCase()]);
  expect(stdout).toContain(`published Complaint for ${recipient} to ${topicArn}`);
  expect(stdout).toContain(`outbound email ${newest.id}`);
  const [complaint] = await recordsFor(newest.sesMessageId, 1);
  expectEnvelope(complaint.envelope);
  expect(complaint.record.eventType).toBe('Complaint');
  expect(complaint.record.complaint).toMatchObject({ complainedRecipients: [{ emailAddress: recipient }], complaintFeedbackType: 'abuse' });
  expect(complaint.record.mail).toMatchObject({
    messageId: newest.sesMessageId,
    destination: [recipient],
    tags: { [OUTBOUND_MESSAGE_TAG]: [outboundMessageTag(newest.messageId)], 'ses:configuration-set': [config.delivery.configurationSet] },
  });
  expect(received.filter((r) => r.record.mail?.messageId === older.sesMessageId)).toEqual([]);
});

test('delivery-event bounce --transient --json prints the published Transient bounce', async () => {
  const recipient = `${newId('dave')}@example.com`.toLowerCase();
  const sent = await recordOutbound(recipient, '5 minutes');
  const printed = JSON.parse((await cli(['delivery-event', 'bounce', recipient, '--transient', '--json'])).stdout);
  expect(printed).toMatchObject({ eventType: 'Bounce', bounce: { bounceType: 'Transient', bounceSubType: 'MailboxFull' }, mail: { messageId: sent.sesMessageId } });
  const [bounce] = await recordsFor(sent.sesMessageId, 1);
  expect(bounce.record).toEqual(printed);
});

test('delivery-event refuses an address nothing was sent to, and real AWS', async () => {
  const nobody = `${newId('nobody')}@example.com`.toLowerCase();
  await expect(cli(['delivery-event', 'bounce', nobody])).rejects.toMatchObject({ stderr: expect.stringContaining(`Nothing was sent to ${nobody}`) });
  const recipient = `${newId('erin')}@example.com`.toLowerCase();
  await recordOutbound(recipient, '1 minute');
  await expect(cli(['delivery-event', 'complaint', recipient], { AWS_ENDPOINT_URL: '' })).rejects.toMatchObject({ stderr: expect.stringContaining('local stack only') });
});
