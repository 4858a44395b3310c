// Re-plans every open incident's SLA clock on a new policy: a page of open incidents at a time, each
// clock told (and started, if an older incident had none). Started once per policy, by the first worker
// that runs it, or by `sla replan`; its id names the policy, so workers starting together start it once.
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SlaReplanInput } from './contracts';
import { ACTIVITY_RETRY } from './retry';

const { replanSlaPage } = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes', retry: ACTIVITY_RETRY });

export async function slaReplan(input: SlaReplanInput): Promise<{ signalled: number }> {
  const pageSize = input.pageSize ?? 100;
  const pagesPerRun = input.pagesPerRun ?? 50;
  let after = input.after ?? '';
  let signalled = input.signalled ?? 0;
  for (let page = 0; page < pagesPerRun; page++) {
    const { count, last } = await replanSlaPage({ fingerprint: input.fingerprint, after, pageSize });
    signalled += count;
    if (count < pageSize || last === null) return { signalled };
    after = last;
  }
  // The history stays bounded however many incidents are open.
  return continueAsNew<typeof slaReplan>({ ...input, after, signalled });
}
