// Agent forwards on the real stack (README, "What happens to an email"): an authenticated agent's forward of
// a customer's email makes the customer's incident, and the customer is mailed only when the agent tags it;
// anyone else's forward stays theirs.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { addUser } from '../../src/db/directory';
import { getIncident } from '../../src/db/incidents';
import { findIncidentByMessageIds, threadPeople } from '../../src/db/threads';
import { adminCredentials, adminSignIn, webBase } from './admin-session';
import { newId, openStack } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const stack = openStack();
afterAll(() => stack.ctx.close());

/** Everything we sent that names this test's id (in any address or in the text). */
const mailedAbout = async (id: string) => (await stack.outbox()).filter((m) => (m.raw ?? '').includes(id) || m.to.some((to) => to.includes(id)));

interface People {
  id: string;
  agent: string;
  customer: string;
}

async function people(label: string, agentRole: 'agent' | 'customer' = 'agent'): Promise<People> {
  const id = newId(label);
  const agent = `agent-${id}@example.com`;
  const customer = `carla-${id}@customer.example`;
  await addUser(stack.ctx.pool, { email: agent, name: 'Agnes Agent', role: agentRole });
  await addUser(stack.ctx.pool, { email: customer, name: 'Carla Customer' });
  return { id, agent, customer };
}

/** The agent's email forwarding the customer's inline, as Gmail writes it. */
const inlineForward = ({ id, agent, customer }: People, note: string) =>
  Buffer.from(
    [
      `From: Agnes Agent <${agent}>`,
      `To: ${stack.ctx.config.ticketAddress}`,
      `Subject: Fwd: Printer on floor 3 prints blank pages ${id}`,
      `Message-ID: <${id}@example.com>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      note,
      '',
      '---------- Forwarded message ---------',
      `From: Carla Customer <${customer}>`,
      'Date: Mon, 30 Nov 2026 at 10:12',
      `Subject: Printer on floor 3 prints blank pages ${id}`,
      `To: Agnes Agent <${agent}>`,
      '',
      '',
      'Hello Agnes,',
      '',
      'the printer on floor 3 prints blank pages.',
      '',
    ].join('\r\n'),
  );

test("an agent's forward without the tag: the customer's incident, marked forwarded by the agent, nothing mailed", async () => {
  const who = await people('fwd-quiet');
  await stack.deliver(inlineForward(who, 'Carla called about this too.'), { messageId: who.id });
  const status = await stack.finish(who.id);
  expect(status).toMatchObject({
    stage: 'incident-created',
    reason: `forwarded by ${who.agent} for ${who.customer}; no confirmation: the agent did not ask for one (#notify)`,
  });
  const incident = await getIncident(stack.ctx.pool, status.incidentNumber!);
  expect(incident).toMatchObject({
    shortDescription: `Printer on floor 3 prints blank pages ${who.id}`,
    description: 'Hello Agnes,\n\nthe printer on floor 3 prints blank pages.',
    reporter: { email: who.customer, name: 'Carla Customer', verified: true },
    sender: { address: who.customer, name: 'Carla Customer' },
    senderAuthenticated: true,
    forwardedBy: who.agent,
  });
  // The agent's note is the first comment: for agents, never sent.
  expect(incident!.comments).toEqual([expect.objectContaining({ author: who.agent, source: 'agent', body: 'Carla called about this too.' })]);
  // The customer takes the agent's place among the participants (the agent speaks as an agent anyway).
  expect((await threadPeople(stack.ctx.pool, status.incidentNumber!))!.participants).toEqual([who.customer]);
  expect(await mailedAbout(who.id)).toEqual([]);
});

test("with #notify the customer, not the agent, gets the confirmation about their own subject", async () => {
  const who = await people('fwd-notify');
  await stack.deliver(inlineForward(who, 'Please help her today. #notify'), { messageId: who.id });
  const status = await stack.finish(who.id);
  expect(status).toMatchObject({ stage: 'confirmed', reason: `forwarded by ${who.agent} for ${who.customer}` });
  const mails = await mailedAbout(who.id);
  expect(mails.map((m) => m.to)).toEqual([[who.customer]]);
  expect(mails[0].subject).toContain(`Printer on floor 3 prints blank pages ${who.id}`);
  expect(mails[0].raw).toContain('X-Email-To-Ticket-Loop');
});

