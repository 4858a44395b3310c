// Which names of the inbound path (bucket, topic, queue, dead-letter queue) AWS accepts together,
// checked before anything is created so that a refused name leaves nothing half made.

export interface InboundNames {
  bucket: string;
  topicName: string;
  queueName: string;
  deadLetterQueueName: string;
}

/** What each name is called where the user gave it (a command-line option, a variable). */
export type NameLabels = Record<keyof InboundNames, string>;

export const DEFAULT_NAME_LABELS: NameLabels = { bucket: 'bucket', topicName: 'topic', queueName: 'queue', deadLetterQueueName: 'dead-letter queue' };

export const isFifo = (name: string): boolean => name.endsWith('.fifo');

// SNS: 1 to 256 letters, digits, hyphens, underscores (a FIFO topic's name ends in .fifo, counted).
const TOPIC = /^[A-Za-z0-9_-]+(\.fifo)?$/;
// SQS: the same characters, at most 80 with the .fifo suffix.
const QUEUE = TOPIC;
// S3 general purpose buckets: 3 to 63 lower-case letters, digits, dots and hyphens, starting and
// ending with a letter or digit, no two dots together, not shaped like an IP address.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export interface NameCheck {
  /** False where SES publishes to the topic (setup creates the receipt rule): SES receipt rules and
   *  S3 notifications publish only to standard topics. The emulator accepts a FIFO topic there. */
  fifoTopicAllowed: boolean;
  labels?: NameLabels;
  /** How the user says that SES will not publish to the topic (e.g. a command-line option), if they can. */
  receiptRuleOptOut?: string;
}

/** Every reason AWS would refuse these names together; empty when it would not. */
export function inboundNameProblems(names: InboundNames, check: NameCheck): string[] {
  const label = check.labels ?? DEFAULT_NAME_LABELS;
  const problems: string[] = [];
  if (!BUCKET.test(names.bucket) || names.bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(names.bucket)) {
    problems.push(`${label.bucket} "${names.bucket}" is not a valid S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit)`);
  }
  if (!TOPIC.test(names.topicName) || names.topicName.length > 256) {
    problems.push(`${label.topicName} "${names.topicName}" is not a valid SNS topic name (up to 256 letters, digits, hyphens and underscores; .fifo at the end for a FIFO topic)`);
  }
  for (const key of ['queueName', 'deadLetterQueueName'] as const) {
    if (!QUEUE.test(names[key]) || names[key].length > 80) {
      problems.push(`${label[key]} "${names[key]}" is not a valid SQS queue name (up to 80 letters, digits, hyphens and underscores, .fifo included for a FIFO queue)`);
    }
  }
  if (isFifo(names.topicName) && !check.fifoTopicAllowed) {
    problems.push(
      `${label.topicName} "${names.topicName}" is a FIFO topic, and SES receipt rules publish only to standard SNS topics: use standard names ` +
        `(${label.topicName} ${names.topicName.slice(0, -'.fifo'.length)}, ${label.queueName} ${names.queueName.replace(/\.fifo$/, '')}, ` +
        `${label.deadLetterQueueName} ${names.deadLetterQueueName.replace(/\.fifo$/, '')})` +
        (check.receiptRuleOptOut ? `, or ${check.receiptRuleOptOut} if SES is not to publish to it` : ''),
    );
  }
  if (isFifo(names.queueName) !== isFifo(names.topicName)) {
    problems.push(`${label.queueName} "${names.queueName}" and ${label.topicName} "${names.topicName}" must both be FIFO or both standard: an SQS FIFO queue subscribes only to an SNS FIFO topic`);
  }
  if (isFifo(names.queueName) !== isFifo(names.deadLetterQueueName)) {
    problems.push(`${label.queueName} "${names.queueName}" and ${label.deadLetterQueueName} "${names.deadLetterQueueName}" must both be FIFO or both standard: SQS requires a queue's dead-letter queue to be of its type`);
  }
  return problems;
}
