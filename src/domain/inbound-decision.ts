// The decision order of an inbound email, in one pure function: given what is known so far (the parse,
// the verdicts, the results of the lookups and writes already made), it names the next step and, at the
// end, the outcome with its reason. The workflow runs it (workflows/inbound-email.ts), and so does the
// benchmark's direct pipeline: both decide alike because both run this. The order, top to bottom:
//
//   parse (a permanent fault: missing -> failed; unparseable/too large -> quarantine)
//   spam check -> quarantine (release continues; discard or expiry ends)
//   automated mail (bounce, auto-reply): never an incident; a note on the thread it names, if allowed
//   no sender address -> ignored (a From that is not exactly one valid mailbox: processed, never answered)
//   monitoring alert from an authenticated sender: handed, after reporter and routing, to the workflow of
//          its host/service (domain/alert-key), which opens, adds to, reopens or resolves its incident;
//          runs of inbound-email-3 added it to its open incident themselves, a recovery resolving it
//   reply: joins the thread named by its clues when its sender may speak there, else a new incident
//          (an unauthenticated one joins as unverified: it changes no state and names no one); to a
//          closed incident, its follow-up policy may keep it as a note (the sender told, when
//          authenticated) or make it a new incident linked to the closed one; an authenticated one
//          matched by our own clues has the incident record other helpdesks' numbers
//   forward (domain/agent-forward): an authenticated agent's forward makes the customer's incident
//          (reporter, description, confirmation only when the agent tagged it); anyone else's stays theirs
//   reporter; an unknown sender (no user of the directory) by the sender policy: an incident (default),
//          quarantine, or rejected (a rejection mailed to an authenticated human sender only)
//   routing (a rule may ignore the email) -> incident (an alert may join one just opened)
//   confirmation, unless an alert, bulk mail, an unauthenticated sender, or SES refuses the recipient
//
// Authenticated (domain/sender-authentication) is the one test of a sender's From address: only then is
// it matched to a user, answered, allowlisted, let name participants or move an incident's state.
// docs/reply-detection.md explains the reply, permission and loop rules behind these steps.
import { ForwardRole, forwardedFor, forwardRole } from './agent-forward';
import { ConfirmationInput, confirmationRequest } from './confirmation-request';
import { followUpAction, followUpReason } from './follow-up-policy';
import type { FollowUpRefusal } from './follow-up-refusal';
import type {
  CreatedIncident,
  CreateIncidentInput,
  EmailOutcome,
  OutboundResult,
  ParseResult,
  QuarantineDecision,
  ReporterLookupInput,
  RouteInput,
  SpamCheckInput,
  ThreadCandidates,
  ThreadSignal,
} from './inbound-steps';
import { PermanentFault } from './permanent-faults';
import { RejectionInput, rejectionRequest } from './rejection-request';
import { senderPolicyOf, SenderPolicy, UNKNOWN_SENDER_QUARANTINE_REASON } from './sender-policy';
import { decideThread, normaliseMessageId, ThreadMatch } from './reply-detection';
import { authenticateSender, SenderAuthentication } from './sender-authentication';
import { verdictsFrom } from './spam-decision';
import { maySpeakOnThread, ThreadPermission } from './thread-permission';
import type { AlertUpdate, CustomerReply, ThreadNote } from './thread-events';
import type { AlertHandover } from './alert-key';
import type { EmailSummary, InboundEmailNotice, Reporter, Routing, SesVerdicts, SpamDecision } from './types';

/**
 * What an unauthenticated sender is sent: by default nothing; by setting, a minimal confirmation that
 * repeats no text of theirs. 'full' is what runs of version inbound-email-2 did (they replay with it).
 */
export type UnauthenticatedConfirmation = 'none' | 'minimal' | 'full';

