// SLA clocks on the real stack, with the short targets of the test policy's group "SLA Watch"
// (test/fixtures/sla-policy.json: first response and resolution 1 minute each, wall time): an incident
// nobody answers warns and breaches on schedule (events on the incident, the clock's query, the metric);
// one an agent answers and sets to wait for the customer pauses, stays unbreached past its target, resumes
// with the customer's reply and stops when closed. A worker started with a new policy re-plans every open
// clock, while the stack's worker, on the old policy, refuses to give a plan for it.
import { PutCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { incidentSla, latestSlaPolicy, recordSlaPolicy } from '../../src/db/sla';
import { incidentSlaWorkflowId, slaReplanWorkflowId } from '../../src/domain/workflow-ids';
import { addAgentComment, closeIncident } from '../../src/operations/incident-thread';
import { slaQuery } from '../../src/workflows';
import { freePort, newId, openStack, replyEmail, waitFor } from './helpers';

const stack = openStack();
const tag = newId('sla');
const ruleId = `${tag}-watch`;
jest.setTimeout(300_000);

beforeAll(async () => {
  await stack.ctx.aws.dynamo.send(
    new PutCommand({
      TableName: stack.ctx.config.routingRuleTable,
      Item: { ruleId, position: 1, enabled: true, conditions: [{ field: 'subject', operator: 'contains', value: tag }], assignmentGroup: 'SLA Watch', priority: 3, escalationAddress: `${tag}@oncall.example` },
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
  const line = text.split('\n').find((l) => l.startsWith('email_to_ticket_sla_events_total{') && l.includes(`target="${target}"`) && l.includes(`event="${event}"`));
  return Number(line?.split(' ').pop() ?? 0);
};

test('an unanswered incident warns and breaches on schedule; a paused one does not, until the customer answers', async () => {
  const breachesBefore = await metric('resolution', 'breach');
  const quiet = await newIncident('quiet');
  const created = Date.parse((await stack.ctx.pool.query('SELECT created_at FROM incidents WHERE number = $1', [quiet.number])).rows[0].created_at.toISOString());
  const waiting = await newIncident('waiting');

  // The agent answers the second one and waits for the customer: first response met, clock paused.
  await addAgentComment(await stack.ctx.temporal(), stack.ctx.pool, stack.ctx.config.temporal.taskQueue, {
    incidentNumber: waiting.number,
    author: 'agent@helpdesk.example',
    body: 'Which VPN client version do you run?',
    sendToCustomer: true,
    awaitingCustomer: true,
  });
  expect(await until(waiting.number, 'clock paused', 30_000)).toEqual(['firstResponse started', 'resolution started', 'firstResponse met', 'clock paused']);

  // The first one: both targets warn at 80% of their minute, and breach at the minute.
  const events = await until(quiet.number, 'resolution breach', 110_000);
  expect(events).toEqual(['firstResponse started', 'resolution started', 'firstResponse warning', 'resolution warning', 'firstResponse breach', 'resolution breach']);
  const sla = (await incidentSla(stack.ctx.pool, quiet.number))!;
  expect(sla).toMatchObject({ firstResponseBreached: true, resolutionBreached: true, resolutionDueAt: new Date(created + 60_000).toISOString() });
  const at = (target: string, event: string) => Date.parse(sla.events.find((e) => e.target === target && e.event === event)!.at);
  expect(at('firstResponse', 'warning')).toBe(created + 48_000);
  expect(at('firstResponse', 'breach')).toBe(created + 60_000);
  expect(at('resolution', 'warning')).toBe(created + 48_000);
  expect(at('resolution', 'breach')).toBe(created + 60_000);
  const clock = await (await stack.ctx.temporal()).workflow.getHandle(incidentSlaWorkflowId(quiet.number)).query(slaQuery);
  expect(clock).toMatchObject({ targets: { firstResponse: { breached: true, state: 'running' }, resolution: { breached: true, state: 'running' } } });
  expect(await metric('resolution', 'breach')).toBeGreaterThan(breachesBefore);
  // Each warning and breach was emailed to the rule's escalation address, once.
  const escalations = (await stack.outbox()).filter((m) => m.to.includes(`${tag}@oncall.example`) && m.subject.includes(quiet.number));
  expect(escalations.map((m) => m.subject.replace(/: .*$/, '')).sort()).toEqual(
    [`[${quiet.number}] SLA first response breached`, `[${quiet.number}] SLA first response due soon`, `[${quiet.number}] SLA resolution breached`, `[${quiet.number}] SLA resolution due soon`].sort(),
  );

  // Past its minute, the paused one has not breached.
  expect(await eventsOf(waiting.number)).toEqual(['firstResponse started', 'resolution started', 'firstResponse met', 'clock paused']);
  expect((await incidentSla(stack.ctx.pool, waiting.number))!.resolutionDueAt).toBeNull();

  // A reply in the customer's name that SES cannot authenticate (no DMARC, SPF and DKIM for another
  // domain) is kept, unverified, and resumes nothing.
  const forgedId = newId('sla-forged');
  await stack.deliver(replyEmail({ from: waiting.from, subject: `Re: [${waiting.number}] VPN drops`, messageId: `${forgedId}@test.example`, body: 'Never mind.' }), {
    messageId: forgedId,
    verdicts: { dmarc: 'GRAY' },
    mailFrom: 'bounce@unaligned.sla.test',
    dkimDomain: 'unaligned.sla.test',
  });
  expect((await stack.settle(forgedId)).stage).toBe('threaded-as-reply');
  await sleep(3000);
  expect(await eventsOf(waiting.number)).toEqual(['firstResponse started', 'resolution started', 'firstResponse met', 'clock paused']);

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

test('a worker that starts with a new policy re-plans the open clocks; the worker on the old one does not answer for it', async () => {
  const open = await newIncident('replanned');
  const created = Date.parse((await stack.ctx.pool.query('SELECT created_at FROM incidents WHERE number = $1', [open.number])).rows[0].created_at.toISOString());
  const dir = mkdtempSync(join(tmpdir(), 'sla-policy-'));
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({ groups: { 'SLA Watch': { firstResponse: '1=5m,2=5m,3=5m,4=5m,5=5m', resolution: '1=10m,2=10m,3=10m,4=10m,5=10m', time: 'wall' } } }));
  const healthPort = await freePort();
  const worker = spawn(process.execPath, [join(__dirname, '..', '..', 'lib', 'worker.js')], {
    env: { ...process.env, SLA_POLICY_FILE: join(dir, 'policy.json'), WORKER_HEALTH_ADDRESS: `127.0.0.1:${healthPort}`, WORKER_METRICS_ADDRESS: '' },
    stdio: 'ignore',
  });
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${healthPort}/readyz`).catch(() => null))?.ok || null);
    // Every open incident of the suite is re-planned, each clock asking until a new-policy worker answers.
    await until(open.number, 'resolution replanned', 180_000);
    const sla = (await incidentSla(stack.ctx.pool, open.number))!;
    const replanned = sla.events.filter((e) => e.event === 'replanned');
    expect(replanned.map((e) => [e.target, e.dueAt])).toEqual([
      ['firstResponse', new Date(created + 5 * 60_000).toISOString()],
      ['resolution', new Date(created + 10 * 60_000).toISOString()],
    ]);
    expect(replanned[1].detail).toMatch(/^target 1 -> 10 minutes of wall time; due .* -> /);
    expect(sla.resolutionDueAt).toBe(new Date(created + 10 * 60_000).toISOString());
    // Before the new worker goes: the re-plan has told every open incident, and every clock is on the new
    // policy (the stack's worker alone could not give them the new plan).
    const fingerprint = (await latestSlaPolicy(stack.ctx.pool))!;
    expect(fingerprint).not.toBe(stack.ctx.config.sla.fingerprint);
    await (await stack.ctx.temporal()).workflow.getHandle(slaReplanWorkflowId(fingerprint)).result();
    const behind = async () =>
      Number(
        (
          await stack.ctx.pool.query(
            `SELECT count(*) AS n FROM incidents i LEFT JOIN incident_slas s ON s.incident_number = i.number
              WHERE i.state NOT IN ('resolved', 'closed') AND (s.clock IS NULL OR s.clock->'plan'->>'fingerprint' <> $1)`,
            [fingerprint],
          )
        ).rows[0].n,
      );
    for (const end = Date.now() + 120_000; (await behind()) > 0 && Date.now() < end; ) await sleep(1000);
    expect(await behind()).toBe(0);
  } finally {
    worker.kill('SIGTERM');
    // The stack's own worker, restarted by a later test, finds the policy it runs and re-plans nothing.
    await recordSlaPolicy(stack.ctx.pool, stack.ctx.config.sla.fingerprint, stack.ctx.config.sla.policy);
  }
  await closeIncident(await stack.ctx.temporal(), stack.ctx.pool, stack.ctx.config.temporal.taskQueue, open.number);
  await until(open.number, 'resolution met', 30_000);
});
