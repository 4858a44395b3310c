// Fetch and parse in one step: the raw MIME never enters workflow history, only a summary does.
// The whole parse and the attachments are stored in S3 beside the raw email, under parsed/<SES message id>/.
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand } from '@aws-sdk/client-s3';
import { ApplicationFailure, log } from '@temporalio/activity';
import { recordInboundEmail } from '../db/inbound-emails';
import { PermanentFault } from '../domain/permanent-faults';
import { replyClues } from '../domain/reply-detection';
import { applyParsingRules, ParsedAlert, parseParsingRule } from '../domain/parsing-rules';
import { cachedRuleTable } from './rule-tables';
import { EmailSummary, InboundEmailNotice, ParsedEmail, SUMMARY_ADDRESS_LIMIT } from '../domain/types';
import { parseEmail } from '../mail/parse-email';
import { senderForSearch } from '../mail/search-sender';
import { ActivityDeps } from './deps';

export function parsedKey(sesMessageId: string, name: string): string {
  return `parsed/${sesMessageId}/${name}`;
}

function isMissing(err: unknown): boolean {
  return err instanceof NoSuchKey || err instanceof NotFound || (err as { name?: string })?.name === 'NotFound';
}

export function createInboundEmailStore(deps: ActivityDeps) {
  const { aws, pool, config } = deps;
  const parsingRules = cachedRuleTable(deps, config.parsingRuleTable, parseParsingRule);
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
      const { parsed, attachmentContents, headerVerdicts, headers } = result;
      // A monitoring alert (or other structured mail) is recognised here, where the body is at hand.
      const alert = parsed.from ? applyParsingRules(await parsingRules(), { sender: parsed.from.address, subject: parsed.subject, body: parsed.description }) : null;
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
      const stored: StoredEmail = { ...parsed, attachments, headers, alert };
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
        // For the quarantine page, which must not load whole emails.
        preview: parsed.description.slice(0, 1500),
      });
      log.info('email parsed', { sesMessageId: notice.sesMessageId, kind: parsed.kind, attachments: attachments.length, alert: alert?.alertKey ?? null });
      const { description, attachments: _all, ...rest } = parsed;
      return {
        ...rest,
        to: rest.to.slice(0, SUMMARY_ADDRESS_LIMIT),
        cc: rest.cc.slice(0, SUMMARY_ADDRESS_LIMIT),
        parsedKey: emailKey,
        descriptionLength: description.length,
        attachmentCount: attachments.length,
        headerVerdicts,
        senderForSearch: parsed.from ? senderForSearch(parsed.from.address, config.searchSenderAs) : null,
        alert: alert ? { ruleId: alert.ruleId, alertKey: alert.alertKey, state: alert.state, recovery: alert.recovery, priority: alert.priority } : null,
        // The body is read here, once: the watermark search needs it and the history must not carry it.
        clues: replyClues({ inReplyTo: parsed.inReplyTo, references: parsed.references, subject: parsed.subject, body: description }),
      };
    },
  };
}

/** What parseInboundEmail stores in S3: the whole parse, the headers, and the alert a parsing rule found. */
export interface StoredEmail extends ParsedEmail {
  headers?: Record<string, string[]>;
  alert?: ParsedAlert | null;
}

/** The whole parse result, as parseInboundEmail stored it. */
export async function readParsedEmail(aws: ActivityDeps['aws'], bucket: string, key: string): Promise<StoredEmail> {
  const object = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await object.Body!.transformToString('utf-8')) as StoredEmail;
}
