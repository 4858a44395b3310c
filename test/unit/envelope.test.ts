// The bridge's decoding of what SQS delivers: SNS-wrapped or raw SES notifications, S3 events, and junk.
import { decodeEnvelope } from '../../src/bridge/envelope';

const inbound = { bucket: 'stackflow-email-inbox', prefix: 'inbound/' };
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:stackflow-inbound-email';

function sesNotification(overrides: Record<string, unknown> = {}, action: Record<string, unknown> = {}) {
  return {
    notificationType: 'Received',
    mail: {
      timestamp: '2026-11-24T10:00:00.000Z',
      source: 'bounces@b.example',
      messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1',
      commonHeaders: { from: ['"Doe, Jane" <Jane.Doe@Customer.example>'], subject: 'Printer on fire' },
    },
    receipt: {
      recipients: ['tickets@example.com'],
      spamVerdict: { status: 'FAIL' },
      virusVerdict: { status: 'PASS' },
      spfVerdict: { status: 'PASS' },
      dkimVerdict: { status: 'GRAY' },
      dmarcVerdict: { status: 'PASS' },
      action: { type: 'S3', topicArn: TOPIC, bucketName: 'other-bucket', objectKeyPrefix: 'in/', objectKey: 'in/o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1', ...action },
    },
    ...overrides,
  };
}

const snsWrapped = (message: unknown) =>
  JSON.stringify({ Type: 'Notification', MessageId: 'x', TopicArn: TOPIC, Message: typeof message === 'string' ? message : JSON.stringify(message) });

test('an SNS-wrapped SES receipt notification (S3Action) gives bucket, key, verdicts and recipients', () => {
  expect(decodeEnvelope(snsWrapped(sesNotification()), inbound)).toEqual({
    kind: 'emails',
    emails: [
      {
        notice: {
          sesMessageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1',
          bucket: 'other-bucket',
          key: 'in/o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1',
          verdicts: { spam: 'FAIL', virus: 'PASS', spf: 'PASS', dkim: 'GRAY', dmarc: 'PASS' },
          recipients: ['tickets@example.com'],
          receivedAt: '2026-11-24T10:00:00.000Z',
          // mail.source: the envelope sender SPF was checked for.
          mailFrom: 'bounces@b.example',
        },
        senderAtStart: 'jane.doe@customer.example',
      },
    ],
  });
});

test('raw message delivery (no SNS envelope) decodes the same', () => {
  const raw = decodeEnvelope(JSON.stringify(sesNotification()), inbound);
  expect(raw).toEqual(decodeEnvelope(snsWrapped(sesNotification()), inbound));
});

test("the seed's SNSAction notification names no object: the key is the configured prefix + message id", () => {
  const decoded = decodeEnvelope(snsWrapped(sesNotification({ content: 'RnJvbTogYQ==' }, { type: 'SNS', bucketName: undefined, objectKey: undefined, encoding: 'BASE64' })), inbound);
  expect(decoded).toMatchObject({ kind: 'emails', emails: [{ notice: { bucket: 'stackflow-email-inbox', key: 'inbound/o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1' } }] });
});

test('an envelope sender or recipient list beyond what SES could send is not carried into history', () => {
  const n = sesNotification();
  (n.mail as Record<string, unknown>).source = `${'a'.repeat(300)}@b.example`;
  (n.receipt as Record<string, unknown>).recipients = Array.from({ length: 10_000 }, (_, i) => `r${i}@example.com`);
  const decoded = decodeEnvelope(JSON.stringify(n), inbound);
  const notice = decoded.kind === 'emails' ? decoded.emails[0].notice : null;
  expect(notice?.mailFrom).toBeUndefined();
  expect(notice?.recipients).toHaveLength(100);
});

test('missing verdicts become PROCESSING_FAILED, never PASS', () => {
  const n = sesNotification();
  (n.receipt as Record<string, unknown>).spamVerdict = undefined;
  const decoded = decodeEnvelope(JSON.stringify(n), inbound);
  expect(decoded.kind === 'emails' && decoded.emails[0].notice.verdicts?.spam).toBe('PROCESSING_FAILED');
});

