// Fetch and parse in one step: the raw MIME never enters workflow history, only a summary does.
// The whole parse and the attachments are stored in S3 beside the raw email, under parsed/<SES message id>/.
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { recordInboundEmail } from '../db/inbound-emails';
import { PermanentFault } from '../domain/permanent-faults';
import { replyClues } from '../domain/reply-detection';
import { senderProblem } from '../domain/sender-mailbox';
import { applyParsingRules, ParsedAlert, parseParsingRule } from '../domain/parsing-rules';
import { alertTime } from '../domain/alert-key';
import { cachedRuleTable } from './rule-tables';
import { summaryAddresses, summaryFrom, summaryReferences } from '../domain/summary-bounds';
import { AttachmentSummary, EmailSummary, ForwardSummary, InboundEmailNotice, ParsedEmail } from '../domain/types';
import { findForward, type StoredForward } from '../mail/forwarded-email';
import { parseEmail } from '../mail/parse-email';
import { searchSenderSetting, senderForSearch } from '../mail/search-sender';
import { ActivityDeps } from './deps';
import { RawEmailMissingError, RawEmailReader, RawEmailTooLargeError } from './raw-email';

export function parsedKey(sesMessageId: string, name: string): string {
  return `parsed/${sesMessageId}/${name}`;
}

export function createInboundEmailStore(deps: ActivityDeps, rawEmail: RawEmailReader) {
  const { aws, pool, config } = deps;
  const parsingRules = cachedRuleTable(deps, config.parsingRuleTable, parseParsingRule);

  return {
    async parseInboundEmail(notice: InboundEmailNotice): Promise<EmailSummary> {
      // The email's record is made first, so that one that cannot be read or parsed is still accounted for.
      await recordInboundEmail(pool, { sesMessageId: notice.sesMessageId, bucket: notice.bucket, key: notice.key, sender: null, subject: null });
      // From reading the raw bytes to the last upload, the email counts against the worker's parse budget.
      try {
        return await whileHeartbeating(() => rawEmail.withRawEmail(notice, async (readRaw) => parseAndStore(notice, await parse(await readRaw()))));
      } catch (err) {
        if (err instanceof RawEmailMissingError) throw ApplicationFailure.nonRetryable(err.message, PermanentFault.RawEmailMissing);
        if (err instanceof RawEmailTooLargeError) throw ApplicationFailure.nonRetryable(err.message, PermanentFault.EmailTooLarge);
        throw err;
      }
    },
  };

  /**
   * Beats every 5 s while the parse waits for its budget or runs, so that Temporal retries the parse of a
   * worker that died after its heartbeat timeout (20 s) instead of the 2-minute start-to-close timeout.
   * A parse that ends within 5 s (nearly all) sends no heartbeat at all.
   */
  async function whileHeartbeating<T>(fn: () => Promise<T>): Promise<T> {
    const context = Context.current();
    const timer = setInterval(() => context.heartbeat(), 5000);
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }

  // The raw bytes are not held past the parse: the uploads that follow do not keep them alive.
  async function parse(raw: Buffer) {
    try {
      return await parseEmail(raw);
    } catch (err) {
      throw ApplicationFailure.nonRetryable((err as Error).message, PermanentFault.UnparseableEmail);
    }
  }

  async function parseAndStore(notice: InboundEmailNotice, result: Awaited<ReturnType<typeof parseEmail>>): Promise<EmailSummary> {
    const { parsed, attachmentContents, attachmentContentIds, headerVerdicts, authenticatedDomains, headers, fromMailboxes, fromHeaders, deliveryReport, bodies } = result;
    // A forwarded email is looked for in every email; only an authenticated agent's counts (the decision's).
    const forward = await findForward(result, config.ticketAddress);
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
        const contentId = attachmentContentIds[index];
        return { ...attachment, key, ...(contentId ? { contentId } : {}) };
      });
      attachments.push(...(await Promise.all(batch)));
    }
    // The HTML body as sent, for agents (sanitised when it is shown, never here: the rules may change).
    const htmlKey = bodies.html?.trim() ? parsedKey(notice.sesMessageId, 'body.html') : undefined;
    if (htmlKey) {
      const html = bodies.html!.length > MAX_STORED_HTML_CHARS ? bodies.html!.slice(0, MAX_STORED_HTML_CHARS) : bodies.html!;
      await aws.s3.send(new PutObjectCommand({ Bucket: notice.bucket, Key: htmlKey, Body: html, ContentType: 'text/html; charset=utf-8' }));
    }
    const emailKey = parsedKey(notice.sesMessageId, 'email.json');
    const stored: StoredEmail = { ...parsed, attachments, headers, alert, forward, ...(htmlKey ? { htmlKey } : {}) };
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
      // Bounded for history, whatever the email holds (domain/summary-bounds).
      from: summaryFrom(rest.from),
      to: summaryAddresses(rest.to),
      cc: summaryAddresses(rest.cc),
      references: summaryReferences(rest.references),
      parsedKey: emailKey,
      descriptionLength: description.length,
      attachmentCount: attachments.length,
      headerVerdicts,
      authenticatedDomains,
      senderProblem: senderProblem({ mailboxes: fromMailboxes, values: fromHeaders }),
      senderForSearch: parsed.from ? senderForSearch(parsed.from.address, searchSenderSetting(config)) : null,
      forward: forward ? forwardSummary(forward) : null,
      alert: alert ? { ruleId: alert.ruleId, alertKey: alert.alertKey, state: alert.state, recovery: alert.recovery, priority: alert.priority, at: alertTimeOf(alert, headers, notice) } : null,
      // The body is read here, once: the watermark search needs it and the history must not carry it.
      // A bounce names the mail it returns by that mail's Message-ID (in the returned message), rarely by
      // In-Reply-To: the returned Message-ID counts as the newest reference.
      clues: replyClues({
        inReplyTo: parsed.inReplyTo,
        references: deliveryReport?.originalMessageId ? [...parsed.references, `<${deliveryReport.originalMessageId}>`] : parsed.references,
        subject: parsed.subject,
        body: description,
      }, config.externalTicketPatterns),
      // Only a bounce has one (bounded by src/mail/delivery-report.ts); other mail's summary stays as it was.
      ...(deliveryReport ? { deliveryReport } : {}),
    };
  }
}

