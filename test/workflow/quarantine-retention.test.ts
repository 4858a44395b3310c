// Quarantine's 30-day retention, on the time-skipping test server: no admin decision -> discarded.
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { inboundEmail } from '../../src/workflows';
import { fakeActivities } from './fake-activities';
import { testServerExecutable } from './temporal-binaries';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable() } });
}, 120_000);
afterAll(() => env?.teardown());

test('a quarantined email nobody decides on is discarded when the retention expires', async () => {
  const fake = fakeActivities({ spam: { action: 'quarantine', score: 10, reasons: ['spam verdict FAIL'], allowlisted: false } });
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../../src/workflows'),
    activities: fake.activities,
  });
  const result = await worker.runUntil(
    env.client.workflow.execute(inboundEmail, {
      taskQueue,
      workflowId: `inbound-email-${randomUUID()}`,
      args: [{ notice: { sesMessageId: 'm2', bucket: 'b', key: 'inbound/m2' } }],
    }),
  );
  expect(result).toEqual({ stage: 'discarded', incidentNumber: null, reason: 'quarantine retention expired' });
  expect(fake.outcomes.map((o) => o.stage)).toEqual(['quarantined', 'discarded']);
  expect(fake.calls).not.toContain('createIncident');
}, 120_000);
