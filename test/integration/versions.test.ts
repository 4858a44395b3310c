// Every run carries its version where a visibility query sees it, and `versions` lists open runs by it.
import { inboundEmailWorkflowId } from '../../src/domain/workflow-ids';
import { openRunsByVersion } from '../../src/operations/workflow-versions';
import { discardSignal, inboundEmail, INBOUND_EMAIL_VERSION } from '../../src/workflows';
import { newId, openStack, uniqueEmail } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

test('a quarantined email is an open run of the current version, found by TemporalChangeVersion', async () => {
  const id = newId('version');
  await stack.deliver(uniqueEmail('plain-text.eml', id, `${id}@spam.example`), { messageId: id, verdicts: { spam: 'FAIL' } });
  expect(await stack.settle(id)).toMatchObject({ stage: 'quarantined', workflowStatus: 'RUNNING' });
  const client = await stack.ctx.temporal();

  // The visibility query an operator pastes into the UI finds it by its version marker.
  const query = `WorkflowType = '${inboundEmail.name}' AND ExecutionStatus = 'Running' AND TemporalChangeVersion = '${INBOUND_EMAIL_VERSION}'`;
  let found: string[] = [];
  for (let i = 0; i < 30 && !found.includes(inboundEmailWorkflowId(id)); i++) {
    found = [];
    for await (const run of client.workflow.list({ query })) found.push(run.workflowId);
    if (!found.includes(inboundEmailWorkflowId(id))) await new Promise((r) => setTimeout(r, 500));
  }
  expect(found).toContain(inboundEmailWorkflowId(id));

  const current = (await openRunsByVersion(client)).find((g) => g.workflowType === inboundEmail.name && g.version === INBOUND_EMAIL_VERSION);
  expect(current).toBeDefined();
  expect(current!.open).toBeGreaterThanOrEqual(1);
  expect(current!.markers.some((m) => m.startsWith(INBOUND_EMAIL_VERSION))).toBe(true);

  // Discarded, it is no longer open: one fewer run of that version.
  await client.workflow.getHandle(inboundEmailWorkflowId(id)).signal(discardSignal, { reason: 'test' });
  expect((await stack.finish(id)).stage).toBe('discarded');
  let after = current!.open;
  for (let i = 0; i < 30 && after >= current!.open; i++) {
    await new Promise((r) => setTimeout(r, 500));
    after = (await openRunsByVersion(client)).find((g) => g.workflowType === inboundEmail.name && g.version === INBOUND_EMAIL_VERSION)?.open ?? 0;
  }
  expect(after).toBeLessThan(current!.open);
});
