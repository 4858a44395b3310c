// The decision order of an inbound email: every branch, the steps it takes and the reason it records.
import { decideNextStep, InboundFacts, InboundStep, UnauthenticatedConfirmation, AlertHandling } from '../../src/domain/inbound-decision';
import { InboundStepPerformer, runInboundEmail } from '../../src/domain/inbound-run';
import type { CreatedIncident, OutboundResult, QuarantineDecision, ThreadCandidates, ThreadPeople } from '../../src/domain/inbound-steps';
import { PermanentFault } from '../../src/domain/permanent-faults';
import type { SenderPolicy } from '../../src/domain/sender-policy';
import { emailSummary } from '../workflow/fake-activities';
import type { EmailSummary, ForwardSummary, InboundEmailNotice, Reporter, Routing, SesVerdicts, SpamDecision } from '../../src/domain/types';

const PASS: SesVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const notice = (verdicts: SesVerdicts | null = PASS): InboundEmailNotice => ({ sesMessageId: 'ses-1', bucket: 'inbox', key: 'inbound/ses-1', ...(verdicts ? { verdicts } : {}) });

// The fake parse of the workflow tests, with a Cc and References to see them carried over.
const email = (overrides: Partial<EmailSummary> = {}): EmailSummary =>
  emailSummary({ cc: [{ address: 'boss@customer.example', name: '' }], references: ['<r1@x>'], parsedKey: 'parsed/ses-1/email.json', ...overrides });

const replyClues = { messageIds: ['m0@customer.example'], sesIds: [], watermarkNumbers: [], subjectNumber: null, reply: true, forward: false };
const people = (p: Partial<ThreadPeople> = {}): ThreadPeople => ({ incidentNumber: 'INC0010007', state: 'new', senderAddress: 'anna@customer.example', reporterEmail: null, participants: [], ...p });
const threadNamed = (via: 'byMessageId' | 'bySubject' | 'byExternalNumber', p: Partial<ThreadPeople> = {}): ThreadCandidates => ({
  found: { byMessageId: null, byWatermark: null, bySubject: null, [via]: 'INC0010007' },
  people: { INC0010007: people(p) },
  agents: [],
});
const routing = (r: Partial<Routing> = {}): Routing => ({ ruleId: null, ruleIds: [], assignmentGroup: null, category: null, priority: 4, escalationAddress: null, ignore: false, ignoredBy: null, ...r });
const incident = (i: Partial<CreatedIncident> = {}): CreatedIncident => ({ number: 'INC0010001', slaDueAt: '2030-01-01T00:00:00.000Z', created: true, ...i });
const AUTHENTICATED = { authenticated: true, reason: 'DMARC pass' };
const accept: SpamDecision = { action: 'accept', score: 0, reasons: [], allowlisted: false };

interface Script {
  notice?: InboundEmailNotice;
  email?: Partial<EmailSummary>;
  parseFault?: { type: string; message: string };
  spam?: SpamDecision;
  quarantine?: QuarantineDecision;
  thread?: ThreadCandidates;
  alertIncident?: string | null;
  reporter?: Reporter | null;
  routing?: Partial<Routing>;
  incident?: Partial<CreatedIncident>;
  confirmation?: OutboundResult;
  refusal?: OutboundResult;
  unauthenticatedConfirmation?: UnauthenticatedConfirmation;
  senderPolicy?: Partial<SenderPolicy>;
  rejection?: OutboundResult;
  alertHandling?: AlertHandling;
  /** The directory's agents (what check-agent answers true for). */
  agents?: string[];
}

/** Runs the whole order with scripted step results; returns the steps taken (with their inputs) and the outcome. */
async function decide(script: Script = {}) {
  const steps: InboundStep[] = [];
  const seen = <T>(s: InboundStep, result: T) => {
    steps.push(s);
    return Promise.resolve(result);
  };
  const perform: InboundStepPerformer = {
    parse: (s) => seen(s, script.parseFault ? { fault: script.parseFault } : { email: email(script.email) }),
    'check-spam': (s) => seen(s, script.spam ?? accept),
    quarantine: (s) => seen(s, script.quarantine ?? { decision: 'release' }),
    'find-thread': (s) => seen(s, script.thread ?? { found: { byMessageId: null, byWatermark: null, bySubject: null }, people: {}, agents: [] }),
    'find-alert-incident': (s) => seen(s, script.alertIncident ?? null),
    'check-agent': (s) => seen(s, (script.agents ?? []).includes(s.input.address)),
    'signal-thread': (s) => seen(s, undefined),
    'signal-alert-key': (s) => seen(s, undefined),
    'lookup-reporter': (s) => seen(s, script.reporter ?? null),
    route: (s) => seen(s, routing(script.routing)),
    'create-incident': (s) => seen(s, incident(script.incident)),
    'send-confirmation': (s) => seen(s, script.confirmation ?? { sent: true, messageId: '<c@ours>', sesMessageId: 'x', alreadySent: false }),
    'send-follow-up-refusal': (s) => seen(s, script.refusal ?? { sent: true, messageId: '<f@ours>', sesMessageId: 'y', alreadySent: false }),
    'send-rejection': (s) => seen(s, script.rejection ?? { sent: true, messageId: '<r@ours>', sesMessageId: 'y', alreadySent: false }),
  };
  const start = { notice: script.notice ?? notice(), unauthenticatedConfirmation: script.unauthenticatedConfirmation, alertHandling: script.alertHandling, senderPolicy: script.senderPolicy };
  const outcome = await runInboundEmail(start, perform);
  const of = <K extends InboundStep['step']>(name: K) => steps.find((s) => s.step === name) as Extract<InboundStep, { step: K }> | undefined;
  return { outcome, names: steps.map((s) => s.step), of };
}

