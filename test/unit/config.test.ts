// Configuration is validated at start; a missing or malformed variable is named in the error.
import { loadConfig } from '../../src/config';

const valid = {
  TEMPORAL_ADDRESS: 'localhost:7233',
  AWS_REGION: 'us-east-1',
  DATABASE_URL: 'postgres://u@localhost:5432/db',
  INBOUND_BUCKET: 'stackflow-email-inbox',
  INBOUND_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:stackflow-inbound-email',
  INBOUND_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/1/StackFlow-Events-Ingestion.fifo',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/1/StackFlow-Events-Ingestion-DLQ.fifo',
  TICKET_ADDRESS: 'Tickets@Example.com',
  TRACKING_BASE_URL: 'https://help.example.com/track/',
};

test('a complete environment gives a typed configuration with defaults', () => {
  const config = loadConfig(valid);
  expect(config).toMatchObject({
    temporal: { address: 'localhost:7233', namespace: 'default', taskQueue: 'email-to-ticket' },
    aws: { region: 'us-east-1', endpoint: undefined },
    ticketAddress: 'tickets@example.com',
    trackingBaseUrl: 'https://help.example.com/track',
    routingRuleTable: 'StackFlow_EmailRoutingRule',
    confirmationTemplate: 'email_to_ticket_confirmation',
    spamThreshold: 5,
    defaultPriority: 4,
    inbound: { prefix: 'inbound/' },
  });
  expect(config.slaTargets[1]).toBe(240);
});

test.each(Object.keys(valid))('missing %s is named in the error', (name) => {
  const env: Record<string, string | undefined> = { ...valid, [name]: undefined };
  expect(() => loadConfig(env)).toThrow(new RegExp(`Missing configuration ${name}:`));
});

test.each([
  ['SPAM_THRESHOLD', 'lots', /Malformed configuration SPAM_THRESHOLD="lots"/],
  ['BRIDGE_WAIT_TIME_SECONDS', '30', /BRIDGE_WAIT_TIME_SECONDS="30": expected a whole number 1\.\.20/],
  ['DATABASE_URL', 'not a url', /Malformed configuration DATABASE_URL/],
  ['TICKET_ADDRESS', 'tickets', /Malformed configuration TICKET_ADDRESS="tickets"/],
  ['DEFAULT_PRIORITY', '9', /Malformed configuration DEFAULT_PRIORITY/],
  ['SLA_TARGETS', '1=4h', /Malformed configuration SLA_TARGETS/],
])('malformed %s is named in the error', (name, value, message) => {
  expect(() => loadConfig({ ...valid, [name]: value })).toThrow(message);
});