/** Message-IDs (and SES ids) of a bounce that travel with its note, to find our message it returns. */
const NOTE_IDS_MAX = 10;
/**
 * Who decides what a monitoring alert does: the workflow of its key (host/service), or, as runs of
 * version inbound-email-3 did (they replay with it), the email itself (its key's open incident, or a new one).
 */
export type AlertHandling = 'key-workflow' | 'incident';

/** What is known about one email: the notice, then each step's result as it comes in. */
export interface InboundFacts {
  notice: InboundEmailNotice;
  /** Unset means 'none'. */
  unauthenticatedConfirmation?: UnauthenticatedConfirmation;
  /** Unset means 'incident'. */
  alertHandling?: AlertHandling;
  /** The sender policy for the addresses the mail was received for (domain/sender-policy); unset fields: today's behaviour. */
  senderPolicy?: Partial<SenderPolicy>;
  parse?: ParseResult;
  spam?: SpamDecision;
  quarantine?: QuarantineDecision;
  /** Looked up only when the email carries clues of a thread. */
  thread?: ThreadCandidates;
  /** Asked only for an authenticated sender's forward. */
  senderIsAgent?: boolean;
  alertIncident?: string | null;
  reporter?: Reporter | null;
  routing?: Routing;
  incident?: CreatedIncident;
  signalled?: true;
  alertHandedOver?: true;
  confirmation?: OutboundResult;
  /** The reply to a sender whose reply the follow-up policy kept off a closed incident. */
  refusal?: OutboundResult;
  /** The rejection mailed to an unknown sender (the sender policy). */
  rejection?: OutboundResult;
}

/** The next step, with the input it is to be run with. */
export type InboundStep =
  | { step: 'parse'; input: InboundEmailNotice }
  | { step: 'check-spam'; input: SpamCheckInput }
  /** Record `outcome` (stage quarantined) and wait for an admin; `virus` needs an explicit override to release. */
  | { step: 'quarantine'; outcome: EmailOutcome; virus: boolean }
  | { step: 'find-thread'; input: { clues: EmailSummary['clues'] } }
  | { step: 'find-alert-incident'; input: { alertKey: string } }
  | { step: 'check-agent'; input: { address: string } }
  | { step: 'signal-thread'; input: ThreadSignal }
  | { step: 'signal-alert-key'; input: { alertKey: string; event: AlertHandover } }
  | { step: 'lookup-reporter'; input: ReporterLookupInput }
  | { step: 'route'; input: RouteInput }
  | { step: 'create-incident'; input: CreateIncidentInput }
  | { step: 'send-confirmation'; input: ConfirmationInput }
  | { step: 'send-follow-up-refusal'; input: FollowUpRefusal }
  | { step: 'send-rejection'; input: RejectionInput }
  | { step: 'finish'; outcome: EmailOutcome };

/** What each step gives back, by step name. */
export interface InboundStepResults {
  parse: ParseResult;
  'check-spam': SpamDecision;
  quarantine: QuarantineDecision;
  'find-thread': ThreadCandidates;
  'find-alert-incident': string | null;
  'check-agent': boolean;
  'signal-thread': void;
  'signal-alert-key': void;
  'lookup-reporter': Reporter | null;
  route: Routing;
  'create-incident': CreatedIncident;
  'send-confirmation': OutboundResult;
  'send-follow-up-refusal': OutboundResult;
  'send-rejection': OutboundResult;
}

export type InboundStepName = keyof InboundStepResults;

/** The facts with one step's result added (the only way facts grow). */
export function withResult<K extends InboundStepName>(facts: InboundFacts, step: K, result: InboundStepResults[K]): InboundFacts {
  const key = RESULT_KEYS[step];
  return { ...facts, [key]: key === 'signalled' || key === 'alertHandedOver' ? true : result };
}

