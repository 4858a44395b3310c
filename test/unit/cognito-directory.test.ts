// The Cognito directory's behaviour around its calls, with a stand-in for the Cognito client that answers
// from a list of users (the calls themselves run against moto in test/integration/cognito-directory.test.ts):
// what is cached, what is never sent, and that a pool that cannot answer is an error, never "unknown".
import {
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoDirectory } from '../../src/activities/cognito-directory';

interface StandIn {
  calls: string[];
  fail?: Error;
}

function directory(cacheMs: number, standIn: StandIn) {
  // A real client (the SDK's paginators insist on one) whose send answers here instead of over the network.
  const client = new CognitoIdentityProviderClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  Object.assign(client, {
    send: async (command: unknown) => {
      standIn.calls.push((command as object).constructor.name);
      if (standIn.fail) throw standIn.fail;
      if (command instanceof ListUsersCommand) {
        const known = command.input.Filter === 'email = "anna@example.com"';
        return { Users: known ? [{ Username: 'u-1', Enabled: true, Attributes: [{ Name: 'email', Value: 'anna@example.com' }, { Name: 'email_verified', Value: 'true' }, { Name: 'name', Value: 'Anna Berg' }] }] : [] };
      }
      if (command instanceof AdminListGroupsForUserCommand) return { Groups: [{ GroupName: 'agents' }] };
      throw new Error(`unexpected ${(command as object).constructor.name}`);
    },
  });
  return new CognitoDirectory({ client, userPoolId: 'us-east-1_test' }, { agentGroup: 'agents', cacheMs });
}

test('a user with their name and the agent group; the answer is cached', async () => {
  const standIn: StandIn = { calls: [] };
  const d = directory(60_000, standIn);
  expect(await d.find('Anna@Example.com')).toEqual({ email: 'anna@example.com', name: 'Anna Berg', role: 'agent' });
  expect(await d.find('anna@example.com')).toEqual({ email: 'anna@example.com', name: 'Anna Berg', role: 'agent' });
  expect(standIn.calls).toEqual(['ListUsersCommand', 'AdminListGroupsForUserCommand']);
});

test('an unknown address is cached as unknown too', async () => {
  const standIn: StandIn = { calls: [] };
  const d = directory(60_000, standIn);
  expect(await d.find('nobody@example.com')).toBeNull();
  expect(await d.find('nobody@example.com')).toBeNull();
  expect(standIn.calls).toEqual(['ListUsersCommand']);
});

test('cache time 0: every lookup asks', async () => {
  const standIn: StandIn = { calls: [] };
  const d = directory(0, standIn);
  await d.find('nobody@example.com');
  await d.find('nobody@example.com');
  expect(standIn.calls).toEqual(['ListUsersCommand', 'ListUsersCommand']);
});

test('an address that is not a plain valid one is never sent', async () => {
  const standIn: StandIn = { calls: [] };
  const d = directory(60_000, standIn);
  expect(await d.find('x@example.com" or email ^= "')).toBeNull();
  expect(await d.find('back\\slash@example.com')).toBeNull();
  expect(standIn.calls).toEqual([]);
});

test.each([
  ['a missing pool', new ResourceNotFoundException({ message: 'User pool us-east-1_test does not exist.', $metadata: {} })],
  ['throttling', new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} })],
])('%s is an error naming the pool (the activity is retried), and is not cached', async (_what, error) => {
  const standIn: StandIn = { calls: [], fail: error };
  const d = directory(60_000, standIn);
  await expect(d.find('anna@example.com')).rejects.toThrow(`Cognito user pool us-east-1_test did not answer ListUsers: ${error.name}`);
  standIn.fail = undefined;
  expect(await d.find('anna@example.com')).toMatchObject({ name: 'Anna Berg' });
});
