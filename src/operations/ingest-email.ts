// Delivers an email exactly as SES would (`ingest FILE.eml`, the demo, the benchmark, the fault run): the
// raw object to S3 under the receipt rule's prefix, with the headers SES writes on top of it (verdicts,
// Received-SPF, Authentication-Results naming the domains it checked), then the receipt notification
// (verdicts, and the envelope sender as mail.source) to the SNS topic. docs/sender-authentication.md.
import { isFifo } from '../domain/inbound-names';
import { randomBytes, randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { AwsClients } from '../aws/clients';
import { Config } from '../config';
import { InboundEmailNotice, SesVerdicts, VerdictStatus } from '../domain/types';
import { isValidSesMessageId } from '../domain/workflow-ids';
import { parseEmail } from '../mail/parse-email';

export interface IngestOptions {
  messageId?: string;
  verdicts?: Partial<SesVerdicts>;
  /** 'seed': the notification of the seed's SNSAction (content inside, 150 KB limit); default the S3Action's. */
  action?: 'S3' | 'SNS';
  /** The envelope MAIL FROM that SPF is checked for (default: the From address). */
  mailFrom?: string;
  /** The signing domain of the DKIM signature (default: the From domain). */
  dkimDomain?: string;
  /** The envelope recipients SES received the mail for (default: the ticket address). */
  recipients?: string[];
  /**
   * false: the object is stored and its notification lost, as when SNS or SQS is misconfigured or a
   * message was deleted: only the reconciliation finds such an email.
   */
  notify?: boolean;
}

/** SES message ids are lower-case letters and digits; ours look the same. */
export const newSesMessageId = () => randomBytes(20).toString('hex');

const SNS_ACTION_LIMIT = 150 * 1024;

/** The email stored in S3 as SES's receipt rule stores it (SES's headers on top), not announced. */
async function storeAsSes(aws: AwsClients, config: Config, raw: Buffer, options: IngestOptions) {
  const sesMessageId = options.messageId ?? newSesMessageId();
  if (!isValidSesMessageId(sesMessageId)) throw new Error(`Invalid --message-id "${sesMessageId}": 1 to 128 of A-Z a-z 0-9 . _ + = -`);
  const action = options.action ?? 'S3';
  if (action === 'SNS' && raw.length > SNS_ACTION_LIMIT) {
    throw new Error(`SES would bounce this ${raw.length}-byte email: an SNSAction carries at most 150 KB (use the S3Action rule)`);
  }
  const key = config.inbound.prefix + sesMessageId;
  const { parsed } = await parseEmail(raw).catch(() => ({ parsed: null }));
  const status = (name: keyof SesVerdicts) => options.verdicts?.[name] ?? 'PASS';
  const fromAddress = parsed?.from?.address ?? '';
  const mailFrom = options.mailFrom ?? fromAddress;
  const sesHeaders = sesReceiptHeaders(status, mailFrom, options.dkimDomain ?? fromAddress.slice(fromAddress.lastIndexOf('@') + 1), fromAddress);
  const stored = Buffer.concat([Buffer.from(sesHeaders), raw]);
  await aws.s3.send(new PutObjectCommand({ Bucket: config.inbound.bucket, Key: key, Body: stored }));
  return { sesMessageId, key, parsed, status, mailFrom, stored, action };
}

/**
 * Stores the email as SES would and returns the notice the bridge would have made of its notification,
 * without publishing one: for a workflow started directly on a task queue of one's own (tests of a worker
 * configured apart from the stack's).
 */
export async function storeEmailAsSes(aws: AwsClients, config: Config, raw: Buffer, options: IngestOptions = {}): Promise<InboundEmailNotice> {
  const { sesMessageId, key, status, mailFrom } = await storeAsSes(aws, config, raw, options);
  const verdicts = { spam: status('spam'), virus: status('virus'), spf: status('spf'), dkim: status('dkim'), dmarc: status('dmarc') };
  return { sesMessageId, bucket: config.inbound.bucket, key, verdicts, recipients: options.recipients ?? [config.ticketAddress], mailFrom };
}

export async function ingestEmail(aws: AwsClients, config: Config, raw: Buffer, options: IngestOptions = {}): Promise<string> {
  const { sesMessageId, key, parsed, status, mailFrom, stored, action } = await storeAsSes(aws, config, raw, options);
  // Stored, its notification lost: what the reconciliation finds.
  if (options.notify === false) return sesMessageId;
  const now = new Date().toISOString();
  const verdict = (name: keyof SesVerdicts) => ({ status: status(name) });
  const recipients = options.recipients ?? [config.ticketAddress];
  const notification = {
    notificationType: 'Received',
    mail: {
      timestamp: now,
      source: mailFrom,
      messageId: sesMessageId,
      destination: recipients,
      headersTruncated: false,
      // As SES writes them: the From header's display form ("Name" <address>), decoded.
      commonHeaders: { from: parsed?.from ? [displayForm(parsed.from)] : [], to: recipients, messageId: parsed?.messageId, subject: parsed?.subject },
    },
    receipt: {
      timestamp: now,
      processingTimeMillis: 1,
      recipients,
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
    ...(action === 'SNS' ? { content: stored.toString('base64') } : {}),
  };
  const fifo = isFifo(config.inbound.topicArn);
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

/** An Authentication-Results method result for a verdict; DISABLED: the check did not run, no result. */
const RESULT: Record<VerdictStatus, string | null> = { PASS: 'pass', FAIL: 'fail', GRAY: 'none', PROCESSING_FAILED: 'temperror', DISABLED: null };

/** The headers SES writes above a received message, in its format (the address is TEST-NET-1). */
function sesReceiptHeaders(status: (name: keyof SesVerdicts) => VerdictStatus, mailFrom: string, dkimDomain: string, from: string): string {
  const spf = RESULT[status('spf')];
  const spfCheck = spf ? `${spf} (spfCheck: checked 192.0.2.1 for domain of ${mailFrom.slice(mailFrom.lastIndexOf('@') + 1)}) client-ip=192.0.2.1; envelope-from=${mailFrom}; helo=mail.example.net;` : null;
  const dkim = RESULT[status('dkim')];
  const dmarc = RESULT[status('dmarc')];
  const results = [
    spfCheck ? `spf=${spfCheck}` : null,
    dkim ? `dkim=${dkim} header.i=@${dkimDomain};` : null,
    dmarc ? `dmarc=${dmarc} header.from=${from.slice(from.lastIndexOf('@') + 1)};` : null,
  ].filter(Boolean);
  const lines = [`X-SES-Spam-Verdict: ${status('spam')}`, `X-SES-Virus-Verdict: ${status('virus')}`];
  if (spfCheck) lines.push(`Received-SPF: ${spfCheck}`);
  lines.push(`Authentication-Results: amazonses.com;${results.length ? ' ' + results.join(' ') : ' none;'}`);
  // SES's own headers follow (as in AWS's examples), so the message's first line never continues SES's results.
  lines.push(`X-SES-RECEIPT: ${randomBytes(24).toString('base64')}`, `X-SES-DKIM-SIGNATURE: a=RSA-SHA256; d=amazonses.com; b=${randomBytes(24).toString('base64')}`);
  // Header values never carry a line break: the addresses come from a parse that keeps them on one line.
  return lines.map((line) => line.replace(/[\r\n]+/g, ' ')).join('\r\n') + '\r\n';
}

function displayForm(from: { name: string; address: string }): string {
  return from.name ? `"${from.name.replace(/["\\]/g, '')}" <${from.address}>` : from.address;
}
