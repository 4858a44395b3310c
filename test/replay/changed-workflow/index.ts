// A deliberately non-deterministic change to inboundEmail, for the replay test: the spam check moved in
// front of parsing. It makes the same patched() calls as the real workflow, so the only difference replay
// can find is the order of the activities. Deployed as is, it would break every email in flight;
// patched() is the safe way.
import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../../src/activities';
import type { InboundEmailInput } from '../../../src/workflows';

const { checkSpam, parseInboundEmail } = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes' });

export async function inboundEmail(input: InboundEmailInput) {
  patched('search-attributes');
  patched('fewer-actions');
  patched('local-writes');
  const spam = await checkSpam({ sender: null, verdicts: input.notice.verdicts! });
  const email = await parseInboundEmail(input.notice);
  return { spam, email };
}
