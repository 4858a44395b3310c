// Failure messages go through the payload codec: an activity's error about an email (here a parse
// fault naming the sender) is stored encrypted in the history, and the workflow still reads it.
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { encryptingDataConverter } from '../../src/encryption/data-converter';
import { parseKeyRing } from '../../src/encryption/key-ring';
import { PermanentFault } from '../../src/domain/permanent-faults';
import { discardSignal, inboundEmail, statusQuery } from '../../src/workflows';
import { useDevServer } from './dev-server';
import { fakeActivities } from './fake-activities';

const server = useDevServer();
const dataConverter = encryptingDataConverter(parseKeyRing(`test-1:${Buffer.alloc(32, 7).toString('base64')}`));
const SECRET = 'anna.secret@customer.example';

test("an activity's failure message is encrypted in history and read by the workflow", async () => {
  const fake = fakeActivities({ parseFault: { type: PermanentFault.UnparseableEmail, message: `cannot read the From of ${SECRET}` } });
  const taskQueue = `failures-${randomUUID()}`;
  const workflowId = `inbound-email-${randomUUID()}`;
  const worker = await Worker.create({ connection: server.env().nativeConnection, taskQueue, workflowBundle: server.workflowBundle(), activities: fake.activities, dataConverter });
  const client = new Client({ connection: server.env().connection, dataConverter });
  await worker.runUntil(async () => {
    const handle = await client.workflow.start(inboundEmail, { taskQueue, workflowId, args: [{ notice: { sesMessageId: 'm1', bucket: 'b', key: 'inbound/m1' } }] });
    // The workflow decoded the message: it is the quarantine reason.
    for (let i = 0; i < 100 && (await handle.query(statusQuery)).stage !== 'quarantined'; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await handle.query(statusQuery)).reason).toBe(`UnparseableEmail: cannot read the From of ${SECRET}`);
    await handle.signal(discardSignal, { reason: 'test' });
    await handle.result();
  });
  // Read without the codec, as anyone with namespace access could.
  const history = await server.env().client.workflow.getHandle(workflowId).fetchHistory();
  const failed = history.events!.filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED);
  expect(failed).toHaveLength(1);
  const failure = failed[0].activityTaskFailedEventAttributes!.failure!;
  expect(failure.message).toBe('Encoded failure');
  expect(failure.encodedAttributes).toBeTruthy();
  expect(JSON.stringify(temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.create(history)))).not.toContain(SECRET);
});
