// The ledger: run by a Temporal Schedule (and by `email-to-ticket reconcile`), it goes through the inbound
// prefix one page of S3's listing at a time; each page's activity starts the emails that have neither a
// workflow nor a recorded outcome. Only counts pass through the history, and after `pagesPerRun` pages the
// run continues as new, so a bucket of any size keeps each history small.
import { continueAsNew, log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  addPage,
  DEFAULT_RECONCILE_GRACE_MS,
  DEFAULT_RECONCILE_WINDOW_MS,
  EMPTY_TALLY,
  reconciliationWindow,
} from '../domain/reconciliation';
import type { ReconciliationInput, ReconciliationResult } from './contracts';
import { ACTIVITY_RETRY } from './retry';

// A page is at most 1000 keys, one PostgreSQL query and the starts of the missing ones: minutes at worst.
const { reconcileInboundPage } = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes', retry: ACTIVITY_RETRY });

const DEFAULT_PAGE_SIZE = 1000;
const DEFAULT_PAGES_PER_RUN = 100;

export async function reconciliation(input: ReconciliationInput): Promise<ReconciliationResult> {
  const pageSize = input.pageSize ?? DEFAULT_PAGE_SIZE;
  const pagesPerRun = input.pagesPerRun ?? DEFAULT_PAGES_PER_RUN;
  // Date.now() is the workflow's own clock here (the time of the task), so replay computes the same window.
  const window =
    input.progress?.window ?? input.window ?? reconciliationWindow(Date.now(), input.windowMs ?? DEFAULT_RECONCILE_WINDOW_MS, input.graceMs ?? DEFAULT_RECONCILE_GRACE_MS);
  const runs = (input.progress?.runs ?? 0) + 1;
  let tally = input.progress?.tally ?? EMPTY_TALLY;
  let continuationToken = input.progress?.continuationToken;
  for (let page = 0; page < pagesPerRun; page++) {
    const { next, ...found } = await reconcileInboundPage({ window, pageSize, continuationToken });
    tally = addPage(tally, found);
    if (!next) {
      log.info('reconciliation finished', { ...window, ...tally, startedIds: undefined, runs });
      return { window, runs, ...tally };
    }
    continuationToken = next;
  }
  return continueAsNew<typeof reconciliation>({ ...input, progress: { window, tally, continuationToken: continuationToken!, runs } });
}
