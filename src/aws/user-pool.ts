// The Cognito user pool as a user directory: the users behind an email address with their groups, the
// agent group's members, every user (`users list`), and adding one (`users add`). Decisions about what the
// answers mean are domain/user-directory's; errors are thrown as they come (the caller retries).
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  paginateAdminListGroupsForUser,
  paginateListUsers,
  paginateListUsersInGroup,
  UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { DirectoryUser, emailFilter, PoolUser, poolUserHolds } from '../domain/user-directory';

/** Users sharing one address, read at most: more is a pool gone wrong, not a directory. */
const USERS_PER_ADDRESS_MAX = 10;
/** Groups read per user: the agent group is looked for among these. */
const GROUP_PAGES_MAX = 10;

export interface UserPoolRef {
  client: CognitoIdentityProviderClient;
  userPoolId: string;
}

function poolUser(user: UserType): PoolUser {
  const attributes: Record<string, string> = {};
  for (const a of user.Attributes ?? []) if (a.Name && a.Value !== undefined) attributes[a.Name] = a.Value;
  return { username: user.Username ?? '', enabled: user.Enabled !== false, attributes };
}

async function groupsOf({ client, userPoolId }: UserPoolRef, username: string): Promise<string[]> {
  const groups: string[] = [];
  let pages = 0;
  for await (const page of paginateAdminListGroupsForUser({ client, pageSize: 60 }, { UserPoolId: userPoolId, Username: username })) {
    for (const g of page.Groups ?? []) if (g.GroupName) groups.push(g.GroupName);
    if (++pages >= GROUP_PAGES_MAX) break;
  }
  return groups;
}

/** The pool's users whose email attribute is exactly `address` (a valid address: domain/participants normaliseAddress), with their groups. */
export async function poolUsersWithEmail(pool: UserPoolRef, address: string): Promise<PoolUser[]> {
  const users = await usersWithEmail(pool, address);
  // Groups only of the users that hold the address: the others do not count, whatever their groups.
  for (const user of users) if (user.username && poolUserHolds(user, address)) user.groups = await groupsOf(pool, user.username);
  return users;
}

async function usersWithEmail({ client, userPoolId }: UserPoolRef, address: string): Promise<PoolUser[]> {
  const { Users } = await client.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: emailFilter(address), Limit: USERS_PER_ADDRESS_MAX }));
  return (Users ?? []).map(poolUser);
}

/** Every member of a group. */
export async function poolGroupMembers({ client, userPoolId }: UserPoolRef, group: string): Promise<PoolUser[]> {
  const members: PoolUser[] = [];
  for await (const page of paginateListUsersInGroup({ client, pageSize: 60 }, { UserPoolId: userPoolId, GroupName: group })) {
    members.push(...(page.Users ?? []).map(poolUser));
  }
  return members;
}

/** Every user of the pool. */
export async function allPoolUsers({ client, userPoolId }: UserPoolRef): Promise<PoolUser[]> {
  const users: PoolUser[] = [];
  for await (const page of paginateListUsers({ client, pageSize: 60 }, { UserPoolId: userPoolId })) users.push(...(page.Users ?? []).map(poolUser));
  return users;
}

/**
 * Adds the user (the email as user name and attribute, verified, the name; no invitation mail: these are
 * people who write to us, not people who sign in), or updates the one that has this email already (its user
 * name may be another: pools differ in what they sign in with); puts an agent into the agent group and takes
 * a customer out of it, as the PostgreSQL directory sets the role.
 */
export async function putPoolUser(pool: UserPoolRef, user: DirectoryUser, agentGroup: string): Promise<void> {
  const { client, userPoolId } = pool;
  const attributes = [
    { Name: 'email', Value: user.email },
    { Name: 'email_verified', Value: 'true' },
    { Name: 'name', Value: user.name },
  ];
  const existing = (await usersWithEmail(pool, user.email)).map((u) => u.username).filter(Boolean).sort()[0];
  let username = existing ?? user.email;
  if (existing) {
    await client.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: existing, UserAttributes: attributes }));
  } else {
    const created = await client.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: user.email, UserAttributes: attributes, MessageAction: 'SUPPRESS' }));
    username = created.User?.Username ?? username;
  }
  if (user.role === 'agent') await client.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: agentGroup }));
  else if (existing) await client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: agentGroup }));
}