describe('a new email', () => {
  test('is parsed, checked, looked up, routed, made an incident and confirmed, in that order', async () => {
    const { outcome, names, of } = await decide({ reporter: { email: 'anna@customer.example', name: 'Anna', verified: true }, routing: { assignmentGroup: 'Network', priority: 2 } });
    expect(names).toEqual(['parse', 'check-spam', 'lookup-reporter', 'route', 'create-incident', 'send-confirmation']);
    expect(outcome).toEqual({ sesMessageId: 'ses-1', stage: 'confirmed', reason: null, incidentNumber: 'INC0010001', verdicts: PASS, spamScore: 0, sender: AUTHENTICATED });
    expect(of('check-spam')!.input).toEqual({ sender: 'anna@customer.example', verdicts: PASS, authenticated: true });
    expect(of('lookup-reporter')!.input).toEqual({ address: 'anna@customer.example', name: 'Anna', verified: true });
    expect(of('route')!.input).toEqual({ sender: 'anna@customer.example', senderAuthenticated: true, subject: 'Printer broken', bucket: 'inbox', parsedKey: 'parsed/ses-1/email.json' });
    expect(of('create-incident')!.input).toEqual({
      sesMessageId: 'ses-1',
      bucket: 'inbox',
      parsedKey: 'parsed/ses-1/email.json',
      routing: routing({ assignmentGroup: 'Network', priority: 2 }),
      reporter: { email: 'anna@customer.example', name: 'Anna', verified: true },
      senderAuthenticated: true,
    });
    expect(of('send-confirmation')!.input).toEqual({
      sesMessageId: 'ses-1',
      incidentNumber: 'INC0010001',
      shortDescription: 'Printer broken',
      priority: 2,
      to: { address: 'anna@customer.example', name: 'Anna' },
      inReplyTo: '<m1@customer.example>',
      references: ['<r1@x>'],
    });
  });

  test('an unauthenticated sender is looked up as unverified (never matched to a user)', async () => {
    const { of } = await decide({ notice: notice({ ...PASS, dmarc: 'GRAY' }) });
    expect(of('lookup-reporter')!.input.verified).toBe(false);
  });

  test('verdicts come from the stored headers when the notice has none (S3 event notifications)', async () => {
    const { of, outcome } = await decide({ notice: notice(null), email: { headerVerdicts: { spam: 'PASS', virus: 'PASS', spf: 'FAIL', dkim: 'PASS', dmarc: 'PASS' } } });
    expect(of('check-spam')!.input.verdicts).toEqual({ ...PASS, spf: 'FAIL' });
    expect(outcome.verdicts).toEqual({ ...PASS, spf: 'FAIL' });
  });

  test('bulk mail makes an incident without a confirmation', async () => {
    const { outcome, names } = await decide({ email: { kind: 'bulk' } });
    expect(names).not.toContain('send-confirmation');
    expect(outcome).toMatchObject({ stage: 'incident-created', reason: 'bulk mail: no confirmation sent', incidentNumber: 'INC0010001' });
  });

  test('SES refusing the recipient ends with the incident and the reason', async () => {
    const { outcome } = await decide({ confirmation: { sent: false, reason: 'Email address is not verified' } });
    expect(outcome).toMatchObject({ stage: 'incident-created', reason: 'no confirmation: Email address is not verified', incidentNumber: 'INC0010001' });
  });

  test('a routing rule that ignores the email makes no incident', async () => {
    const { outcome, names } = await decide({ routing: { ignore: true, ruleId: 'first', ignoredBy: 'newsletters' } });
    expect(names).not.toContain('create-incident');
    expect(outcome).toMatchObject({ stage: 'ignored', reason: 'ignored by routing rule newsletters', incidentNumber: null });
  });

  test('an email without a sender address is ignored before any lookup', async () => {
    const { outcome, names } = await decide({ email: { from: null } });
    expect(names).toEqual(['parse', 'check-spam']);
    expect(outcome).toMatchObject({ stage: 'ignored', reason: 'no sender address', verdicts: PASS, spamScore: 0 });
  });
});

describe('a parse that cannot succeed', () => {
  test('a raw email missing from S3 fails with the reason', async () => {
    const { outcome, names } = await decide({ parseFault: { type: PermanentFault.RawEmailMissing, message: 'No raw email at s3://inbox/k' } });
    expect(names).toEqual(['parse']);
    expect(outcome).toEqual({ sesMessageId: 'ses-1', stage: 'failed', reason: 'No raw email at s3://inbox/k', incidentNumber: null });
  });

  test('unparseable mail is quarantined; a release cannot make it parseable and fails it', async () => {
    const { outcome, of } = await decide({ parseFault: { type: PermanentFault.UnparseableEmail, message: 'bad MIME' } });
    expect(of('quarantine')).toEqual({ step: 'quarantine', virus: false, outcome: { sesMessageId: 'ses-1', stage: 'quarantined', reason: 'UnparseableEmail: bad MIME', incidentNumber: null } });
    expect(outcome).toMatchObject({ stage: 'failed', reason: 'UnparseableEmail: bad MIME' });
  });

  test('an oversized email held in quarantine (the direct pipeline) stays quarantined', async () => {
    const { outcome } = await decide({ parseFault: { type: PermanentFault.EmailTooLarge, message: 'Raw email is 9 bytes' }, quarantine: { decision: 'held' } });
    expect(outcome).toMatchObject({ stage: 'quarantined', reason: 'EmailTooLarge: Raw email is 9 bytes' });
  });
});

describe('spam', () => {
  const spam: SpamDecision = { action: 'quarantine', score: 10, reasons: ['spam verdict FAIL'], allowlisted: false };
  const spammy = notice({ ...PASS, spam: 'FAIL' });

  test('is quarantined with its verdicts and score; released, it takes the normal path', async () => {
    const { outcome, names, of } = await decide({ notice: spammy, spam });
    expect(of('quarantine')!.outcome).toEqual({ sesMessageId: 'ses-1', stage: 'quarantined', reason: 'spam verdict FAIL', incidentNumber: null, verdicts: { ...PASS, spam: 'FAIL' }, spamScore: 10, sender: AUTHENTICATED });
    expect(names).toEqual(['parse', 'check-spam', 'quarantine', 'lookup-reporter', 'route', 'create-incident', 'send-confirmation']);
    expect(outcome).toMatchObject({ stage: 'confirmed', spamScore: 10 });
  });

  test('a virus needs the override to be released', async () => {
    const { of } = await decide({ notice: notice({ ...PASS, virus: 'FAIL' }), spam: { ...spam, reasons: ['virus verdict FAIL'] } });
    expect(of('quarantine')!.virus).toBe(true);
  });

  test('discarded by an admin, with the admin\'s reason', async () => {
    const { outcome, names } = await decide({ notice: spammy, spam, quarantine: { decision: 'discard', reason: 'phishing' } });
    expect(names).toEqual(['parse', 'check-spam', 'quarantine']);
    expect(outcome).toMatchObject({ stage: 'discarded', reason: 'phishing' });
  });

  test('discarded when the retention ends without a decision', async () => {
    const { outcome } = await decide({ notice: spammy, spam, quarantine: { decision: 'expired' } });
    expect(outcome).toMatchObject({ stage: 'discarded', reason: 'quarantine retention expired' });
  });

  test('held (the direct pipeline): ends quarantined', async () => {
    const { outcome } = await decide({ notice: spammy, spam, quarantine: { decision: 'held' } });
    expect(outcome).toMatchObject({ stage: 'quarantined', reason: 'spam verdict FAIL', spamScore: 10 });
  });
});

