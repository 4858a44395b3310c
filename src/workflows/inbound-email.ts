// One workflow per inbound email. It runs the decision order (domain/inbound-decision.ts): each step
// the order names is performed here, by an activity or a durable wait, and the outcome is recorded
// once, by the workflow, at the end. Only keys and short summaries pass through its history.
import {
  condition,
  log,
  metricMeter,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Activities } from '../activities';
import type { EmailOutcome, OutboundResult, ParseResult, QuarantineDecision } from '../domain/inbound-steps';
import type { AlertHandling, UnauthenticatedConfirmation } from '../domain/inbound-decision';
import { InboundStepPerformer, runInboundEmail } from '../domain/inbound-run';
import { EMAIL_SENDER, EMAIL_STAGE, INCIDENT_NUMBER } from '../domain/search-attributes';
import { EmailStatus } from '../domain/types';
import { DEFAULT_QUARANTINE_RETENTION_MS, discardSignal, InboundEmailInput, releaseSignal, statusQuery } from './contracts';
import { inboundEmailVersion1 } from './legacy/inbound-email-version-1';
import { orPermanentFault, sentOrRefused } from '../domain/permanent-faults';
import { ACTIVITY_RETRY } from './retry';
import { INBOUND_EMAIL_VERSION, INBOUND_EMAIL_VERSION_2, INBOUND_EMAIL_VERSION_3 } from './versions';

// The parse is an activity of its own: the one step that reads large, hostile input, visible with its
// attempt and last failure in the UI.
// The parse heartbeats: a worker that dies mid-parse costs the email 20 s, not the 2 minutes.
const { parseInboundEmail } = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', heartbeatTimeout: '20 seconds', retry: ACTIVITY_RETRY });
// Every lookup and write after it is a local activity: in the worker, without a round trip through the
// server, all of one workflow task billed as one action. Each is idempotent, so re-running a workflow task
// after a worker crash repeats none of their effects.
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: ACTIVITY_RETRY });

/** Every email ends with one outcome, counted by the worker's metrics (never on replay). */
export async function inboundEmail(input: InboundEmailInput): Promise<EmailStatus> {
  // Runs started before the decision order replay and finish on the code they started with; those of
  // versions 2 and 3 with the one setting that tells each apart.
  const answer = input.unauthenticatedConfirmation === 'minimal' ? 'minimal' : 'none';
  const result = patched(INBOUND_EMAIL_VERSION)
    ? await decideInboundEmail(input, answer, 'key-workflow')
    : patched(INBOUND_EMAIL_VERSION_3)
      ? await decideInboundEmail(input, answer, 'incident')
      : patched(INBOUND_EMAIL_VERSION_2)
        ? await decideInboundEmail(input, 'full', 'incident')
        : await inboundEmailVersion1(input);
  log.info('email finished', { sesMessageId: input.notice.sesMessageId, stage: result.stage, incidentNumber: result.incidentNumber, reason: result.reason });
  metricMeter.createCounter('email_to_ticket_emails', 'emails', 'inbound emails by outcome').withTags({ outcome: result.stage }).add(1);
  return result;
}

