// A deliberately non-deterministic change to inboundEmail, for the replay test: the same first step (the
// parse) but without the version marker the recorded runs took. Removing a marker while runs that took it
// may still be in flight breaks their replay; deprecatePatch() first is the safe way.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../../src/activities';
import type { InboundEmailInput } from '../../../src/workflows';

const { parseInboundEmail } = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes' });

export async function inboundEmail(input: InboundEmailInput) {
  return parseInboundEmail(input.notice);
}
