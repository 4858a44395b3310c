// The Cognito user pool as the user directory. Each worker keeps the answers for COGNITO_CACHE_SECONDS, found
// or not (ListUsers has a low request quota, and one sender writes many times), in a bounded cache; `users
// add` through this process forgets the address at once. A failed call is thrown with the pool named.
import { allPoolUsers, poolGroupMembers, poolUsersWithEmail, putPoolUser, UserPoolRef } from '../aws/user-pool';
import { LookupCache } from '../domain/lookup-cache';
import { normaliseAddress } from '../domain/participants';
import { agentAddresses, directoryListing, DirectoryUser, directoryUserOf } from '../domain/user-directory';

/** Addresses one worker remembers at most (a flood of distinct senders must not grow it without end). */
const CACHED_ADDRESSES_MAX = 10_000;
const AGENTS = 'agents';

export class CognitoDirectory {
  private readonly users: LookupCache<DirectoryUser | null>;
  private readonly agentList: LookupCache<string[]>;
  private readonly agentGroup: string;

  constructor(
    private readonly pool: UserPoolRef,
    options: { agentGroup: string; cacheMs: number },
  ) {
    this.agentGroup = options.agentGroup;
    this.users = new LookupCache(options.cacheMs, CACHED_ADDRESSES_MAX);
    this.agentList = new LookupCache(options.cacheMs, 1);
  }

  async find(raw: string): Promise<DirectoryUser | null> {
    const address = normaliseAddress(raw);
    // Not a plain valid address: never sent to Cognito, and no user has it.
    if (address === null) return null;
    const cached = this.users.get(address, Date.now());
    if (cached !== undefined) return cached;
    const user = directoryUserOf(address, await this.ask('ListUsers', () => poolUsersWithEmail(this.pool, address)), this.agentGroup);
    this.users.set(address, user, Date.now());
    return user;
  }

  async agents(): Promise<string[]> {
    const cached = this.agentList.get(AGENTS, Date.now());
    if (cached) return cached;
    const agents = agentAddresses(await this.ask('ListUsersInGroup', () => poolGroupMembers(this.pool, this.agentGroup)));
    this.agentList.set(AGENTS, agents, Date.now());
    return agents;
  }

  async add(user: DirectoryUser): Promise<void> {
    const email = normaliseAddress(user.email);
    if (email === null) throw new Error(`Not an email address: "${user.email}"`);
    await this.ask('users add (ListUsers, AdminCreateUser or AdminUpdateUserAttributes, group membership)', () => putPoolUser(this.pool, { ...user, email, name: user.name.trim() }, this.agentGroup));
    this.users.forget(email);
    this.agentList.forget(AGENTS);
  }

  async list(): Promise<DirectoryUser[]> {
    const [users, members] = await Promise.all([
      this.ask('ListUsers', () => allPoolUsers(this.pool)),
      this.ask('ListUsersInGroup', () => poolGroupMembers(this.pool, this.agentGroup)),
    ]);
    return directoryListing(users, agentAddresses(members));
  }

  /** The call's error, saying which pool did not answer (a missing pool, throttling, no permission). */
  private async ask<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const e = err as Error;
      throw new Error(`User directory: Cognito user pool ${this.pool.userPoolId} did not answer ${what}: ${e.name}: ${e.message}`, { cause: err });
    }
  }
}
