// A deliberately non-deterministic change to inboundEmail, for the replay test: the spam check moved in
// front of parsing. It takes the same version marker as the real workflow, so the only difference replay
// can find is the order of the activities. Deployed as is, it would break every email in flight; a new
// version behind a new marker is the safe way (README, "Retiring a workflow version").
import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../../src/activities';
import { INBOUND_EMAIL_VERSION, InboundEmailInput } from '../../../src/workflows';

const { checkSpam, parseInboundEmail } = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes' });

export async function inboundEmail(input: InboundEmailInput) {
  patched(INBOUND_EMAIL_VERSION);
  const spam = await checkSpam({ sender: null, verdicts: input.notice.verdicts! });
  const email = await parseInboundEmail(input.notice);
  return { spam, email };
}
