// What agents see of the emails on an incident (the one that made it and the replies): each email's
// attachments and whether it has an HTML body, read from the parse stored in S3 (parsed/<SES message id>/),
// and the bytes of one attachment or the HTML body when an agent asks for them. Everything listed is bounded.
import { Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Pool } from 'pg';
import { AwsClients } from '../aws/clients';
import { getInboundEmail, incidentEmailObjects } from '../db/inbound-emails';
import { parsedKey, readParsedEmail, StoredAttachment, StoredEmail } from '../activities/inbound-email-store';
import { Refusal } from '../domain/refusal';
import { oneLine, truncate } from '../domain/short-description';

export const MAX_EMAILS_LISTED = 50;
export const MAX_ATTACHMENTS_LISTED = 50;
const MAX_LISTED_NAME_CHARS = 200;
/** Parses read from S3 at a time (an incident may have many replies). */
const READS_AT_A_TIME = 4;

export interface EmailAttachment {
  /** Its position in the email's attachment list: what a download link names. */
  index: number;
  filename: string;
  contentType: string;
  size: number;
  inline: boolean;
}

export interface IncidentEmail {
  sesMessageId: string;
  /** The email that made the incident; the others are replies or later alerts. */
  original: boolean;
  receivedAt: string;
  subject: string;
  from: string | null;
  hasHtml: boolean;
  attachments: EmailAttachment[];
  /** Attachments past MAX_ATTACHMENTS_LISTED. */
  attachmentsNotListed: number;
  /** Why the stored parse could not be read (the email is listed without its parts). */
  unavailable?: string;
}

export interface IncidentEmails {
  emails: IncidentEmail[];
  /** Older replies past MAX_EMAILS_LISTED. */
  emailsNotListed: number;
}

/** The incident's emails with their attachments, the original first, then the replies oldest first. */
export async function incidentEmails(pool: Pool, aws: AwsClients, incidentNumber: string): Promise<IncidentEmails> {
  const { emails: objects, more } = await incidentEmailObjects(pool, incidentNumber, MAX_EMAILS_LISTED);
  const emails: IncidentEmail[] = [];
  for (let start = 0; start < objects.length; start += READS_AT_A_TIME) {
    const batch = objects.slice(start, start + READS_AT_A_TIME).map(async (object) => {
      const listed = { sesMessageId: object.sesMessageId, original: object.original, receivedAt: object.receivedAt };
      try {
        return { ...listed, ...emailParts(await readParsedEmail(aws, object.bucket, parsedKey(object.sesMessageId, 'email.json'))) };
      } catch (err) {
        const unavailable = `its stored parse cannot be read: ${truncate((err as Error).name || 'error', 100)}`;
        return { ...listed, subject: '', from: null, hasHtml: false, attachments: [], attachmentsNotListed: 0, unavailable };
      }
    });
    emails.push(...(await Promise.all(batch)));
  }
  return { emails, emailsNotListed: more };
}

/** What the list shows of a stored parse: bounded however many attachments it has and however long their names. */
export function emailParts(stored: StoredEmail): Omit<IncidentEmail, 'sesMessageId' | 'original' | 'receivedAt'> {
  const all = Array.isArray(stored.attachments) ? stored.attachments : [];
  return {
    subject: truncate(String(stored.subject ?? ''), 998),
    from: stored.from?.address ?? null,
    hasHtml: typeof stored.htmlKey === 'string',
    attachments: all.slice(0, MAX_ATTACHMENTS_LISTED).map((a, index) => ({
      index,
      filename: truncate(String(a.filename ?? ''), MAX_LISTED_NAME_CHARS) || `attachment-${index + 1}`,
      contentType: truncate(String(a.contentType ?? ''), 255),
      size: Number(a.size) || 0,
      inline: a.inline === true,
    })),
    attachmentsNotListed: Math.max(0, all.length - MAX_ATTACHMENTS_LISTED),
  };
}

/** The stored parse of an email we received, or a refusal naming what is missing. */
async function storedEmail(pool: Pool, aws: AwsClients, sesMessageId: string): Promise<{ bucket: string; stored: StoredEmail }> {
  const record = await getInboundEmail(pool, sesMessageId);
  if (!record) throw new Refusal('not-found', `No email ${sesMessageId}`);
  return { bucket: record.bucket, stored: await readParsedEmail(aws, record.bucket, parsedKey(sesMessageId, 'email.json')) };
}

