// SLA clocks on the real stack, with the short targets of the test policy's group "SLA Watch"
// (test/fixtures/sla-policy.json: first response 1 minute, resolution 2 minutes, wall time): an incident
// nobody answers warns and breaches on schedule (events on the incident, the clock's query, the metric);
// one an agent answers and sets to wait for the customer pauses, stays unbreached past its target, resumes
// with the customer's reply and stops when closed.
import { PutCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { incidentSla } from '../../src/db/sla';
import { incidentSlaWorkflowId } from '../../src/domain/workflow-ids';
import { signalIncidentThread } from '../../src/activities/incident-thread';
import { closeIncident } from '../../src/operations/incident-thread';
import { slaQuery } from '../../src/workflows';
import { newId, openStack, replyEmail } from './helpers';

const stack = openStack();
const tag = newId('sla');
const ruleId = `${tag}-watch`;
jest.setTimeout(300_000);

beforeAll(async () => {
  await stack.ctx.aws.dynamo.send(
    new PutCommand({
      TableName: stack.ctx.config.routingRuleTable,
      Item: { ruleId, position: 1, enabled: true, conditions: [{ field: 'subject', operator: 'contains', value: tag }], assignmentGroup: 'SLA Watch', priority: 3 },
    }),
  );
});
afterAll(async () => {
  await stack.ctx.aws.dynamo.send(new DeleteCommand({ TableName: stack.ctx.config.routingRuleTable, Key: { ruleId } }));
  await stack.ctx.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function newIncident(label: string): Promise<{ number: string; from: string }> {
  const id = newId(label);
  const from = `${id}@customer.example`;
  const raw = Buffer.from(
    [`From: Customer <${from}>`, `To: ${stack.ctx.config.ticketAddress}`, `Subject: [${tag}] ${label}: VPN drops`, `Message-ID: <${id}@test.example>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'It drops every ten minutes.', ''].join('\r\n'),
  );
  await stack.deliver(raw, { messageId: id });
  const status = await stack.settle(id);
  expect(status.stage).toBe('confirmed');
  return { number: status.incidentNumber!, from };
}

const eventsOf = async (number: string) => ((await incidentSla(stack.ctx.pool, number))?.events ?? []).map((e) => `${e.target ?? 'clock'} ${e.event}`);

async function until(number: string, event: string, timeoutMs: number): Promise<string[]> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(500)) {
    const events = await eventsOf(number);
    if (events.includes(event)) return events;
  }
  throw new Error(`${number}: no "${event}" within ${timeoutMs / 1000} s; events: ${(await eventsOf(number)).join(', ')}`);
}

const metric = async (target: string, event: string) => {
  const text = await (await fetch(`http://127.0.0.1:${process.env.STACK_WORKER_METRICS_PORT}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('email_to_ticket_sla_events') && l.includes(`target="${target}"`) && l.includes(`event="${event}"`));
  return Number(line?.split(' ').pop() ?? 0);
};

test('an unanswered incident warns and breaches on schedule; a paused one does not, until the customer answers', async () => {
  const breachesBefore = await metric('resolution', 'breach');
  const quiet = await newIncident('quiet');
  const created = Date.parse((await stack.ctx.pool.query('SELECT created_at FROM incidents WHERE number = $1', [quiet.number])).rows[0].created_at.toISOString());
  const waiting = await newIncident('waiting');

  // The agent answers the second one and waits for the customer: first response met, clock paused.
  await signalIncidentThread(await stack.ctx.temporal(), stack.ctx.config.temporal.taskQueue, waiting.number, {
    type: 'agent-comment',
    id: randomUUID(),
    author: 'agent@helpdesk.example',
    body: 'Which VPN client version do you run?',
    sendToCustomer: true,
    awaitingCustomer: true,
  });
  expect(await until(waiting.number, 'clock paused', 30_000)).toEqual(['firstResponse started', 'resolution started', 'firstResponse met', 'clock paused']);

  // The first one: 80% of a minute, the minute, 80% of two, two.
  const events = await until(quiet.number, 'resolution breach', 170_000);
  expect(events).toEqual(['firstResponse started', 'resolution started', 'firstResponse warning', 'firstResponse breach', 'resolution warning', 'resolution breach']);
  const sla = (await incidentSla(stack.ctx.pool, quiet.number))!;
  expect(sla).toMatchObject({ firstResponseBreached: true, resolutionBreached: true, resolutionDueAt: new Date(created + 120_000).toISOString() });
  const at = (target: string, event: string) => Date.parse(sla.events.find((e) => e.target === target && e.event === event)!.at);
  expect(at('firstResponse', 'warning')).toBe(created + 48_000);
  expect(at('firstResponse', 'breach')).toBe(created + 60_000);
  expect(at('resolution', 'breach')).toBe(created + 120_000);
  const clock = await (await stack.ctx.temporal()).workflow.getHandle(incidentSlaWorkflowId(quiet.number)).query(slaQuery);
  expect(clock).toMatchObject({ targets: { firstResponse: { breached: true, state: 'running' }, resolution: { breached: true, state: 'running' } } });
  expect(await metric('resolution', 'breach')).toBeGreaterThan(breachesBefore);

  // Past its two minutes, the paused one has not breached.
  expect(await eventsOf(waiting.number)).toEqual(['firstResponse started', 'resolution started', 'firstResponse met', 'clock paused']);
  expect((await incidentSla(stack.ctx.pool, waiting.number))!.resolutionDueAt).toBeNull();

  // The customer answers: the clock resumes with the time it had used; closing stops it.
  const replyId = newId('sla-reply');
  await stack.deliver(replyEmail({ from: waiting.from, subject: `Re: [${waiting.number}] VPN drops`, messageId: `${replyId}@test.example`, body: 'Version 5.2.' }), { messageId: replyId });
  await until(waiting.number, 'clock resumed', 45_000);
  const resumed = (await incidentSla(stack.ctx.pool, waiting.number))!;
  expect(Date.parse(resumed.resolutionDueAt!)).toBeGreaterThan(Date.now());
  await closeIncident(await stack.ctx.temporal(), stack.ctx.pool, stack.ctx.config.temporal.taskQueue, waiting.number);
  await until(waiting.number, 'resolution met', 30_000);
  await (await stack.ctx.temporal()).workflow.getHandle(incidentSlaWorkflowId(waiting.number)).result();
  expect(await eventsOf(waiting.number)).toEqual(['firstResponse started', 'resolution started', 'firstResponse met', 'clock paused', 'clock resumed', 'resolution met']);
});
