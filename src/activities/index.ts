// createActivities(deps): every side effect of the inbound-email workflow, built from one set of clients.
import { createConfirmation } from './confirmation';
import { ActivityDeps } from './deps';
import { createEmailRecord } from './email-record';
import { createInboundEmailStore } from './inbound-email-store';
import { createIncidents } from './incidents';
import { createReporterLookup } from './reporter';
import { createRouting } from './routing';
import { createSpamCheck } from './spam-check';

export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createInboundEmailStore(deps),
    ...createSpamCheck(deps),
    ...createEmailRecord(deps),
    ...createReporterLookup(deps),
    ...createRouting(deps),
    ...createIncidents(deps),
    ...createConfirmation(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
