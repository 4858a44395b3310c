// An agent forwards a customer's email to the ticket address: the incident is the customer's. Only an
// authenticated agent's forward is read so (the agent vouches for the customer); anyone else's forward stays
// an ordinary email of theirs, or a stranger could open incidents in someone else's name and make us mail a
// third party. The customer is mailed a confirmation only when the agent asks for one with a tag in their own
// subject or text (#notify or [notify]); the forwarded text cannot ask. Pure: the decision order runs it.
import { participantAddress } from './participants';
import { stripReplyPrefixes } from './reply-prefix';
import { shortDescriptionFrom } from './short-description';
import type { Address, ForwardSummary, MailKind } from './types';

/** The tags an agent writes to have the customer mailed a confirmation (any case); not `#notifyme`. */
export const NOTIFY_TAGS = ['#notify', '[notify]'] as const;
// Literals and a one-character look-ahead: linear whatever the text.
const NOTIFY_TAG = /(?:#notify|\[notify\])(?![\p{L}\p{N}_-])/giu;

/** Whether any of the forwarder's own texts carries a notify tag. */
export function asksToNotify(texts: readonly string[]): boolean {
  return texts.some((text) => text.search(NOTIFY_TAG) >= 0);
}

/** The text without its notify tags (a subject that becomes a short description). */
export function withoutNotifyTags(text: string): string {
  return text.replace(NOTIFY_TAG, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The incident's short description: the original subject without its reply and forward prefixes and notify
 * tags; without one, the forwarder's subject so; without either, the first line of the body.
 */
export function forwardShortDescription(originalSubject: string | null, forwarderSubject: string, body: string): string {
  // Outlook's forward shows no separator; the subject the library reports then is the forwarder's, tags and all.
  const subject = withoutNotifyTags(originalSubject?.trim() ? originalSubject : forwarderSubject);
  return shortDescriptionFrom(stripReplyPrefixes(subject).base, body);
}

/** Why the original sender may not own the incident (our own address), or null. */
export function originalSenderRefusal(address: string, ticketAddress: string): string | null {
  const checked = participantAddress(address, ticketAddress);
  return 'error' in checked ? `the forwarded sender: ${checked.error}` : null;
}

export interface ForwardFacts {
  forward: ForwardSummary | null | undefined;
  /** The forwarder (the From of the email), a valid mailbox. */
  sender: string;
  authenticated: boolean;
  kind: MailKind;
  /** Whether the directory holds the sender as an agent; undefined until asked. */
  senderIsAgent: boolean | undefined;
}

export type ForwardRole =
  /** Ask the directory whether the forwarder is an agent. */
  | { role: 'check-agent'; address: string }
  /** The incident is the customer's: reporter, description and confirmation follow them. */
  | { role: 'customer'; agent: string; customer: Address; notify: boolean; forward: ForwardSummary }
  /** The forward stays the forwarder's own email; the reason is recorded with its outcome. */
  | { role: 'own'; reason: string };

/** What a forward makes of the email, or null when it is no forward (or automated mail: nothing changes). */
export function forwardRole({ forward, sender, authenticated, kind, senderIsAgent }: ForwardFacts): ForwardRole | null {
  if (!forward || kind !== 'human') return null;
  if (!authenticated) return { role: 'own', reason: "forward kept as the sender's own: sender not authenticated" };
  if (senderIsAgent === undefined) return { role: 'check-agent', address: sender };
  if (!senderIsAgent) return { role: 'own', reason: "forward kept as the sender's own: sender is not an agent" };
  if (!forward.from) return { role: 'own', reason: `agent's forward kept as the agent's own: ${forward.problem ?? 'the original sender was not found'}` };
  if (forward.from.address === sender.toLowerCase()) return { role: 'own', reason: "agent's forward kept as the agent's own: the forwarded message is the agent's" };
  return { role: 'customer', agent: sender, customer: forward.from, notify: forward.notify, forward };
}

/** The outcome's words for a forward made the customer's. */
export function forwardedFor(role: { agent: string; customer: Address }): string {
  return `forwarded by ${role.agent} for ${role.customer.address}`;
}
