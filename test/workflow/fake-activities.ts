// Activities for workflow tests: scripted answers and failures, no outside systems. Every call is
// recorded with the input the workflow passed, so a test asserts what the workflow decided to send to
// each step (verdicts, reporter lookup, routing, the confirmation request, the outcome, thread events),
// not only the order of the calls.
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../../src/activities';
import type { CreatedIncident, OutboundResult, ThreadCandidates } from '../../src/domain/inbound-steps';
import { PermanentFault } from '../../src/domain/permanent-faults';
import { EmailSummary, MailKind, Reporter, Routing, SpamDecision } from '../../src/domain/types';

export function emailSummary(overrides: Partial<EmailSummary> = {}): EmailSummary {
  return {
    messageId: '<m1@customer.example>',
    subject: 'Printer broken',
    shortDescription: 'Printer broken',
    from: { address: 'anna@customer.example', name: 'Anna' },
    to: [{ address: 'tickets@example.com', name: '' }],
    cc: [],
    inReplyTo: null,
    references: [],
    kind: 'human' as MailKind,
    attachmentCount: 0,
    clues: { messageIds: [], sesIds: [], watermarkNumbers: [], subjectNumber: null, reply: false, forward: false },
    parsedKey: 'parsed/x/email.json',
    descriptionLength: 42,
    ...overrides,
  };
}

/** What routeEmail answers when the script does not say: no rule matched, the default priority. */
export const UNROUTED: Routing = { ruleId: null, ruleIds: [], assignmentGroup: null, category: null, priority: 4, escalationAddress: null, ignore: false, ignoredBy: null };

export interface Script {
  email?: Partial<EmailSummary>;
  spam?: SpamDecision;
  /** What lookupReporter answers (default null: not in the directory). */
  reporter?: Reporter | null;
  /** What routeEmail answers (default UNROUTED). */
  routing?: Routing;
  /** What findAlertIncident answers (default null: no open incident for the host/service). */
  alertIncident?: string | null;
  /** What raiseIncident answers (default a new INC0010001). */
  incident?: CreatedIncident;
  /** What mailConfirmation answers (default sent); `reject` throws SES's refusal as the activity does. */
  confirmation?: OutboundResult | { reject: string };
  /** What mailRejection answers (default sent). */
  rejection?: OutboundResult;
  /** Throw (as a transient fault) this many times before succeeding. */
  failCreateIncident?: number;
  failConfirmation?: number;
  parseFault?: { type: string; message: string };
  /** What mailFollowUpRefusal answers (default sent). */
  refusal?: OutboundResult;
  /** What findThreadCandidates answers. */
  thread?: ThreadCandidates;
  /** The directory's agents (what isAgent answers true for). */
  agents?: string[];
  /** The parse (an activity of its own) does not return before this settles: signals can reach the workflow meanwhile. */
  parseGate?: Promise<void>;
}

type InboundActivity =
  | 'parseInboundEmail'
  | 'checkSpam'
  | 'recordEmailOutcome'
  | 'lookupReporter'
  | 'isAgent'
  | 'routeEmail'
  | 'raiseIncident'
  | 'findAlertIncident'
  | 'findThreadCandidates'
  | 'signalThread'
  | 'signalAlertKey'
  | 'mailConfirmation'
  | 'mailFollowUpRefusal'
  | 'mailRejection';

/** The argument each activity was called with, per call (retries included). */
export type Received = { [K in InboundActivity]: Parameters<Activities[K]>[0][] };

