// The user directory reporters and agents are looked up in, chosen by USER_DIRECTORY: PostgreSQL's `users`
// table, or a Cognito user pool. Workers look up; the CLI adds and lists. A directory that cannot answer
// throws (the activity is retried): "cannot tell" must never read as "unknown user".
import { Pool } from 'pg';
import { AwsClients } from '../aws/clients';
import { UserDirectoryConfig } from '../config';
import { addUser, findUser, listUsers } from '../db/directory';
import { listAgents } from '../db/threads';
import { DirectoryUser } from '../domain/user-directory';
import { CognitoDirectory } from './cognito-directory';

export interface UserDirectory {
  /** The user holding this address, or null when there is none. */
  find(address: string): Promise<DirectoryUser | null>;
  /** The agents' addresses. */
  agents(): Promise<string[]>;
  /** Adds the user, or updates the one with this address (name and role). */
  add(user: DirectoryUser): Promise<void>;
  list(): Promise<DirectoryUser[]>;
}

export function postgresDirectory(pool: Pool): UserDirectory {
  return {
    find: (address) => findUser(pool, address),
    agents: () => listAgents(pool),
    add: (user) => addUser(pool, user),
    list: () => listUsers(pool),
  };
}

export function createUserDirectory(config: UserDirectoryConfig, aws: Pick<AwsClients, 'cognito'>, pool: Pool): UserDirectory {
  return config.kind === 'cognito' ? new CognitoDirectory({ client: aws.cognito, userPoolId: config.userPoolId }, config) : postgresDirectory(pool);
}

/** The worker's one directory (createActivities makes it), or one made from the configuration. */
export function directoryOf(deps: { config: { userDirectory: UserDirectoryConfig }; aws: Pick<AwsClients, 'cognito'>; pool: Pool; directory?: UserDirectory }): UserDirectory {
  return deps.directory ?? createUserDirectory(deps.config.userDirectory, deps.aws, deps.pool);
}
