// Rule family 5: bulk and list mail (newsletters, notifications): Precedence bulk, junk or list, a
// List-Id or List-Unsubscribe header, or a noreply-style sender. It gets an incident, without a
// confirmation (nobody reads the answer).
import type { MailKindRule } from './facts';

const BULK_PRECEDENCE: ReadonlySet<string> = new Set(['bulk', 'junk', 'list']);
const NOREPLY_SENDERS: ReadonlySet<string> = new Set(['noreply', 'no-reply', 'donotreply', 'do-not-reply']);

export const bulk: MailKindRule = (mail) => {
  const precedence = mail.precedences.find((p) => BULK_PRECEDENCE.has(p));
  if (precedence) return { kind: 'bulk', reason: `Precedence: ${precedence}` };
  if (mail.has('list-id')) return { kind: 'bulk', reason: 'List-Id header' };
  if (mail.has('list-unsubscribe')) return { kind: 'bulk', reason: 'List-Unsubscribe header' };
  if (mail.fromLocal !== null && NOREPLY_SENDERS.has(mail.fromLocal)) return { kind: 'bulk', reason: `sender ${mail.fromLocal}@…` };
  return null;
};
