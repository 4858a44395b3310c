import {
  deliveryStatus,
  outboundMessageTag,
  parseDeliveryEvent,
  suppressionRefusal,
  suppressionsFrom,
  DeliveryEvent,
} from '../../src/domain/delivery-events';
import { deliveryEventWorkflowId } from '../../src/domain/workflow-ids';

// Shaped as SES's event publishing writes them to SNS (eventType, mail with tags, one detail object).
const mail = (overrides: Record<string, unknown> = {}) => ({
  timestamp: '2026-11-30T10:00:00.000Z',
  source: 'tickets@your-instance.stackflow-tech.com',
  sourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/your-instance.stackflow-tech.com',
  sendingAccountId: '123456789012',
  messageId: '0100019a1b2c3d4e-5f6a7b8c-aaaa-bbbb-cccc-000000000000-000000',
  destination: ['Anna@Example.com'],
  headersTruncated: false,
  headers: [{ name: 'Subject', value: 'Re: [INC0000001] printer' }],
  commonHeaders: { from: ['Support <tickets@your-instance.stackflow-tech.com>'], to: ['anna@example.com'], messageId: '<4f1c@x>', subject: 'printer' },
  tags: { 'ses:configuration-set': ['email-to-ticket'], 'outbound-message': ['7b1d2c3e-aaaa-4bbb-8ccc-123456789abc'] },
  ...overrides,
});

const parsed = (payload: unknown): DeliveryEvent => {
  const result = parseDeliveryEvent(payload);
  if (result.kind !== 'event') throw new Error(`not an event: ${JSON.stringify(result)}`);
  return result.event;
};

describe('parseDeliveryEvent', () => {
  test('a Send event names all destinations and our tagged message', () => {
    const e = parsed({ eventType: 'Send', mail: mail({ destination: ['anna@example.com', 'Bob <bob@example.com>'] }), send: {} });
    expect(e).toMatchObject({ type: 'send', sesMessageId: mail().messageId, outboundMessage: '7b1d2c3e-aaaa-4bbb-8ccc-123456789abc', recipients: ['anna@example.com', 'bob@example.com'], occurredAt: '2026-11-30T10:00:00.000Z' });
  });

  test('a Delivery event takes its own timestamp, recipients and the SMTP answer', () => {
    const e = parsed({
      eventType: 'Delivery',
      mail: mail(),
      delivery: { timestamp: '2026-11-30T10:00:02.512Z', processingTimeMillis: 2512, recipients: ['anna@example.com'], smtpResponse: '250 2.6.0 Message received', reportingMTA: 'a8-70.smtp-out.amazonses.com' },
    });
    expect(e).toMatchObject({ type: 'delivery', occurredAt: '2026-11-30T10:00:02.512Z', recipients: ['anna@example.com'], detail: '250 2.6.0 Message received' });
  });

  test('a permanent bounce suppresses the bounced recipients, with the diagnostic', () => {
    const e = parsed({
      eventType: 'Bounce',
      mail: mail(),
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: 'anna@example.com', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
        timestamp: '2026-11-30T10:00:03.000Z',
        feedbackId: '0100019a-feedback-000000',
        reportingMTA: 'dsn; a8-70.smtp-out.amazonses.com',
      },
    });
    expect(e).toMatchObject({ type: 'bounce', bounceType: 'Permanent', bounceSubType: 'General', detail: 'smtp; 550 5.1.1 user unknown' });
    expect(suppressionsFrom(e)).toEqual([{ address: 'anna@example.com', reason: 'bounce', detail: 'hard bounce (General): smtp; 550 5.1.1 user unknown' }]);
  });

  test('a transient or undetermined bounce suppresses nothing', () => {
    for (const bounceType of ['Transient', 'Undetermined', 'Something new']) {
      const e = parsed({ eventType: 'Bounce', mail: mail(), bounce: { bounceType, bounceSubType: 'MailboxFull', bouncedRecipients: [{ emailAddress: 'anna@example.com' }], timestamp: '2026-11-30T10:00:03Z' } });
      expect(suppressionsFrom(e)).toEqual([]);
    }
  });

  test('a complaint suppresses, unless its feedback type says not-spam', () => {
    const complaint = (type?: string) =>
      parsed({ eventType: 'Complaint', mail: mail(), complaint: { complainedRecipients: [{ emailAddress: 'anna@example.com' }], timestamp: '2026-11-30T11:00:00Z', feedbackId: 'f', complaintFeedbackType: type } });
    expect(suppressionsFrom(complaint('abuse'))).toEqual([{ address: 'anna@example.com', reason: 'complaint', detail: 'complaint (abuse): the recipient marked our mail as spam' }]);
    expect(suppressionsFrom(complaint(undefined))).toHaveLength(1);
    expect(suppressionsFrom(complaint('not-spam'))).toEqual([]);
  });

  test('identity notifications (notificationType) are read too', () => {
    const e = parsed({ notificationType: 'Bounce', mail: mail(), bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'anna@example.com' }], timestamp: '2026-11-30T10:00:03Z' } });
    expect(e.type).toBe('bounce');
  });

  test('events we do not record are ignored, not errors', () => {
    for (const eventType of ['Open', 'Click', 'Reject', 'DeliveryDelay', 'RenderingFailure', 'Subscription']) {
      expect(parseDeliveryEvent({ eventType, mail: mail() }).kind).toBe('ignore');
    }
  });

  test('what cannot be an SES event is malformed, with the reason', () => {
    expect(parseDeliveryEvent('text')).toMatchObject({ kind: 'malformed' });
    expect(parseDeliveryEvent({ mail: mail() })).toMatchObject({ kind: 'malformed', reason: expect.stringContaining('eventType') });
    expect(parseDeliveryEvent({ eventType: 'Send' })).toMatchObject({ kind: 'malformed', reason: expect.stringContaining('without mail') });
    expect(parseDeliveryEvent({ eventType: 'Send', mail: mail({ messageId: '../../etc/passwd' }) })).toMatchObject({ kind: 'malformed', reason: expect.stringContaining('messageId') });
    expect(parseDeliveryEvent({ eventType: 'Send', mail: mail({ timestamp: 'yesterday' }) })).toMatchObject({ kind: 'malformed', reason: expect.stringContaining('timestamp') });
    expect(parseDeliveryEvent({ eventType: 'Send', mail: mail({ destination: ['not an address', 42] }) })).toMatchObject({ kind: 'malformed', reason: expect.stringContaining('no recipient') });
  });

  test('what a remote server wrote is bounded and stripped of control characters', () => {
    const hostile = 'smtp; 550\r\nX-Injected: yes\u0000\u001b[31m' + 'A'.repeat(100_000);
    const e = parsed({
      eventType: 'Bounce',
      mail: mail({ destination: Array.from({ length: 10_000 }, (_, i) => `user${i}@example.com`), tags: { 'outbound-message': ['bad value with spaces'] } }),
      bounce: { bounceType: 'Permanent', bounceSubType: 'S'.repeat(1000), bouncedRecipients: Array.from({ length: 10_000 }, (_, i) => ({ emailAddress: `user${i}@example.com`, diagnosticCode: hostile })), timestamp: '2026-11-30T10:00:03Z' },
    });
    expect(e.detail!.length).toBeLessThanOrEqual(500);
    expect(e.detail).not.toMatch(/[\r\n\u0000\u001b]/);
    expect(e.detail!.startsWith('smtp; 550 X-Injected: yes')).toBe(true);
    expect(e.bounceSubType!.length).toBeLessThanOrEqual(64);
    expect(e.recipients).toHaveLength(50);
    expect(e.outboundMessage).toBeNull();
    expect(JSON.stringify(e).length).toBeLessThan(4000);
  });

  test('the key is the same for the same event delivered twice and differs between events', () => {
    const send = { eventType: 'Send', mail: mail(), send: {} };
    const delivery = { eventType: 'Delivery', mail: mail(), delivery: { timestamp: '2026-11-30T10:00:02Z', recipients: ['anna@example.com'] } };
    expect(parsed(send).key).toBe(parsed(JSON.parse(JSON.stringify(send))).key);
    expect(parsed(send).key).not.toBe(parsed(delivery).key);
    expect(parsed(delivery).key).not.toBe(parsed({ ...delivery, delivery: { ...delivery.delivery, timestamp: '2026-11-30T10:05:00Z' } }).key);
    // Usable as a workflow id, with nothing of the customer's in it.
    const id = deliveryEventWorkflowId(parsed(send).sesMessageId, parsed(send).key);
    expect(id).toMatch(/^delivery-event-[A-Za-z0-9-]+-send-[0-9a-f]{24}$/);
    expect(id).not.toContain('example.com');
  });
});

