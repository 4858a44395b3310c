// FROZEN: the inbound-email workflow as it was before the decision order moved into domain/
// (version 1). Runs started before version 2 (no 'inbound-email-2' marker) replay and finish here,
// with their four patches. Never change it: a change breaks the replay of those runs. It goes away
// when no such run is open (README, "Retiring a workflow version"), with activities/legacy-steps.ts.
import { condition, log, metricMeter, patched, proxyActivities, proxyLocalActivities, setHandler, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { EMAIL_SENDER, EMAIL_STAGE, INCIDENT_NUMBER } from '../../domain/search-attributes';
import type { Activities } from '../../activities';
import { confirmationRequest } from '../../domain/confirmation-request';
import { PermanentFault, permanentFault } from '../../domain/permanent-faults';
import { decideThread, normaliseMessageId, ThreadMatch } from '../../domain/reply-detection';
import { isSenderVerified } from './sender-verified';
import { maySpeakOnThread } from '../../domain/thread-permission';
import { verdictsFrom } from '../../domain/spam-decision';
import { EmailStatus, EmailSummary, SesVerdicts } from '../../domain/types';

import { ACTIVITY_RETRY } from '../retry';
import { DEFAULT_QUARANTINE_RETENTION_MS, discardSignal, InboundEmailInput, releaseSignal, statusQuery } from '../contracts';

const {
  parseInboundEmail,
  checkSpam,
  recordEmailOutcome,
  lookupReporter,
  routeEmail,
  createIncident,
  findAlertIncident,
  sendConfirmation,
  findThreadCandidates,
  signalThread,
} = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: ACTIVITY_RETRY });

// Short lookups (allowlist, user directory, rules, threads) run as local activities: in the worker, without
// a round trip through the server, and billed as one action per workflow task instead of one each.
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: ACTIVITY_RETRY });

