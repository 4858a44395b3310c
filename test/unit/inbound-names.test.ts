import { inboundNameProblems, InboundNames } from '../../src/domain/inbound-names';

const standard: InboundNames = {
  bucket: 'stackflow-email-inbox',
  topicName: 'stackflow-inbound-email',
  queueName: 'StackFlow-Events-Ingestion',
  deadLetterQueueName: 'StackFlow-Events-Ingestion-DLQ',
};
const fifo: InboundNames = {
  ...standard,
  topicName: 'stackflow-inbound-email.fifo',
  queueName: 'StackFlow-Events-Ingestion.fifo',
  deadLetterQueueName: 'StackFlow-Events-Ingestion-DLQ.fifo',
};
const labels = { bucket: 'INBOUND_BUCKET', topicName: '--topic', queueName: '--queue', deadLetterQueueName: '--dead-letter-queue' };

describe('inboundNameProblems', () => {
  test('standard names pass where SES publishes', () => {
    expect(inboundNameProblems(standard, { fifoTopicAllowed: false })).toEqual([]);
  });

  test('a FIFO topic is refused where SES publishes, naming the option and the standard names to use', () => {
    const problems = inboundNameProblems(fifo, { fifoTopicAllowed: false, labels, receiptRuleOptOut: '--no-receipt-rule' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('--topic "stackflow-inbound-email.fifo" is a FIFO topic');
    expect(problems[0]).toContain('SES receipt rules publish only to standard SNS topics');
    expect(problems[0]).toContain('--topic stackflow-inbound-email, --queue StackFlow-Events-Ingestion, --dead-letter-queue StackFlow-Events-Ingestion-DLQ');
    expect(problems[0]).toContain('or --no-receipt-rule');
  });

  test('FIFO names pass where nothing of SES publishes (or on the emulator)', () => {
    expect(inboundNameProblems(fifo, { fifoTopicAllowed: true })).toEqual([]);
  });

  test('queue and topic, queue and dead-letter queue: both FIFO or both standard', () => {
    expect(inboundNameProblems({ ...standard, queueName: 'q.fifo' }, { fifoTopicAllowed: true, labels })).toEqual([
      expect.stringContaining('--queue "q.fifo" and --topic "stackflow-inbound-email" must both be FIFO or both standard'),
      expect.stringContaining('--queue "q.fifo" and --dead-letter-queue "StackFlow-Events-Ingestion-DLQ" must both be FIFO or both standard'),
    ]);
    expect(inboundNameProblems({ ...fifo, deadLetterQueueName: 'dlq' }, { fifoTopicAllowed: true })).toEqual([
      expect.stringContaining('"dlq" must both be FIFO or both standard'),
    ]);
  });

  test.each([
    ['bucket', 'UpperCase', /INBOUND_BUCKET "UpperCase" is not a valid S3 bucket name/],
    ['bucket', 'ab', /not a valid S3 bucket name/],
    ['bucket', 'a..b', /not a valid S3 bucket name/],
    ['bucket', '192.168.1.1', /not a valid S3 bucket name/],
    ['bucket', '-inbox', /not a valid S3 bucket name/],
    ['topicName', 'has space', /--topic "has space" is not a valid SNS topic name/],
    ['topicName', 'x'.repeat(257), /not a valid SNS topic name/],
    ['queueName', 'q'.repeat(81), /--queue "q+" is not a valid SQS queue name/],
    ['deadLetterQueueName', 'dlq/1', /--dead-letter-queue "dlq\/1" is not a valid SQS queue name/],
  ] as const)('%s %p is refused', (key, name, message) => {
    expect(inboundNameProblems({ ...standard, [key]: name }, { fifoTopicAllowed: false, labels })).toEqual([expect.stringMatching(message)]);
  });

  test('the longest names AWS takes pass', () => {
    expect(inboundNameProblems({ bucket: 'b'.repeat(63), topicName: 't'.repeat(256), queueName: 'q'.repeat(80), deadLetterQueueName: 'd'.repeat(80) }, { fifoTopicAllowed: false })).toEqual([]);
  });
});
