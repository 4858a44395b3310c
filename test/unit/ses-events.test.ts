// The records the local stand-in publishes must have the fields, and field types, of SES's event
// publishing records (Send, Delivery, Bounce, Complaint), so that the consumer is tested against AWS's shape.
import { BOUNCES, bounceEvent, complaintEvent, deliveryEvent, eventTags, SesEvent, SesMail, sesMail, sendEvent, sesStyleId } from '../../src/stack/ses-events';

const SENT_AT = new Date('2026-11-30T10:00:00.000Z');
const LATER = new Date('2026-11-30T10:00:01.250Z');
const SES_ID = '0100019ad4f2c3b0-5b1e1c6e-8e0f-4c54-9d3b-2f1f8f3e6a11-000000';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SES_ID_SHAPE = /^[0-9a-f]{16}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-000000$/;

const MAIL_KEYS = ['commonHeaders', 'destination', 'headers', 'headersTruncated', 'messageId', 'sendingAccountId', 'source', 'sourceArn', 'tags', 'timestamp'];

function mail(): SesMail {
  return sesMail({
    sentAt: SENT_AT,
    source: 'tickets@your-instance.stackflow-tech.com',
    region: 'us-east-1',
    account: '123456789012',
    sesMessageId: SES_ID,
    destination: ['anna@example.com'],
    headers: [
      { name: 'From', value: 'Support <tickets@your-instance.stackflow-tech.com>' },
      { name: 'To', value: 'anna@example.com' },
      { name: 'Subject', value: '[INC0000042] Printer' },
    ],
    headersTruncated: false,
    commonHeaders: { from: ['Support <tickets@your-instance.stackflow-tech.com>'], to: ['anna@example.com'], subject: '[INC0000042] Printer' },
    tags: eventTags({
      configurationSet: 'email-to-ticket',
      sourceIp: '127.0.0.1',
      fromDomain: 'your-instance.stackflow-tech.com',
      callerIdentity: 'test',
      messageTags: { 'outbound-id': '42' },
    }),
  });
}

/** What every record shares: the mail object, with SES's types. */
function expectMailShape(event: SesEvent): void {
  const m = event.mail;
  expect(Object.keys(m).sort()).toEqual(MAIL_KEYS);
  expect(m.timestamp).toMatch(ISO);
  expect(m.timestamp).toBe(SENT_AT.toISOString());
  expect(m.source).toBe('tickets@your-instance.stackflow-tech.com');
  expect(m.sourceArn).toBe('arn:aws:ses:us-east-1:123456789012:identity/your-instance.stackflow-tech.com');
  expect(m.sendingAccountId).toBe('123456789012');
  expect(m.messageId).toBe(SES_ID);
  expect(m.destination).toEqual(['anna@example.com']);
  expect(typeof m.headersTruncated).toBe('boolean');
  for (const h of m.headers) {
    expect(Object.keys(h).sort()).toEqual(['name', 'value']);
    expect(typeof h.name).toBe('string');
    expect(typeof h.value).toBe('string');
  }
  // SES names its own Message-ID in commonHeaders; from and to are lists.
  expect(m.commonHeaders).toEqual({ from: ['Support <tickets@your-instance.stackflow-tech.com>'], to: ['anna@example.com'], subject: '[INC0000042] Printer', messageId: SES_ID });
  expect(m.tags).toMatchObject({
    'ses:configuration-set': ['email-to-ticket'],
    'ses:source-ip': ['127.0.0.1'],
    'ses:from-domain': ['your-instance.stackflow-tech.com'],
    'ses:caller-identity': ['test'],
    'outbound-id': ['42'],
  });
  for (const values of Object.values(m.tags)) {
    expect(Array.isArray(values)).toBe(true);
    for (const v of values) expect(typeof v).toBe('string');
  }
}

/** The record as SNS carries it: JSON text. */
const roundTrip = (event: SesEvent) => JSON.parse(JSON.stringify(event)) as Record<string, unknown>;

test('Send: eventType, mail and an empty send object, nothing else', () => {
  const event = sendEvent(mail());
  expect(Object.keys(roundTrip(event)).sort()).toEqual(['eventType', 'mail', 'send']);
  expect(event.eventType).toBe('Send');
  expectMailShape(event);
  expect(roundTrip(event).send).toEqual({});
});

