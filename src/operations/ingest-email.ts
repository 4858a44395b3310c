// Delivers an email exactly as SES would (`ingest FILE.eml`, the demo, the benchmark, the fault run): the
// raw object to S3 under the receipt rule's prefix, then the receipt notification (with the given
// verdicts) to the SNS topic.
import { randomBytes, randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { AwsClients } from '../aws/clients';
import { Config } from '../config';
import { SesVerdicts } from '../domain/types';
import { isValidSesMessageId } from '../domain/workflow-ids';
import { parseEmail } from '../mail/parse-email';

export interface IngestOptions {
  messageId?: string;
  verdicts?: Partial<SesVerdicts>;
  /** 'seed': the notification of the seed's SNSAction (content inside, 150 KB limit); default the S3Action's. */
  action?: 'S3' | 'SNS';
}

/** SES message ids are lower-case letters and digits; ours look the same. */
export const newSesMessageId = () => randomBytes(20).toString('hex');

const SNS_ACTION_LIMIT = 150 * 1024;

export async function ingestEmail(aws: AwsClients, config: Config, raw: Buffer, options: IngestOptions = {}): Promise<string> {
  const sesMessageId = options.messageId ?? newSesMessageId();
  if (!isValidSesMessageId(sesMessageId)) throw new Error(`Invalid --message-id "${sesMessageId}": 1 to 128 of A-Z a-z 0-9 . _ + = -`);
  const action = options.action ?? 'S3';
  if (action === 'SNS' && raw.length > SNS_ACTION_LIMIT) {
    throw new Error(`SES would bounce this ${raw.length}-byte email: an SNSAction carries at most 150 KB (use the S3Action rule)`);
  }
  const key = config.inbound.prefix + sesMessageId;
  await aws.s3.send(new PutObjectCommand({ Bucket: config.inbound.bucket, Key: key, Body: raw }));

  const { parsed } = await parseEmail(raw).catch(() => ({ parsed: null }));
  const now = new Date().toISOString();
  const verdict = (name: keyof SesVerdicts) => ({ status: options.verdicts?.[name] ?? 'PASS' });
  const notification = {
    notificationType: 'Received',
    mail: {
      timestamp: now,
      source: parsed?.from?.address ?? '',
      messageId: sesMessageId,
      destination: [config.ticketAddress],
      headersTruncated: false,
      // As SES writes them: the From header's display form ("Name" <address>), decoded.
      commonHeaders: { from: parsed?.from ? [displayForm(parsed.from)] : [], to: [config.ticketAddress], messageId: parsed?.messageId, subject: parsed?.subject },
    },
    receipt: {
      timestamp: now,
      processingTimeMillis: 1,
      recipients: [config.ticketAddress],
      spamVerdict: verdict('spam'),
      virusVerdict: verdict('virus'),
      spfVerdict: verdict('spf'),
      dkimVerdict: verdict('dkim'),
      dmarcVerdict: verdict('dmarc'),
      action:
        action === 'S3'
          ? { type: 'S3', topicArn: config.inbound.topicArn, bucketName: config.inbound.bucket, objectKeyPrefix: config.inbound.prefix, objectKey: key }
          : { type: 'SNS', topicArn: config.inbound.topicArn, encoding: 'BASE64' },
    },
    ...(action === 'SNS' ? { content: raw.toString('base64') } : {}),
  };
  const fifo = config.inbound.topicArn.endsWith('.fifo');
  await aws.sns.send(
    new PublishCommand({
      TopicArn: config.inbound.topicArn,
      Message: JSON.stringify(notification),
      // Each delivery is distinct, as SES's would be: deduplication is the workflow id's job, not the queue's.
      ...(fifo ? { MessageGroupId: sesMessageId, MessageDeduplicationId: randomUUID() } : {}),
    }),
  );
  return sesMessageId;
}

function displayForm(from: { name: string; address: string }): string {
  return from.name ? `"${from.name.replace(/["\\]/g, '')}" <${from.address}>` : from.address;
}
