// The sender policy (SENDER_POLICY_FILE): what an email from an unknown sender does (creates an incident,
// is rejected with a reason, or waits in quarantine), and whom of the people a sender copies in become
// participants. One default, overridden per ticket address the mail was received for. Pure: the file is
// validated here, resolved for an email's recipients when its workflow starts, and the resolved policy is
// a fact of the decision order (inbound-decision.ts).
import { isJsonObject } from './json-object';
import { mailboxOf, normaliseAddress } from './participants';

/** What an email from a sender who is not a user of the directory does; `create` is what always happened. */
export const UNKNOWN_SENDER_ACTIONS = ['create', 'quarantine', 'reject'] as const;
export type UnknownSenderAction = (typeof UNKNOWN_SENDER_ACTIONS)[number];

/**
 * Whom of the To/Cc an authenticated sender copies in become participants: all of them (`authenticated`,
 * what always happened), only those who are users of the directory (`known-users`), or none (`nobody`).
 * An unauthenticated sender names no one, whatever the policy.
 */
export const CC_PARTICIPANT_POLICIES = ['authenticated', 'known-users', 'nobody'] as const;
export type CcParticipants = (typeof CC_PARTICIPANT_POLICIES)[number];

export interface SenderPolicy {
  unknownSenders: UnknownSenderAction;
  /** Recorded as the outcome's reason and, to an authenticated sender, mailed back. */
  rejectionReason: string;
  ccParticipants: CcParticipants;
}

export interface SenderPolicyFile {
  default: SenderPolicy;
  /** By normalised address (lower-case); each field not given is the default's. */
  addresses: Record<string, SenderPolicy>;
}

/** The reason quarantined mail of unknown senders is recorded with (the admin page shows it). */
export const UNKNOWN_SENDER_QUARANTINE_REASON = 'unknown sender';
export const DEFAULT_REJECTION_REASON = 'this address accepts email from registered users only';
export const REJECTION_REASON_MAX = 300;
/** Bounds the file: every address is compared with every recipient of every email. */
export const SENDER_POLICY_ADDRESSES_MAX = 1000;

/** Today's behaviour: what an email does without a policy file, and what runs started before it did. */
export const DEFAULT_SENDER_POLICY: SenderPolicy = { unknownSenders: 'create', rejectionReason: DEFAULT_REJECTION_REASON, ccParticipants: 'authenticated' };

const FIELDS = ['unknownSenders', 'rejectionReason', 'ccParticipants'] as const;

/** The file's JSON, checked; an error names the entry and the field at fault. */
export function parseSenderPolicy(spec: unknown): SenderPolicyFile {
  if (!isJsonObject(spec)) throw new Error('expected a JSON object with "default" and "addresses"');
  const unknownKeys = Object.keys(spec).filter((k) => k !== 'default' && k !== 'addresses');
  if (unknownKeys.length > 0) throw new Error(`unknown key ${JSON.stringify(unknownKeys[0])}: only "default" and "addresses"`);
  const base = policyEntry(spec.default ?? {}, DEFAULT_SENDER_POLICY, 'default');
  const rawAddresses = spec.addresses ?? {};
  if (!isJsonObject(rawAddresses)) throw new Error('"addresses" must be an object of address -> policy');
  const entries = Object.entries(rawAddresses);
  if (entries.length > SENDER_POLICY_ADDRESSES_MAX) throw new Error(`"addresses" has ${entries.length} entries; at most ${SENDER_POLICY_ADDRESSES_MAX}`);
  const addresses: Record<string, SenderPolicy> = {};
  for (const [raw, entry] of entries) {
    const address = normaliseAddress(raw);
    if (address === null) throw new Error(`addresses: ${JSON.stringify(raw)} is not a plain email address`);
    if (address in addresses) throw new Error(`addresses: ${JSON.stringify(raw)} is listed twice`);
    addresses[address] = policyEntry(entry, base, `addresses[${JSON.stringify(raw)}]`);
  }
  return { default: base, addresses };
}