const RESULT_KEYS: Record<InboundStepName, keyof InboundFacts> = {
  parse: 'parse',
  'check-spam': 'spam',
  quarantine: 'quarantine',
  'find-thread': 'thread',
  'find-alert-incident': 'alertIncident',
  'check-agent': 'senderIsAgent',
  'signal-thread': 'signalled',
  'signal-alert-key': 'alertHandedOver',
  'lookup-reporter': 'reporter',
  route: 'routing',
  'create-incident': 'incident',
  'send-confirmation': 'confirmation',
  'send-follow-up-refusal': 'refusal',
  'send-rejection': 'rejection',
};

export function decideNextStep(facts: InboundFacts): InboundStep {
  const { notice } = facts;
  const finish = (stage: EmailOutcome['stage'], reason: string | null, more: Partial<EmailOutcome> = {}): InboundStep => ({
    step: 'finish',
    outcome: { sesMessageId: notice.sesMessageId, stage, reason, incidentNumber: null, ...more },
  });

  if (!facts.parse) return { step: 'parse', input: notice };
  if ('fault' in facts.parse) {
    const { type, message } = facts.parse.fault;
    if (type === PermanentFault.RawEmailMissing) return finish('failed', message);
    // Unparseable or too large: kept for an admin to look at, never processed blindly. Releasing cannot
    // make it parseable, so a release records the reason and ends.
    const reason = `${type}: ${message}`;
    return afterQuarantine(facts, reason, {}, false) ?? finish('failed', reason);
  }
  const email = facts.parse.email;
  const verdicts = notice.verdicts ?? verdictsFrom(email.headerVerdicts ?? {});
  const sender = email.from?.address ?? null;
  // A From that is not exactly one valid mailbox: processed, but never answered, matched or let speak.
  const invalidSender = email.senderProblem ?? null;
  const trust: SenderAuthentication = invalidSender
    ? { authenticated: false, reason: invalidSender }
    : authenticateSender({
        from: sender,
        verdicts,
        mailFrom: notice.mailFrom ?? email.authenticatedDomains?.mailFrom,
        dkimDomains: email.authenticatedDomains?.dkim,
        dmarcFrom: email.authenticatedDomains?.dmarcFrom,
      });
  const authenticated = trust.authenticated;
  const policy = senderPolicyOf(facts.senderPolicy);

  // The allowlist speaks for authenticated senders only: anyone can write an allowlisted From.
  if (!facts.spam) return { step: 'check-spam', input: { sender, verdicts, authenticated } };
  const judged = { verdicts, spamScore: facts.spam.score, sender: trust };
  if (facts.spam.action === 'quarantine') {
    const waiting = afterQuarantine(facts, facts.spam.reasons.join('; '), judged, verdicts.virus === 'FAIL');
    if (waiting) return waiting;
  }

  // Bounces and auto-replies never make an incident and are never answered; one that names a thread is
  // kept there as a note, when it names our own message (unguessable ids) or comes from someone who may
  // speak there: a stranger must not be able to put text on any incident by faking an auto-reply.
  if (email.kind === 'bounce' || email.kind === 'auto-reply') {
    const reason = `${email.kind}: no incident for automated mail`;
    const thread = threadOf(facts, email);
    if (thread === 'lookup') return { step: 'find-thread', input: { clues: email.clues } };
    if (thread && (namesOurMessage(thread) || permission(thread, { sender, verdicts, trust, invalidSender }).allowed)) {
      const incidentNumber = thread.match.incidentNumber;
      if (!facts.signalled) {
        // A vendor's acknowledgement of our mail is how its case number usually comes first; a bounce
        // quotes what it bounced, and names nothing.
        const external = email.kind === 'auto-reply' ? externalNumbersToRecord(email, thread.match, authenticated) : {};
        const note: ThreadNote = { type: 'note', id: notice.sesMessageId, kind: email.kind, from: sender, subject: '', reason, ...external };
        // A bounce's report rides along (only when it has one: a note from an older parse stays as it was),
        // to be tied to our message it returns and that message's recipient alone.
        const report = email.deliveryReport;
        if (report && report.recipients.length > 0) {
          note.delivery = { messageIds: email.clues.messageIds.slice(0, NOTE_IDS_MAX), sesIds: email.clues.sesIds.slice(0, NOTE_IDS_MAX), recipients: report.recipients.slice(0, 5) };
        }
        return { step: 'signal-thread', input: { incidentNumber, event: note } };
      }
      return finish('ignored', `${reason}; noted on ${incidentNumber}`, { ...judged, incidentNumber });
    }
    return finish('ignored', reason, judged);
  }
  if (!sender) return finish('ignored', 'no sender address', judged);

  // Monitoring alerts (a parsing rule recognised the mail): a new alert for a host/service with an open
  // incident is added to it, a recovery resolves it, and a recovery with no open incident makes none.
  // Only an authenticated sender may speak as a monitoring system: anyone can write "RECOVERY".
  const alert = email.alert?.alertKey && authenticated ? { ...email.alert, alertKey: email.alert.alertKey } : null;
  const alertEvent = (recovery: boolean): AlertUpdate => ({
    type: 'alert',
    id: notice.sesMessageId,
    bucket: notice.bucket,
    parsedKey: email.parsedKey,
    from: sender,
    state: alert?.state ?? null,
    recovery,
  });
  const byKey = facts.alertHandling === 'key-workflow';
  if (alert && !byKey) {
    if (facts.alertIncident === undefined) return { step: 'find-alert-incident', input: { alertKey: alert.alertKey } };
    const open = facts.alertIncident;
    if (!open && alert.recovery) return finish('ignored', `recovery of ${alert.alertKey} with no open incident`, judged);
    if (open) {
      if (!facts.signalled) return { step: 'signal-thread', input: { incidentNumber: open, event: alertEvent(alert.recovery) } };
      return finish('threaded-as-reply', `${alert.recovery ? 'recovery resolves' : 'alert added to'} ${open} (${alert.alertKey})`, { ...judged, incidentNumber: open });
    }
  }

  // A reply joins its thread, but only when its sender may speak there: anyone else gets an incident of
  // their own, and nothing of theirs reaches the other incident.
  let refused: string | null = null;
  // A reply the follow-up policy turned into a new incident: linked to the closed one.
  let followUpOf: { incidentNumber: string; reason: string } | null = null;
  const thread = alert ? null : threadOf(facts, email);
  if (thread === 'lookup') return { step: 'find-thread', input: { clues: email.clues } };
  if (thread) {
    const allowed = permission(thread, { sender, verdicts, trust, invalidSender });
    const incidentNumber = thread.match.incidentNumber;
    if (allowed.allowed) {
      // A closed incident's follow-up policy may keep the reply off it, or make it a new incident.
      const closed = thread.candidates.closed?.[incidentNumber];
      const followUp = closed ? followUpAction(closed, notice.receivedAt ?? thread.candidates.lookedUpAt ?? '') : 'reopen';
      if (closed && followUp === 'new-incident') {
        followUpOf = { incidentNumber, reason: followUpReason(incidentNumber, closed) };
      } else {
        const notReopened = closed && followUp === 'reject' ? followUpReason(incidentNumber, closed) : null;
        if (!facts.signalled) {
          const reply: CustomerReply = {
            type: 'customer-reply',
            id: notice.sesMessageId,
            bucket: notice.bucket,
            key: notice.key,
            from: email.from!,
            messageId: email.messageId ? normaliseMessageId(email.messageId) : null,
            // Whom an unauthenticated sender copies in does not join the conversation, nor anyone by policy.
            cc: authenticated && policy.ccParticipants !== 'nobody' ? email.cc.map((c) => c.address) : [],
            ...(authenticated && policy.ccParticipants === 'known-users' ? { ccParticipants: 'known-users' as const } : {}),
            via: thread.match.via,
            // Unverified: kept on the incident, marked so, and moves no state.
            verified: authenticated,
            // Set only when the policy keeps the incident closed: every other reply is the event it always was.
            // One kept off the incident records no other helpdesk's number on it either.
            ...(notReopened ? { notReopened } : externalNumbersToRecord(email, thread.match, authenticated)),
          };
          return { step: 'signal-thread', input: { incidentNumber, event: reply } };
        }
        const done = { ...judged, incidentNumber };
        if (notReopened) {
          const kept = `${notReopened}: the reply is kept as a note`;
          // Told only when authenticated (a forged From must not make us mail anyone) and a person wrote it.
          if (!authenticated) return finish('threaded-as-reply', `${kept}; not told: sender not authenticated (${trust.reason})`, done);
          if (email.kind !== 'human') return finish('threaded-as-reply', `${kept}; not told: ${email.kind} mail`, done);
          if (!facts.refusal) {
            return {
              step: 'send-follow-up-refusal',
              input: { sesMessageId: notice.sesMessageId, incidentNumber, closedAt: closed!.closedAt, to: email.from!, inReplyTo: email.messageId, references: email.references.slice(-19) },
            };
          }
          return finish('threaded-as-reply', facts.refusal.sent ? `${kept}; the sender was told to write a new email` : `${kept}; not told: ${facts.refusal.reason}`, done);
        }
        const unverified = authenticated ? '' : `, unverified: ${trust.reason}`;
        return finish('threaded-as-reply', `reply to ${incidentNumber} (matched by ${thread.match.via}${unverified})`, done);
      }
    } else {
      refused = `not added to ${incidentNumber}: ${allowed.reason}`;
    }
  }
  // An agent's forward: the incident is the customer's, whom the agent vouches for (the reporter lookup,
  // routing and confirmation are the customer's). Anyone else's forward stays an ordinary email of theirs.
  const forward: ForwardRole | null = alert || invalidSender ? null : forwardRole({ forward: email.forward, sender, authenticated, kind: email.kind, senderIsAgent: facts.senderIsAgent });
  if (forward?.role === 'check-agent') return { step: 'check-agent', input: { address: forward.address } };
  const customer = forward?.role === 'customer' ? forward : null;
  const forwardNote = forward?.role === 'own' ? forward.reason : customer ? forwardedFor(customer) : null;
  // What the outcome says besides its own reason: a refused reply, a follow-up, a forward.
  const noting = (...more: string[]) => [refused, followUpOf && `follow-up of ${followUpOf.reason}`, forwardNote, ...more].filter(Boolean).join('; ');

  if (facts.reporter === undefined && !invalidSender) {
    const input = customer ? { address: customer.customer.address, name: customer.customer.name, verified: true } : { address: sender, name: email.from?.name ?? '', verified: authenticated };
    return { step: 'lookup-reporter', input };
  }
  // Unknown: no user of the directory holds the address (an unauthenticated sender is never matched). A
  // follow-up of a closed incident comes from someone who may speak there, and an agent vouches for the
  // customer of its forward: neither is a stranger.
  const unknown = !facts.reporter && !followUpOf && !customer;
  if (unknown && policy.unknownSenders === 'quarantine') {
    const waiting = afterQuarantine(facts, UNKNOWN_SENDER_QUARANTINE_REASON, judged, false);
    if (waiting) return waiting;
  }
  if (unknown && policy.unknownSenders === 'reject') {
    const rejected = (mailed: string) => finish('rejected', noting(`unknown sender: ${policy.rejectionReason}`, mailed), judged);
    // Answered like a confirmation: never a forged From (backscatter), a machine or bulk mail (loops).
    const silent = !authenticated ? `sender not authenticated (${trust.reason})` : alert ? 'a monitoring alert' : email.kind !== 'human' ? `${email.kind} mail` : null;
    if (silent) return rejected(`no rejection mailed: ${silent}`);
    if (!facts.rejection) return { step: 'send-rejection', input: rejectionRequest(notice.sesMessageId, email, policy.rejectionReason) };
    return rejected(facts.rejection.sent ? 'rejection mailed' : `no rejection mailed: ${facts.rejection.reason}`);
  }
  if (!facts.routing) {
    const input = customer
      ? { sender: customer.customer.address, senderAuthenticated: true, subject: customer.forward.subject }
      : { sender, senderAuthenticated: authenticated, subject: email.subject };
    return { step: 'route', input: { ...input, bucket: notice.bucket, parsedKey: email.parsedKey } };
  }
  const routing = facts.routing;
  // A routing rule may say "ignore": no incident, the rule recorded as the reason.
  if (routing.ignore === true) return finish('ignored', `ignored by routing rule ${routing.ignoredBy ?? routing.ruleId}`, judged);

  const incidentInput: CreateIncidentInput = {
    sesMessageId: notice.sesMessageId,
    bucket: notice.bucket,
    parsedKey: email.parsedKey,
    routing: alert?.priority ? { ...routing, priority: alert.priority } : routing,
    reporter: facts.reporter ?? null,
    senderAuthenticated: authenticated,
    ...(policy.ccParticipants !== 'authenticated' ? { ccParticipants: policy.ccParticipants } : {}),
    ...(alert ? { alertKey: alert.alertKey } : {}),
    ...(followUpOf ? { followUpOf: followUpOf.incidentNumber } : {}),
    ...(customer ? { forwardedBy: customer.agent } : {}),
  };
  // The key's workflow decides, in the alerts' own time order, what the alert opens, reopens or resolves;
  // it gets the incident this alert would open, routed and prioritised here.
  if (alert && byKey) {
    if (!facts.alertHandedOver) {
      const { id, bucket, parsedKey, from, state, recovery } = alertEvent(alert.recovery);
      return { step: 'signal-alert-key', input: { alertKey: alert.alertKey, event: { id, at: alert.at ?? null, bucket, parsedKey, from, state, recovery, incident: incidentInput } } };
    }
    return finish('alert-forwarded', `${alert.recovery ? 'recovery' : 'problem'} handed to the workflow of ${alert.alertKey}`, judged);
  }
  if (!facts.incident) return { step: 'create-incident', input: incidentInput };
  const incident = facts.incident;
  const made = { ...judged, incidentNumber: incident.number };
  if (incident.joinedAlert) {
    // Another alert for the same host/service opened the incident a moment ago: join it.
    if (!facts.signalled) return { step: 'signal-thread', input: { incidentNumber: incident.number, event: alertEvent(false) } };
    return finish('threaded-as-reply', `alert added to ${incident.number} (${alert?.alertKey})`, made);
  }

  // A monitoring system gets no auto-response; neither does bulk mail: answering machines starts loops.
  if (alert) return finish('incident-created', `monitoring alert ${alert.alertKey}: no confirmation`, made);
  if (email.kind !== 'human') return finish('incident-created', noting(`${email.kind} mail: no confirmation sent`), made);
  if (invalidSender) return finish('incident-created', noting(`no confirmation: ${invalidSender}`), made);
  // Answering a forged From would let anyone make us mail anyone (backscatter, phishing in our name).
  const answer = authenticated ? 'full' : (facts.unauthenticatedConfirmation ?? 'none');
  if (answer === 'none') return finish('incident-created', noting(`no confirmation: sender not authenticated (${trust.reason})`), made);
  // The agent decides whether the customer hears from us: by default not.
  if (customer && !customer.notify) return finish('incident-created', noting('no confirmation: the agent did not ask for one (#notify)'), made);

  if (!facts.confirmation) {
    const answered = customer
      ? { shortDescription: customer.forward.shortDescription, from: customer.customer, messageId: customer.forward.messageId, references: [] }
      : email;
    return { step: 'send-confirmation', input: confirmationRequest(notice.sesMessageId, incident, answered, routing, { minimal: answer === 'minimal' }) };
  }
  if (!facts.confirmation.sent) {
    const unsent = `no confirmation: ${facts.confirmation.reason}`;
    return finish('incident-created', followUpOf || forwardNote ? noting(unsent) : unsent, made);
  }
  return finish('confirmed', noting() || null, made);
}