/** The fields a parsing rule may give the alert's own time in, first found first (the default rules' Date/Time, When, Date). */
const ALERT_TIME_FIELDS = ['time', 'dateTime', 'when', 'date'];

/** The alert's time: its own field, else the mail's Date header, near its arrival (SES's receipt time, else now). */
function alertTimeOf(alert: ParsedAlert, headers: Record<string, string[]>, notice: InboundEmailNotice): number {
  const received = notice.receivedAt ? Date.parse(notice.receivedAt) : NaN;
  const arrivedAt = Number.isFinite(received) ? received : Date.now();
  return alertTime([...ALERT_TIME_FIELDS.map((name) => alert.fields[name]), headers['date']?.[0]], arrivedAt);
}

/** Characters of an HTML body stored at most (agents are shown less: see mail/email-html). */
const MAX_STORED_HTML_CHARS = 5_000_000;

/** What parseInboundEmail stores in S3: the whole parse, the headers, and the alert a parsing rule found. */
export interface StoredEmail extends Omit<ParsedEmail, 'attachments'> {
  attachments: StoredAttachment[];
  headers?: Record<string, string[]>;
  alert?: ParsedAlert | null;
  /** The forwarded email found in it (absent from parses older than it). */
  forward?: StoredForward | null;
  /** Where the HTML body is (absent: the email had none, or was parsed before HTML bodies were kept). */
  htmlKey?: string;
}

export interface StoredAttachment extends AttachmentSummary {
  /** The Content-ID a cid: URL in the HTML names it by (without <>). */
  contentId?: string;
}

/** The forward as the summary carries it: its texts stay in S3. */
function forwardSummary({ description: _description, note: _note, ...summary }: StoredForward): ForwardSummary {
  return summary;
}

/** The whole parse result, as parseInboundEmail stored it. */
export async function readParsedEmail(aws: ActivityDeps['aws'], bucket: string, key: string): Promise<StoredEmail> {
  const object = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await object.Body!.transformToString('utf-8')) as StoredEmail;
}
