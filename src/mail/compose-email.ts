// Builds the raw MIME of the mail we send (nodemailer's MailComposer does the encoding). Every header
// value that came from outside is made one line first, so no CR/LF can add a header of its own.
import MailComposer from 'nodemailer/lib/mail-composer';
import { oneLine } from '../domain/short-description';

/** An answer's References: the customer's own, then the Message-ID it answers; the newest 20 at most. */
export function answerReferences(references: readonly string[] | undefined, inReplyTo: string | null | undefined): string[] {
  return [...(references ?? []), ...(inReplyTo ? [inReplyTo] : [])].slice(-20);
}

export interface OutgoingEmail {
  from: { address: string; name: string };
  to: string[];
  cc: string[];
  replyTo: string;
  subject: string;
  text: string;
  html?: string;
  /** With <>. */
  messageId: string;
  inReplyTo?: string | null;
  references?: string[];
  headers: Record<string, string>;
}

const bracketed = (id: string) => `<${oneLine(id).replace(/^<|>$/g, '')}>`;

/**
 * Header text from outside, on one line and with any literal encoded word ("=?utf-8?B?...?=", which a
 * subject can carry as plain text) broken by an invisible zero-width space: otherwise it would go out
 * as ASCII and the recipient's mail program would decode it, CR LF included.
 */
const headerText = (value: string) => oneLine(value).replace(/=\?/g, '=\u200b?');

export async function composeEmail(mail: OutgoingEmail): Promise<Buffer> {
  const headers = Object.fromEntries(Object.entries(mail.headers).map(([k, v]) => [k, headerText(v)]));
  const node = new MailComposer({
    from: { name: headerText(mail.from.name), address: mail.from.address },
    to: mail.to,
    cc: mail.cc.length ? mail.cc : undefined,
    replyTo: mail.replyTo,
    subject: headerText(mail.subject),
    text: mail.text,
    html: mail.html,
    messageId: bracketed(mail.messageId),
    inReplyTo: mail.inReplyTo ? bracketed(mail.inReplyTo) : undefined,
    references: mail.references?.length ? mail.references.map(bracketed).join(' ') : undefined,
    headers,
    // Never read a file or fetch a URL named in the content.
    disableFileAccess: true,
    disableUrlAccess: true,
  }).compile();
  return new Promise((resolve, reject) => node.build((err, message) => (err ? reject(err) : resolve(message))));
}
