// Reply threading on the real stack: "Send to Customer" emails a threaded message; the reporter's reply
// joins the incident without its quoted history; strangers, auto-replies and bounces do not.
import { Deployment } from '../../src/operations/deployment';
import { addAgentComment, waitForComment } from '../../src/operations/incident-thread';
import { getIncident } from '../../src/db/incidents';
import { header, newId, openStack, replyEmail, uniqueEmail } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

async function incidentWithAgentMail(ctx: Deployment, customer: string) {
  const id = newId('thread');
  await stack.deliver(uniqueEmail('plain-text.eml', id, customer), { messageId: id });
  const created = await stack.settle(id);
  expect(created.stage).toBe('confirmed');
  const number = created.incidentNumber!;
  const commentId = await addAgentComment(await ctx.temporal(), ctx.pool, ctx.config.temporal.taskQueue, {
    incidentNumber: number,
    body: 'Could you send us a photo of the printer display?',
    author: 'Dana Agent',
    sendToCustomer: true,
  });
  await waitForComment(ctx.pool, commentId, true, 30_000);
  const mails = (await stack.outbox()).filter((m) => m.to.includes(customer) && m.raw?.includes('photo of the printer display'));
  expect(mails).toHaveLength(1);
  return { number, agentMail: mails[0], firstId: id };
}

test('Send to Customer emails the reporter a threaded message with our headers and watermark', async () => {
  const customer = `${newId('cust')}@customer.example`;
  const { number, agentMail, firstId } = await incidentWithAgentMail(stack.ctx, customer);
  const raw = agentMail.raw!;
  expect(agentMail.subject).toContain(`[${number}]`);
  expect(header(raw, 'Message-ID')).toMatch(/^<[0-9a-f-]{36}@your-instance\.stackflow-tech\.com>$/);
  // It answers the conversation's newest message (the customer's email, or our confirmation of it, when
  // that was recorded first) and References name the customer's email.
  const [confirmation] = (await stack.outbox()).filter((m) => m.to.includes(customer) && header(m.raw!, 'Auto-Submitted') === 'auto-replied');
  expect([`<${firstId}@test.example>`, header(confirmation.raw!, 'Message-ID')]).toContain(header(raw, 'In-Reply-To'));
  expect(header(raw, 'References')).toContain(`<${firstId}@test.example>`);
  expect(header(raw, 'X-Email-To-Ticket-Loop')).toBe('tickets@your-instance.stackflow-tech.com');
  expect(header(raw, 'Auto-Submitted')).toBeUndefined(); // a person wrote it
  expect(raw).toContain(`[ref:${number}]`);
  const incident = await getIncident(stack.ctx.pool, number);
  expect(incident!.comments).toEqual([expect.objectContaining({ author: 'Dana Agent', source: 'agent', body: 'Could you send us a photo of the printer display?' })]);
});

test("the confirmation is an auto-response: Auto-Submitted, our loop header, threaded to the customer's email", async () => {
  const customer = `${newId('conf')}@customer.example`;
  const id = newId('conf');
  await stack.deliver(uniqueEmail('plain-text.eml', id, customer), { messageId: id });
  expect((await stack.settle(id)).stage).toBe('confirmed');
  const [confirmation] = (await stack.outbox()).filter((m) => m.to.includes(customer));
  expect(header(confirmation.raw!, 'Auto-Submitted')).toBe('auto-replied');
  expect(header(confirmation.raw!, 'X-Auto-Response-Suppress')).toBe('All');
  expect(header(confirmation.raw!, 'X-Email-To-Ticket-Loop')).toBe('tickets@your-instance.stackflow-tech.com');
  expect(header(confirmation.raw!, 'In-Reply-To')).toBe(`<${id}@test.example>`);
});

test('the reporter replies with In-Reply-To: appended without the quoted text, no incident, no confirmation', async () => {
  const customer = `${newId('reply')}@customer.example`;
  const { number, agentMail } = await incidentWithAgentMail(stack.ctx, customer);
  const replyId = newId('r1');
  await stack.deliver(
    replyEmail({
      from: customer,
      subject: `Re: ${agentMail.subject}`,
      messageId: `${replyId}@customer.example`,
      inReplyTo: header(agentMail.raw!, 'Message-ID'),
      body: [
        'Here is the photo: the display says "Paper jam in tray 2".',
        '',
        'On Tue, 24 Nov 2026 at 10:00, Support <tickets@your-instance.stackflow-tech.com> wrote:',
        '> Could you send us a photo of the printer display?',
        '>',
        `> [ref:${number}]`,
      ].join('\r\n'),
    }),
    { messageId: replyId },
  );
  const status = await stack.settle(replyId);
  expect(status).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: number });
  expect(status.reason).toContain('references');
  expect(await stack.incidentsFor(replyId)).toEqual([]);

  const comments = await waitForComments(number, 2);
  expect(comments[1]).toMatchObject({ source: 'email', body: 'Here is the photo: the display says "Paper jam in tray 2".' });
  expect(comments[1].author).toContain(customer);
  // Only the first confirmation and the agent's comment went to the customer: no auto-response to a reply.
  expect((await stack.outbox()).filter((m) => m.to.includes(customer))).toHaveLength(2);
});

