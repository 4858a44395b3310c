// Reporter lookup: the sender matched against the user directory, trusted only when authenticated.
import { findUser } from '../db/directory';
import { Reporter } from '../domain/types';
import { ActivityDeps } from './deps';

export function createReporterLookup({ pool }: ActivityDeps) {
  return {
    /** An unverified sender is never matched: a spoofed From must not borrow a known user's identity. */
    async lookupReporter(input: { address: string; name: string; verified: boolean }): Promise<Reporter | null> {
      if (!input.verified) return null;
      const user = await findUser(pool, input.address);
      return user ? { email: user.email, name: user.name, verified: true } : null;
    },
  };
}
