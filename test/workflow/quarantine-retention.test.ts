// Quarantine's retention: with no admin decision within it, the email is discarded (the raw mail stays
// in S3). The default is 30 days; the test gives the workflow 2 seconds.
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { inboundEmail } from '../../src/workflows';
import { useDevServer } from './dev-server';
import { fakeActivities } from './fake-activities';

const server = useDevServer();

test('a quarantined email nobody decides on is discarded when the retention expires', async () => {
  const fake = fakeActivities({ spam: { action: 'quarantine', score: 10, reasons: ['spam verdict FAIL'], allowlisted: false } });
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({ connection: server.env().nativeConnection, taskQueue, workflowBundle: server.workflowBundle(), activities: fake.activities });
  const result = await worker.runUntil(
    server.env().client.workflow.execute(inboundEmail, {
      taskQueue,
      workflowId: `inbound-email-${randomUUID()}`,
      args: [{ notice: { sesMessageId: 'm2', bucket: 'b', key: 'inbound/m2' }, quarantineRetentionMs: 2000 }],
    }),
  );
  expect(result).toEqual({ stage: 'discarded', incidentNumber: null, reason: 'quarantine retention expired' });
  expect(fake.outcomes.map((o) => o.stage)).toEqual(['quarantined', 'discarded']);
  expect(fake.calls).not.toContain('raiseIncident');
}, 60_000);
