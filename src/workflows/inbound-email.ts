// One workflow per inbound email: parse -> spam check -> (quarantine) -> route -> incident -> confirmation.
// It decides; the activities act. Only keys and short summaries pass through its history.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  defineQuery,
  defineSignal,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { PermanentFault, PERMANENT_FAULT_TYPES } from '../domain/permanent-faults';
import { isSenderVerified } from '../domain/sender-trust';
import { verdictsFrom } from '../domain/spam-decision';
import { EmailStatus, InboundEmailNotice, SesVerdicts } from '../domain/types';

export interface InboundEmailInput {
  notice: InboundEmailNotice;
  /** How long a quarantined email waits for an admin before it is discarded (raw mail stays in S3). */
  quarantineRetentionMs?: number;
}

export const DEFAULT_QUARANTINE_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export const statusQuery = defineQuery<EmailStatus>('status');
export const releaseSignal = defineSignal('release');
export const discardSignal = defineSignal<[{ reason?: string }?]>('discard');

const { parseInboundEmail, checkSpam, recordEmailOutcome, lookupReporter, routeEmail, createIncident, sendConfirmation } =
  proxyActivities<Activities>({
    startToCloseTimeout: '2 minutes',
    // Transient faults (network, throttling, a database restart) retry with backoff until they pass;
    // permanent ones are thrown non-retryable and become a recorded outcome below.
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: PERMANENT_FAULT_TYPES },
  });

function permanentFault(err: unknown): { type: string; message: string } | null {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type && PERMANENT_FAULT_TYPES.includes(cause.type)) {
    return { type: cause.type, message: cause.message };
  }
  return null;
}

export async function inboundEmail(input: InboundEmailInput): Promise<EmailStatus> {
  const { notice } = input;
  const status: EmailStatus = { stage: 'received', incidentNumber: null, reason: null };
  setHandler(statusQuery, () => status);

  let decision: 'release' | 'discard' | null = null;
  let discardReason: string | undefined;
  // A decision counts only while the email waits in quarantine: an early or stray signal must not
  // release or discard it ahead of time.
  setHandler(releaseSignal, () => {
    if (status.stage === 'quarantined') decision ??= 'release';
  });
  setHandler(discardSignal, (arg) => {
    if (status.stage !== 'quarantined' || decision) return;
    decision = 'discard';
    discardReason = arg?.reason;
  });

  async function finish(stage: EmailStatus['stage'], reason: string | null, extra: { verdicts?: SesVerdicts; spamScore?: number } = {}) {
    status.stage = stage;
    status.reason = reason;
    await recordEmailOutcome({ sesMessageId: notice.sesMessageId, stage, reason, incidentNumber: status.incidentNumber, ...extra });
    return status;
  }

  /** Quarantine is a durable wait: kept in S3, recorded, until an admin releases or discards it. */
  async function quarantine(reason: string, extra: { verdicts?: SesVerdicts; spamScore?: number } = {}): Promise<boolean> {
    await finish('quarantined', reason, extra);
    const decided = await condition(() => decision !== null, input.quarantineRetentionMs ?? DEFAULT_QUARANTINE_RETENTION_MS);
    if (decided && decision === 'release') return true;
    await finish('discarded', decided ? (discardReason ?? 'discarded by an admin') : 'quarantine retention expired');
    return false;
  }

  let email;
  try {
    email = await parseInboundEmail(notice);
  } catch (err) {
    const fault = permanentFault(err);
    if (!fault) throw err;
    if (fault.type === PermanentFault.RawEmailMissing) return finish('failed', fault.message);
    // Unparseable or too large: kept for an admin to look at, never processed blindly. Releasing cannot
    // make it parseable, so a release records the reason and ends.
    if (await quarantine(`${fault.type}: ${fault.message}`)) return finish('failed', `${fault.type}: ${fault.message}`);
    return status;
  }
  status.stage = 'parsed';

  const verdicts = notice.verdicts ?? verdictsFrom(email.headerVerdicts ?? {});
  const sender = email.from?.address ?? null;
  const spam = await checkSpam({ sender, verdicts });
  if (spam.action === 'quarantine') {
    const released = await quarantine(spam.reasons.join('; '), { verdicts, spamScore: spam.score });
    if (!released) return status;
  }

  // Bounces and auto-replies never make an incident (the threading issue attaches them to a thread).
  if (email.kind === 'bounce' || email.kind === 'auto-reply') {
    return finish('ignored', `${email.kind}: no incident for automated mail`, { verdicts, spamScore: spam.score });
  }
  if (!sender) return finish('ignored', 'no sender address', { verdicts, spamScore: spam.score });

  const reporter = await lookupReporter({ address: sender, name: email.from?.name ?? '', verified: isSenderVerified(verdicts) });
  const routing = await routeEmail({ sender, subject: email.subject });
  status.stage = 'routed';

  const incident = await createIncident({ sesMessageId: notice.sesMessageId, bucket: notice.bucket, parsedKey: email.parsedKey, routing, reporter });
  status.stage = 'incident-created';
  status.incidentNumber = incident.number;

  // Automated bulk mail still makes an incident, but an auto-response to a machine starts loops.
  if (email.kind !== 'human') return finish('incident-created', `${email.kind} mail: no confirmation sent`);

  let confirmation;
  try {
    confirmation = await sendConfirmation({
      sesMessageId: notice.sesMessageId,
      incidentNumber: incident.number,
      trackingToken: incident.trackingToken,
      shortDescription: email.shortDescription,
      priority: routing.priority,
      to: email.from!,
    });
  } catch (err) {
    const fault = permanentFault(err);
    if (fault?.type !== PermanentFault.ConfirmationRejected) throw err;
    return finish('incident-created', `no confirmation: ${fault.message}`);
  }
  if (!confirmation.sent) return finish('incident-created', `no confirmation: ${confirmation.reason}`);
  status.stage = 'confirmed';
  return status;
}