test('an S3 event notification gives one notice per created object, with the URL-encoded key decoded', () => {
  const event = {
    Records: [
      { eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'stackflow-email-inbox' }, object: { key: 'inbound/abc123' } } },
      { eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'stackflow-email-inbox' }, object: { key: 'inbound/def%2B456' } } },
      // Our own writes beside the raw email, and other buckets, are not emails.
      { eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'stackflow-email-inbox' }, object: { key: 'parsed/abc123/email.json' } } },
      { eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'stackflow-email-inbox' }, object: { key: 'inbound/abc123/1-report.pdf' } } },
      { eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'someone-else' }, object: { key: 'inbound/zzz' } } },
      { eventSource: 'aws:s3', eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: 'stackflow-email-inbox' }, object: { key: 'inbound/gone' } } },
    ],
  };
  expect(decodeEnvelope(snsWrapped(event), inbound)).toEqual({
    kind: 'emails',
    emails: [
      { notice: { sesMessageId: 'abc123', bucket: 'stackflow-email-inbox', key: 'inbound/abc123' } },
      { notice: { sesMessageId: 'def+456', bucket: 'stackflow-email-inbox', key: 'inbound/def+456' } },
    ],
  });
});

test('an S3 event with a space-encoded key is decoded ("+" is a space)', () => {
  const event = { Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: { key: 'in+box/x1' } } }] };
  expect(decodeEnvelope(JSON.stringify(event), { bucket: 'b', prefix: 'in box/' })).toMatchObject({ kind: 'emails', emails: [{ notice: { key: 'in box/x1' } }] });
});

test.each([
  ['an S3 test event', { Service: 'Amazon S3', Event: 's3:TestEvent' }, 'S3 test event'],
  ['SES feedback about mail we sent', { notificationType: 'Bounce', bounce: {} }, 'not inbound email'],
])('%s is ignored, not dead-lettered', (_label, payload, reason) => {
  expect(decodeEnvelope(snsWrapped(payload), inbound)).toEqual({ kind: 'ignore', reason: expect.stringContaining(reason) });
});

test('an SNS subscription confirmation is ignored', () => {
  expect(decodeEnvelope(JSON.stringify({ Type: 'SubscriptionConfirmation', TopicArn: TOPIC, SubscribeURL: 'https://x' }), inbound).kind).toBe('ignore');
});

test.each([
  ['an empty body', '', 'empty message body'],
  ['not JSON', '{nope', 'not JSON'],
  ['a JSON array', '[1,2]', 'not a JSON object'],
  ['an SNS Message that is not JSON', snsWrapped('plain text'), 'SNS Message is not JSON'],
  ['an unknown JSON shape', JSON.stringify({ hello: 'world' }), 'neither an SES receipt notification nor an S3 event'],
  ['an SES notification without receipt', JSON.stringify({ notificationType: 'Received', mail: { messageId: 'abc' } }), 'without mail or receipt'],
  ['a path in the message id', JSON.stringify(sesNotification({ mail: { messageId: '../../etc/passwd' } })), 'invalid mail.messageId'],
  ['a 1000-character message id', JSON.stringify(sesNotification({ mail: { messageId: 'a'.repeat(1000) } })), 'invalid mail.messageId'],
  ['an S3 key not ending in a message id', JSON.stringify({ Records: [{ eventSource: 'aws:s3', s3: { bucket: { name: 'stackflow-email-inbox' }, object: { key: 'inbound/' } } }] }), 'does not end in an SES message id'],
  ['a record from another source', JSON.stringify({ Records: [{ eventSource: 'aws:sqs' }] }), 'another source'],
  ['an undecodable S3 key', JSON.stringify({ Records: [{ eventSource: 'aws:s3', s3: { bucket: { name: 'b' }, object: { key: 'inbound/%E0%A4%A' } } }] }), 'undecodable key'],
])('%s is malformed, with the reason', (_label, body, reason) => {
  expect(decodeEnvelope(body, inbound)).toEqual({ kind: 'malformed', reason: expect.stringContaining(reason) });
});
