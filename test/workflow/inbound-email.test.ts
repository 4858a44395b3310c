// The inbound-email workflow's decisions, on a real Temporal dev server, with activities faked. The
// fakes record what the workflow passes each step, and the tests assert it: which verdicts the spam check
// gets, whom the reporter lookup looks for, the routing the incident is created with, the confirmation
// request, each recorded outcome and each event signalled to a thread.
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { inboundEmail } from '../../src/workflows';
import { EmailStatus, InboundEmailNotice, SesVerdicts, SpamDecision } from '../../src/domain/types';
import { PermanentFault } from '../../src/domain/permanent-faults';
import { fakeActivities, Script, UNROUTED } from './fake-activities';
import { useDevServer } from './dev-server';
import type { InboundEmailInput } from '../../src/workflows/contracts';
import { EMAIL_SENDER, EMAIL_STAGE, INCIDENT_NUMBER } from '../../src/domain/search-attributes';

const server = useDevServer();

const PASS: SesVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const AUTHENTICATED = { authenticated: true, reason: 'DMARC pass' };
const NOTICE: InboundEmailNotice = { sesMessageId: 'm1', bucket: 'b', key: 'inbound/m1', verdicts: PASS };
const PARSED_KEY = 'parsed/x/email.json';

async function runEmail(
  script: Script,
  during?: (workflowId: string, fake: ReturnType<typeof fakeActivities>) => Promise<void>,
  notice: InboundEmailNotice = NOTICE,
  settings: Omit<InboundEmailInput, 'notice'> = {},
) {
  const fake = fakeActivities(script);
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({ connection: server.env().nativeConnection, taskQueue, workflowBundle: server.workflowBundle(), activities: fake.activities });
  const workflowId = `inbound-email-${randomUUID()}`;
  const result = await worker.runUntil(async () => {
    const handle = await server.env().client.workflow.start(inboundEmail, { taskQueue, workflowId, args: [{ notice, ...settings }] });
    if (during) await during(workflowId, fake);
    return handle.result();
  });
  return { result: result as EmailStatus, ...fake };
}

async function waitForStage(workflowId: string, stage: string): Promise<EmailStatus> {
  const handle = server.env().client.workflow.getHandle(workflowId);
  for (let i = 0; i < 100; i++) {
    const status = await handle.query<EmailStatus>('status');
    if (status.stage === stage) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never reached stage ${stage}`);
}

const { EventType } = temporal.api.enums.v1;

/**
 * Sends the signal and returns once the workflow has handled it: a workflow task completed after the
 * signal's event. Then whatever the signal changed (or did not change) is in the workflow's state.
 */
async function signalAndWait(workflowId: string, name: 'release' | 'discard', arg: object = {}): Promise<void> {
  const handle = server.env().client.workflow.getHandle(workflowId);
  const before = (await handle.fetchHistory()).events?.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).length ?? 0;
  await handle.signal(name, arg);
  for (let i = 0; i < 300; i++) {
    const events = (await handle.fetchHistory()).events ?? [];
    const signalled = events.map((e, index) => ({ e, index })).filter(({ e }) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
    const mine = signalled[before];
    if (mine && events.slice(mine.index + 1).some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the workflow never handled the ${name} signal`);
}

