// Rule family 4: auto-replies (vacation notices, "we got your mail" responders, mail-loop echoes), in
// this order:
//   1. Auto-Submitted other than "no" (RFC 3834: auto-replied, auto-generated, auto-notified, ...).
//   2. X-Autoreply or X-Autorespond (set by vacation programs and many responders).
//   3. Precedence: auto_reply.
//   4. X-MS-Exchange-Inbox-Rules-Loop: sent by an Exchange inbox rule (a rule's reply or redirect).
//   5. our own loop header coming back.
//   6. an auto-reply subject: one of the phrases below at the very start of the subject, ended by ':'
//      or ']' ('Automatic reply: ...', 'Out of Office: ...', '[Automatyczna odpowiedź] ...'), or Lotus
//      Notes' 'AUTO: <name> is out of the office ...'. A person's 'Re: Automatic reply: ...' is no
//      auto-reply subject, nor is 'Out of office next week' (no ':'); body text is never read, so "I am out
//      of office next week" in a mail stays human.
//   7. a topmost Return-Path <>: sent with a null sender, as RFC 3834 asks of auto-responders.
// X-Auto-Response-Suppress is no auto-reply mark: it asks the recipient's server not to answer with
// auto-replies, and Outlook sets it on mail people write too. (Our own auto-responses set it, beside
// Auto-Submitted and our loop header, which recognise them.)
import { LOOP_HEADER, firstToken, show, type MailKindRule } from './facts';

/** Subject starts of auto-replies (lower case), each followed by ':' or ']' (a space before it allowed). */
export const AUTO_REPLY_SUBJECTS: readonly string[] = [
  'automatic reply', // Outlook
  'auto reply',
  'autoreply',
  'auto-reply',
  'auto response',
  'auto-response',
  'automatic response',
  'out of office autoreply', // Exchange 2003
  'out of office reply',
  'out of office', // Exchange: 'Out of Office: <subject>'
  'abwesenheitsnotiz', // Outlook, German
  'automatische antwort', // German
  'réponse automatique', // French
  'respuesta automática', // Spanish
  'risposta automatica', // Italian
  'resposta automática', // Portuguese
  'automatisch antwoord', // Dutch
  'autosvar', // Swedish, Norwegian, Danish
  'automatisk svar',
  'automatyczna odpowiedź', // Polish (wp.pl: '[Automatyczna odpowiedź] <subject>')
  'odpowiedź automatyczna',
];

const AUTO_REPLY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['x-autoreply', 'X-Autoreply header'],
  ['x-autorespond', 'X-Autorespond header'],
];

export const autoReply: MailKindRule = (mail) => {
  for (const value of mail.values('auto-submitted')) {
    const token = firstToken(value);
    if (token !== 'no') return { kind: 'auto-reply', reason: `Auto-Submitted: ${show(token || '(empty)')}` };
  }
  for (const [name, reason] of AUTO_REPLY_HEADERS) if (mail.has(name)) return { kind: 'auto-reply', reason };
  if (mail.precedences.includes('auto_reply')) return { kind: 'auto-reply', reason: 'Precedence: auto_reply' };
  if (mail.has('x-ms-exchange-inbox-rules-loop')) return { kind: 'auto-reply', reason: 'X-MS-Exchange-Inbox-Rules-Loop header (an Exchange inbox rule)' };
  if (mail.has(LOOP_HEADER.toLowerCase())) return { kind: 'auto-reply', reason: `our own ${LOOP_HEADER} header (mail loop)` };
  const subject = autoReplySubject(mail.subject);
  if (subject !== undefined) return { kind: 'auto-reply', reason: `auto-reply subject "${subject}"` };
  if (mail.nullReturnPath) return { kind: 'auto-reply', reason: 'Return-Path: <>' };
  return null;
};

/** The auto-reply phrase a (normalised) subject starts with, or undefined. */
export function autoReplySubject(subject: string): string | undefined {
  // Lotus Notes: 'AUTO: Smith, John is out of the office. (returning 05/01/2010)'
  if (subject.startsWith('auto: ') && (subject.includes('out of the office') || subject.includes('out of office'))) return 'auto: … out of the office';
  const text = subject.startsWith('[') ? subject.slice(1) : subject;
  return AUTO_REPLY_SUBJECTS.find((phrase) => isEnded(text, phrase));
}

function isEnded(text: string, phrase: string): boolean {
  if (!text.startsWith(phrase)) return false;
  const rest = text.slice(phrase.length, phrase.length + 2);
  return rest.startsWith(':') || rest.startsWith(']') || rest === ' :' || rest === ' ]';
}