test('the tag value is the Message-ID local part, in the characters SES allows', () => {
  expect(outboundMessageTag('<7b1d2c3e-aaaa-4bbb-8ccc-123456789abc@your-instance.stackflow-tech.com>')).toBe('7b1d2c3e-aaaa-4bbb-8ccc-123456789abc');
  expect(outboundMessageTag('<a.b+c@x>')).toBe('a_b_c');
});

test("a recipient's status is the furthest its events went", () => {
  expect(deliveryStatus(false, [])).toBe('not sent');
  expect(deliveryStatus(true, [])).toBe('sent');
  expect(deliveryStatus(true, [{ type: 'send' }, { type: 'delivery' }])).toBe('delivered');
  expect(deliveryStatus(true, [{ type: 'bounce', bounceType: 'Transient' }, { type: 'delivery' }])).toBe('delivered');
  expect(deliveryStatus(true, [{ type: 'bounce', bounceType: 'Transient' }])).toBe('soft-bounced');
  expect(deliveryStatus(true, [{ type: 'send' }, { type: 'bounce', bounceType: 'Permanent' }])).toBe('bounced');
  expect(deliveryStatus(true, [{ type: 'delivery' }, { type: 'complaint' }])).toBe('complained');
  // A Send event alone proves SES accepted it, even if our record never said so.
  expect(deliveryStatus(false, [{ type: 'send' }])).toBe('sent');
});

test('only automatic mail is refused for a suppressed address', () => {
  const suppressed = { reason: 'bounce', detail: 'hard bounce (General): smtp; 550 5.1.1 user unknown', suppressedAt: '2026-11-30T10:00:03.000Z' };
  expect(suppressionRefusal(true, suppressed)).toBe('recipient suppressed since 2026-11-30T10:00:03.000Z: hard bounce (General): smtp; 550 5.1.1 user unknown');
  expect(suppressionRefusal(false, suppressed)).toBeNull();
  expect(suppressionRefusal(true, null)).toBeNull();
});
