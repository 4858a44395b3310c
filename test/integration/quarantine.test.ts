// Spam is quarantined (kept, recorded, not processed) and a released email continues to an incident.
import { getInboundEmail } from '../../src/db/inbound-emails';
import { inboundEmailWorkflowId } from '../../src/domain/workflow-ids';
import { addToAllowlist } from '../../src/db/directory';
import { discardSignal, releaseSignal } from '../../src/workflows';
import { newId, openStack, uniqueEmail } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

test('a spam-FAIL email is quarantined: no incident, no confirmation, kept in S3 and recorded', async () => {
  const id = newId('spam');
  await stack.deliver(uniqueEmail('html-only.eml', id, `${id}@spam.example`), { messageId: id, verdicts: { spam: 'FAIL' } });
  const status = await stack.settle(id);
  expect(status).toMatchObject({ stage: 'quarantined', incidentNumber: null, workflowStatus: 'RUNNING' });
  expect(status.reason).toContain('spam verdict FAIL');
  expect(await stack.incidentsFor(id)).toEqual([]);
  expect((await stack.outbox()).filter((m) => m.to.includes(`${id}@spam.example`))).toEqual([]);
  const record = await getInboundEmail(stack.ctx.pool, id);
  expect(record).toMatchObject({ stage: 'quarantined', key: `inbound/${id}` });
  expect(record!.spamScore).toBeGreaterThanOrEqual(5);

  // Released by an admin: the normal path, an incident and a confirmation.
  await (await stack.ctx.temporal()).workflow.getHandle(inboundEmailWorkflowId(id)).signal(releaseSignal);
  const released = await stack.finish(id);
  expect(released.stage).toBe('confirmed');
  expect(await stack.incidentsFor(id)).toHaveLength(1);
});

test('a discarded email is recorded as discarded and makes no incident', async () => {
  const id = newId('discard');
  await stack.deliver(uniqueEmail('html-only.eml', id, `${id}@spam.example`), { messageId: id, verdicts: { spam: 'FAIL' } });
  expect((await stack.settle(id)).stage).toBe('quarantined');
  await (await stack.ctx.temporal()).workflow.getHandle(inboundEmailWorkflowId(id)).signal(discardSignal, { reason: 'junk' });
  const done = await stack.finish(id);
  expect(done).toMatchObject({ stage: 'discarded', reason: 'junk', workflowStatus: 'COMPLETED' });
  expect(await stack.incidentsFor(id)).toEqual([]);
});

test('an allowlisted sender skips the spam threshold but never the virus verdict', async () => {
  const spam = newId('allow');
  const virus = newId('virus');
  await addToAllowlist(stack.ctx.pool, 'monitoring.example');
  await stack.deliver(uniqueEmail('plain-text.eml', spam, `alerts-${spam}@monitoring.example`), { messageId: spam, verdicts: { spam: 'FAIL' } });
  await stack.deliver(uniqueEmail('plain-text.eml', virus, `alerts-${virus}@monitoring.example`), { messageId: virus, verdicts: { virus: 'FAIL' } });
  expect((await stack.settle(spam)).stage).toBe('confirmed');
  expect(await stack.settle(virus)).toMatchObject({ stage: 'quarantined', reason: expect.stringContaining('virus') });
});
