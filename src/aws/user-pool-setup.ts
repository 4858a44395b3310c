// The local stack's user pool: made in the emulator by name, with its agent group, idempotently (a pool's
// id is made by Cognito, so the name is what finds it again). A real deployment uses its own pool.
import { CognitoIdentityProviderClient, CreateGroupCommand, CreateUserPoolCommand, GroupExistsException, paginateListUserPools } from '@aws-sdk/client-cognito-identity-provider';

/** The id of the pool named `name` (made, with email as the sign-in name, when there is none), with `agentGroup` in it. */
export async function ensureUserPool(client: CognitoIdentityProviderClient, name: string, agentGroup: string): Promise<string> {
  let id: string | undefined;
  for await (const page of paginateListUserPools({ client }, { MaxResults: 60 })) {
    id ??= page.UserPools?.find((p) => p.Name === name)?.Id;
  }
  if (!id) {
    const created = await client.send(new CreateUserPoolCommand({ PoolName: name, UsernameAttributes: ['email'] }));
    id = created.UserPool!.Id!;
  }
  try {
    await client.send(new CreateGroupCommand({ UserPoolId: id, GroupName: agentGroup, Description: 'agents: may speak on every incident' }));
  } catch (err) {
    if (!(err instanceof GroupExistsException)) throw err;
  }
  return id;
}
