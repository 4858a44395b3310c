// Spam check: SES verdicts scored against the threshold; allowlisted senders skip the threshold (never the virus verdict).
import { listAllowlist } from '../db/directory';
import { isAllowlisted } from '../domain/allowlist';
import { decideSpam } from '../domain/spam-decision';
import { SesVerdicts, SpamDecision } from '../domain/types';
import { ActivityDeps } from './deps';

export function createSpamCheck({ pool, config }: ActivityDeps) {
  return {
    async checkSpam(input: { sender: string | null; verdicts: SesVerdicts }): Promise<SpamDecision> {
      const allowlisted = input.sender ? isAllowlisted(input.sender, await listAllowlist(pool)) : false;
      return decideSpam(input.verdicts, { threshold: config.spamThreshold, allowlisted });
    },
  };
}
