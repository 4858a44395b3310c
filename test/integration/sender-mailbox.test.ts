// One valid mailbox or none, on the real stack: a From naming several mailboxes, or an address that is
// no mailbox, still makes an incident, but nothing is mailed to anyone it names and the reason is kept.
import { getInboundEmail } from '../../src/db/inbound-emails';
import { getIncident } from '../../src/db/incidents';
import { addUser } from '../../src/db/directory';
import { newId, openStack } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

const email = (id: string, from: string) =>
  Buffer.from(
    [`From: ${from}`, 'To: <support@helpdesk.example.org>', 'Subject: Printer broken', `Message-ID: <${id}@test.example>`, 'Content-Type: text/plain; charset=utf-8', '', 'It jams.', ''].join('\r\n'),
  );

test('a From with two mailboxes: an incident without reporter or confirmation, the reason recorded, nobody mailed', async () => {
  const id = newId('two-from');
  const [first, second] = [`${id}-a@customer.example`, `${id}-b@elsewhere.example`];
  // The first address is a known user: a single From would make them the reporter.
  await addUser(stack.ctx.pool, { email: first, name: 'Known User' });
  await stack.deliver(email(id, `${first}, ${second}`), { messageId: id });
  const status = await stack.finish(id);
  expect(status).toMatchObject({ stage: 'incident-created', reason: 'no confirmation: the From header names 2 mailboxes, not one' });
  const incident = await getIncident(stack.ctx.pool, status.incidentNumber!);
  expect(incident).toMatchObject({ reporter: null, shortDescription: 'Printer broken' });
  expect((await getInboundEmail(stack.ctx.pool, id))!.reason).toBe('no confirmation: the From header names 2 mailboxes, not one');
  const sent = (await stack.outbox()).filter((m) => m.to.some((to) => to.includes(id)) || (m.raw ?? '').includes(id));
  expect(sent).toEqual([]);
});

test('a From whose address is no mailbox ("Name" <@domain>): an incident, nothing sent', async () => {
  const id = newId('no-mailbox');
  await stack.deliver(email(id, `"Support of ${id}" <@${id}.example>`), { messageId: id });
  const status = await stack.finish(id);
  expect(status).toMatchObject({ stage: 'incident-created', reason: 'no confirmation: the From address is not a valid mailbox' });
  expect((await stack.outbox()).filter((m) => (m.raw ?? '').includes(id))).toEqual([]);
});

test('a From address 3 KB long: the workflow completes (no oversized search attribute), an incident, nothing sent', async () => {
  const id = newId('long-from');
  await stack.deliver(email(id, `Evil <${'x'.repeat(3000)}${id}@example.com>`), { messageId: id });
  const status = await stack.finish(id);
  expect(status).toMatchObject({ stage: 'incident-created', workflowStatus: 'COMPLETED', reason: 'no confirmation: the From address is not a valid mailbox' });
  expect((await stack.outbox()).filter((m) => (m.raw ?? '').includes(id))).toEqual([]);
});
