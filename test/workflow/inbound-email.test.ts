// The inbound-email workflow's decisions, on a real Temporal dev server, with activities faked.
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { inboundEmail } from '../../src/workflows';
import { EmailStatus, SpamDecision } from '../../src/domain/types';
import { PermanentFault } from '../../src/domain/permanent-faults';
import { fakeActivities, Script } from './fake-activities';
import { devServerExecutable } from './temporal-binaries';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: devServerExecutable() } });
  workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows') });
}, 120_000);

afterAll(() => env?.teardown());

async function runEmail(script: Script, during?: (workflowId: string) => Promise<void>) {
  const fake = fakeActivities(script);
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities: fake.activities });
  const workflowId = `inbound-email-${randomUUID()}`;
  const result = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(inboundEmail, {
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
  const handle = env.client.workflow.getHandle(workflowId);
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
  expect(calls).toEqual(['parseInboundEmail', 'checkSpam', 'lookupReporter', 'routeEmail', 'createIncident', 'sendConfirmation']);
});

test('transient failures of incident creation and confirmation are retried until they pass', async () => {
  const { result, attempts, calls } = await runEmail({ failCreateIncident: 2, failConfirmation: 1 });
  expect(result.stage).toBe('confirmed');
  expect(attempts()).toEqual({ createAttempts: 3, confirmAttempts: 2 });
  expect(calls.filter((c) => c === 'sendConfirmation')).toHaveLength(2);
}, 30_000);

test('an unparseable email is not retried: it is quarantined with the reason', async () => {
  const { calls, outcomes } = await runEmail({ parseFault: { type: PermanentFault.UnparseableEmail, message: 'Unparseable email: boom' } }, async (id) => {
    const status = await waitForStage(id, 'quarantined');
    expect(status.reason).toBe('UnparseableEmail: Unparseable email: boom');
    await env.client.workflow.getHandle(id).signal('discard', { reason: 'broken beyond repair' });
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
      await env.client.workflow.getHandle(id).signal('release');
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
  expect(calls).not.toContain('createIncident');
  expect(calls).not.toContain('sendConfirmation');
});

test('bulk mail makes an incident but gets no auto-response', async () => {
  const { result, calls } = await runEmail({ email: { kind: 'bulk' } });
  expect(result).toMatchObject({ stage: 'incident-created', incidentNumber: 'INC0010001' });
  expect(calls).not.toContain('sendConfirmation');
});

test('spam waits in quarantine, answers the status query, and goes on when released', async () => {
  const spam: SpamDecision = { action: 'quarantine', score: 10, reasons: ['spam verdict FAIL'], allowlisted: false };
  const { result, calls } = await runEmail({ spam }, async (id) => {
    const status = await waitForStage(id, 'quarantined');
    expect(status).toEqual({ stage: 'quarantined', incidentNumber: null, reason: 'spam verdict FAIL' });
    await env.client.workflow.getHandle(id).signal('release');
  });
  expect(result.stage).toBe('confirmed');
  expect(calls).toContain('createIncident');
});