test('the same reply without In-Reply-To, but with the incident number in the subject, is appended', async () => {
  const customer = `${newId('subj')}@customer.example`;
  const { number } = await incidentWithAgentMail(stack.ctx, customer);
  const replyId = newId('r2');
  await stack.deliver(
    replyEmail({ from: customer, subject: `AW: [${number}] Printer on 3rd floor`, messageId: `${replyId}@customer.example`, body: 'It works again, thank you!' }),
    { messageId: replyId },
  );
  expect(await stack.settle(replyId)).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: number });
  const comments = await waitForComments(number, 2);
  expect(comments[1].body).toBe('It works again, thank you!');
});

test('a stranger replying to the same message gets an incident of their own; the first is unchanged', async () => {
  const customer = `${newId('owner')}@customer.example`;
  const stranger = `${newId('stranger')}@elsewhere.example`;
  const { number, agentMail } = await incidentWithAgentMail(stack.ctx, customer);
  const before = await getIncident(stack.ctx.pool, number);
  const replyId = newId('r3');
  await stack.deliver(
    replyEmail({
      from: stranger,
      subject: `Re: ${agentMail.subject}`,
      messageId: `${replyId}@elsewhere.example`,
      inReplyTo: header(agentMail.raw!, 'Message-ID'),
      body: 'I have the same problem, and here is my password: hunter2',
    }),
    { messageId: replyId },
  );
  const status = await stack.settle(replyId);
  expect(status.stage).toBe('confirmed');
  expect(status.incidentNumber).not.toBe(number);
  expect(status.reason).toContain(`not added to ${number}`);
  expect(await stack.incidentsFor(replyId)).toEqual([status.incidentNumber]);
  await new Promise((r) => setTimeout(r, 1000));
  expect((await getIncident(stack.ctx.pool, number))!.comments).toEqual(before!.comments);
});

test('an out-of-office reply gets nothing back and makes no incident; it is noted on the thread', async () => {
  const customer = `${newId('ooo')}@customer.example`;
  const { number, agentMail } = await incidentWithAgentMail(stack.ctx, customer);
  const sentBefore = (await stack.outbox()).filter((m) => m.to.includes(customer)).length;
  const replyId = newId('r4');
  await stack.deliver(
    replyEmail({
      from: customer,
      subject: `Automatic reply: ${agentMail.subject}`,
      messageId: `${replyId}@customer.example`,
      inReplyTo: header(agentMail.raw!, 'Message-ID'),
      headers: ['Auto-Submitted: auto-replied', 'X-Auto-Response-Suppress: All'],
      body: 'I am out of the office until Monday.',
    }),
    { messageId: replyId },
  );
  const status = await stack.settle(replyId);
  expect(status.stage).toBe('ignored');
  expect(status.reason).toContain(`noted on ${number}`);
  expect(await stack.incidentsFor(replyId)).toEqual([]);
  const comments = await waitForComments(number, 2);
  expect(comments[1]).toMatchObject({ source: 'note', author: 'system' });
  await new Promise((r) => setTimeout(r, 1000));
  expect((await stack.outbox()).filter((m) => m.to.includes(customer))).toHaveLength(sentBefore);
});

test('a bounce makes no incident and gets no answer', async () => {
  const id = newId('bounce');
  await stack.deliver(uniqueEmail('bounce.eml', id), { messageId: id });
  const status = await stack.settle(id);
  expect(status.stage).toBe('ignored');
  expect(status.reason).toContain('bounce');
  expect(await stack.incidentsFor(id)).toEqual([]);
  expect((await stack.outbox()).filter((m) => m.to.some((t) => /mailer-daemon/i.test(t)))).toEqual([]);
});

async function waitForComments(number: string, count: number) {
  for (let i = 0; i < 100; i++) {
    const incident = await getIncident(stack.ctx.pool, number);
    if (incident!.comments.length >= count) return incident!.comments;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${number} never had ${count} comments`);
}