function policyEntry(entry: unknown, base: SenderPolicy, where: string): SenderPolicy {
  if (!isJsonObject(entry)) throw new Error(`${where} must be an object`);
  const unknownKeys = Object.keys(entry).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknownKeys.length > 0) throw new Error(`${where}: unknown key ${JSON.stringify(unknownKeys[0])}: only ${FIELDS.join(', ')}`);
  return {
    unknownSenders: oneOf(entry.unknownSenders, UNKNOWN_SENDER_ACTIONS, base.unknownSenders, `${where}.unknownSenders`),
    rejectionReason: entry.rejectionReason === undefined ? base.rejectionReason : rejectionReason(entry.rejectionReason, `${where}.rejectionReason`),
    ccParticipants: oneOf(entry.ccParticipants, CC_PARTICIPANT_POLICIES, base.ccParticipants, `${where}.ccParticipants`),
  };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, where: string): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new Error(`${where}: one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** It is mailed to senders and recorded: one line of text, bounded. */
function rejectionReason(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${where}: a non-empty text`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) throw new Error(`${where}: one line without control characters`);
  const reason = value.trim();
  if (reason.length > REJECTION_REASON_MAX) throw new Error(`${where}: ${reason.length} characters; at most ${REJECTION_REASON_MAX}`);
  return reason;
}

const UNKNOWN_SENDER_STRICTNESS: Record<UnknownSenderAction, number> = { create: 0, quarantine: 1, reject: 2 };
const CC_STRICTNESS: Record<CcParticipants, number> = { authenticated: 0, 'known-users': 1, nobody: 2 };

/**
 * The policy for an email received for these ticket addresses: each recipient's own (its override, also
 * for a +tag of it, else the default), and of several the strictest, field by field, so that a stranger
 * cannot escape an address's policy by writing to a laxer one at the same time. A rejection gives the
 * reason of the first recipient that rejects. No recipients known (an S3 event notification, the
 * reconciliation): the default.
 */
export function senderPolicyFor(file: SenderPolicyFile | null, recipients: readonly string[] | undefined): SenderPolicy {
  if (!file) return DEFAULT_SENDER_POLICY;
  const policies = (recipients ?? []).map((r) => policyOfAddress(file, r));
  if (policies.length === 0) return file.default;
  const unknown = policies.reduce((a, b) => (UNKNOWN_SENDER_STRICTNESS[b.unknownSenders] > UNKNOWN_SENDER_STRICTNESS[a.unknownSenders] ? b : a));
  const cc = policies.reduce((a, b) => (CC_STRICTNESS[b.ccParticipants] > CC_STRICTNESS[a.ccParticipants] ? b : a));
  return { unknownSenders: unknown.unknownSenders, rejectionReason: unknown.rejectionReason, ccParticipants: cc.ccParticipants };
}

function policyOfAddress(file: SenderPolicyFile, recipient: string): SenderPolicy {
  const address = normaliseAddress(recipient);
  if (address === null) return file.default;
  return file.addresses[address] ?? file.addresses[mailboxOf(address)] ?? file.default;
}

/**
 * What the workflow is started with: nothing when the policy is today's behaviour, so that its input (and
 * so its history) is what it always was; otherwise the resolved policy, the reason only when it rejects.
 */
export function senderPolicyInput(policy: SenderPolicy): Partial<SenderPolicy> | undefined {
  const input: Partial<SenderPolicy> = {};
  if (policy.unknownSenders !== 'create') input.unknownSenders = policy.unknownSenders;
  if (policy.unknownSenders === 'reject') input.rejectionReason = policy.rejectionReason;
  if (policy.ccParticipants !== 'authenticated') input.ccParticipants = policy.ccParticipants;
  return Object.keys(input).length > 0 ? input : undefined;
}

/** The workflow's input back to a whole policy (unset fields: today's behaviour). */
export function senderPolicyOf(input: Partial<SenderPolicy> | undefined): SenderPolicy {
  return { ...DEFAULT_SENDER_POLICY, ...(input ?? {}) };
}

/**
 * Whom of an email's people (participantsFrom: the sender first, then To/Cc, ours left out) the incident
 * gets as participants: the sender always, the people it copied in by the policy; `known` holds those
 * of them the directory knows (looked up only for `known-users`).
 */
export function copiedParticipants(people: readonly string[], sender: string | null, policy: CcParticipants, known: ReadonlySet<string>): string[] {
  const from = sender === null ? null : normaliseAddress(sender);
  return people.filter((address) => address === from || policy === 'authenticated' || (policy === 'known-users' && known.has(address)));
}

/** The copied-in people whose standing in the directory decides whether they join (`known-users`). */
export function copiedPeopleToLookUp(people: readonly string[], sender: string | null, policy: CcParticipants): string[] {
  if (policy !== 'known-users') return [];
  const from = sender === null ? null : normaliseAddress(sender);
  return people.filter((address) => address !== from);
}
