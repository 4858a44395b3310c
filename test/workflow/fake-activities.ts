// Activities for workflow tests: recorded calls and scripted failures, no outside systems.
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../../src/activities';
import type { ThreadCandidates } from '../../src/domain/inbound-steps';
import { EmailSummary, MailKind, SpamDecision } from '../../src/domain/types';

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

export interface Script {
  email?: Partial<EmailSummary>;
  spam?: SpamDecision;
  /** Throw (as a transient fault) this many times before succeeding. */
  failCreateIncident?: number;
  failConfirmation?: number;
  parseFault?: { type: string; message: string };
  /** What findThreadCandidates answers. */
  thread?: ThreadCandidates;
}

export function fakeActivities(script: Script = {}) {
  const calls: string[] = [];
  let createAttempts = 0;
  let confirmAttempts = 0;
  const outcomes: { stage: string; reason?: string | null }[] = [];
  const signals: { incidentNumber: string; type: string }[] = [];
  const unused = async (): Promise<never> => {
    throw new Error('not used by the inbound-email workflow');
  };
  const activities: Activities = {
    async parseInboundEmail() {
      calls.push('parseInboundEmail');
      if (script.parseFault) throw ApplicationFailure.nonRetryable(script.parseFault.message, script.parseFault.type);
      return emailSummary(script.email);
    },
    async checkSpam() {
      calls.push('checkSpam');
      return script.spam ?? { action: 'accept', score: 0, reasons: [], allowlisted: false };
    },
    async recordEmailOutcome(outcome) {
      calls.push('recordEmailOutcome');
      outcomes.push({ stage: outcome.stage, reason: outcome.reason });
    },
    async lookupReporter() {
      calls.push('lookupReporter');
      return null;
    },
    async routeEmail() {
      calls.push('routeEmail');
      return { ruleId: null, ruleIds: [], assignmentGroup: null, category: null, priority: 4, ignore: false, ignoredBy: null };
    },
    async raiseIncident() {
      calls.push('raiseIncident');
      if (++createAttempts <= (script.failCreateIncident ?? 0)) throw new Error('connection to PostgreSQL refused');
      return { number: 'INC0010001', trackingToken: 't'.repeat(32), slaDueAt: '2030-01-01T00:00:00.000Z', created: true };
    },
    async findThreadCandidates() {
      calls.push('findThreadCandidates');
      return script.thread ?? { found: { byMessageId: null, byWatermark: null, bySubject: null }, people: {}, agents: [] };
    },
    async signalThread(input) {
      calls.push('signalThread');
      signals.push({ incidentNumber: input.incidentNumber, type: input.event.type });
    },
    appendCustomerReply: unused,
    addAgentComment: unused,
    addThreadNote: unused,
    sendAgentComment: unused,
    setThreadState: unused,
    appendAlert: unused,
    findAlertIncident: unused,
    recordCommentNotSent: unused,
    loadThreadStart: unused,
    // Only runs of version 1 call these.
    createIncident: unused,
    sendConfirmation: unused,
    async mailConfirmation() {
      calls.push('mailConfirmation');
      if (++confirmAttempts <= (script.failConfirmation ?? 0)) throw new Error('SES throttled');
      return { sent: true, messageId: '<c1@ours>', sesMessageId: 'ses-1', alreadySent: false };
    },
  };
  return { activities, calls, outcomes, signals, attempts: () => ({ createAttempts, confirmAttempts }) };
}
