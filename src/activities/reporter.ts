// Reporter lookup: the sender matched against the user directory (USER_DIRECTORY), trusted only when authenticated;
// and whether a forwarder is an agent.
import { Reporter } from '../domain/types';
import { ActivityDeps } from './deps';
import { directoryOf } from './user-directory';

export function createReporterLookup(deps: ActivityDeps) {
  const directory = directoryOf(deps);
  return {
    /**
     * An unverified sender is never matched: a spoofed From must not borrow a known user's identity. A
     * directory that cannot answer fails the activity, which is retried: the sender is not "unknown" then.
     */
    async lookupReporter(input: { address: string; name: string; verified: boolean }): Promise<Reporter | null> {
      if (!input.verified) return null;
      const user = await directory.find(input.address);
      return user ? { email: user.email, name: user.name, verified: true } : null;
    },

    /** Whether the directory holds the address as an agent's (asked only for an authenticated sender's forward). */
    async isAgent(input: { address: string }): Promise<boolean> {
      return (await directory.find(input.address))?.role === 'agent';
    },
  };
}