/** While quarantined: the wait, then the discard or expiry that ends the email; null once released. */
function afterQuarantine(facts: InboundFacts, reason: string, judged: Pick<EmailOutcome, 'verdicts' | 'spamScore' | 'sender'>, virus: boolean): InboundStep | null {
  const { sesMessageId } = facts.notice;
  const outcome = (stage: EmailOutcome['stage'], why: string): EmailOutcome => ({ sesMessageId, stage, reason: why, incidentNumber: null, ...judged });
  const decided = facts.quarantine;
  if (!decided) return { step: 'quarantine', outcome: outcome('quarantined', reason), virus };
  switch (decided.decision) {
    case 'release':
      return null;
    case 'held':
      return { step: 'finish', outcome: outcome('quarantined', reason) };
    case 'discard':
      return { step: 'finish', outcome: outcome('discarded', decided.reason) };
    case 'expired':
      return { step: 'finish', outcome: outcome('discarded', 'quarantine retention expired') };
  }
}

interface FoundThread {
  match: ThreadMatch;
  candidates: ThreadCandidates;
}

/** The thread the email names, 'lookup' while its clues are not looked up yet, or null (a forward names none). */
function threadOf(facts: InboundFacts, email: EmailSummary): FoundThread | 'lookup' | null {
  const c = email.clues;
  // A summary from a parse activity older than threading carries no clues.
  if (!c) return null;
  const hasClues = c.messageIds.length + c.sesIds.length + c.watermarkNumbers.length + (c.externalNumbers?.length ?? 0) > 0 || c.subjectNumber !== null;
  if (!hasClues) return null;
  if (!facts.thread) return 'lookup';
  const match = decideThread(c, facts.thread.found);
  return match ? { match, candidates: facts.thread } : null;
}

