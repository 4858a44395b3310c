// The user directory's rules, whichever directory holds the users (PostgreSQL's `users` table or a Cognito
// user pool): which addresses are looked up at all, how the address goes into a Cognito ListUsers filter,
// a pool user's name, and who is an agent. Pure: the directories themselves live in db/ and aws/.
import { normaliseAddress } from './participants';
import { oneLine, truncate } from './short-description';

export type DirectoryRole = 'customer' | 'agent';

export interface DirectoryUser {
  email: string;
  name: string;
  /** Agents work incidents; they may speak on any thread. */
  role?: DirectoryRole;
}

/** A user as a Cognito user pool returns it (ListUsers, ListUsersInGroup), with its groups when known. */
export interface PoolUser {
  username: string;
  enabled: boolean;
  attributes: Record<string, string>;
  groups?: string[];
}

/** Names are shown on incidents and in mail: one line, as bounded as a name read from an email. */
export const DIRECTORY_NAME_MAX = 200;

/**
 * The ListUsers filter for an exact email match. The address is already a valid one (normaliseAddress), so
 * it holds neither quotes nor backslashes; they are escaped anyway, as the filter syntax asks, so that no
 * caller can widen the search by what it passes.
 */
export function emailFilter(address: string): string {
  return `email = "${address.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A pool user's name: `name`, else given_name and family_name, else the address; one bounded line. */
export function poolUserName(attributes: Record<string, string>): string {
  const name = oneLine(attributes.name ?? '') || oneLine([attributes.given_name, attributes.family_name].filter(Boolean).join(' '));
  return truncate(name || oneLine(attributes.email ?? ''), DIRECTORY_NAME_MAX);
}

/**
 * Whether a pool user speaks for this address: enabled, and with this email verified. A pool may let people
 * sign themselves up with any email; an unverified one is a claim, and a claim must not put someone's
 * name on another person's incident, nor make an agent of them.
 */
export function poolUserHolds(user: PoolUser, address: string): boolean {
  return user.enabled && normaliseAddress(user.attributes.email) === address && user.attributes.email_verified === 'true';
}

/**
 * The directory's answer for an address from the pool users ListUsers found with it (their groups listed).
 * Several users may share a verified address; the first by username names it, and it is an agent's address
 * when any of them is in the agent group (each of them proved the mailbox).
 */
export function directoryUserOf(address: string, found: PoolUser[], agentGroup: string): DirectoryUser | null {
  const holders = byUsername(found.filter((u) => poolUserHolds(u, address)));
  if (holders.length === 0) return null;
  const agent = holders.some((u) => (u.groups ?? []).includes(agentGroup));
  return { email: address, name: poolUserName(holders[0].attributes), role: agent ? 'agent' : 'customer' };
}

/** The agents' addresses from the members of the agent group: enabled users with a verified address. */
export function agentAddresses(members: PoolUser[]): string[] {
  const addresses = members.map((u) => normaliseAddress(u.attributes.email)).filter((a, i): a is string => a !== null && poolUserHolds(members[i], a));
  return [...new Set(addresses)].sort();
}

/** The pool's users as the directory lists them (`users list`), the agents marked by the agent group's members. */
export function directoryListing(users: PoolUser[], agents: readonly string[]): DirectoryUser[] {
  const byEmail = new Map<string, DirectoryUser>();
  for (const user of byUsername(users)) {
    const email = normaliseAddress(user.attributes.email);
    if (email === null || !poolUserHolds(user, email) || byEmail.has(email)) continue;
    byEmail.set(email, { email, name: poolUserName(user.attributes), role: agents.includes(email) ? 'agent' : 'customer' });
  }
  return [...byEmail.values()].sort((a, b) => (a.email < b.email ? -1 : 1));
}

function byUsername(users: PoolUser[]): PoolUser[] {
  return [...users].sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
}
