// Fetch and parse in one step: the raw MIME never enters workflow history, only a summary does.
// The whole parse and the attachments are stored in S3 beside the raw email, under parsed/<SES message id>/.
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/activity';
import { recordInboundEmail } from '../db/inbound-emails';
import { PermanentFault } from '../domain/permanent-faults';
import { replyClues } from '../domain/reply-detection';
import { EmailSummary, InboundEmailNotice, ParsedEmail, SUMMARY_ADDRESS_LIMIT } from '../domain/types';
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
      const bytes = await object.Body!.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength); // a view, not a copy
    } catch (err) {
      if (isMissing(err)) {
        throw ApplicationFailure.nonRetryable(`No raw email at s3://${notice.bucket}/${notice.key}`, PermanentFault.RawEmailMissing);
      }
      throw err;
    }
  }

  return {
    async parseInboundEmail(notice: InboundEmailNotice): Promise<EmailSummary> {
      // Recorded first, so that an email that cannot be read or parsed is still accounted for.
      await recordInboundEmail(pool, { sesMessageId: notice.sesMessageId, bucket: notice.bucket, key: notice.key, sender: null, subject: null, stage: 'received' });
      const raw = await readRawEmail(notice);
      let result;
      try {
        result = await parseEmail(raw);
      } catch (err) {
        throw ApplicationFailure.nonRetryable((err as Error).message, PermanentFault.UnparseableEmail);
      }
      const { parsed, attachmentContents, headerVerdicts } = result;
      // A few uploads at a time: an email with a thousand parts must not open a thousand requests.
      const attachments = [];
      for (let start = 0; start < parsed.attachments.length; start += 4) {
        const batch = parsed.attachments.slice(start, start + 4).map(async (attachment, offset) => {
          const index = start + offset;
          const key = parsedKey(notice.sesMessageId, `attachments/${index + 1}-${attachment.filename}`);
          await aws.s3.send(
            new PutObjectCommand({ Bucket: notice.bucket, Key: key, Body: attachmentContents[index], ContentType: attachment.contentType }),
          );
          return { ...attachment, key };
        });
        attachments.push(...(await Promise.all(batch)));
      }
      const emailKey = parsedKey(notice.sesMessageId, 'email.json');
      const stored: ParsedEmail = { ...parsed, attachments };
      await aws.s3.send(
        new PutObjectCommand({ Bucket: notice.bucket, Key: emailKey, Body: JSON.stringify(stored), ContentType: 'application/json' }),
      );
      await recordInboundEmail(pool, {
        sesMessageId: notice.sesMessageId,
        bucket: notice.bucket,
        key: notice.key,
        sender: parsed.from?.address ?? null,
        subject: parsed.subject,
        stage: 'parsed',
      });
      const { description, attachments: _all, ...rest } = parsed;
      return {
        ...rest,
        to: rest.to.slice(0, SUMMARY_ADDRESS_LIMIT),
        cc: rest.cc.slice(0, SUMMARY_ADDRESS_LIMIT),
        parsedKey: emailKey,
        descriptionLength: description.length,
        attachmentCount: attachments.length,
        headerVerdicts,
        // The body is read here, once: the watermark search needs it and the history must not carry it.
        clues: replyClues({ inReplyTo: parsed.inReplyTo, references: parsed.references, subject: parsed.subject, body: description }),
      };
    },
  };
}

/** The whole parse result, as parseInboundEmail stored it. */
export async function readParsedEmail(aws: ActivityDeps['aws'], bucket: string, key: string): Promise<ParsedEmail> {
  const object = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await object.Body!.transformToString('utf-8')) as ParsedEmail;
}
