// Whom of the people a sender copies in become participants, by the sender policy (ccParticipants):
// `known-users` asks the user directory about each of them. A directory that cannot answer fails the
// activity, which is retried: "cannot tell" must not read as "not a user" and drop someone silently.
import { copiedParticipants, copiedPeopleToLookUp, CcParticipants } from '../domain/sender-policy';
import { UserDirectory } from './user-directory';

export async function participantsByPolicy(directory: UserDirectory, people: string[], sender: string | null, policy: CcParticipants): Promise<string[]> {
  const known = new Set<string>();
  for (const address of copiedPeopleToLookUp(people, sender, policy)) {
    if (await directory.find(address)) known.add(address);
  }
  return copiedParticipants(people, sender, policy, known);
}