/** An object of the email's own parse (never another key a tampered parse might name). */
async function readPart(aws: AwsClients, bucket: string, sesMessageId: string, key: string | undefined): Promise<{ body: Readable; length: number | undefined }> {
  if (!key || !key.startsWith(parsedKey(sesMessageId, ''))) throw new Refusal('not-found', `The email ${sesMessageId} has no such part`);
  const object = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { body: object.Body as Readable, length: object.ContentLength };
}

export interface AttachmentDownload {
  filename: string;
  body: Readable;
  length: number | undefined;
}

/** One attachment's bytes, by its position in the email's list. */
export async function emailAttachment(pool: Pool, aws: AwsClients, sesMessageId: string, index: number): Promise<AttachmentDownload> {
  const { bucket, stored } = await storedEmail(pool, aws, sesMessageId);
  const attachment: StoredAttachment | undefined = stored.attachments?.[index];
  if (!attachment) throw new Refusal('not-found', `The email ${sesMessageId} has no attachment ${index + 1}`);
  const part = await readPart(aws, bucket, sesMessageId, attachment.key);
  return { filename: truncate(String(attachment.filename ?? ''), MAX_LISTED_NAME_CHARS) || `attachment-${index + 1}`, ...part };
}

export interface EmailHtmlParts {
  html: string;
  /** The email's inline images that its HTML names by cid: (of those asked for, within the bounds). */
  images: { contentId: string; contentType: string; content: Buffer }[];
}

/**
 * The HTML body as stored and the images its cid: URLs name (`wanted`: lower-cased Content-IDs of the
 * HTML, which the caller reads from it); at most `maxImageBytes` each and `maxTotalBytes` in all are read.
 */
export async function emailHtml(
  pool: Pool,
  aws: AwsClients,
  sesMessageId: string,
  wanted: (html: string) => string[],
  bounds: { maxImageBytes: number; maxTotalBytes: number },
): Promise<EmailHtmlParts> {
  const { bucket, stored } = await storedEmail(pool, aws, sesMessageId);
  if (!stored.htmlKey) throw new Refusal('not-found', `The email ${sesMessageId} has no HTML body`);
  const html = await streamText((await readPart(aws, bucket, sesMessageId, stored.htmlKey)).body);
  const ids = new Set(wanted(html));
  let total = 0;
  const chosen = (stored.attachments ?? []).filter((a) => {
    if (!a.contentId || !ids.has(a.contentId.toLowerCase()) || !/^image\//i.test(a.contentType) || a.size > bounds.maxImageBytes) return false;
    total += a.size;
    return total <= bounds.maxTotalBytes;
  });
  const images = await Promise.all(
    chosen.map(async (a) => ({ contentId: a.contentId!, contentType: a.contentType, content: await streamBytes((await readPart(aws, bucket, sesMessageId, a.key)).body) })),
  );
  return { html, images };
}

async function streamBytes(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const streamText = async (body: Readable) => (await streamBytes(body)).toString('utf8');

/** A size as people read it: 512 B, 12.3 KB, 4.0 MB. */
export function describeSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The emails' attachments for the CLI: one line each (names come from strangers: one line, bounded). */
export function emailLines({ emails, emailsNotListed }: IncidentEmails): string[] {
  const lines = emails.length ? ['', 'Emails:'] : [];
  if (emailsNotListed) lines.push(`  (${emailsNotListed} older replies not listed)`);
  for (const email of emails) {
    lines.push(`  ${email.original ? 'original' : 'reply'}  ${email.receivedAt}  ${email.sesMessageId}${email.hasHtml ? '  (HTML body: see the admin page)' : ''}`);
    if (email.unavailable) lines.push(`    not shown: ${email.unavailable}`);
    for (const a of email.attachments) lines.push(`    ${oneLine(a.filename)}  ${oneLine(a.contentType)}  ${describeSize(a.size)}${a.inline ? '  inline' : ''}`);
    if (email.attachmentsNotListed) lines.push(`    (${email.attachmentsNotListed} more attachments not listed)`);
  }
  return lines;
}
