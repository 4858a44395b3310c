// Builds the raw MIME of the mail we send (nodemailer's MailComposer does the encoding). Every header
// value that came from outside is made one line first, so no CR/LF can add a header of its own.
import MailComposer from 'nodemailer/lib/mail-composer';
import { oneLine } from '../domain/short-description';

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

export async function composeEmail(mail: OutgoingEmail): Promise<Buffer> {
  const headers = Object.fromEntries(Object.entries(mail.headers).map(([k, v]) => [k, oneLine(v)]));
  const node = new MailComposer({
    from: { name: oneLine(mail.from.name), address: mail.from.address },
    to: mail.to,
    cc: mail.cc.length ? mail.cc : undefined,
    replyTo: mail.replyTo,
    subject: oneLine(mail.subject),
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
