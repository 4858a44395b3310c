// Fetch and parse in one step: the raw MIME never enters workflow history, only a summary does.
// The whole parse and the attachments are stored in S3 beside the raw email, under parsed/<SES message id>/.
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand } from '@aws-sdk/client-s3';
import { ApplicationFailure, log } from '@temporalio/activity';
import { recordInboundEmail } from '../db/inbound-emails';
import { PermanentFault } from '../domain/permanent-faults';
import { replyClues } from '../domain/reply-detection';
import { senderProblem } from '../domain/sender-mailbox';
import { applyParsingRules, ParsedAlert, parseParsingRule } from '../domain/parsing-rules';
import { cachedRuleTable } from './rule-tables';
import { EmailSummary, InboundEmailNotice, ParsedEmail, SUMMARY_ADDRESS_LIMIT } from '../domain/types';
import { parseEmail } from '../mail/parse-email';
import { searchSenderSetting, senderForSearch } from '../mail/search-sender';
import { ActivityDeps } from './deps';
import { ParseBudget } from './parse-budget';

export function parsedKey(sesMessageId: string, name: string): string {
  return `parsed/${sesMessageId}/${name}`;
}

function isMissing(err: unknown): boolean {
  return err instanceof NoSuchKey || err instanceof NotFound || (err as { name?: string })?.name === 'NotFound';
}

export function createInboundEmailStore(deps: ActivityDeps) {
  const { aws, pool, config } = deps;
  const parsingRules = cachedRuleTable(deps, config.parsingRuleTable, parseParsingRule);
  const budget = new ParseBudget(config.worker.parseBudgetBytes);
  const missing = (notice: InboundEmailNotice) =>
    ApplicationFailure.nonRetryable(`No raw email at s3://${notice.bucket}/${notice.key}`, PermanentFault.RawEmailMissing);

  /** The raw email's size, refused above the limit before a byte of it is read. */
  async function rawEmailSize(notice: InboundEmailNotice): Promise<number> {
    let size;
    try {
      size = (await aws.s3.send(new HeadObjectCommand({ Bucket: notice.bucket, Key: notice.key }))).ContentLength ?? 0;
    } catch (err) {
      throw isMissing(err) ? missing(notice) : err;
    }
    if (size > config.maxRawEmailBytes) {
      throw ApplicationFailure.nonRetryable(`Raw email is ${size} bytes, above the limit of ${config.maxRawEmailBytes}`, PermanentFault.EmailTooLarge);
    }
    return size;
  }

  /** The raw bytes, read into one buffer of the size HEAD gave (not chunks joined at the end: half the peak). */
  async function readRawEmail(notice: InboundEmailNotice, size: number): Promise<Buffer> {
    try {
      const object = await aws.s3.send(new GetObjectCommand({ Bucket: notice.bucket, Key: notice.key }));
      return await readInto(object.Body as AsyncIterable<Uint8Array>, size);
    } catch (err) {
      throw isMissing(err) ? missing(notice) : err;
    }
  }

  return {
    async parseInboundEmail(notice: InboundEmailNotice): Promise<EmailSummary> {
      // The email's record is made first, so that one that cannot be read or parsed is still accounted for.
      await recordInboundEmail(pool, { sesMessageId: notice.sesMessageId, bucket: notice.bucket, key: notice.key, sender: null, subject: null });
      // From reading the raw bytes to the last upload, the email counts against the worker's parse budget.
      const size = await rawEmailSize(notice);
      return budget.run(size, async () => {
        try {
          return await parseAndStore(notice, await parse(await readRawEmail(notice, size)));
        } finally {
          if (size >= LARGE_EMAIL_BYTES) collectGarbage();
        }
      });
    },
  };

  // The raw bytes are not held past the parse: the uploads that follow do not keep them alive.
  async function parse(raw: Buffer) {
    try {
      return await parseEmail(raw);
    } catch (err) {
      throw ApplicationFailure.nonRetryable((err as Error).message, PermanentFault.UnparseableEmail);
    }
  }

  async function parseAndStore(notice: InboundEmailNotice, result: Awaited<ReturnType<typeof parseEmail>>): Promise<EmailSummary> {
    const { parsed, attachmentContents, headerVerdicts, headers, fromMailboxes } = result;
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
      senderProblem: senderProblem(fromMailboxes),
      senderForSearch: parsed.from ? senderForSearch(parsed.from.address, searchSenderSetting(config)) : null,
      alert: alert ? { ruleId: alert.ruleId, alertKey: alert.alertKey, state: alert.state, recovery: alert.recovery, priority: alert.priority } : null,
      // The body is read here, once: the watermark search needs it and the history must not carry it.
      clues: replyClues({ inReplyTo: parsed.inReplyTo, references: parsed.references, subject: parsed.subject, body: description }),
    };
  }
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

/** From this size on, a parse leaves tens of MB of buffers behind: collected at once, not whenever V8 gets to them. */
const LARGE_EMAIL_BYTES = 4 * 1024 * 1024;

/** A full collection when the worker runs with --expose-gc (the stack and the Dockerfile start it so); else nothing. */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') gc();
}

/** Reads a stream into one buffer of the expected size (grown if the object turns out larger). */
export async function readInto(body: AsyncIterable<Uint8Array>, expected: number): Promise<Buffer> {
  let out = Buffer.allocUnsafe(expected);
  let length = 0;
  for await (const chunk of body) {
    if (length + chunk.length > out.length) {
      const grown = Buffer.allocUnsafe(Math.max(out.length * 2, length + chunk.length));
      out.copy(grown, 0, 0, length);
      out = grown;
    }
    out.set(chunk, length);
    length += chunk.length;
  }
  return out.subarray(0, length);
}