test('a forward as attachment (message/rfc822): the attached message makes the incident, and its Message-ID joins the thread', async () => {
  const who = await people('fwd-attached');
  const raw = Buffer.from(
    [
      `From: Agnes Agent <${who.agent}>`,
      `To: ${stack.ctx.config.ticketAddress}`,
      'Subject: Fwd: Laptop battery swollen [notify]',
      `Message-ID: <${who.id}@example.com>`,
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Urgent.',
      '--outer',
      'Content-Type: message/rfc822',
      'Content-Disposition: attachment; filename="original.eml"',
      '',
      `From: Carla Customer <${who.customer}>`,
      `To: Agnes Agent <${who.agent}>`,
      `Subject: Laptop battery swollen ${who.id}`,
      `Message-ID: <orig-${who.id}@customer.example>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The battery of my laptop is swollen.',
      '--outer--',
      '',
    ].join('\r\n'),
  );
  await stack.deliver(raw, { messageId: who.id });
  const status = await stack.finish(who.id);
  expect(status).toMatchObject({ stage: 'confirmed', reason: `forwarded by ${who.agent} for ${who.customer}` });
  const incident = await getIncident(stack.ctx.pool, status.incidentNumber!);
  expect(incident).toMatchObject({
    shortDescription: `Laptop battery swollen ${who.id}`,
    description: 'The battery of my laptop is swollen.',
    sender: { address: who.customer },
    forwardedBy: who.agent,
    attachments: [expect.objectContaining({ contentType: 'message/rfc822', filename: 'original.eml' })],
  });
  expect(await findIncidentByMessageIds(stack.ctx.pool, [`orig-${who.id}@customer.example`])).toBe(status.incidentNumber);
  expect((await mailedAbout(who.id)).map((m) => m.to)).toEqual([[who.customer]]);
});

test("a forward from someone who is not an agent stays theirs: no incident in the customer's name, nothing mailed to them", async () => {
  const who = await people('fwd-stranger', 'customer');
  await stack.deliver(inlineForward(who, 'Look what Carla wrote #notify'), { messageId: who.id });
  const status = await stack.finish(who.id);
  expect(status).toMatchObject({ stage: 'confirmed', reason: "forward kept as the sender's own: sender is not an agent" });
  const incident = await getIncident(stack.ctx.pool, status.incidentNumber!);
  expect(incident).toMatchObject({ sender: { address: who.agent }, reporter: { email: who.agent }, forwardedBy: null });
  expect(incident!.shortDescription).toBe(`Fwd: Printer on floor 3 prints blank pages ${who.id}`);
  // The sender's own confirmation only; the customer named in the forward gets nothing.
  expect((await mailedAbout(who.id)).map((m) => m.to)).toEqual([[who.agent]]);
});

test("an agent whose From is not authenticated (DMARC fail) is no agent: the forward stays theirs, and no one is mailed", async () => {
  const who = await people('fwd-forged');
  await stack.deliver(inlineForward(who, 'Spoofed #notify'), { messageId: who.id, verdicts: { dmarc: 'FAIL' } });
  const status = await stack.finish(who.id);
  expect(status.stage).toBe('incident-created');
  expect(status.reason).toMatch(/^forward kept as the sender's own: sender not authenticated; no confirmation/);
  const incident = await getIncident(stack.ctx.pool, status.incidentNumber!);
  expect(incident).toMatchObject({ sender: { address: who.agent }, reporter: null, forwardedBy: null });
  expect(await mailedAbout(who.id)).toEqual([]);
});

test('"forwarded by" is shown by incident show, the API and the admin page', async () => {
  const who = await people('fwd-shown');
  await stack.deliver(inlineForward(who, 'See below.'), { messageId: who.id });
  const number = (await stack.finish(who.id)).incidentNumber!;

  const cli = join(__dirname, '..', '..', 'bin', 'email-to-ticket.js');
  const { stdout } = await promisify(execFile)(process.execPath, [cli, 'incident', 'show', number], { env: { ...process.env, ...TEST_STACK_ENV } });
  expect(stdout).toContain(`Reporter: Carla Customer <${who.customer}>\nForwarded by ${who.agent}\n`);

  const api = await fetch(`${webBase()}/api/incidents/${number}`, { headers: { authorization: `Bearer ${adminCredentials(stack.ctx).token}` } });
  expect(await api.json()).toMatchObject({ forwardedBy: who.agent, sender: { address: who.customer } });

  const { cookie } = await adminSignIn(stack.ctx);
  const page = await (await fetch(`${webBase()}/admin/incidents/${number}`, { headers: { cookie } })).text();
  expect(page).toContain(`<p>Forwarded by ${who.agent}</p>`);
});
