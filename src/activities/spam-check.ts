// Spam check: SES verdicts scored against the threshold; allowlisted senders skip the threshold (never the virus verdict).
import { listAllowlist } from '../db/directory';
import { isAllowlisted } from '../domain/allowlist';
import { decideSpam } from '../domain/spam-decision';
import type { SpamCheckInput } from '../domain/inbound-steps';
import { SpamDecision } from '../domain/types';
import { ActivityDeps } from './deps';

export function createSpamCheck({ pool, config }: ActivityDeps) {
  return {
    async checkSpam(input: SpamCheckInput): Promise<SpamDecision> {
      // Anyone can write an allowlisted From: the entry speaks for authenticated senders only.
      const allowlisted = input.sender && input.authenticated !== false ? isAllowlisted(input.sender, await listAllowlist(pool)) : false;
      return decideSpam(input.verdicts, { threshold: config.spamThreshold, allowlisted });
    },
  };
}
