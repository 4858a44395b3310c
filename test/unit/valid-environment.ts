// A complete, valid environment for loadConfig: each configuration test changes only what it is about.
const KEY = Buffer.alloc(32, 3).toString('base64');

export const VALID_ENVIRONMENT = {
  TEMPORAL_ADDRESS: 'localhost:7233',
  AWS_REGION: 'us-east-1',
  DATABASE_URL: 'postgres://u@localhost:5432/db',
  INBOUND_BUCKET: 'stackflow-email-inbox',
  INBOUND_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:stackflow-inbound-email',
  INBOUND_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/1/StackFlow-Events-Ingestion.fifo',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/1/StackFlow-Events-Ingestion-DLQ.fifo',
  TICKET_ADDRESS: 'Tickets@Example.com',
  TRACKING_BASE_URL: 'https://help.example.com/track/',
  PAYLOAD_KEYS: `k1:${KEY}`,
  CUSTOMER_HASH_KEY: KEY,
};