describe('automated mail', () => {
  test('a bounce naming no thread is ignored without a lookup', async () => {
    const { outcome, names } = await decide({ email: { kind: 'bounce' } });
    expect(names).toEqual(['parse', 'check-spam']);
    expect(outcome).toMatchObject({ stage: 'ignored', reason: 'bounce: no incident for automated mail' });
  });

  test('an auto-reply naming our message is noted on its thread, whoever sent it', async () => {
    const ours = threadNamed('byMessageId');
    ours.found.byOurMessageId = 'INC0010007';
    const { outcome, of } = await decide({ email: { kind: 'auto-reply', clues: replyClues, from: { address: 'robot@elsewhere.example', name: '' } }, thread: ours });
    expect(of('signal-thread')!.input).toEqual({
      incidentNumber: 'INC0010007',
      event: { type: 'note', id: 'ses-1', kind: 'auto-reply', from: 'robot@elsewhere.example', subject: '', reason: 'auto-reply: no incident for automated mail' },
    });
    expect(outcome).toMatchObject({ stage: 'ignored', reason: 'auto-reply: no incident for automated mail; noted on INC0010007', incidentNumber: 'INC0010007' });
  });

  test("a bounce naming our message carries its delivery report on the note (the thread ties it to that message's recipient)", async () => {
    const ours = threadNamed('byMessageId');
    ours.found.byOurMessageId = 'INC0010007';
    const recipients = [{ address: 'anna@customer.example', action: 'failed' as const, status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 user unknown' }];
    const clues = { ...replyClues, messageIds: ['our-1@tickets.example'], sesIds: ['0100abc'] };
    const { of, names } = await decide({ email: { kind: 'bounce', clues, from: { address: 'mailer-daemon@mx.customer.example', name: '' }, deliveryReport: { originalMessageId: 'our-1@tickets.example', recipients } }, thread: ours });
    expect(names).toEqual(['parse', 'check-spam', 'find-thread', 'signal-thread']);
    expect(of('signal-thread')!.input).toMatchObject({ event: { type: 'note', kind: 'bounce', delivery: { messageIds: ['our-1@tickets.example'], sesIds: ['0100abc'], recipients } } });
    // A report that names no recipient adds nothing to the note.
    const bare = await decide({ email: { kind: 'bounce', clues, deliveryReport: { originalMessageId: 'our-1@tickets.example', recipients: [] } }, thread: ours });
    expect(bare.of('signal-thread')!.input).not.toHaveProperty('event.delivery');
  });

  test("an auto-reply from a stranger naming the customer's Message-ID (not one of ours) is not noted", async () => {
    const theirs = threadNamed('byMessageId');
    theirs.found.byOurMessageId = null;
    const { outcome, names } = await decide({ email: { kind: 'auto-reply', clues: replyClues, from: { address: 'robot@elsewhere.example', name: '' } }, thread: theirs });
    expect(names).not.toContain('signal-thread');
    expect(outcome).toMatchObject({ stage: 'ignored', reason: 'auto-reply: no incident for automated mail' });
  });

  test('a lookup recorded by version 2 (which did not tell ours from theirs) trusted any reference, and replays so', async () => {
    const { names } = await decide({ email: { kind: 'auto-reply', clues: replyClues, from: { address: 'robot@elsewhere.example', name: '' } }, thread: threadNamed('byMessageId') });
    expect(names).toContain('signal-thread');
  });

  test('an auto-reply from a stranger naming an incident by its subject only is not noted', async () => {
    const { outcome, names } = await decide({ email: { kind: 'auto-reply', clues: { ...replyClues, messageIds: [], subjectNumber: 'INC0010007' }, from: { address: 'robot@elsewhere.example', name: '' } }, thread: threadNamed('bySubject') });
    expect(names).not.toContain('signal-thread');
    expect(outcome).toMatchObject({ stage: 'ignored', reason: 'auto-reply: no incident for automated mail' });
  });
});

describe('replies', () => {
  test('the original sender\'s reply joins the thread with its Message-ID and Cc', async () => {
    const { outcome, names, of } = await decide({ email: { clues: replyClues }, thread: threadNamed('byMessageId') });
    expect(names).toEqual(['parse', 'check-spam', 'find-thread', 'signal-thread']);
    expect(of('find-thread')!.input).toEqual({ clues: replyClues });
    expect(of('signal-thread')!.input).toEqual({
      incidentNumber: 'INC0010007',
      event: { type: 'customer-reply', id: 'ses-1', bucket: 'inbox', key: 'inbound/ses-1', from: { address: 'anna@customer.example', name: 'Anna' }, messageId: 'm1@customer.example', cc: ['boss@customer.example'], via: 'references', verified: true },
    });
    expect(outcome).toMatchObject({ stage: 'threaded-as-reply', reason: 'reply to INC0010007 (matched by references)', incidentNumber: 'INC0010007' });
  });

  test('whom an unauthenticated sender copies in does not join', async () => {
    const { of } = await decide({ notice: notice({ ...PASS, dmarc: 'GRAY' }), email: { clues: replyClues }, thread: threadNamed('byMessageId') });
    expect(of('signal-thread')!.input.event).toMatchObject({ type: 'customer-reply', cc: [] });
  });

  test("an unauthenticated reply in the reporter's name joins as unverified: it moves no state and names no one", async () => {
    const { outcome, of } = await decide({ notice: notice({ ...PASS, dmarc: 'GRAY' }), email: { clues: replyClues }, thread: threadNamed('byMessageId') });
    expect(of('signal-thread')!.input.event).toMatchObject({ type: 'customer-reply', verified: false, cc: [] });
    expect(outcome).toMatchObject({
      stage: 'threaded-as-reply',
      reason: 'reply to INC0010007 (matched by references, unverified: no DMARC policy, and no SPF or DKIM pass aligned with customer.example)',
    });
  });

  test('a stranger\'s reply becomes an incident of its own, confirmed, with the refusal as reason', async () => {
    const { outcome, names } = await decide({ email: { clues: replyClues, from: { address: 'mallory@evil.example', name: '' } }, thread: threadNamed('byMessageId') });
    expect(names).toEqual(['parse', 'check-spam', 'find-thread', 'lookup-reporter', 'route', 'create-incident', 'send-confirmation']);
    expect(outcome).toMatchObject({ stage: 'confirmed', reason: 'not added to INC0010007: sender is not the reporter, a participant or an agent', incidentNumber: 'INC0010001' });
  });

  test('a refused bulk reply records both reasons', async () => {
    const { outcome } = await decide({ email: { kind: 'bulk', clues: replyClues, from: { address: 'list@evil.example', name: '' } }, thread: threadNamed('byMessageId') });
    expect(outcome.reason).toBe('not added to INC0010007: sender is not the reporter, a participant or an agent; bulk mail: no confirmation sent');
  });

  test('clues that name no incident make a new incident', async () => {
    const { outcome, names } = await decide({ email: { clues: replyClues } });
    expect(names).toContain('find-thread');
    expect(outcome).toMatchObject({ stage: 'confirmed', reason: null });
  });

  test('a forward names no thread, even when its clues match', async () => {
    const { outcome } = await decide({ email: { clues: { ...replyClues, forward: true } }, thread: threadNamed('byMessageId') });
    expect(outcome).toMatchObject({ stage: 'confirmed', incidentNumber: 'INC0010001' });
  });
});

describe("replies carrying another helpdesk's number", () => {
  const vendor = [{ system: 'vendor', number: '123456' }];
  const withOurNumber = { ...replyClues, messageIds: [], subjectNumber: 'INC0010007', externalNumbers: vendor };
  const onlyTheirs = { ...replyClues, messageIds: [], externalNumbers: vendor };

  test('an authenticated reply matched by our number has the incident record theirs', async () => {
    const { outcome, of } = await decide({ email: { clues: withOurNumber }, thread: threadNamed('bySubject') });
    expect(of('signal-thread')!.input.event).toMatchObject({ type: 'customer-reply', via: 'subject', verified: true, externalNumbers: vendor });
    expect(outcome).toMatchObject({ stage: 'threaded-as-reply', reason: 'reply to INC0010007 (matched by subject)' });
  });

  test('an unverified reply records nothing, like the people it copies in', async () => {
    const { of } = await decide({ notice: notice({ ...PASS, dmarc: 'GRAY' }), email: { clues: withOurNumber }, thread: threadNamed('bySubject') });
    expect(of('signal-thread')!.input.event).toMatchObject({ type: 'customer-reply', verified: false });
    expect(of('signal-thread')!.input.event).not.toHaveProperty('externalNumbers');
  });

  test('their number alone is a clue to look up, and joins the incident that recorded it, for someone who may speak there', async () => {
    const { outcome, names, of } = await decide({ email: { clues: onlyTheirs }, thread: threadNamed('byExternalNumber') });
    expect(names).toEqual(['parse', 'check-spam', 'find-thread', 'signal-thread']);
    expect(of('find-thread')!.input).toEqual({ clues: onlyTheirs });
    expect(of('signal-thread')!.input.event).toMatchObject({ type: 'customer-reply', via: 'external' });
    // Matched by theirs: nothing more to record.
    expect(of('signal-thread')!.input.event).not.toHaveProperty('externalNumbers');
    expect(outcome).toMatchObject({ stage: 'threaded-as-reply', reason: 'reply to INC0010007 (matched by external)', incidentNumber: 'INC0010007' });
  });

  test('a stranger who knows the vendor\'s number gets an incident of their own', async () => {
    const { outcome, names } = await decide({ email: { clues: onlyTheirs, from: { address: 'mallory@evil.example', name: '' } }, thread: threadNamed('byExternalNumber') });
    expect(names).not.toContain('signal-thread');
    expect(outcome).toMatchObject({ stage: 'confirmed', reason: 'not added to INC0010007: sender is not the reporter, a participant or an agent', incidentNumber: 'INC0010001' });
  });

  test("the vendor's authenticated auto-acknowledgement of our mail is noted and records its number; a bounce records none", async () => {
    const vendorMail = { clues: { ...replyClues, externalNumbers: vendor }, from: { address: 'cases@vendor.example', name: '' } };
    // It names a Message-ID we generated: noted without a permission check.
    const ours = { ...threadNamed('byMessageId'), found: { byMessageId: 'INC0010007', byOurMessageId: 'INC0010007', byWatermark: null, bySubject: null } };
    const ack = await decide({ email: { ...vendorMail, kind: 'auto-reply' }, thread: ours });
    expect(ack.of('signal-thread')!.input.event).toMatchObject({ type: 'note', kind: 'auto-reply', externalNumbers: vendor });
    const bounce = await decide({ email: { ...vendorMail, kind: 'bounce' }, thread: ours });
    expect(bounce.of('signal-thread')!.input.event).toMatchObject({ type: 'note', kind: 'bounce' });
    expect(bounce.of('signal-thread')!.input.event).not.toHaveProperty('externalNumbers');
    const unverified = await decide({ notice: notice({ ...PASS, dmarc: 'GRAY' }), email: { ...vendorMail, kind: 'auto-reply' }, thread: ours });
    expect(unverified.of('signal-thread')!.input.event).not.toHaveProperty('externalNumbers');
  });

  test('a stranger who adds the vendor\'s number to a reply on their own thread does not record it', async () => {
    // Refused on the thread our clue named: no signal, so nothing is recorded anywhere.
    const { names } = await decide({ email: { clues: withOurNumber, from: { address: 'mallory@evil.example', name: '' } }, thread: threadNamed('bySubject') });
    expect(names).not.toContain('signal-thread');
  });
});

describe('a reply to a closed incident (follow-up policy)', () => {
  const CLOSED_AT = '2026-11-01T12:00:00.000Z';
  const arriving = (days: number): InboundEmailNotice => ({ ...notice(), receivedAt: new Date(Date.parse(CLOSED_AT) + days * 86_400_000).toISOString() });
  const closedThread = (policy: 'reject' | 'new-incident', reopenDays = 14): ThreadCandidates => ({
    ...threadNamed('byMessageId', { state: 'closed' }),
    closed: { INC0010007: { closedAt: CLOSED_AT, followUp: { policy, reopenDays } } },
    lookedUpAt: '2027-06-01T00:00:00.000Z',
  });
  const REASON = 'INC0010007 is closed (closed 2026-11-01 more than 14 days ago); follow-up policy';

  test('within the window a reply reopens it: exactly the steps and event of any reply', async () => {
    const within = await decide({ notice: arriving(13), email: { clues: replyClues }, thread: closedThread('reject') });
    const open = await decide({ notice: arriving(13), email: { clues: replyClues }, thread: threadNamed('byMessageId') });
    expect(within.names).toEqual(open.names);
    expect(within.of('signal-thread')).toEqual(open.of('signal-thread'));
    expect(within.outcome).toEqual(open.outcome);
  });

  test("a reply kept off the closed incident has it record no other helpdesk's number", async () => {
    const clues = { ...replyClues, externalNumbers: [{ system: 'vendor', number: '123456' }] };
    const kept = await decide({ notice: arriving(15), email: { clues }, thread: closedThread('reject') });
    expect(kept.of('signal-thread')!.input.event).toHaveProperty('notReopened');
    expect(kept.of('signal-thread')!.input.event).not.toHaveProperty('externalNumbers');
    const reopened = await decide({ notice: arriving(13), email: { clues }, thread: closedThread('reject') });
    expect(reopened.of('signal-thread')!.input.event).toMatchObject({ externalNumbers: clues.externalNumbers });
  });

  test('reject: the reply is kept as a note on the closed incident, and the authenticated sender is told once', async () => {
    const { outcome, names, of } = await decide({ notice: arriving(15), email: { clues: replyClues }, thread: closedThread('reject') });
    expect(names).toEqual(['parse', 'check-spam', 'find-thread', 'signal-thread', 'send-follow-up-refusal']);
    expect(of('signal-thread')!.input).toEqual({
      incidentNumber: 'INC0010007',
      event: expect.objectContaining({ type: 'customer-reply', id: 'ses-1', verified: true, notReopened: `${REASON} reject` }),
    });
    expect(of('send-follow-up-refusal')!.input).toEqual({
      sesMessageId: 'ses-1',
      incidentNumber: 'INC0010007',
      closedAt: CLOSED_AT,
      to: { address: 'anna@customer.example', name: 'Anna' },
      inReplyTo: '<m1@customer.example>',
      references: ['<r1@x>'],
    });
    expect(outcome).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: 'INC0010007', reason: `${REASON} reject: the reply is kept as a note; the sender was told to write a new email` });
  });

  test('reject, the refusal not sent (the auto-response limit): the reason says why', async () => {
    const { outcome } = await decide({ notice: arriving(15), email: { clues: replyClues }, thread: closedThread('reject'), refusal: { sent: false, reason: 'rate limited: 10 auto-responses to anna@customer.example in the window' } });
    expect(outcome.reason).toBe(`${REASON} reject: the reply is kept as a note; not told: rate limited: 10 auto-responses to anna@customer.example in the window`);
  });

  test('reject: an unauthenticated sender is mailed nothing; bulk mail is not answered', async () => {
    const unauthenticated = await decide({ notice: { ...arriving(15), verdicts: { ...PASS, dmarc: 'GRAY' } }, email: { clues: replyClues }, thread: closedThread('reject') });
    expect(unauthenticated.names).not.toContain('send-follow-up-refusal');
    expect(unauthenticated.of('signal-thread')!.input.event).toMatchObject({ verified: false, notReopened: `${REASON} reject` });
    expect(unauthenticated.outcome.reason).toMatch(/kept as a note; not told: sender not authenticated \(no DMARC policy/);
    const bulk = await decide({ notice: arriving(15), email: { clues: replyClues, kind: 'bulk' }, thread: closedThread('reject') });
    expect(bulk.names).not.toContain('send-follow-up-refusal');
    expect(bulk.outcome.reason).toBe(`${REASON} reject: the reply is kept as a note; not told: bulk mail`);
  });

  test('new-incident: a new incident from the reply, linked to the closed one, confirmed by the normal rules', async () => {
    const { outcome, names, of } = await decide({ notice: arriving(15), email: { clues: replyClues }, thread: closedThread('new-incident') });
    expect(names).toEqual(['parse', 'check-spam', 'find-thread', 'lookup-reporter', 'route', 'create-incident', 'send-confirmation']);
    expect(of('create-incident')!.input).toMatchObject({ followUpOf: 'INC0010007', senderAuthenticated: true });
    expect(of('send-confirmation')!.input).toMatchObject({ incidentNumber: 'INC0010001', to: { address: 'anna@customer.example', name: 'Anna' } });
    expect(outcome).toMatchObject({ stage: 'confirmed', incidentNumber: 'INC0010001', reason: `follow-up of ${REASON} new-incident` });
  });

  test('new-incident, unauthenticated sender: the linked incident is made, nothing is mailed', async () => {
    const { outcome, names, of } = await decide({ notice: { ...arriving(15), verdicts: { ...PASS, dmarc: 'GRAY' } }, email: { clues: replyClues }, thread: closedThread('new-incident') });
    expect(names).not.toContain('send-confirmation');
    expect(of('create-incident')!.input).toMatchObject({ followUpOf: 'INC0010007', senderAuthenticated: false });
    expect(outcome.reason).toMatch(/^follow-up of INC0010007 is closed .*; no confirmation: sender not authenticated/);
  });

  test('the time is the arrival SES stamped; without it, the lookup time', async () => {
    const thread = closedThread('reject', 400);
    expect((await decide({ notice: notice(), email: { clues: replyClues }, thread })).of('signal-thread')!.input.event).not.toHaveProperty('notReopened');
    expect((await decide({ notice: notice(), email: { clues: replyClues }, thread: { ...thread, lookedUpAt: '2029-01-01T00:00:00.000Z' } })).of('signal-thread')!.input.event).toHaveProperty('notReopened');
  });

  test('a stranger is refused as before: the policy speaks only for those who may speak on the thread', async () => {
    const { outcome, of } = await decide({ notice: arriving(15), email: { clues: replyClues, from: { address: 'mallory@evil.example', name: '' } }, thread: closedThread('new-incident') });
    expect(of('create-incident')!.input).not.toHaveProperty('followUpOf');
    expect(outcome.reason).toBe('not added to INC0010007: sender is not the reporter, a participant or an agent');
  });
});

describe('monitoring alerts handed to their key (version inbound-email-4)', () => {
  const alert = (recovery: boolean) => ({ ruleId: 'nagios', alertKey: 'web1/HTTP', state: recovery ? 'OK' : 'CRITICAL', recovery, priority: 2 as const, at: 1_700_000_000_000 });

  test('a problem is routed, then handed to its key with the incident it would open; the email makes none itself', async () => {
    const { outcome, names, of } = await decide({ email: { alert: alert(false) }, alertHandling: 'key-workflow', routing: { assignmentGroup: 'Ops', priority: 4 } });
    expect(names).toEqual(['parse', 'check-spam', 'lookup-reporter', 'route', 'signal-alert-key']);
    expect(of('signal-alert-key')!.input).toEqual({
      alertKey: 'web1/HTTP',
      event: {
        id: 'ses-1', at: 1_700_000_000_000, bucket: 'inbox', parsedKey: 'parsed/ses-1/email.json', from: 'anna@customer.example', state: 'CRITICAL', recovery: false,
        incident: { sesMessageId: 'ses-1', bucket: 'inbox', parsedKey: 'parsed/ses-1/email.json', routing: routing({ assignmentGroup: 'Ops', priority: 2 }), reporter: null, senderAuthenticated: true, alertKey: 'web1/HTTP' },
      },
    });
    expect(outcome).toMatchObject({ stage: 'alert-forwarded', reason: 'problem handed to the workflow of web1/HTTP', incidentNumber: null });
  });

  test('a recovery is handed over as well: whether it resolves anything is the key\'s to say', async () => {
    const { outcome, names } = await decide({ email: { alert: alert(true) }, alertHandling: 'key-workflow' });
    expect(names).not.toContain('find-alert-incident');
    expect(outcome).toMatchObject({ stage: 'alert-forwarded', reason: 'recovery handed to the workflow of web1/HTTP' });
  });

  test('an unauthenticated "alert" is still ordinary mail', async () => {
    const { names } = await decide({ notice: notice({ ...PASS, dkim: 'FAIL', spf: 'FAIL' }), email: { alert: alert(true) }, alertHandling: 'key-workflow' });
    expect(names).not.toContain('signal-alert-key');
    expect(names).toContain('create-incident');
  });
});

describe('monitoring alerts (version inbound-email-3: the email finds or opens its incident)', () => {
  const alert = (recovery: boolean, priority: 1 | 2 | null = 2) => ({ ruleId: 'nagios', alertKey: 'web1/HTTP', state: recovery ? 'OK' : 'CRITICAL', recovery, priority });

  test('a new problem opens an incident with the alert key and its priority, without a confirmation', async () => {
    const { outcome, names, of } = await decide({ email: { alert: alert(false) } });
    expect(of('find-alert-incident')!.input).toEqual({ alertKey: 'web1/HTTP' });
    expect(of('create-incident')!.input).toMatchObject({ alertKey: 'web1/HTTP', routing: { priority: 2 } });
    expect(names).not.toContain('send-confirmation');
    expect(outcome).toMatchObject({ stage: 'incident-created', reason: 'monitoring alert web1/HTTP: no confirmation', incidentNumber: 'INC0010001' });
  });

  test('a problem for a host/service with an open incident is added to it', async () => {
    const { outcome, of } = await decide({ email: { alert: alert(false) }, alertIncident: 'INC0010005' });
    expect(of('signal-thread')!.input).toEqual({
      incidentNumber: 'INC0010005',
      event: { type: 'alert', id: 'ses-1', bucket: 'inbox', parsedKey: 'parsed/ses-1/email.json', from: 'anna@customer.example', state: 'CRITICAL', recovery: false },
    });
    expect(outcome).toMatchObject({ stage: 'threaded-as-reply', reason: 'alert added to INC0010005 (web1/HTTP)', incidentNumber: 'INC0010005' });
  });

  test('a recovery resolves the open incident', async () => {
    const { outcome, of } = await decide({ email: { alert: alert(true) }, alertIncident: 'INC0010005' });
    expect(of('signal-thread')!.input.event).toMatchObject({ type: 'alert', recovery: true, state: 'OK' });
    expect(outcome).toMatchObject({ stage: 'threaded-as-reply', reason: 'recovery resolves INC0010005 (web1/HTTP)' });
  });

  test('a recovery with no open incident makes none', async () => {
    const { outcome, names } = await decide({ email: { alert: alert(true) } });
    expect(names).toEqual(['parse', 'check-spam', 'find-alert-incident']);
    expect(outcome).toMatchObject({ stage: 'ignored', reason: 'recovery of web1/HTTP with no open incident' });
  });

  test('an alert that lost the race to open the incident joins it', async () => {
    const { outcome, of } = await decide({ email: { alert: alert(false) }, incident: { number: 'INC0010009', joinedAlert: true } });
    expect(of('signal-thread')!.input).toMatchObject({ incidentNumber: 'INC0010009', event: { type: 'alert', recovery: false } });
    expect(outcome).toMatchObject({ stage: 'threaded-as-reply', reason: 'alert added to INC0010009 (web1/HTTP)', incidentNumber: 'INC0010009' });
  });

  test('an unauthenticated "alert" is ordinary mail: anyone can write RECOVERY', async () => {
    const { outcome, names } = await decide({ notice: notice({ ...PASS, dkim: 'FAIL', spf: 'FAIL' }), email: { alert: alert(true) } });
    expect(names).not.toContain('find-alert-incident');
    expect(outcome).toMatchObject({ stage: 'incident-created', incidentNumber: 'INC0010001' });
  });
});

describe('a From that is not exactly one valid mailbox', () => {
  const problem = 'the From header names 2 mailboxes, not one';

  test('makes an incident without a reporter lookup and without a confirmation, the reason recorded', async () => {
    const { outcome, names, of } = await decide({ email: { senderProblem: problem } });
    expect(names).toEqual(['parse', 'check-spam', 'route', 'create-incident']);
    expect(of('create-incident')!.input.reporter).toBeNull();
    expect(outcome).toMatchObject({ stage: 'incident-created', reason: `no confirmation: ${problem}`, incidentNumber: 'INC0010001' });
  });

  test('may not speak on a thread, even as its original sender', async () => {
    const { outcome, names } = await decide({ email: { senderProblem: problem, clues: replyClues }, thread: threadNamed('byMessageId') });
    expect(names).not.toContain('signal-thread');
    expect(outcome.reason).toBe(`not added to INC0010007: ${problem}; no confirmation: ${problem}`);
  });

  test('is not a monitoring system', async () => {
    const { names } = await decide({ email: { senderProblem: problem, alert: { ruleId: 'r', alertKey: 'web1/HTTP', state: 'OK', recovery: true, priority: null } } });
    expect(names).not.toContain('find-alert-incident');
  });

  test('spam is still quarantined first', async () => {
    const { names } = await decide({ email: { senderProblem: problem }, spam: { action: 'quarantine', score: 10, reasons: ['spam verdict FAIL'], allowlisted: false }, quarantine: { decision: 'held' } });
    expect(names).toEqual(['parse', 'check-spam', 'quarantine']);
  });
});

describe('edges', () => {
  test('no verdicts anywhere: each counts as PROCESSING_FAILED, never as a pass', async () => {
    const { of } = await decide({ notice: notice(null) });
    expect(of('check-spam')!.input.verdicts).toEqual({ spam: 'PROCESSING_FAILED', virus: 'PROCESSING_FAILED', spf: 'PROCESSING_FAILED', dkim: 'PROCESSING_FAILED', dmarc: 'PROCESSING_FAILED' });
    expect(of('lookup-reporter')!.input.verified).toBe(false);
  });

  test('a sender without a name is looked up with an empty one; a reply without a Message-ID is still appended', async () => {
    const { of } = await decide({ email: { from: { address: 'anna@customer.example', name: '' }, messageId: null, clues: replyClues }, thread: threadNamed('byMessageId') });
    expect(of('signal-thread')!.input.event).toMatchObject({ type: 'customer-reply', messageId: null });
    const fresh = await decide({ email: { from: { address: 'bob@customer.example', name: '' } } });
    expect(fresh.of('lookup-reporter')!.input.name).toBe('');
  });

  test('an ignore rule without ignoredBy names the first rule applied', async () => {
    const { outcome } = await decide({ routing: { ignore: true, ruleId: 'spam-words', ignoredBy: null } });
    expect(outcome.reason).toBe('ignored by routing rule spam-words');
  });

  test('an alert without a state adds itself with state null', async () => {
    const { of } = await decide({ email: { alert: { ruleId: 'r', alertKey: 'db1/disk', state: null, recovery: false, priority: null } }, alertIncident: 'INC0010005' });
    expect(of('signal-thread')!.input.event).toMatchObject({ type: 'alert', state: null });
  });

  test('a summary without clues (from a parse older than threading) names no thread', async () => {
    const { names } = await decide({ email: { clues: undefined as unknown as EmailSummary['clues'] } });
    expect(names).not.toContain('find-thread');
  });

  test('a thread whose people could not be read (the incident vanished) lets no one speak', async () => {
    const thread = { ...threadNamed('byMessageId'), people: {} };
    const { outcome } = await decide({ email: { clues: replyClues }, thread });
    expect(outcome).toMatchObject({ stage: 'confirmed', reason: 'not added to INC0010007: the incident is not known' });
  });

  test('a performer that never answers the question asked cannot make it spin', async () => {
    const perform = { 'check-spam': async () => undefined } as unknown as InboundStepPerformer;
    const facts = { parse: async () => ({ email: email() }) };
    await expect(runInboundEmail({ notice: notice() }, { ...perform, ...facts } as InboundStepPerformer)).rejects.toThrow('the decision order took more than 20 steps for ses-1');
  });
});

describe('the pure function', () => {
  test('names the same next step for the same facts, and asks for nothing it already knows', () => {
    const facts: InboundFacts = { notice: notice(), parse: { email: email() }, spam: accept, reporter: null };
    expect(decideNextStep(facts)).toEqual(decideNextStep({ ...facts }));
    expect(decideNextStep(facts).step).toBe('route');
  });
});

describe('sender authentication', () => {
  const GRAY = { ...PASS, dmarc: 'GRAY' as const };
  const FORGED = { ...PASS, spf: 'FAIL' as const, dkim: 'FAIL' as const, dmarc: 'FAIL' as const };

  test('no DMARC policy: an SPF pass for the envelope sender of the From domain authenticates (SES mail.source)', async () => {
    const { outcome, of } = await decide({ notice: { ...notice(GRAY), mailFrom: 'bounces@mail.customer.example' } });
    expect(of('lookup-reporter')!.input).toMatchObject({ verified: true });
    expect(outcome).toMatchObject({ stage: 'confirmed', sender: { authenticated: true, reason: 'SPF pass aligned with customer.example' } });
  });

  test('no DMARC policy: a DKIM pass by the From domain authenticates (from the stored Authentication-Results)', async () => {
    const { outcome } = await decide({ notice: notice(GRAY), email: { authenticatedDomains: { mailFrom: 'evil.example', dkim: ['customer.example'] } } });
    expect(outcome).toMatchObject({ stage: 'confirmed', sender: { authenticated: true, reason: 'DKIM pass aligned with customer.example' } });
  });

  test('no DMARC policy and passes for another domain only: an incident, but nothing mailed, matched or named', async () => {
    const { outcome, names, of } = await decide({
      notice: { ...notice(GRAY), mailFrom: 'mallory@evil.example' },
      email: { authenticatedDomains: { mailFrom: 'evil.example', dkim: ['evil.example'] } },
    });
    expect(names).toEqual(['parse', 'check-spam', 'lookup-reporter', 'route', 'create-incident']);
    expect(of('check-spam')!.input).toMatchObject({ authenticated: false });
    expect(of('lookup-reporter')!.input).toMatchObject({ verified: false });
    expect(of('create-incident')!.input).toMatchObject({ senderAuthenticated: false });
    expect(outcome).toMatchObject({
      stage: 'incident-created',
      reason: 'no confirmation: sender not authenticated (no DMARC policy, and no SPF or DKIM pass aligned with customer.example)',
      sender: { authenticated: false },
    });
  });

  test('DMARC fail: no confirmation by default', async () => {
    const { outcome, names } = await decide({ notice: notice(FORGED) });
    expect(names).not.toContain('send-confirmation');
    expect(outcome).toMatchObject({ stage: 'incident-created', reason: 'no confirmation: sender not authenticated (DMARC fail)' });
  });

  test('by setting, a minimal confirmation that repeats none of their text', async () => {
    const { outcome, of } = await decide({ notice: notice(FORGED), unauthenticatedConfirmation: 'minimal' });
    expect(of('send-confirmation')!.input).toMatchObject({ minimal: true, incidentNumber: 'INC0010001' });
    expect(outcome).toMatchObject({ stage: 'confirmed' });
  });

  test("runs of version 2 ('full') replay as they ran: the unauthenticated sender was confirmed in full", async () => {
    const { of } = await decide({ notice: notice(FORGED), unauthenticatedConfirmation: 'full' });
    expect(of('send-confirmation')!.input).not.toHaveProperty('minimal');
  });

  test('an authenticated sender is never sent the minimal one', async () => {
    const { of } = await decide({ unauthenticatedConfirmation: 'minimal' });
    expect(of('send-confirmation')!.input).not.toHaveProperty('minimal');
  });

  test('the outcome of a quarantined email records whether its sender was authenticated (release-and-allowlist reads it)', async () => {
    const { of } = await decide({ notice: notice({ ...FORGED, spam: 'FAIL' }), spam: { action: 'quarantine', score: 10, reasons: ['spam'], allowlisted: false }, quarantine: { decision: 'discard', reason: 'x' } });
    expect(of('quarantine')!.outcome).toMatchObject({ sender: { authenticated: false, reason: 'DMARC fail' } });
  });
});

describe('the sender policy', () => {
  const ANNA: Reporter = { email: 'anna@customer.example', name: 'Anna', verified: true };
  const FORGED = { ...PASS, dmarc: 'FAIL' } as const;
  const reject = { unknownSenders: 'reject', rejectionReason: 'registered customers only' } as const;

  test('unset, an unknown sender makes an incident as always, and its inputs carry no policy', async () => {
    const { outcome, names, of } = await decide({});
    expect(names).toEqual(['parse', 'check-spam', 'lookup-reporter', 'route', 'create-incident', 'send-confirmation']);
    expect(of('create-incident')!.input).not.toHaveProperty('ccParticipants');
    expect(outcome.stage).toBe('confirmed');
  });

  test('reject: an authenticated unknown sender gets no incident, a rejection naming the reason, and the reason recorded', async () => {
    const { outcome, names, of } = await decide({ senderPolicy: reject });
    expect(names).toEqual(['parse', 'check-spam', 'lookup-reporter', 'send-rejection']);
    expect(of('send-rejection')!.input).toEqual({
      sesMessageId: 'ses-1',
      to: { address: 'anna@customer.example', name: 'Anna' },
      shortDescription: 'Printer broken',
      reason: 'registered customers only',
      inReplyTo: '<m1@customer.example>',
      references: ['<r1@x>'],
    });
    expect(outcome).toEqual({
      sesMessageId: 'ses-1',
      stage: 'rejected',
      reason: 'unknown sender: registered customers only; rejection mailed',
      incidentNumber: null,
      verdicts: PASS,
      spamScore: 0,
      sender: AUTHENTICATED,
    });
  });

  test('reject: a known user is not rejected', async () => {
    const { outcome, names } = await decide({ senderPolicy: reject, reporter: ANNA });
    expect(names).not.toContain('send-rejection');
    expect(outcome.stage).toBe('confirmed');
  });

  test('reject: an unauthenticated sender (never a known user) is rejected and sent nothing', async () => {
    const { outcome, names } = await decide({ notice: notice(FORGED), senderPolicy: reject });
    expect(names).toEqual(['parse', 'check-spam', 'lookup-reporter']);
    expect(outcome).toMatchObject({ stage: 'rejected', reason: 'unknown sender: registered customers only; no rejection mailed: sender not authenticated (DMARC fail)', incidentNumber: null });
  });

  test('reject: a From that is not one mailbox is rejected without a lookup and sent nothing', async () => {
    const { outcome, names } = await decide({ email: { senderProblem: 'the From header names 2 mailboxes, not one' }, senderPolicy: reject });
    expect(names).toEqual(['parse', 'check-spam']);
    expect(outcome).toMatchObject({ stage: 'rejected', reason: 'unknown sender: registered customers only; no rejection mailed: sender not authenticated (the From header names 2 mailboxes, not one)' });
  });

  test('reject: bulk mail and monitoring alerts are never answered', async () => {
    const bulk = await decide({ email: { kind: 'bulk' }, senderPolicy: reject });
    expect(bulk.names).not.toContain('send-rejection');
    expect(bulk.outcome.reason).toBe('unknown sender: registered customers only; no rejection mailed: bulk mail');
    const alert = await decide({ email: { alert: { ruleId: 'nagios', alertKey: 'web1/HTTP', state: 'CRITICAL', recovery: false, priority: 2 } }, senderPolicy: reject });
    expect(alert.names).not.toContain('send-rejection');
    expect(alert.outcome).toMatchObject({ stage: 'rejected', reason: 'unknown sender: registered customers only; no rejection mailed: a monitoring alert' });
  });

  test('reject: a rejection SES refuses (or the auto-response limit stops) is recorded, not retried', async () => {
    const { outcome } = await decide({ senderPolicy: reject, rejection: { sent: false, reason: 'rate limited: 10 auto-responses to anna@customer.example in the window' } });
    expect(outcome).toMatchObject({ stage: 'rejected', reason: 'unknown sender: registered customers only; no rejection mailed: rate limited: 10 auto-responses to anna@customer.example in the window' });
  });

  test("reject: a stranger's reply refused on a thread is rejected, with both reasons", async () => {
    const { outcome } = await decide({ email: { clues: replyClues }, thread: threadNamed('byMessageId', { senderAddress: 'someone@else.example' }), senderPolicy: reject });
    expect(outcome.stage).toBe('rejected');
    expect(outcome.reason).toMatch(/^not added to INC0010007: .+; unknown sender: registered customers only; rejection mailed$/);
  });

  test('reject: a reply from someone who may speak on the thread joins it, known user or not', async () => {
    const { outcome } = await decide({ email: { clues: replyClues }, thread: threadNamed('byMessageId'), senderPolicy: reject });
    expect(outcome.stage).toBe('threaded-as-reply');
  });

  test('reject: a follow-up of a closed incident (follow-up policy new-incident) is no stranger: its linked incident is made', async () => {
    const closedAt = '2026-11-01T12:00:00.000Z';
    const thread: ThreadCandidates = {
      ...threadNamed('byMessageId', { state: 'closed' }),
      closed: { INC0010007: { closedAt, followUp: { policy: 'new-incident', reopenDays: 14 } } },
      lookedUpAt: '2027-06-01T00:00:00.000Z',
    };
    const { outcome, of } = await decide({ notice: { ...notice(), receivedAt: '2026-12-01T12:00:00.000Z' }, email: { clues: replyClues }, thread, senderPolicy: reject });
    expect(of('create-incident')!.input.followUpOf).toBe('INC0010007');
    expect(outcome.stage).toBe('confirmed');
  });

  test('quarantine: an unknown sender waits with the reason "unknown sender"; released, it makes the incident', async () => {
    const { outcome, names, of } = await decide({ senderPolicy: { unknownSenders: 'quarantine' } });
    expect(names).toEqual(['parse', 'check-spam', 'lookup-reporter', 'quarantine', 'route', 'create-incident', 'send-confirmation']);
    expect(of('quarantine')).toMatchObject({ outcome: { stage: 'quarantined', reason: 'unknown sender', incidentNumber: null, sender: AUTHENTICATED }, virus: false });
    expect(outcome.stage).toBe('confirmed');
  });

  test('quarantine: discarded by an admin, no incident', async () => {
    const { outcome, names } = await decide({ senderPolicy: { unknownSenders: 'quarantine' }, quarantine: { decision: 'discard', reason: 'not a customer' } });
    expect(names).not.toContain('create-incident');
    expect(outcome).toMatchObject({ stage: 'discarded', reason: 'not a customer' });
  });

  test('quarantine: mail an admin already released from the spam quarantine is not held a second time', async () => {
    const { names } = await decide({ senderPolicy: { unknownSenders: 'quarantine' }, spam: { action: 'quarantine', score: 10, reasons: ['spam FAIL'], allowlisted: false } });
    expect(names.filter((n) => n === 'quarantine')).toHaveLength(1);
    expect(names).toContain('create-incident');
  });

  test('quarantine: a known user goes straight through', async () => {
    const { names } = await decide({ senderPolicy: { unknownSenders: 'quarantine' }, reporter: ANNA });
    expect(names).not.toContain('quarantine');
  });

  test.each([
    ['known-users', { ccParticipants: 'known-users' }],
    ['nobody', { ccParticipants: 'nobody' }],
  ] as const)('Cc %s: the new incident is made with that policy', async (_, senderPolicy) => {
    const { of } = await decide({ senderPolicy });
    expect(of('create-incident')!.input.ccParticipants).toBe(senderPolicy.ccParticipants);
  });

  test('Cc known-users: a reply carries its Cc and the policy, for the thread to look them up', async () => {
    const { of } = await decide({ email: { clues: replyClues }, thread: threadNamed('byMessageId'), senderPolicy: { ccParticipants: 'known-users' } });
    expect(of('signal-thread')!.input.event).toMatchObject({ type: 'customer-reply', cc: ['boss@customer.example'], ccParticipants: 'known-users' });
  });

  test('Cc nobody: a reply names no one', async () => {
    const { of } = await decide({ email: { clues: replyClues }, thread: threadNamed('byMessageId'), senderPolicy: { ccParticipants: 'nobody' } });
    expect(of('signal-thread')!.input.event).toMatchObject({ type: 'customer-reply', cc: [] });
    expect(of('signal-thread')!.input.event).not.toHaveProperty('ccParticipants');
  });

  test('Cc known-users: an unauthenticated reply still names no one (the policy never widens the trust rule)', async () => {
    const { of } = await decide({ notice: notice({ ...PASS, dmarc: 'GRAY' }), email: { clues: replyClues }, thread: threadNamed('byMessageId'), senderPolicy: { ccParticipants: 'known-users' } });
    expect(of('signal-thread')!.input.event).toMatchObject({ cc: [], verified: false });
    expect(of('signal-thread')!.input.event).not.toHaveProperty('ccParticipants');
  });

  test("reject: an agent's forward is no stranger's mail: the customer's incident is made, known user or not", async () => {
    const forward = { form: 'inline' as const, from: { address: 'carla@customer.example', name: 'Carla' }, problem: null, notify: false, subject: 'Printer', shortDescription: 'Printer', messageId: null };
    const { outcome, names } = await decide({ email: { from: { address: 'agent@example.com', name: 'Agnes' }, forward }, agents: ['agent@example.com'], senderPolicy: reject });
    expect(names).toContain('create-incident');
    expect(outcome.stage).toBe('incident-created');
  });
});

describe("an agent's forward of a customer's email", () => {
  const AGENT = 'agent@example.com';
  const customer = { address: 'carla@customer.example', name: 'Carla Customer' };
  const forward = (f: Partial<ForwardSummary> = {}): ForwardSummary => ({
    form: 'inline',
    from: customer,
    problem: null,
    notify: false,
    subject: 'Re: Printer broken',
    shortDescription: 'Printer broken',
    messageId: null,
    ...f,
  });
  const byAgent = (f: Partial<ForwardSummary> = {}, more: Partial<EmailSummary> = {}) => ({
    from: { address: AGENT, name: 'Agnes Agent' },
    subject: 'Fwd: Re: Printer broken',
    forward: forward(f),
    ...more,
  });

  test("makes the customer's incident: the reporter lookup, routing and incident are the customer's; no confirmation by default", async () => {
    const { outcome, names, of } = await decide({ email: byAgent(), agents: [AGENT] });
    expect(names).toEqual(['parse', 'check-spam', 'check-agent', 'lookup-reporter', 'route', 'create-incident']);
    expect(of('check-agent')!.input).toEqual({ address: AGENT });
    expect(of('lookup-reporter')!.input).toEqual({ address: customer.address, name: customer.name, verified: true });
    expect(of('route')!.input).toEqual({ sender: customer.address, senderAuthenticated: true, subject: 'Re: Printer broken', bucket: 'inbox', parsedKey: 'parsed/ses-1/email.json' });
    expect(of('create-incident')!.input).toMatchObject({ forwardedBy: AGENT, senderAuthenticated: true });
    expect(outcome).toMatchObject({
      stage: 'incident-created',
      incidentNumber: 'INC0010001',
      reason: `forwarded by ${AGENT} for ${customer.address}; no confirmation: the agent did not ask for one (#notify)`,
    });
  });

  test('with the notify tag the customer is mailed the confirmation, about their own subject and message', async () => {
    const { outcome, of } = await decide({ email: byAgent({ notify: true, form: 'attached', messageId: '<orig@customer.example>' }), agents: [AGENT] });
    expect(of('send-confirmation')!.input).toEqual({
      sesMessageId: 'ses-1',
      incidentNumber: 'INC0010001',
      shortDescription: 'Printer broken',
      priority: 4,
      to: customer,
      inReplyTo: '<orig@customer.example>',
      references: [],
    });
    expect(outcome).toMatchObject({ stage: 'confirmed', reason: `forwarded by ${AGENT} for ${customer.address}` });
  });

  test('SES refusing the customer is recorded with the forward', async () => {
    const { outcome } = await decide({ email: byAgent({ notify: true }), agents: [AGENT], confirmation: { sent: false, reason: 'suppressed' } });
    expect(outcome).toMatchObject({ stage: 'incident-created', reason: `forwarded by ${AGENT} for ${customer.address}; no confirmation: suppressed` });
  });

  test("anyone else's forward stays an ordinary email of theirs, with the reason", async () => {
    const { outcome, names, of } = await decide({ email: byAgent({ notify: true }), agents: ['someone.else@example.com'] });
    expect(names).toEqual(['parse', 'check-spam', 'check-agent', 'lookup-reporter', 'route', 'create-incident', 'send-confirmation']);
    expect(of('lookup-reporter')!.input.address).toBe(AGENT);
    expect(of('create-incident')!.input.forwardedBy).toBeUndefined();
    expect(of('send-confirmation')!.input.to.address).toBe(AGENT);
    expect(outcome).toMatchObject({ stage: 'confirmed', reason: "forward kept as the sender's own: sender is not an agent" });
  });

  test("an unauthenticated sender's forward is not even looked up: a forged agent From gets nothing", async () => {
    const { outcome, names, of } = await decide({ notice: notice({ ...PASS, dmarc: 'GRAY' }), email: byAgent({ notify: true }), agents: [AGENT] });
    expect(names).not.toContain('check-agent');
    expect(names).not.toContain('send-confirmation');
    expect(of('lookup-reporter')!.input).toEqual({ address: AGENT, name: 'Agnes Agent', verified: false });
    expect(outcome.reason).toMatch(/^forward kept as the sender's own: sender not authenticated; no confirmation: sender not authenticated/);
  });

  test("an agent's forward whose original sender was not found stays the agent's own, with the reason", async () => {
    const { outcome, of } = await decide({ email: byAgent({ from: null, problem: 'the forwarded From names 2 mailboxes, not one', notify: true }), agents: [AGENT] });
    expect(of('lookup-reporter')!.input.address).toBe(AGENT);
    expect(of('create-incident')!.input.forwardedBy).toBeUndefined();
    expect(of('send-confirmation')!.input.to.address).toBe(AGENT);
    expect(outcome).toMatchObject({ stage: 'confirmed', reason: "agent's forward kept as the agent's own: the forwarded From names 2 mailboxes, not one" });
  });

  test("an agent forwarding their own message keeps it their own", async () => {
    const { of } = await decide({ email: byAgent({ from: { address: AGENT, name: '' } }), agents: [AGENT] });
    expect(of('create-incident')!.input.forwardedBy).toBeUndefined();
  });

  test('bulk mail and an invalid From never take the forward path', async () => {
    for (const more of [{ kind: 'bulk' as const }, { senderProblem: 'the From header names 2 mailboxes, not one' }]) {
      const { names, of } = await decide({ email: byAgent({}, more), agents: [AGENT] });
      expect(names).not.toContain('check-agent');
      expect(of('create-incident')!.input.forwardedBy).toBeUndefined();
    }
  });

  test('an email without a forward takes none of its steps (older parses have no forward field)', async () => {
    const { names } = await decide({ email: { from: { address: AGENT, name: 'Agnes' } }, agents: [AGENT] });
    expect(names).toEqual(['parse', 'check-spam', 'lookup-reporter', 'route', 'create-incident', 'send-confirmation']);
  });
});
