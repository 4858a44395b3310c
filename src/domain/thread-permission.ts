// Who may speak on an incident's thread: a reply is appended only when its sender is the incident's
// original sender, the reporter, a participant or an agent, and SES did not find the sender spoofed.
// Anyone else gets a new incident of their own (the most common complaint about helpdesks is
// strangers landing on someone else's ticket). Pure: imported by workflow code.
//
// Spoofed means any of SPF, DKIM or DMARC is FAIL: then the reply is refused outright. A sender that is
// merely not authenticated (a domain without DMARC, domain/sender-authentication) still speaks as the
// reporter or a participant, but the decision marks the reply unverified: it is kept on the incident,
// and it changes no state and names no one. Agents are the exception: they may speak on every incident,
// so that role needs an authenticated sender.
import type { SesVerdicts } from './types';
import { normaliseAddress } from './participants';

export interface ThreadPermissionInput {
  /** The From address of the reply. */
  sender: string;
  verdicts: SesVerdicts;
  /** Whether the sender is authenticated (domain/sender-authentication). */
  authenticated: boolean;
  /** The reporter's address (a matched user), if the incident has one. */
  reporterEmail: string | null;
  /** The From address of the email that created the incident. */
  senderAddressOfIncident: string;
  participants: string[];
  agents: string[];
}

export interface ThreadPermission {
  allowed: boolean;
  /** A short human reason, e.g. 'sender is the reporter'. */
  reason: string;
}

export const NOT_A_PARTICIPANT = 'sender is not the reporter, a participant or an agent';

/** Whether the sender of a reply may have it appended to the incident's thread, and why. */
export function maySpeakOnThread(input: ThreadPermissionInput): ThreadPermission {
  const sender = normaliseAddress(input.sender);
  if (sender === null) return { allowed: false, reason: 'sender has no valid address' };

  const role = roleOf(sender, input);
  if (role === null) return { allowed: false, reason: NOT_A_PARTICIPANT };

  const failed = failedChecks(input.verdicts);
  if (failed.length > 0) {
    return { allowed: false, reason: `sender failed ${joinAnd(failed)}: not trusted as ${role}` };
  }
  // An agent may speak on every incident, so the agent role needs positive proof of the sender, not
  // just the absence of a failed check (a domain without DMARC can be spoofed without failing one).
  if (role === 'an agent' && !input.authenticated) {
    const others = roleOf(sender, { ...input, agents: [] });
    if (others === null) return { allowed: false, reason: 'sender is an agent but not authenticated: not trusted as an agent' };
    return { allowed: true, reason: `sender is ${others}` };
  }
  return { allowed: true, reason: `sender is ${role}` };
}

/** The sender's role on the thread; the first that applies of reporter, original sender, agent, participant. */
function roleOf(sender: string, input: ThreadPermissionInput): string | null {
  if (sameAddress(sender, input.reporterEmail)) return 'the reporter';
  if (sameAddress(sender, input.senderAddressOfIncident)) return 'the original sender';
  if (listed(sender, input.agents)) return 'an agent';
  if (listed(sender, input.participants)) return 'a participant';
  return null;
}

function sameAddress(sender: string, other: unknown): boolean {
  return normaliseAddress(other) === sender;
}

function listed(sender: string, list: unknown): boolean {
  return Array.isArray(list) && list.some((entry) => sameAddress(sender, entry));
}

function failedChecks(v: Partial<SesVerdicts> | null | undefined): string[] {
  const failed: string[] = [];
  if (v?.spf === 'FAIL') failed.push('SPF');
  if (v?.dkim === 'FAIL') failed.push('DKIM');
  if (v?.dmarc === 'FAIL') failed.push('DMARC');
  return failed;
}

function joinAnd(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
