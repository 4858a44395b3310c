// createActivities(deps): every side effect of the workflows, built from one set of clients.
import { createAlertKeyActivities } from './alert-key';
import { createConfirmation } from './confirmation';
import { createDeliveryFeedback } from './delivery-feedback';
import { createFollowUpRefusal } from './follow-up-refusal';
import { ActivityDeps } from './deps';
import { createEmailRecord } from './email-record';
import { createInboundEmailStore } from './inbound-email-store';
import { createIncidentThreadActivities } from './incident-thread';
import { createIncidentActivities } from './incidents';
import { createLegacySteps } from './legacy-steps';
import { createRawEmailReader } from './raw-email';
import { createReconciliation } from './reconciliation';
import { createRejection } from './rejection';
import { createReporterLookup } from './reporter';
import { createRouting } from './routing';
import { createSlaClockActivities } from './sla-clock';
import { createSpamCheck } from './spam-check';
import { SesSendRate } from './ses-send-rate';
import { createThreadLookup } from './thread-lookup';
import { directoryOf } from './user-directory';

export type { ActivityDeps } from './deps';

export function createActivities(given: ActivityDeps) {
  // One send rate per worker, for every activity that sends mail; one user directory (and its cache).
  const deps: ActivityDeps = { ...given, sesSendRate: given.sesSendRate ?? new SesSendRate(given.config.sesMaxSendRate), directory: directoryOf(given) };
  // One parse budget per worker, for every activity that parses an email.
  const rawEmail = createRawEmailReader(deps);
  const current = {
    ...createInboundEmailStore(deps, rawEmail),
    ...createSpamCheck(deps),
    ...createEmailRecord(deps),
    ...createReporterLookup(deps),
    ...createRouting(deps),
    ...createIncidentActivities(deps),
    ...createConfirmation(deps),
    ...createRejection(deps),
    ...createFollowUpRefusal(deps),
    ...createThreadLookup(deps),
    ...createIncidentThreadActivities(deps, rawEmail),
    ...createReconciliation(deps),
    ...createDeliveryFeedback(deps),
    ...createSlaClockActivities(deps),
    ...createAlertKeyActivities(deps),
  };
  return { ...current, ...createLegacySteps(deps, current) };
}

export type Activities = ReturnType<typeof createActivities>;