/**
 * The other helpdesks' numbers a reply has its incident record: only from an authenticated sender (like
 * the people it copies in, an unverified reply names nothing), and only when our own clues matched: a
 * number that matched is recorded already, and one more carried beside it proves nothing of this thread.
 */
function externalNumbersToRecord(email: EmailSummary, match: ThreadMatch, authenticated: boolean): Pick<CustomerReply | ThreadNote, 'externalNumbers'> {
  const numbers = email.clues.externalNumbers ?? [];
  return authenticated && match.via !== 'external' && numbers.length ? { externalNumbers: numbers } : {};
}

/**
 * An automated reply naming a Message-ID that we generated (unguessable) may be noted without a
 * permission check; one naming the customer's own Message-ID may not: anyone who saw it can quote it.
 * A lookup recorded before it told ours from theirs (version inbound-email-2) trusted any reference.
 */
function namesOurMessage(thread: FoundThread): boolean {
  if (thread.match.via !== 'references') return false;
  const ours = thread.candidates.found.byOurMessageId;
  return ours === undefined || ours === thread.match.incidentNumber;
}

interface Speaker {
  sender: string | null;
  verdicts: SesVerdicts;
  trust: SenderAuthentication;
  invalidSender: string | null;
}

function permission(thread: FoundThread, { sender, verdicts, trust, invalidSender }: Speaker): ThreadPermission {
  if (invalidSender || !sender) return { allowed: false, reason: invalidSender ?? trust.reason };
  const people = thread.candidates.people[thread.match.incidentNumber];
  if (!people) return { allowed: false, reason: 'the incident is not known' };
  return maySpeakOnThread({
    sender,
    verdicts,
    authenticated: trust.authenticated,
    reporterEmail: people.reporterEmail,
    senderAddressOfIncident: people.senderAddress,
    participants: people.participants,
    agents: thread.candidates.agents,
  });
}
