// Fetch and parse in one step: the raw MIME never enters workflow history, only a summary does.
// The description and attachments are stored in S3 beside the raw email, under parsed/<SES message id>/.
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/activity';
import { recordInboundEmail } from '../db/inbound-emails';
import { PermanentFault } from '../domain/permanent-faults';
import { EmailSummary, InboundEmailNotice } from '../domain/types';
import { parseEmail } from '../mail/parse-email';
import { ActivityDeps } from './deps';

export function parsedKey(sesMessageId: string, name: string): string {
  return `parsed/${sesMessageId}/${name}`;
}

function isMissing(err: unknown): boolean {
  return err instanceof NoSuchKey || err instanceof NotFound || (err as { name?: string })?.name === 'NotFound';
}

export function createInboundEmailStore({ aws, pool, config }: ActivityDeps) {
  async function readRawEmail(notice: InboundEmailNotice): Promise<Buffer> {
    try {
      const head = await aws.s3.send(new HeadObjectCommand({ Bucket: notice.bucket, Key: notice.key }));
      if ((head.ContentLength ?? 0) > config.maxRawEmailBytes) {
        throw ApplicationFailure.nonRetryable(
          `Raw email is ${head.ContentLength} bytes, above the limit of ${config.maxRawEmailBytes}`,
          PermanentFault.EmailTooLarge,
        );
      }
      const object = await aws.s3.send(new GetObjectCommand({ Bucket: notice.bucket, Key: notice.key }));
      return Buffer.from(await object.Body!.transformToByteArray());
    } catch (err) {
      if (isMissing(err)) {
        throw ApplicationFailure.nonRetryable(`No raw email at s3://${notice.bucket}/${notice.key}`, PermanentFault.RawEmailMissing);
      }
      throw err;
    }
  }

  return {
    async parseInboundEmail(notice: InboundEmailNotice): Promise<EmailSummary> {
      const raw = await readRawEmail(notice);
      let result;
      try {
        result = await parseEmail(raw);
      } catch (err) {
        throw ApplicationFailure.nonRetryable((err as Error).message, PermanentFault.UnparseableEmail);
      }
      const { parsed, attachmentContents, headerVerdicts } = result;
      const descriptionKey = parsedKey(notice.sesMessageId, 'description.txt');
      await aws.s3.send(
        new PutObjectCommand({ Bucket: notice.bucket, Key: descriptionKey, Body: parsed.description, ContentType: 'text/plain; charset=utf-8' }),
      );
      const attachments = await Promise.all(
        parsed.attachments.map(async (attachment, index) => {
          const key = parsedKey(notice.sesMessageId, `attachments/${index + 1}-${attachment.filename}`);
          await aws.s3.send(
            new PutObjectCommand({ Bucket: notice.bucket, Key: key, Body: attachmentContents[index], ContentType: attachment.contentType }),
          );
          return { ...attachment, key };
        }),
      );
      await recordInboundEmail(pool, {
        sesMessageId: notice.sesMessageId,
        bucket: notice.bucket,
        key: notice.key,
        sender: parsed.from?.address ?? null,
        subject: parsed.subject,
        stage: 'parsed',
      });
      const { description, ...rest } = parsed;
      return { ...rest, attachments, descriptionKey, descriptionLength: description.length, headerVerdicts };
    },
  };
}

export async function readStoredDescription(aws: ActivityDeps['aws'], bucket: string, key: string): Promise<string> {
  const object = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return object.Body!.transformToString('utf-8');
}