export function fakeActivities(script: Script = {}) {
  const calls: string[] = [];
  const received: Received = {
    parseInboundEmail: [],
    checkSpam: [],
    recordEmailOutcome: [],
    lookupReporter: [],
    isAgent: [],
    routeEmail: [],
    raiseIncident: [],
    findAlertIncident: [],
    findThreadCandidates: [],
    signalThread: [],
    signalAlertKey: [],
    mailConfirmation: [],
    mailFollowUpRefusal: [],
    mailRejection: [],
  };
  const record = <K extends InboundActivity>(name: K, input: Received[K][number]) => {
    calls.push(name);
    (received[name] as unknown[]).push(input);
  };
  let createAttempts = 0;
  let confirmAttempts = 0;
  const unused = async (): Promise<never> => {
    throw new Error('not used by the inbound-email workflow');
  };
  const activities: Activities = {
    async parseInboundEmail(notice) {
      record('parseInboundEmail', notice);
      await script.parseGate;
      if (script.parseFault) throw ApplicationFailure.nonRetryable(script.parseFault.message, script.parseFault.type);
      return emailSummary(script.email);
    },
    async checkSpam(input) {
      record('checkSpam', input);
      return script.spam ?? { action: 'accept', score: 0, reasons: [], allowlisted: false };
    },
    async recordEmailOutcome(outcome) {
      record('recordEmailOutcome', outcome);
    },
    async lookupReporter(input) {
      record('lookupReporter', input);
      return script.reporter ?? null;
    },
    async isAgent(input) {
      record('isAgent', input);
      return (script.agents ?? []).includes(input.address);
    },
    async routeEmail(input) {
      record('routeEmail', input);
      return script.routing ?? UNROUTED;
    },
    async raiseIncident(input) {
      record('raiseIncident', input);
      if (++createAttempts <= (script.failCreateIncident ?? 0)) throw new Error('connection to PostgreSQL refused');
      return script.incident ?? { number: 'INC0010001', slaDueAt: '2030-01-01T00:00:00.000Z', created: true };
    },
    async findAlertIncident(input) {
      record('findAlertIncident', input);
      return script.alertIncident ?? null;
    },
    async findThreadCandidates(input) {
      record('findThreadCandidates', input);
      return script.thread ?? { found: { byMessageId: null, byWatermark: null, bySubject: null }, people: {}, agents: [] };
    },
    async signalThread(input) {
      record('signalThread', input);
    },
    async signalAlertKey(input) {
      record('signalAlertKey', input);
    },
    async mailConfirmation(input) {
      record('mailConfirmation', input);
      if (++confirmAttempts <= (script.failConfirmation ?? 0)) throw new Error('SES throttled');
      const answer = script.confirmation;
      if (answer && 'reject' in answer) throw ApplicationFailure.nonRetryable(answer.reject, PermanentFault.OutboundRejected);
      return answer ?? { sent: true, messageId: '<c1@ours>', sesMessageId: 'ses-1', alreadySent: false };
    },
    async mailFollowUpRefusal(input) {
      record('mailFollowUpRefusal', input);
      return script.refusal ?? { sent: true, messageId: '<f1@ours>', sesMessageId: 'ses-f1', alreadySent: false };
    },
    async mailRejection(input) {
      record('mailRejection', input);
      return script.rejection ?? { sent: true, messageId: '<r1@ours>', sesMessageId: 'ses-r1', alreadySent: false };
    },
    appendCustomerReply: unused,
    addAgentComment: unused,
    addThreadNote: unused,
    sendAgentComment: unused,
    setThreadState: unused,
    appendAlert: unused,
    recordCommentNotSent: unused,
    loadThreadStart: unused,
    reconcileInboundPage: unused,
    recordDeliveryEvent: unused,
    loadSlaStart: unused,
    slaPlan: unused,
    recordSlaEvents: unused,
    replanSlaPage: unused,
    tellAlertStorm: unused,
    linkStormChildren: unused,
    raiseStormIncident: unused,
    // Only runs of version 1 call these.
    createIncident: unused,
    sendConfirmation: unused,
  };
  return {
    activities,
    calls,
    received,
    /** Each recordEmailOutcome call: stage, reason, incident, verdicts, spam score. */
    outcomes: received.recordEmailOutcome,
    /** Each event signalled to a thread, with its incident. */
    signals: received.signalThread,
    attempts: () => ({ createAttempts, confirmAttempts }),
  };
}