test('Delivery: the delivery object with its types; the mail gains ses:outgoing-ip', () => {
  const event = deliveryEvent(mail(), ['anna@example.com'], LATER);
  expect(Object.keys(roundTrip(event)).sort()).toEqual(['delivery', 'eventType', 'mail']);
  expect(event.eventType).toBe('Delivery');
  expectMailShape(event);
  if (event.eventType !== 'Delivery') throw new Error('not a delivery');
  const d = event.delivery;
  expect(Object.keys(d).sort()).toEqual(['processingTimeMillis', 'recipients', 'remoteMtaIp', 'reportingMTA', 'smtpResponse', 'timestamp']);
  expect(d.timestamp).toBe(LATER.toISOString());
  expect(d.processingTimeMillis).toBe(1250);
  expect(d.recipients).toEqual(['anna@example.com']);
  expect(d.smtpResponse).toMatch(/^250 /);
  expect(typeof d.reportingMTA).toBe('string');
  expect(d.remoteMtaIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  expect(event.mail.tags['ses:outgoing-ip']).toEqual([d.remoteMtaIp]);
});

test('Bounce: type, subtype and one bounced recipient each with action, status and diagnostic code', () => {
  const event = bounceEvent(mail(), ['anna@example.com'], BOUNCES.userUnknown, LATER);
  expect(Object.keys(roundTrip(event)).sort()).toEqual(['bounce', 'eventType', 'mail']);
  expectMailShape(event);
  if (event.eventType !== 'Bounce') throw new Error('not a bounce');
  const b = event.bounce;
  expect(Object.keys(b).sort()).toEqual(['bounceSubType', 'bounceType', 'bouncedRecipients', 'feedbackId', 'reportingMTA', 'timestamp']);
  expect(b.bounceType).toBe('Permanent');
  expect(b.bounceSubType).toBe('General');
  expect(b.bouncedRecipients).toEqual([{ emailAddress: 'anna@example.com', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }]);
  expect(b.timestamp).toBe(LATER.toISOString());
  expect(b.feedbackId).toMatch(SES_ID_SHAPE);
  expect(b.reportingMTA).toMatch(/^dsn; /);
});

test('Bounce kinds: transient (mailbox full) and on the suppression list', () => {
  const transient = bounceEvent(mail(), ['anna@example.com'], BOUNCES.mailboxFull, LATER);
  const suppressed = bounceEvent(mail(), ['anna@example.com'], BOUNCES.onSuppressionList, LATER);
  if (transient.eventType !== 'Bounce' || suppressed.eventType !== 'Bounce') throw new Error('not bounces');
  expect([transient.bounce.bounceType, transient.bounce.bounceSubType, transient.bounce.bouncedRecipients[0].status]).toEqual(['Transient', 'MailboxFull', '4.2.2']);
  expect([suppressed.bounce.bounceType, suppressed.bounce.bounceSubType]).toEqual(['Permanent', 'OnAccountSuppressionList']);
});

test('Complaint: complained recipients, feedback type, user agent and dates', () => {
  const event = complaintEvent(mail(), ['anna@example.com'], LATER, { userAgent: 'Mailbox Simulator' }, 'fixed-feedback-id');
  expect(Object.keys(roundTrip(event)).sort()).toEqual(['complaint', 'eventType', 'mail']);
  expectMailShape(event);
  if (event.eventType !== 'Complaint') throw new Error('not a complaint');
  const c = event.complaint;
  expect(Object.keys(c).sort()).toEqual(['arrivalDate', 'complainedRecipients', 'complaintFeedbackType', 'feedbackId', 'timestamp', 'userAgent']);
  expect(c.complainedRecipients).toEqual([{ emailAddress: 'anna@example.com' }]);
  expect(c.complaintFeedbackType).toBe('abuse');
  expect(c.userAgent).toBe('Mailbox Simulator');
  expect(c.feedbackId).toBe('fixed-feedback-id');
  expect(c.timestamp).toMatch(ISO);
  expect(c.arrivalDate).toMatch(ISO);
});

test('a message tag cannot replace one of the ses: auto-tags', () => {
  const tags = eventTags({ configurationSet: 'email-to-ticket', sourceIp: '127.0.0.1', fromDomain: 'x.example', callerIdentity: 'test', messageTags: { 'ses:configuration-set': 'forged', campaign: 'a' } });
  expect(tags['ses:configuration-set']).toEqual(['email-to-ticket']);
  expect(tags.campaign).toEqual(['a']);
});

test('SES-style ids: time, a UUID and a counter; two are never the same', () => {
  const a = sesStyleId(SENT_AT);
  expect(a).toMatch(SES_ID_SHAPE);
  expect(a.slice(0, 16)).toBe(SENT_AT.getTime().toString(16).padStart(16, '0'));
  expect(sesStyleId(SENT_AT)).not.toBe(a);
});
