// The inbound-email workflow's decisions, on a real Temporal dev server, with activities faked.
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { inboundEmail } from '../../src/workflows';
import { EmailStatus, SpamDecision } from '../../src/domain/types';
import { PermanentFault } from '../../src/domain/permanent-faults';
import { fakeActivities, Script } from './fake-activities';
import { useDevServer } from './dev-server';
import { EMAIL_SENDER, EMAIL_STAGE, INCIDENT_NUMBER } from '../../src/domain/search-attributes';

const server = useDevServer();

async function runEmail(script: Script, during?: (workflowId: string) => Promise<void>) {
  const fake = fakeActivities(script);
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({ connection: server.env().nativeConnection, taskQueue, workflowBundle: server.workflowBundle(), activities: fake.activities });
  const workflowId = `inbound-email-${randomUUID()}`;
  const result = await worker.runUntil(async () => {
    const handle = await server.env().client.workflow.start(inboundEmail, {
      taskQueue,
      workflowId,
      args: [{ notice: { sesMessageId: 'm1', bucket: 'b', key: 'inbound/m1', verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' } } }],
    });
    if (during) await during(workflowId);
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

test('a human email is parsed, checked, routed, made an incident and confirmed, in that order', async () => {
  const { result, calls } = await runEmail({});
  expect(result).toEqual({ stage: 'confirmed', incidentNumber: 'INC0010001', reason: null });
  // The thread is started by its first event, not at once (fewer billable actions).
  expect(calls).toEqual(['parseInboundEmail', 'checkSpam', 'lookupReporter', 'routeEmail', 'raiseIncident', 'mailConfirmation', 'recordEmailOutcome']);
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

test('transient failures of incident creation and confirmation are retried until they pass', async () => {
  const { result, attempts, calls } = await runEmail({ failCreateIncident: 2, failConfirmation: 1 });
  expect(result.stage).toBe('confirmed');
  expect(attempts()).toEqual({ createAttempts: 3, confirmAttempts: 2 });
  expect(calls.filter((c) => c === 'mailConfirmation')).toHaveLength(2);
}, 30_000);

test('an unparseable email is not retried: it is quarantined with the reason', async () => {
  const { calls, outcomes } = await runEmail({ parseFault: { type: PermanentFault.UnparseableEmail, message: 'Unparseable email: boom' } }, async (id) => {
    const status = await waitForStage(id, 'quarantined');
    expect(status.reason).toBe('UnparseableEmail: Unparseable email: boom');
    await server.env().client.workflow.getHandle(id).signal('discard', { reason: 'broken beyond repair' });
  });
  expect(calls.filter((c) => c === 'parseInboundEmail')).toHaveLength(1);
  expect(outcomes.map((o) => o.stage)).toEqual(['quarantined', 'discarded']);
});

test('an email above the size limit is quarantined with the reason, not retried', async () => {
  const { calls, outcomes } = await runEmail(
    { parseFault: { type: PermanentFault.EmailTooLarge, message: 'Raw email is 50000000 bytes, above the limit of 41943040' } },
    async (id) => {
      expect((await waitForStage(id, 'quarantined')).reason).toMatch(/^EmailTooLarge: Raw email is 50000000 bytes/);
      // Releasing cannot make it smaller: the email ends as failed, with the reason.
      await server.env().client.workflow.getHandle(id).signal('release');
    },
  );
  expect(calls.filter((c) => c === 'parseInboundEmail')).toHaveLength(1);
  expect(outcomes.map((o) => o.stage)).toEqual(['quarantined', 'failed']);
});

test('a raw email missing from S3 ends as failed with the reason, without retrying forever', async () => {
  const { result, calls } = await runEmail({ parseFault: { type: PermanentFault.RawEmailMissing, message: 'No raw email at s3://b/inbound/m1' } });
  expect(result).toEqual({ stage: 'failed', incidentNumber: null, reason: 'No raw email at s3://b/inbound/m1' });
  expect(calls).toEqual(['parseInboundEmail', 'recordEmailOutcome']);
});

test.each([
  ['bounce', 'ignored'],
  ['auto-reply', 'ignored'],
] as const)('a %s makes no incident and gets no confirmation', async (kind, stage) => {
  const { result, calls } = await runEmail({ email: { kind } });
  expect(result.stage).toBe(stage);
  expect(result.reason).toContain(kind);
  expect(calls).not.toContain('raiseIncident');
  expect(calls).not.toContain('mailConfirmation');
});

test('bulk mail makes an incident but gets no auto-response', async () => {
  const { result, calls } = await runEmail({ email: { kind: 'bulk' } });
  expect(result).toMatchObject({ stage: 'incident-created', incidentNumber: 'INC0010001' });
  expect(calls).not.toContain('mailConfirmation');
});

test('spam waits in quarantine, answers the status query, and goes on when released', async () => {
  const spam: SpamDecision = { action: 'quarantine', score: 10, reasons: ['spam verdict FAIL'], allowlisted: false };
  const { result, calls } = await runEmail({ spam }, async (id) => {
    const status = await waitForStage(id, 'quarantined');
    expect(status).toEqual({ stage: 'quarantined', incidentNumber: null, reason: 'spam verdict FAIL' });
    await server.env().client.workflow.getHandle(id).signal('release');
  });
  expect(result.stage).toBe('confirmed');
  expect(calls).toContain('raiseIncident');
});

describe('replies', () => {
  const clues = { messageIds: ['out-1@ours'], sesIds: [], watermarkNumbers: [], subjectNumber: 'INC0010042', reply: true, forward: false };
  const people = { INC0010042: { incidentNumber: 'INC0010042', state: 'new', senderAddress: 'anna@customer.example', reporterEmail: null, participants: ['bob@customer.example'] } };
  const thread = { found: { byMessageId: 'INC0010042', byWatermark: null, bySubject: 'INC0010042' }, people, agents: ['dana@ours.example'] };

  test.each([
    ['the original sender', 'anna@customer.example'],
    ['a participant', 'bob@customer.example'],
    ['an agent', 'dana@ours.example'],
  ])('a reply from %s joins the thread: no incident, no confirmation', async (_who, address) => {
    const { result, calls, signals } = await runEmail({ email: { clues, from: { address, name: '' } }, thread });
    expect(result).toEqual({ stage: 'threaded-as-reply', incidentNumber: 'INC0010042', reason: 'reply to INC0010042 (matched by references)' });
    expect(signals).toEqual([{ incidentNumber: 'INC0010042', type: 'customer-reply' }]);
    expect(calls).not.toContain('raiseIncident');
    expect(calls).not.toContain('mailConfirmation');
  });

  test('a stranger naming the thread gets an incident of their own, and nothing reaches the other thread', async () => {
    const { result, signals } = await runEmail({ email: { clues, from: { address: 'mallory@elsewhere.example', name: '' } }, thread });
    expect(result).toMatchObject({ stage: 'confirmed', incidentNumber: 'INC0010001' });
    expect(result.reason).toBe('not added to INC0010042: sender is not the reporter, a participant or an agent');
    expect(signals).toEqual([]);
  });

  test('the reporter with a failed DMARC verdict is not trusted on the thread', async () => {
    const fake = fakeActivities({ email: { clues, from: { address: 'anna@customer.example', name: '' } }, thread });
    const taskQueue = `test-${randomUUID()}`;
    const worker = await Worker.create({ connection: server.env().nativeConnection, taskQueue, workflowBundle: server.workflowBundle(), activities: fake.activities });
    const result = await worker.runUntil(
      server.env().client.workflow.execute(inboundEmail, {
        taskQueue,
        workflowId: `inbound-email-${randomUUID()}`,
        args: [{ notice: { sesMessageId: 'm3', bucket: 'b', key: 'inbound/m3', verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'FAIL' } } }],
      }),
    );
    expect(result.stage).toBe('confirmed');
    expect(result.reason).toMatch(/^not added to INC0010042: .*DMARC/);
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
    const { result } = await runEmail({ email: { clues: undefined } });
    expect(result.stage).toBe('confirmed');
  });

  test('an auto-reply naming the thread is noted there, never answered', async () => {
    const { result, signals, calls } = await runEmail({ email: { kind: 'auto-reply', clues, from: { address: 'anna@customer.example', name: '' } }, thread });
    expect(result).toMatchObject({ stage: 'ignored', incidentNumber: 'INC0010042' });
    expect(signals).toEqual([{ incidentNumber: 'INC0010042', type: 'note' }]);
    expect(calls).not.toContain('mailConfirmation');
  });
});