export async function inboundEmailVersion1(input: InboundEmailInput): Promise<EmailStatus> {
  const { notice } = input;
  const status: EmailStatus = { stage: 'received', incidentNumber: null, reason: null };
  setHandler(statusQuery, () => status);

  let decision: 'release' | 'discard' | null = null;
  let discardReason: string | undefined;
  // A decision counts only while the email waits in quarantine: an early or stray signal must not
  // release or discard it ahead of time.
  let virus = false;
  setHandler(releaseSignal, (arg) => {
    if (status.stage !== 'quarantined') return;
    // Virus-positive mail is released only with an explicit override.
    if (virus && !arg?.override) return;
    decision ??= 'release';
  });
  setHandler(discardSignal, (arg) => {
    if (status.stage !== 'quarantined' || decision) return;
    decision = 'discard';
    discardReason = arg?.reason;
  });

  // Stage, sender and incident number as search attributes, so an operator finds the email in the UI.
  // Emails started before they existed replay without them.
  const searchable = patched('search-attributes');
  // Fewer billable actions: lookups as local activities, no intermediate upsert, and the incident's thread
  // started by its first event (it reads the conversation's start from PostgreSQL) instead of at once.
  const lean = patched('fewer-actions');
  const lookups = tracked(lean
    ? { checkSpam: local.checkSpam, lookupReporter: local.lookupReporter, routeEmail: local.routeEmail, findThreadCandidates: local.findThreadCandidates, findAlertIncident: local.findAlertIncident }
    : { checkSpam, lookupReporter, routeEmail, findThreadCandidates, findAlertIncident });
  // Four billable actions for a new ticket: after the parse (an activity of its own: the one step that reads
  // large, hostile input), every write is a local activity too, so the lookups, the incident, the
  // confirmation and the outcome run in one workflow task; and the sender is no longer upserted after
  // parsing when the bridge set it with the start. Each write is idempotent, so re-running a workflow task
  // after a worker crash repeats none of them.
  const compact = patched('local-writes');
  const writes = tracked(compact
    ? { recordEmailOutcome: local.recordEmailOutcome, createIncident: local.createIncident, sendConfirmation: local.sendConfirmation, signalThread: local.signalThread }
    : { recordEmailOutcome, createIncident, sendConfirmation, signalThread });
  /** Names each step in the status query while it runs (see EmailStatus.step). */
  function tracked<T extends Record<string, (...args: never[]) => Promise<unknown>>>(steps: T): T {
    const out: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(steps)) {
      out[name] = async (...args: never[]) => {
        status.step = name;
        try {
          return await fn(...args);
        } finally {
          delete status.step;
        }
      };
    }
    return out as T;
  }
  // Metrics (emitted by the worker's Prometheus exporter; never on replay): how long each stage took to
  // reach from the start, and how every email ended.
  const startedAt = Date.now();
  const stageLatency = metricMeter.createHistogram('email_to_ticket_stage_latency', 'int', 'ms', 'time from the start of the workflow to each stage');

  /** Records the stage's latency; upserts the search attributes unless told not to (memo upserts are not billed). */
  function publish(more: { sender?: string | null; subject?: string } = {}, attributes = true): void {
    stageLatency.withTags({ stage: status.stage }).record(Date.now() - startedAt);
    if (!searchable) return;
    if (attributes) {
      const pairs: SearchAttributeUpdatePair[] = [{ key: EMAIL_STAGE, value: status.stage }];
      if (status.incidentNumber) pairs.push({ key: INCIDENT_NUMBER, value: status.incidentNumber });
      if (more.sender) pairs.push({ key: EMAIL_SENDER, value: more.sender });
      upsertSearchAttributes(pairs);
    }
    if (more.subject !== undefined) upsertMemo({ subject: more.subject.slice(0, 200) });
  }

  async function finish(stage: EmailStatus['stage'], reason: string | null, extra: { verdicts?: SesVerdicts; spamScore?: number } = {}) {
    status.stage = stage;
    publish();
    status.reason = reason;
    await writes.recordEmailOutcome({ sesMessageId: notice.sesMessageId, stage, reason, incidentNumber: status.incidentNumber, ...extra });
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
  // The subject goes to the memo; the stage and sender only when the bridge could not set the sender at start.
  const senderKnown = compact && workflowInfo().typedSearchAttributes.get(EMAIL_SENDER) !== undefined;
  publish({ sender: email.senderForSearch, subject: email.subject }, !senderKnown);

  const verdicts = notice.verdicts ?? verdictsFrom(email.headerVerdicts ?? {});
  const sender = email.from?.address ?? null;
  const spam = await lookups.checkSpam({ sender, verdicts });
  if (spam.action === 'quarantine') {
    virus = verdicts.virus === 'FAIL';
    const released = await quarantine(spam.reasons.join('; '), { verdicts, spamScore: spam.score });
    if (!released) return status;
  }

  const judged = { verdicts, spamScore: spam.score };
  // Emails received before threading existed finish as they started (their histories replay unchanged).
  // Runs with the `fewer-actions` patch always thread, and must not call patched() here: a patch marker
  // recorded between local activities can land in another workflow task under load and break replay.
  const threading = lean || patched('incident-threads');
  const hasClues = (e: EmailSummary) =>
    e.clues.messageIds.length + e.clues.sesIds.length + e.clues.watermarkNumbers.length > 0 || e.clues.subjectNumber !== null;
  /** The thread this email names, if any (references > watermark > subject; a forward names none). */
  async function threadOf(e: EmailSummary): Promise<{ match: ThreadMatch; candidates: Awaited<ReturnType<typeof findThreadCandidates>> } | null> {
    // An email parsed before threading existed has no clues in its history.
    if (!threading || !e.clues || !hasClues(e)) return null;
    const candidates = await lookups.findThreadCandidates({ clues: e.clues });
    const match = decideThread(e.clues, candidates.found);
    return match ? { match, candidates } : null;
  }

  const permissionOn = (t: NonNullable<Awaited<ReturnType<typeof threadOf>>>) => {
    const people = t.candidates.people[t.match.incidentNumber];
    return maySpeakOnThread({
      sender: sender ?? '',
      verdicts,
      authenticated: isSenderVerified(verdicts),
      reporterEmail: people.reporterEmail,
      senderAddressOfIncident: people.senderAddress,
      participants: people.participants,
      agents: t.candidates.agents,
    });
  };
  const mayNote = (t: NonNullable<Awaited<ReturnType<typeof threadOf>>>) => permissionOn(t).allowed;

  // Bounces and auto-replies never make an incident and are never answered; one that names a thread
  // is kept there as a note.
  if (email.kind === 'bounce' || email.kind === 'auto-reply') {
    const thread = await threadOf(email);
    const reason = `${email.kind}: no incident for automated mail`;
    // Noted only when it names our own message (unguessable ids) or comes from someone who may speak
    // there: a stranger must not be able to put text on any incident by faking an auto-reply.
    if (thread && (thread.match.via === 'references' || mayNote(thread))) {
      status.incidentNumber = thread.match.incidentNumber;
      await writes.signalThread({
        incidentNumber: thread.match.incidentNumber,
        event: { type: 'note', id: notice.sesMessageId, kind: email.kind, from: sender, subject: '', reason },
      });
      return finish('ignored', `${reason}; noted on ${thread.match.incidentNumber}`, judged);
    }
    return finish('ignored', reason, judged);
  }
  if (!sender) return finish('ignored', 'no sender address', judged);

  // Monitoring alerts (a parsing rule recognised the mail): a new alert for a host/service with an open
  // incident is added to it, a recovery resolves it, and a recovery with no open incident makes none.
  // Only an authenticated sender may speak as a monitoring system: anyone can write "RECOVERY".
  const alert = email.alert?.alertKey && isSenderVerified(verdicts) ? email.alert : null;
  const alertEvent = (recovery: boolean) => ({
    type: 'alert' as const,
    id: notice.sesMessageId,
    bucket: notice.bucket,
    parsedKey: email.parsedKey,
    from: sender,
    state: alert?.state ?? null,
    recovery,
  });
  if (alert) {
    const open = await lookups.findAlertIncident({ alertKey: alert.alertKey! });
    if (!open && alert.recovery) return finish('ignored', `recovery of ${alert.alertKey} with no open incident`, judged);
    if (open) {
      status.incidentNumber = open;
      await writes.signalThread({ incidentNumber: open, event: alertEvent(alert.recovery) });
      return finish('threaded-as-reply', `${alert.recovery ? 'recovery resolves' : 'alert added to'} ${open} (${alert.alertKey})`, judged);
    }
  }

  // A reply joins its thread, but only when its sender may speak there: anyone else gets an incident of
  // their own, and nothing of theirs reaches the other incident.
  let refused: string | null = null;
  const thread = alert ? null : await threadOf(email);
  if (thread) {
    const permission = permissionOn(thread);
    if (permission.allowed) {
      status.incidentNumber = thread.match.incidentNumber;
      await writes.signalThread({
        incidentNumber: thread.match.incidentNumber,
        event: {
          type: 'customer-reply',
          id: notice.sesMessageId,
          bucket: notice.bucket,
          key: notice.key,
          from: email.from!,
          messageId: email.messageId ? normaliseMessageId(email.messageId) : null,
          // Whom an unauthenticated sender copies in does not join the conversation.
          cc: isSenderVerified(verdicts) ? email.cc.map((c) => c.address) : [],
          via: thread.match.via,
        },
      });
      return finish('threaded-as-reply', `reply to ${thread.match.incidentNumber} (matched by ${thread.match.via})`, judged);
    }
    refused = `not added to ${thread.match.incidentNumber}: ${permission.reason}`;
  }

  const reporter = await lookups.lookupReporter({ address: sender, name: email.from?.name ?? '', verified: isSenderVerified(verdicts) });
  const routing = await lookups.routeEmail({ sender, subject: email.subject, bucket: notice.bucket, parsedKey: email.parsedKey });
  // A routing rule may say "ignore": no incident, the rule recorded as the reason.
  if (routing.ignore === true) return finish('ignored', `ignored by routing rule ${routing.ignoredBy ?? routing.ruleId}`, judged);
  status.stage = 'routed';

  const incident = await writes.createIncident({
    sesMessageId: notice.sesMessageId,
    bucket: notice.bucket,
    parsedKey: email.parsedKey,
    routing: alert?.priority ? { ...routing, priority: alert.priority } : routing,
    reporter,
    ...(alert ? { alertKey: alert.alertKey } : {}),
  });
  if (incident.joinedAlert) {
    // Another alert for the same host/service opened the incident a moment ago: join it.
    status.incidentNumber = incident.number;
    await writes.signalThread({ incidentNumber: incident.number, event: alertEvent(false) });
    return finish('threaded-as-reply', `alert added to ${incident.number} (${alert?.alertKey})`, judged);
  }
  status.stage = 'incident-created';
  status.incidentNumber = incident.number;
  if (!lean) publish();
  status.reason = refused;
  if (threading && !lean) {
    await writes.signalThread({
      incidentNumber: incident.number,
      event: { type: 'opened', id: notice.sesMessageId, messageId: email.messageId ? normaliseMessageId(email.messageId) : null },
    });
  }

  // A monitoring system gets no auto-response; neither does bulk mail: answering machines starts loops.
  if (alert) return finish('incident-created', `monitoring alert ${alert.alertKey}: no confirmation`);
  if (email.kind !== 'human') return finish('incident-created', [refused, `${email.kind} mail: no confirmation sent`].filter(Boolean).join('; '));

  let confirmation;
  try {
    confirmation = await writes.sendConfirmation(confirmationRequest(notice.sesMessageId, incident, email, routing));
  } catch (err) {
    const fault = permanentFault(err);
    if (fault?.type !== PermanentFault.OutboundRejected) throw err;
    return finish('incident-created', `no confirmation: ${fault.message}`);
  }
  if (!confirmation.sent) return finish('incident-created', `no confirmation: ${confirmation.reason}`);
  if (refused) return finish('confirmed', refused);
  status.stage = 'confirmed';
  publish();
  return status;
}
