// createActivities(deps): every side effect of the workflows, built from one set of clients.
import { createConfirmation } from './confirmation';
import { ActivityDeps } from './deps';
import { createEmailRecord } from './email-record';
import { createInboundEmailStore } from './inbound-email-store';
import { createIncidentThreadActivities } from './incident-thread';
import { createIncidentActivities } from './incidents';
import { createLegacySteps } from './legacy-steps';
import { createReporterLookup } from './reporter';
import { createRouting } from './routing';
import { createSpamCheck } from './spam-check';
import { createThreadLookup } from './thread-lookup';

export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps) {
  const current = {
    ...createInboundEmailStore(deps),
    ...createSpamCheck(deps),
    ...createEmailRecord(deps),
    ...createReporterLookup(deps),
    ...createRouting(deps),
    ...createIncidentActivities(deps),
    ...createConfirmation(deps),
    ...createThreadLookup(deps),
    ...createIncidentThreadActivities(deps),
  };
  return { ...current, ...createLegacySteps(deps, current) };
}

export type Activities = ReturnType<typeof createActivities>;
