// Rule family 3: delivery reports (bounces, delay warnings, rejections), tried in this order:
//   1. RFC 3464 delivery status notification: `multipart/report; report-type=delivery-status` at the top
//      level (its message/delivery-status part is inside it).
//   2. any other multipart/report (RFC 6522), e.g. a read receipt (disposition-notification).
//   3. a sender whose local part is mailer-daemon, postmaster or mdaemon (the MDaemon server's own
//      account): how non-standard bounces are sent.
//   4. a bounce subject (below) on a mail sent with a null sender (topmost Return-Path <>, RFC 5321 4.5.5:
//      how every bounce is sent; or <MAILER-DAEMON@host>, as Sendmail writes the null sender).
//   5. a bounce subject and, in the first 1000 characters of the body, the text of a known mail server
//      (qmail, Exim, Postfix, Sendmail, Exchange, Lotus Domino, Gmail, MDaemon, InterScan, ...) or the
//      words of an SMTP server's refusal (RFC 5321's reply texts, 'remote host said: 5...').
// A bounce subject is one of the phrases below at the very start of the subject, so a person's "Re: Mail
// delivery failed for my order" or "Fwd: Undeliverable: ..." never is one, and a subject alone is never
// enough (rules 4 and 5 need a second sign a person does not give).
import { includesAny, startsWithAny, show, type MailKindRule } from './facts';

/** Subject starts of bounces (lower case), by the servers that write them. */
export const BOUNCE_SUBJECTS: readonly string[] = [
  'mail delivery failed', // Exim
  'undelivered mail returned to sender', // Postfix
  'returned mail', // Sendmail: 'Returned mail: see transcript for details'
  'failure notice', // qmail
  'mail delivery problem', // AOL
  'undeliverable', // Exchange: 'Undeliverable: <subject>', 'Undeliverable mail'
  'delivery status notification', // Exchange, Gmail: '... (Failure)', '... (Delay)'
  'delivery failure', // Lotus Domino: 'DELIVERY FAILURE: User ... not listed'; Symantec gateways
  'permanent delivery failure', // MDaemon
  'mail could not be delivered', // InterScan VirusWall
  'mail delivery warning', // delay warnings
  'mail error', // Jetmail and other small servers ('Mail Error')
  'non-delivery', // Exchange via CDO: 'Non-Delivery: <subject>'
  'delivery notification: delivery has failed', // Lotus Domino
  'message status - undeliverable', // Novell GroupWise
  'non delivery report',
  'non-delivery report',
  'nondeliverable mail',
  'delayed mail', // Sendmail delay warning
  'warning: could not send message', // Sendmail delay warning
  'mail system error - returned mail',
  'unzustellbar', // Exchange, German
  'non remis', // Exchange, French
  'non recapitabile', // Exchange, Italian
  'no se puede entregar', // Exchange, Spanish
  'onbestelbaar', // Exchange, Dutch
];

/** Opening texts of bounces (lower case, whitespace as one space), by the servers that write them. */
export const MTA_TEXTS: readonly string[] = [
  "i'm afraid i wasn't able to deliver your message", // qmail
  'this is the qmail-send program at', // qmail
  'this message was created automatically by mail delivery software', // Exim
  'this is the mail system at host', // Postfix
  'this is the postfix program at host', // Postfix (old)
  'the original message was received at', // Sendmail
  'delivery has failed to these recipients', // Exchange 2007 and later ('... or groups', '... or distribution lists')
  "this message wasn't delivered to anyone", // Exchange Online
  'these recipients of your message have been processed by the mail server', // Exchange, IIS
  'your message did not reach some or all of the intended recipients', // Exchange 2003
  'did not reach the following recipient', // Exchange 5.5, 2000
  'was not delivered to:', // Lotus Domino: 'Your message ... was not delivered to:'
  'delivery to the following recipient failed permanently', // Gmail
  'delivery to the following recipients failed', // Exchange DSN text
  'the message that you sent was undeliverable to the following', // Novell GroupWise
  'your mail to the following recipients could not be delivered', // AOL
  // Generic wording many smaller servers and gateways use (only with a bounce subject, rule 5).
  'could not be delivered to the following', // Exchange CDO, Symantec, ... ('... recipients:', '... user:')
  'cannot be delivered to the following address', // Jetmail, CommuniGate
  'the following mail could not be delivered', // InterScan VirusWall
  'unable to deliver message to', // InterScan Messaging Security Suite
  'could not deliver message to the following', // SmarterMail and others
  'original message follow', // '... your original message follows', 'The original message follows'
  'your message was not delivered', // MDaemon
  // RFC 5321 reply texts and how servers quote the remote answer: a person's mail does not carry them.
  'requested action not taken', // 550/553 'Requested action not taken: mailbox unavailable'
  'remote host said: 5',
  'remote host said: 4',
];

const BOUNCE_SENDERS: ReadonlySet<string> = new Set(['mailer-daemon', 'postmaster', 'mdaemon']);

export const deliveryReport: MailKindRule = (mail) => {
  if (mail.contentType === 'multipart/report') {
    if (mail.reportType === 'delivery-status') return { kind: 'bounce', reason: 'delivery-status report' };
    return { kind: 'bounce', reason: mail.reportType ? `multipart/report (${show(mail.reportType)})` : 'multipart/report' };
  }
  if (mail.fromLocal !== null && BOUNCE_SENDERS.has(mail.fromLocal)) return { kind: 'bounce', reason: `sender ${mail.fromLocal}@…` };
  const subject = startsWithAny(mail.subject, BOUNCE_SUBJECTS);
  if (subject === undefined) return null;
  if (mail.nullReturnPath) return { kind: 'bounce', reason: `bounce subject "${subject}" from a null sender (Return-Path: <>)` };
  if (mail.returnPathLocal === 'mailer-daemon') return { kind: 'bounce', reason: `bounce subject "${subject}" from Return-Path <MAILER-DAEMON@…>` };
  const text = includesAny(mail.bodyStart, MTA_TEXTS);
  if (text !== undefined) return { kind: 'bounce', reason: `bounce subject "${subject}" and mail server text "${show(text)}"` };
  return null;
};