/** A promise the test resolves when it wants the gated activity to return. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function until(probe: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !probe(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!probe()) throw new Error('condition never held');
}

describe("an agent's forward", () => {
  const forward = { form: 'inline' as const, from: { address: 'carla@customer.example', name: 'Carla' }, problem: null, subject: 'Wifi down', shortDescription: 'Wifi down', messageId: null };
  const byAgent = (notify: boolean) => ({ from: { address: 'agent@example.com', name: 'Agnes' }, forward: { ...forward, notify } });

  test("asks the directory whether the sender is an agent, then makes and confirms the customer's incident", async () => {
    const { result, calls, received } = await runEmail({ email: byAgent(true), agents: ['agent@example.com'] });
    expect(calls).toEqual(['parseInboundEmail', 'checkSpam', 'isAgent', 'lookupReporter', 'routeEmail', 'raiseIncident', 'mailConfirmation', 'recordEmailOutcome']);
    expect(received.isAgent).toEqual([{ address: 'agent@example.com' }]);
    expect(received.raiseIncident[0]).toMatchObject({ forwardedBy: 'agent@example.com' });
    expect(received.mailConfirmation[0]).toMatchObject({ to: forward.from, shortDescription: 'Wifi down' });
    expect(result).toEqual({ stage: 'confirmed', incidentNumber: 'INC0010001', reason: 'forwarded by agent@example.com for carla@customer.example' });
  });

  test('without the tag nothing is mailed; from a non-agent it stays the sender\'s own', async () => {
    const quiet = await runEmail({ email: byAgent(false), agents: ['agent@example.com'] });
    expect(quiet.calls).not.toContain('mailConfirmation');
    expect(quiet.result.stage).toBe('incident-created');
    const stranger = await runEmail({ email: byAgent(true), agents: [] });
    expect(stranger.received.raiseIncident[0].forwardedBy).toBeUndefined();
    expect(stranger.received.mailConfirmation[0].to.address).toBe('agent@example.com');
  });
});

describe('a new human email', () => {
  const routing = { ruleId: 'network-vpn', ruleIds: ['network-vpn'], assignmentGroup: 'Network', category: 'Network', priority: 2 as const, escalationAddress: null, ignore: false, ignoredBy: null };
  const reporter = { email: 'anna@customer.example', name: 'Anna Berg', verified: true };
  const incident = { number: 'INC0010007', slaDueAt: '2030-01-01T00:00:00.000Z', created: true };

  test('is parsed, checked, routed, made an incident and confirmed, in that order', async () => {
    const { result, calls } = await runEmail({});
    expect(result).toEqual({ stage: 'confirmed', incidentNumber: 'INC0010001', reason: null });
    // The thread is started by its first event, not at once (fewer billable actions).
    // The workflow records the outcome itself, once, at the end (the activities only return results).
    expect(calls).toEqual(['parseInboundEmail', 'checkSpam', 'lookupReporter', 'routeEmail', 'raiseIncident', 'mailConfirmation', 'recordEmailOutcome']);
  });

  test('each step gets what the workflow learned: verdicts, sender, routing, reporter, the confirmation request', async () => {
    const references = Array.from({ length: 25 }, (_, i) => `<r${i}@customer.example>`);
    const { result, received } = await runEmail({ email: { references }, routing, reporter, incident });
    expect(result).toEqual({ stage: 'confirmed', incidentNumber: 'INC0010007', reason: null });
    expect(received.parseInboundEmail).toEqual([NOTICE]);
    // The notice's verdicts, unchanged, and the parsed sender.
    expect(received.checkSpam).toEqual([{ sender: 'anna@customer.example', verdicts: PASS, authenticated: true }]);
    // Authenticated (SPF or DKIM, and DMARC passed): the directory may match it.
    expect(received.lookupReporter).toEqual([{ address: 'anna@customer.example', name: 'Anna', verified: true }]);
    expect(received.routeEmail).toEqual([{ sender: 'anna@customer.example', senderAuthenticated: true, subject: 'Printer broken', bucket: 'b', parsedKey: PARSED_KEY }]);
    // The routing and reporter as found; no alert key for an ordinary email.
    expect(received.raiseIncident).toEqual([{ sesMessageId: 'm1', bucket: 'b', parsedKey: PARSED_KEY, routing, reporter, senderAuthenticated: true }]);
    expect(received.mailConfirmation).toEqual([
      {
        sesMessageId: 'm1',
        incidentNumber: 'INC0010007',
        shortDescription: 'Printer broken',
        priority: 2, // the routed priority, for the SLA target
        to: { address: 'anna@customer.example', name: 'Anna' },
        inReplyTo: '<m1@customer.example>',
        references: references.slice(-19), // with the customer's own Message-ID, 20: our mail keeps at most 20
      },
    ]);
    // The workflow alone records the outcome, with the verdicts and score it was judged by.
    expect(received.recordEmailOutcome).toEqual([{ sesMessageId: 'm1', stage: 'confirmed', reason: null, incidentNumber: 'INC0010007', verdicts: PASS, spamScore: 0, sender: AUTHENTICATED }]);
    expect(received.signalThread).toEqual([]);
  });

  test('without verdicts in the notice (an S3 event), the verdicts SES wrote into the headers are used; a missing one counts as PROCESSING_FAILED', async () => {
    const { received } = await runEmail({ email: { headerVerdicts: { spam: 'GRAY', spf: 'PASS', dkim: 'FAIL', dmarc: 'PASS' } } }, undefined, {
      sesMessageId: 'm1',
      bucket: 'b',
      key: 'inbound/m1',
    });
    expect(received.checkSpam).toEqual([
      { sender: 'anna@customer.example', verdicts: { spam: 'GRAY', virus: 'PROCESSING_FAILED', spf: 'PASS', dkim: 'FAIL', dmarc: 'PASS' }, authenticated: true },
    ]);
    expect(received.lookupReporter[0].verified).toBe(true);
  });

  test('a sender whose DMARC failed is looked up as unverified (never matched to a user)', async () => {
    const { received } = await runEmail({}, undefined, { ...NOTICE, verdicts: { ...PASS, dmarc: 'FAIL' } });
    expect(received.lookupReporter).toEqual([{ address: 'anna@customer.example', name: 'Anna', verified: false }]);
  });

  test('a routing rule that says ignore: no incident, the rule named in the reason and recorded with the verdicts', async () => {
    const ignored = { ...UNROUTED, ruleId: 'newsletters', ruleIds: ['tag', 'newsletters'], ignore: true, ignoredBy: 'newsletters' };
    const { result, calls, outcomes } = await runEmail({ routing: ignored, spam: { action: 'accept', score: 3, reasons: ['spam verdict GRAY'], allowlisted: false } });
    expect(result).toEqual({ stage: 'ignored', incidentNumber: null, reason: 'ignored by routing rule newsletters' });
    expect(calls).toEqual(['parseInboundEmail', 'checkSpam', 'lookupReporter', 'routeEmail', 'recordEmailOutcome']);
    expect(outcomes).toEqual([{ sesMessageId: 'm1', stage: 'ignored', reason: 'ignored by routing rule newsletters', incidentNumber: null, verdicts: PASS, spamScore: 3, sender: AUTHENTICATED }]);
  });

  test('the rule that decided "ignore" is named, not the first rule applied', async () => {
    const ignored = { ...UNROUTED, ruleId: 'tag-vip', ruleIds: ['tag-vip', 'drop-ooo'], ignore: true, ignoredBy: 'drop-ooo' };
    const { result } = await runEmail({ routing: ignored });
    expect(result.reason).toBe('ignored by routing rule drop-ooo');
  });
});

test('stage, sender and incident number are search attributes; the subject is in the memo', async () => {
  let workflowId = '';
  await runEmail({ email: { senderForSearch: 'anna@customer.example' } }, async (id) => {
    workflowId = id;
  });
  const description = await server.env().client.workflow.getHandle(workflowId).describe();
  expect(description.typedSearchAttributes.get(EMAIL_STAGE)).toBe('confirmed');
  expect(description.typedSearchAttributes.get(EMAIL_SENDER)).toBe('anna@customer.example');
  expect(description.typedSearchAttributes.get(INCIDENT_NUMBER)).toBe('INC0010001');
  expect(await description.memo).toEqual({ subject: 'Printer broken' });
});

test('transient failures of incident creation and confirmation are retried until they pass, with the same input', async () => {
  const { result, attempts, calls, received } = await runEmail({ failCreateIncident: 2, failConfirmation: 1 });
  expect(result.stage).toBe('confirmed');
  expect(attempts()).toEqual({ createAttempts: 3, confirmAttempts: 2 });
  expect(calls.filter((c) => c === 'mailConfirmation')).toHaveLength(2);
  expect(new Set(received.raiseIncident.map((i) => JSON.stringify(i))).size).toBe(1);
  expect(new Set(received.mailConfirmation.map((i) => JSON.stringify(i))).size).toBe(1);
}, 30_000);

test('an unparseable email is not retried: it is quarantined with the reason', async () => {
  const { calls, outcomes } = await runEmail({ parseFault: { type: PermanentFault.UnparseableEmail, message: 'Unparseable email: boom' } }, async (id) => {
    const status = await waitForStage(id, 'quarantined');
    expect(status.reason).toBe('UnparseableEmail: Unparseable email: boom');
    await server.env().client.workflow.getHandle(id).signal('discard', { reason: 'broken beyond repair' });
  });
  expect(calls.filter((c) => c === 'parseInboundEmail')).toHaveLength(1);
  expect(outcomes).toEqual([
    { sesMessageId: 'm1', stage: 'quarantined', reason: 'UnparseableEmail: Unparseable email: boom', incidentNumber: null },
    { sesMessageId: 'm1', stage: 'discarded', reason: 'broken beyond repair', incidentNumber: null },
  ]);
});

test('an email above the size limit is quarantined with the reason, not retried', async () => {
  const { calls, outcomes, result } = await runEmail(
    { parseFault: { type: PermanentFault.EmailTooLarge, message: 'Raw email is 50000000 bytes, above the limit of 41943040' } },
    async (id) => {
      expect((await waitForStage(id, 'quarantined')).reason).toMatch(/^EmailTooLarge: Raw email is 50000000 bytes/);
      // Releasing cannot make it smaller: the email ends as failed, with the reason.
      await server.env().client.workflow.getHandle(id).signal('release');
    },
  );
  expect(calls.filter((c) => c === 'parseInboundEmail')).toHaveLength(1);
  expect(outcomes.map((o) => o.stage)).toEqual(['quarantined', 'failed']);
  expect(result).toEqual({ stage: 'failed', incidentNumber: null, reason: 'EmailTooLarge: Raw email is 50000000 bytes, above the limit of 41943040' });
  expect(calls).not.toContain('raiseIncident');
});

test('a raw email missing from S3 ends as failed with the reason, without retrying forever', async () => {
  const { result, calls, outcomes } = await runEmail({ parseFault: { type: PermanentFault.RawEmailMissing, message: 'No raw email at s3://b/inbound/m1' } });
  expect(result).toEqual({ stage: 'failed', incidentNumber: null, reason: 'No raw email at s3://b/inbound/m1' });
  expect(calls).toEqual(['parseInboundEmail', 'recordEmailOutcome']);
  expect(outcomes).toEqual([{ sesMessageId: 'm1', stage: 'failed', reason: 'No raw email at s3://b/inbound/m1', incidentNumber: null }]);
});

test.each([
  ['bounce', 'ignored'],
  ['auto-reply', 'ignored'],
] as const)('a %s makes no incident and gets no confirmation', async (kind, stage) => {
  const { result, calls, outcomes } = await runEmail({ email: { kind } });
  expect(result).toEqual({ stage, incidentNumber: null, reason: `${kind}: no incident for automated mail` });
  expect(calls).toEqual(['parseInboundEmail', 'checkSpam', 'recordEmailOutcome']);
  expect(outcomes).toEqual([{ sesMessageId: 'm1', stage, reason: `${kind}: no incident for automated mail`, incidentNumber: null, verdicts: PASS, spamScore: 0, sender: AUTHENTICATED }]);
});

test('an email without a sender address makes no incident', async () => {
  const { result, calls } = await runEmail({ email: { from: null } });
  expect(result).toEqual({ stage: 'ignored', incidentNumber: null, reason: 'no sender address' });
  expect(calls).toEqual(['parseInboundEmail', 'checkSpam', 'recordEmailOutcome']);
});

test('bulk mail makes an incident but gets no auto-response', async () => {
  const { result, calls, outcomes } = await runEmail({ email: { kind: 'bulk' } });
  expect(result).toEqual({ stage: 'incident-created', incidentNumber: 'INC0010001', reason: 'bulk mail: no confirmation sent' });
  expect(calls).not.toContain('mailConfirmation');
  expect(outcomes).toEqual([{ sesMessageId: 'm1', stage: 'incident-created', reason: 'bulk mail: no confirmation sent', incidentNumber: 'INC0010001', verdicts: PASS, spamScore: 0, sender: AUTHENTICATED }]);
});

describe('the confirmation not sent', () => {
  test('SES refusing the recipient (OutboundRejected) is not retried: the incident stays, without confirmation, the reason recorded', async () => {
    const refusal = 'SES refused the email: InvalidParameterValue: Missing domain';
    const { result, calls, outcomes } = await runEmail({ confirmation: { reject: refusal } });
    expect(result).toEqual({ stage: 'incident-created', incidentNumber: 'INC0010001', reason: `no confirmation: ${refusal}` });
    expect(calls.filter((c) => c === 'mailConfirmation')).toHaveLength(1);
    expect(outcomes).toEqual([{ sesMessageId: 'm1', stage: 'incident-created', reason: `no confirmation: ${refusal}`, incidentNumber: 'INC0010001', verdicts: PASS, spamScore: 0, sender: AUTHENTICATED }]);
  });

  test('a confirmation the activity decided not to send (rate limit, our own address) is recorded with its reason', async () => {
    const { result, outcomes } = await runEmail({ confirmation: { sent: false, reason: 'recipient is our own address' } });
    expect(result).toEqual({ stage: 'incident-created', incidentNumber: 'INC0010001', reason: 'no confirmation: recipient is our own address' });
    expect(outcomes).toEqual([{ sesMessageId: 'm1', stage: 'incident-created', reason: 'no confirmation: recipient is our own address', incidentNumber: 'INC0010001', verdicts: PASS, spamScore: 0, sender: AUTHENTICATED }]);
  });
});

describe('quarantine', () => {
  const spam: SpamDecision = { action: 'quarantine', score: 10, reasons: ['spam verdict FAIL'], allowlisted: false };

  test('spam waits in quarantine, answers the status query, and goes on when released', async () => {
    const { result, calls, outcomes } = await runEmail({ spam }, async (id) => {
      const status = await waitForStage(id, 'quarantined');
      expect(status).toEqual({ stage: 'quarantined', incidentNumber: null, reason: 'spam verdict FAIL' });
      await server.env().client.workflow.getHandle(id).signal('release');
    });
    expect(result).toEqual({ stage: 'confirmed', incidentNumber: 'INC0010001', reason: null });
    expect(calls).toEqual(['parseInboundEmail', 'checkSpam', 'recordEmailOutcome', 'lookupReporter', 'routeEmail', 'raiseIncident', 'mailConfirmation', 'recordEmailOutcome']);
    // Recorded with the verdicts and the score, for the admin's quarantine page; then how it ended.
    expect(outcomes).toEqual([
      { sesMessageId: 'm1', stage: 'quarantined', reason: 'spam verdict FAIL', incidentNumber: null, verdicts: PASS, spamScore: 10, sender: AUTHENTICATED },
      { sesMessageId: 'm1', stage: 'confirmed', reason: null, incidentNumber: 'INC0010001', verdicts: PASS, spamScore: 10, sender: AUTHENTICATED },
    ]);
  });

  test('an admin discard ends it with the reason given, or a default one', async () => {
    const withReason = await runEmail({ spam }, async (id) => {
      await waitForStage(id, 'quarantined');
      await server.env().client.workflow.getHandle(id).signal('discard', { reason: 'junk' });
    });
    expect(withReason.result).toEqual({ stage: 'discarded', incidentNumber: null, reason: 'junk' });
    const without = await runEmail({ spam }, async (id) => {
      await waitForStage(id, 'quarantined');
      await server.env().client.workflow.getHandle(id).signal('discard');
    });
    expect(without.result).toEqual({ stage: 'discarded', incidentNumber: null, reason: 'discarded by an admin' });
    expect(without.outcomes.map((o) => [o.stage, o.reason])).toEqual([
      ['quarantined', 'spam verdict FAIL'],
      ['discarded', 'discarded by an admin'],
    ]);
    expect(without.calls).not.toContain('raiseIncident');
  });

  test('mail SES found a virus in: a release without override is ignored, one with override lets it go on', async () => {
    const virus: SpamDecision = { action: 'quarantine', score: 0, reasons: ['virus'], allowlisted: false };
    const verdicts = { ...PASS, virus: 'FAIL' as const };
    const { result, received } = await runEmail(
      { spam: virus },
      async (id, fake) => {
        await waitForStage(id, 'quarantined');
        await signalAndWait(id, 'release');
        await signalAndWait(id, 'release', { override: false });
        expect(await server.env().client.workflow.getHandle(id).query('status')).toEqual({ stage: 'quarantined', incidentNumber: null, reason: 'virus' });
        expect(fake.calls).toEqual(['parseInboundEmail', 'checkSpam', 'recordEmailOutcome']);
        await signalAndWait(id, 'release', { override: true });
      },
      { ...NOTICE, verdicts },
    );
    expect(result).toEqual({ stage: 'confirmed', incidentNumber: 'INC0010001', reason: null });
    expect(received.recordEmailOutcome).toEqual([
      { sesMessageId: 'm1', stage: 'quarantined', reason: 'virus', incidentNumber: null, verdicts, spamScore: 0, sender: AUTHENTICATED },
      { sesMessageId: 'm1', stage: 'confirmed', reason: null, incidentNumber: 'INC0010001', verdicts, spamScore: 0, sender: AUTHENTICATED },
    ]);
  });

  test('a release without override is enough for spam that is not a virus', async () => {
    const { result } = await runEmail({ spam }, async (id) => {
      await waitForStage(id, 'quarantined');
      await signalAndWait(id, 'release', { override: false });
    });
    expect(result.stage).toBe('confirmed');
  });
});

describe('stray release and discard signals change nothing', () => {
  const spam: SpamDecision = { action: 'quarantine', score: 10, reasons: ['spam verdict FAIL'], allowlisted: false };

  test('a release that arrives before the email is quarantined does not release it later', async () => {
    const parse = gate();
    const { result, received } = await runEmail({ spam, parseGate: parse.promise }, async (id, fake) => {
      await until(() => fake.received.parseInboundEmail.length === 1);
      await signalAndWait(id, 'release', { override: true });
      expect((await server.env().client.workflow.getHandle(id).query<EmailStatus>('status')).stage).toBe('received');
      parse.open();
      await waitForStage(id, 'quarantined');
      // Had the early release counted, the email would have gone on to an incident and this discard would be ignored.
      await signalAndWait(id, 'discard', { reason: 'junk' });
    });
    expect(result).toEqual({ stage: 'discarded', incidentNumber: null, reason: 'junk' });
    expect(received.raiseIncident).toEqual([]);
  });

  test('a discard that arrives before the email is quarantined does not discard it later', async () => {
    const parse = gate();
    const { result, outcomes } = await runEmail({ spam, parseGate: parse.promise }, async (id) => {
      await signalAndWait(id, 'discard', { reason: 'too early' });
      parse.open();
      await waitForStage(id, 'quarantined');
      await signalAndWait(id, 'release');
    });
    expect(result).toEqual({ stage: 'confirmed', incidentNumber: 'INC0010001', reason: null });
    expect(outcomes.map((o) => o.stage)).toEqual(['quarantined', 'confirmed']);
  });

  test('release and discard sent to an email that is never quarantined are ignored', async () => {
    const parse = gate();
    const { result, outcomes, calls } = await runEmail({ parseGate: parse.promise }, async (id) => {
      await signalAndWait(id, 'discard', { reason: 'stray' });
      await signalAndWait(id, 'release', { override: true });
      parse.open();
    });
    expect(result).toEqual({ stage: 'confirmed', incidentNumber: 'INC0010001', reason: null });
    expect(outcomes.map((o) => o.stage)).toEqual(['confirmed']);
    expect(calls).toEqual(['parseInboundEmail', 'checkSpam', 'lookupReporter', 'routeEmail', 'raiseIncident', 'mailConfirmation', 'recordEmailOutcome']);
  });

  test('after a release, a discard is too late', async () => {
    const { result } = await runEmail({ spam }, async (id) => {
      await waitForStage(id, 'quarantined');
      const handle = server.env().client.workflow.getHandle(id);
      // Both in one workflow task: the first decision wins.
      await handle.signal('release');
      await handle.signal('discard', { reason: 'changed my mind' });
    });
    expect(result.stage).toBe('confirmed');
  });
});

describe('monitoring alerts', () => {
  const alert = { ruleId: 'nagios', alertKey: 'web01.example.internal/http', state: 'CRITICAL', recovery: false, priority: 2 as const };
  const recovery = { ...alert, state: 'OK', recovery: true, priority: null };
  const from = { address: 'nagios@monitoring.example', name: 'Nagios' };

  // Runs of inbound-email-3 decided an alert's incident themselves (test/unit/inbound-decision.test.ts and
  // the v7- fixtures cover that path); new runs hand every authenticated alert to its key's workflow.
  test('an authenticated problem is routed and handed to the workflow of its host/service with the incident it would open', async () => {
    const routing = { ...UNROUTED, ruleId: 'ops', ruleIds: ['ops'], assignmentGroup: 'Operations', priority: 4 as const };
    const { result, received, calls } = await runEmail({ email: { alert: { ...alert, at: 1_700_000_000_000 }, from }, routing });
    expect(result).toEqual({ stage: 'alert-forwarded', incidentNumber: null, reason: 'problem handed to the workflow of web01.example.internal/http' });
    expect(received.signalAlertKey).toEqual([
      {
        alertKey: 'web01.example.internal/http',
        event: {
          id: 'm1',
          bucket: 'b',
          parsedKey: PARSED_KEY,
          from: 'nagios@monitoring.example',
          state: 'CRITICAL',
          recovery: false,
          at: 1_700_000_000_000,
          incident: { sesMessageId: 'm1', bucket: 'b', parsedKey: PARSED_KEY, routing: { ...routing, priority: 2 }, reporter: null, senderAuthenticated: true, alertKey: 'web01.example.internal/http' },
        },
      },
    ]);
    // Nothing is looked up or made by the email itself; an alert is never taken for a reply.
    expect(calls).toEqual(['parseInboundEmail', 'checkSpam', 'lookupReporter', 'routeEmail', 'signalAlertKey', 'recordEmailOutcome']);
  });

  test('a recovery is handed over too (the key decides whether it resolves anything); without a time of its own, at null', async () => {
    const { result, received, calls } = await runEmail({ email: { alert: recovery, from } });
    expect(result).toEqual({ stage: 'alert-forwarded', incidentNumber: null, reason: 'recovery handed to the workflow of web01.example.internal/http' });
    expect(received.signalAlertKey[0].event).toMatchObject({ id: 'm1', recovery: true, state: 'OK', at: null });
    expect(calls).not.toContain('findAlertIncident');
    expect(calls).not.toContain('raiseIncident');
  });

  test('an alert a routing rule ignores is not handed over', async () => {
    const { result, calls } = await runEmail({ email: { alert, from }, routing: { ...UNROUTED, ignore: true, ignoredBy: 'maintenance' } });
    expect(result).toMatchObject({ stage: 'ignored', reason: 'ignored by routing rule maintenance' });
    expect(calls).not.toContain('signalAlertKey');
  });

  test("an unauthenticated sender's alert is ordinary mail: no alert key, no join, and (unauthenticated) no confirmation", async () => {
    const verdicts = { ...PASS, dmarc: 'FAIL' as const };
    const { result, received, calls } = await runEmail({ email: { alert: recovery, from }, alertIncident: 'INC0010050' }, undefined, { ...NOTICE, verdicts });
    expect(result).toEqual({ stage: 'incident-created', incidentNumber: 'INC0010001', reason: 'no confirmation: sender not authenticated (DMARC fail)' });
    expect(calls).not.toContain('findAlertIncident');
    expect(calls).not.toContain('signalAlertKey');
    expect(received.signalThread).toEqual([]);
    expect(received.raiseIncident).toEqual([{ sesMessageId: 'm1', bucket: 'b', parsedKey: PARSED_KEY, routing: UNROUTED, reporter: null, senderAuthenticated: false }]);
    expect(received.lookupReporter).toEqual([{ address: 'nagios@monitoring.example', name: 'Nagios', verified: false }]);
  });
});

describe('replies', () => {
  const clues = { messageIds: ['out-1@ours'], sesIds: [], watermarkNumbers: [], subjectNumber: 'INC0010042', reply: true, forward: false };
  const people = { INC0010042: { incidentNumber: 'INC0010042', state: 'new', senderAddress: 'anna@customer.example', reporterEmail: null, participants: ['bob@customer.example'] } };
  const thread = { found: { byMessageId: 'INC0010042', byWatermark: null, bySubject: 'INC0010042' }, people, agents: ['dana@ours.example'] };
  const reply = (address: string, cc: string[], verified = true) => ({
    incidentNumber: 'INC0010042',
    event: { type: 'customer-reply', id: 'm1', bucket: 'b', key: 'inbound/m1', from: { address, name: '' }, messageId: 'm1@customer.example', cc, via: 'references', verified },
  });

  test.each([
    ['the original sender', 'anna@customer.example'],
    ['a participant', 'bob@customer.example'],
    ['an agent', 'dana@ours.example'],
  ])('a reply from %s joins the thread: no incident, no confirmation', async (_who, address) => {
    const { result, calls, signals, received } = await runEmail({ email: { clues, from: { address, name: '' }, cc: [{ address: 'carl@customer.example', name: 'Carl' }] }, thread });
    expect(result).toEqual({ stage: 'threaded-as-reply', incidentNumber: 'INC0010042', reason: 'reply to INC0010042 (matched by references)' });
    expect(received.findThreadCandidates).toEqual([{ clues }]);
    // The Message-ID without <>, the people copied in (the sender is authenticated), how it matched.
    expect(signals).toEqual([reply(address, ['carl@customer.example'])]);
    expect(calls).toEqual(['parseInboundEmail', 'checkSpam', 'findThreadCandidates', 'signalThread', 'recordEmailOutcome']);
    expect(received.recordEmailOutcome).toEqual([
      { sesMessageId: 'm1', stage: 'threaded-as-reply', reason: 'reply to INC0010042 (matched by references)', incidentNumber: 'INC0010042', verdicts: PASS, spamScore: 0, sender: AUTHENTICATED },
    ]);
  });

  test('an unauthenticated (but permitted) sender joins as unverified, and whom they copy in does not join the conversation', async () => {
    // No DMARC policy (GRAY): nothing failed, so the original sender may speak, but it is not authenticated.
    const verdicts = { ...PASS, dmarc: 'GRAY' as const };
    const { result, signals } = await runEmail({ email: { clues, from: { address: 'anna@customer.example', name: '' }, cc: [{ address: 'carl@customer.example', name: '' }] }, thread }, undefined, {
      ...NOTICE,
      verdicts,
    });
    expect(result).toEqual({
      stage: 'threaded-as-reply',
      incidentNumber: 'INC0010042',
      reason: 'reply to INC0010042 (matched by references, unverified: no DMARC policy, and no SPF or DKIM pass aligned with customer.example)',
    });
    expect(signals).toEqual([reply('anna@customer.example', [], false)]);
  });

  test('a stranger naming the thread gets an incident of their own, and nothing reaches the other thread', async () => {
    const { result, signals, outcomes } = await runEmail({ email: { clues, from: { address: 'mallory@elsewhere.example', name: '' } }, thread });
    expect(result).toMatchObject({ stage: 'confirmed', incidentNumber: 'INC0010001' });
    expect(result.reason).toBe('not added to INC0010042: sender is not the reporter, a participant or an agent');
    expect(signals).toEqual([]);
    // The refusal is recorded with the confirmed stage.
    expect(outcomes).toEqual([
      { sesMessageId: 'm1', stage: 'confirmed', reason: 'not added to INC0010042: sender is not the reporter, a participant or an agent', incidentNumber: 'INC0010001', verdicts: PASS, spamScore: 0, sender: AUTHENTICATED },
    ]);
  });

  describe('to a closed incident whose follow-up policy applies (closed 30 days before the reply, window 14 days)', () => {
    const closedThread = (policy: 'reject' | 'new-incident') => ({
      ...thread,
      people: { INC0010042: { ...people.INC0010042, state: 'closed' } },
      closed: { INC0010042: { closedAt: '2026-10-01T00:00:00.000Z', followUp: { policy, reopenDays: 14 } } },
      lookedUpAt: '2026-10-31T00:00:00.000Z',
    });
    const reason = 'INC0010042 is closed (closed 2026-10-01 more than 14 days ago); follow-up policy';

    test('reject: kept as a note on the closed incident (a local activity step more), the sender told once', async () => {
      const { result, calls, signals, received } = await runEmail({ email: { clues, from: { address: 'anna@customer.example', name: 'Anna' } }, thread: closedThread('reject') });
      expect(calls).toEqual(['parseInboundEmail', 'checkSpam', 'findThreadCandidates', 'signalThread', 'mailFollowUpRefusal', 'recordEmailOutcome']);
      expect(signals).toEqual([{ incidentNumber: 'INC0010042', event: { ...reply('anna@customer.example', []).event, from: { address: 'anna@customer.example', name: 'Anna' }, notReopened: `${reason} reject` } }]);
      expect(received.mailFollowUpRefusal).toEqual([
        { sesMessageId: 'm1', incidentNumber: 'INC0010042', closedAt: '2026-10-01T00:00:00.000Z', to: { address: 'anna@customer.example', name: 'Anna' }, inReplyTo: '<m1@customer.example>', references: [] },
      ]);
      expect(result).toEqual({ stage: 'threaded-as-reply', incidentNumber: 'INC0010042', reason: `${reason} reject: the reply is kept as a note; the sender was told to write a new email` });
    });

    test('new-incident: a new incident linked to the closed one, confirmed; nothing reaches the closed thread', async () => {
      const { result, calls, signals, received } = await runEmail({ email: { clues, from: { address: 'anna@customer.example', name: 'Anna' } }, thread: closedThread('new-incident') });
      expect(signals).toEqual([]);
      expect(calls).toEqual(['parseInboundEmail', 'checkSpam', 'findThreadCandidates', 'lookupReporter', 'routeEmail', 'raiseIncident', 'mailConfirmation', 'recordEmailOutcome']);
      expect(received.raiseIncident[0]).toMatchObject({ followUpOf: 'INC0010042' });
      expect(result).toEqual({ stage: 'confirmed', incidentNumber: 'INC0010001', reason: `follow-up of ${reason} new-incident` });
    });
  });

  test('the reporter with a failed DMARC verdict is not trusted on the thread', async () => {
    const { result, received } = await runEmail({ email: { clues, from: { address: 'anna@customer.example', name: '' } }, thread }, undefined, {
      sesMessageId: 'm3',
      bucket: 'b',
      key: 'inbound/m3',
      verdicts: { ...PASS, dmarc: 'FAIL' },
    });
    expect(result.stage).toBe('incident-created');
    expect(result.reason).toMatch(/^not added to INC0010042: .*DMARC/);
    expect(received.signalThread).toEqual([]);
  });

  test('a forward makes a new incident even when it names the thread', async () => {
    const { result, calls } = await runEmail({ email: { clues: { ...clues, reply: false, forward: true }, from: { address: 'anna@customer.example', name: '' } }, thread });
    expect(result).toMatchObject({ stage: 'confirmed', incidentNumber: 'INC0010001', reason: null });
    expect(calls).toContain('raiseIncident');
  });

  test('an auto-reply from a stranger naming the thread only by subject is not noted there', async () => {
    const bySubject = { ...thread, found: { byMessageId: null, byWatermark: null, bySubject: 'INC0010042' } };
    const { result, signals } = await runEmail({ email: { kind: 'auto-reply', clues: { ...clues, messageIds: [] }, from: { address: 'mallory@elsewhere.example', name: '' } }, thread: bySubject });
    expect(result).toMatchObject({ stage: 'ignored', incidentNumber: null });
    expect(signals).toEqual([]);
  });

  test('an email parsed before threading existed (no clues in its summary) still becomes an incident', async () => {
    const { result, calls } = await runEmail({ email: { clues: undefined } });
    expect(result.stage).toBe('confirmed');
    expect(calls).not.toContain('findThreadCandidates');
  });

  test('an auto-reply naming the thread is noted there, never answered', async () => {
    const { result, signals, calls, outcomes } = await runEmail({ email: { kind: 'auto-reply', subject: 'Out of office', clues, from: { address: 'anna@customer.example', name: '' } }, thread });
    expect(result).toEqual({ stage: 'ignored', incidentNumber: 'INC0010042', reason: 'auto-reply: no incident for automated mail; noted on INC0010042' });
    expect(signals).toEqual([
      {
        incidentNumber: 'INC0010042',
        event: { type: 'note', id: 'm1', kind: 'auto-reply', from: 'anna@customer.example', subject: '', reason: 'auto-reply: no incident for automated mail' },
      },
    ]);
    expect(calls).not.toContain('mailConfirmation');
    expect(outcomes[0]).toMatchObject({ stage: 'ignored', incidentNumber: 'INC0010042' });
  });
});

describe('the sender policy', () => {
  test('reject: an unknown authenticated sender is sent the rejection with the reason; no incident', async () => {
    const { result, calls, received } = await runEmail({}, undefined, NOTICE, { senderPolicy: { unknownSenders: 'reject', rejectionReason: 'customers only' } });
    expect(calls).toEqual(['parseInboundEmail', 'checkSpam', 'lookupReporter', 'mailRejection', 'recordEmailOutcome']);
    expect(received.mailRejection).toEqual([expect.objectContaining({ sesMessageId: 'm1', reason: 'customers only', to: expect.objectContaining({ address: 'anna@customer.example' }) })]);
    expect(result).toEqual({ stage: 'rejected', incidentNumber: null, reason: 'unknown sender: customers only; rejection mailed' });
  });

  test('quarantine: an unknown sender waits with the reason "unknown sender"; released, the incident is made', async () => {
    const { result, calls } = await runEmail(
      {},
      async (id) => {
        expect(await waitForStage(id, 'quarantined')).toEqual({ stage: 'quarantined', incidentNumber: null, reason: 'unknown sender' });
        await server.env().client.workflow.getHandle(id).signal('release');
      },
      NOTICE,
      { senderPolicy: { unknownSenders: 'quarantine' } },
    );
    expect(calls).toEqual(['parseInboundEmail', 'checkSpam', 'lookupReporter', 'recordEmailOutcome', 'routeEmail', 'raiseIncident', 'mailConfirmation', 'recordEmailOutcome']);
    expect(result).toEqual({ stage: 'confirmed', incidentNumber: 'INC0010001', reason: null });
  });
});