async function decideInboundEmail(input: InboundEmailInput, unauthenticatedConfirmation: UnauthenticatedConfirmation, alertHandling: AlertHandling): Promise<EmailStatus> {
  const { notice } = input;
  const status: EmailStatus = { stage: 'received', incidentNumber: null, reason: null };
  setHandler(statusQuery, () => status);

  // A decision counts only while the email waits in quarantine: an early or stray signal must not
  // release or discard it ahead of time. Virus-positive mail is released only with an explicit override.
  let waiting: { virus: boolean } | null = null;
  let decision: QuarantineDecision | null = null;
  setHandler(releaseSignal, (request) => {
    if (!waiting || decision || (waiting.virus && !request?.override)) return;
    decision = { decision: 'release' };
  });
  setHandler(discardSignal, (request) => {
    if (!waiting || decision) return;
    // An admin's words, kept short: they become the email's recorded reason.
    const reason = typeof request?.reason === 'string' && request.reason.trim() ? request.reason.slice(0, 500) : 'discarded by an admin';
    decision = { decision: 'discard', reason };
  });

  const startedAt = Date.now();
  const stageLatency = metricMeter.createHistogram('email_to_ticket_stage_latency', 'int', 'ms', 'time from the start of the workflow to each stage');
  /** Moves the status query's stage, and measures how long it took to reach. */
  function reach(stage: EmailStatus['stage'], incidentNumber?: string | null): void {
    status.stage = stage;
    if (incidentNumber) status.incidentNumber = incidentNumber;
    stageLatency.withTags({ stage }).record(Date.now() - startedAt);
  }
  /** Stage and incident number as search attributes, so an operator finds the email (each upsert is billed). */
  function publish(sender?: string | null): void {
    const pairs: SearchAttributeUpdatePair[] = [{ key: EMAIL_STAGE, value: status.stage }];
    if (status.incidentNumber) pairs.push({ key: INCIDENT_NUMBER, value: status.incidentNumber });
    if (sender) pairs.push({ key: EMAIL_SENDER, value: sender });
    upsertSearchAttributes(pairs);
  }
  /** The status query names the step running now: local activities retry inside the worker, unseen. */
  async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
    status.step = name;
    try {
      return await run();
    } finally {
      delete status.step;
    }
  }
  async function record(outcome: EmailOutcome): Promise<void> {
    reach(outcome.stage, outcome.incidentNumber);
    status.reason = outcome.reason ?? null;
    publish();
    await step('recordEmailOutcome', () => local.recordEmailOutcome(outcome));
  }

  const perform: InboundStepPerformer = {
    async parse({ input: notice }) {
      const parsed = await orPermanentFault<ParseResult>(async () => ({ email: await parseInboundEmail(notice) }), (fault) => ({ fault }));
      if ('fault' in parsed) return parsed;
      reach('parsed');
      // The subject goes to the memo (not billed); the sender and stage only when the bridge could not
      // set the sender with the start (an S3 event notification names none).
      upsertMemo({ subject: parsed.email.subject.slice(0, 200) });
      if (workflowInfo().typedSearchAttributes.get(EMAIL_SENDER) === undefined) publish(parsed.email.senderForSearch);
      return parsed;
    },
    'check-spam': ({ input }) => step('checkSpam', () => local.checkSpam(input)),
    /** A durable wait: the email is kept in S3 and recorded until an admin decides, or retention ends. */
    async quarantine({ outcome, virus }) {
      await record(outcome);
      waiting = { virus };
      const decided = await condition(() => decision !== null, input.quarantineRetentionMs ?? DEFAULT_QUARANTINE_RETENTION_MS);
      return decided ? decision! : { decision: 'expired' };
    },
    'find-thread': ({ input }) => step('findThreadCandidates', () => local.findThreadCandidates(input)),
    'find-alert-incident': ({ input }) => step('findAlertIncident', () => local.findAlertIncident(input)),
    'signal-thread': ({ input }) => step('signalThread', () => local.signalThread(input)),
    'signal-alert-key': ({ input }) => step('signalAlertKey', () => local.signalAlertKey(input)),
    'check-agent': ({ input }) => step('isAgent', () => local.isAgent(input)),
    'lookup-reporter': ({ input }) => step('lookupReporter', () => local.lookupReporter(input)),
    async route({ input }) {
      const routing = await step('routeEmail', () => local.routeEmail(input));
      reach('routed');
      return routing;
    },
    async 'create-incident'({ input }) {
      const incident = await step('raiseIncident', () => local.raiseIncident(input));
      if (!incident.joinedAlert) reach('incident-created', incident.number);
      return incident;
    },
    'send-confirmation': ({ input }) => sentOrRefused(() => step('mailConfirmation', () => local.mailConfirmation(input))),
    'send-follow-up-refusal': ({ input }) => sentOrRefused(() => step('mailFollowUpRefusal', () => local.mailFollowUpRefusal(input))),
    'send-rejection': ({ input }) => sentOrRefused(() => step('mailRejection', () => local.mailRejection(input))),
  };

  await record(await runInboundEmail({ notice, unauthenticatedConfirmation, alertHandling, senderPolicy: input.senderPolicy }, perform));
  return status;
}
