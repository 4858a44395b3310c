// The follow-up policy on the real stack: a reply to a closed incident reopens it (the default, and any
// policy within its window), is kept as a note while the sender is told the incident is closed (reject),
// or becomes a new incident linked to the closed one (new-incident). The test stack gives two assignment
// groups a policy after a 14-day window (stack-env.ts); a routing rule on the sender's domain puts this
// file's incidents in them. "After 14 days" is made by moving the close time back in PostgreSQL, which is
// what the rule reads: the worker's configuration is the real one, in days.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createActivities } from '../../src/activities';
import { getIncident } from '../../src/db/incidents';
import { closeIncident } from '../../src/operations/incident-thread';
import { adminCredentials, adminSignIn, webBase } from './admin-session';
import { header, newId, openStack, replyEmail, uniqueEmail, waitFor } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const stack = openStack();
const tag = newId('fup');
const DOMAINS = { reject: `${tag}-reject.example`, newIncident: `${tag}-new.example`, none: `${tag}-none.example` };
const rules = [`${tag}-reject`, `${tag}-new`];

beforeAll(async () => {
  const put = (ruleId: string, domain: string, group: string) =>
    stack.ctx.aws.dynamo.send(
      new PutCommand({
        TableName: stack.ctx.config.routingRuleTable,
        Item: { ruleId, position: 5, enabled: true, conditions: [{ field: 'sender', operator: 'ends_with', value: `@${domain}` }], assignmentGroup: group, priority: 3 },
      }),
    );
  await put(rules[0], DOMAINS.reject, 'Follow-up Reject');
  await put(rules[1], DOMAINS.newIncident, 'Follow-up New');
});

afterAll(async () => {
  for (const ruleId of rules) await stack.ctx.aws.dynamo.send(new DeleteCommand({ TableName: stack.ctx.config.routingRuleTable, Key: { ruleId } }));
  await stack.ctx.close();
});

const incidentRow = async (number: string) =>
  (await stack.ctx.pool.query('SELECT state, closed_at, assignment_group, follow_up_of FROM incidents WHERE number = $1', [number])).rows[0];

/** An incident from a customer of `domain`, closed by an agent; `daysAgo`: its close time moved back. */
async function incidentClosedDaysAgo(domain: string, daysAgo: number) {
  const customer = `${newId('c')}@${domain}`;
  const id = newId('first');
  await stack.deliver(uniqueEmail('plain-text.eml', id, customer), { messageId: id });
  const created = await stack.settle(id);
  expect(created.stage).toBe('confirmed');
  const number = created.incidentNumber!;
  await closeIncident(await stack.ctx.temporal(), stack.ctx.pool, stack.ctx.config.temporal.taskQueue, number);
  const closed = await waitFor(async () => {
    const row = await incidentRow(number);
    return row.state === 'closed' ? row : null;
  });
  // The close is timed, within the last minute.
  expect(Date.now() - closed.closed_at.getTime()).toBeLessThan(60_000);
  if (daysAgo) await stack.ctx.pool.query(`UPDATE incidents SET closed_at = now() - make_interval(days => $2) WHERE number = $1`, [number, daysAgo]);
  return { number, customer, firstId: id };
}

/** `unauthenticated`: no DMARC policy, and SPF and DKIM pass for another domain only (the From is not proven). */
async function replyTo(incident: { number: string; customer: string; firstId: string }, body: string, unauthenticated = false) {
  const replyId = newId('reply');
  await stack.deliver(
    replyEmail({ from: incident.customer, subject: `Re: [${incident.number}] Printer on 3rd floor`, messageId: `${replyId}@${incident.customer.split('@')[1]}`, inReplyTo: `<${incident.firstId}@test.example>`, body }),
    { messageId: replyId, ...(unauthenticated ? { verdicts: { dmarc: 'GRAY' as const }, mailFrom: `bounce@${tag}.evil.example`, dkimDomain: `${tag}.evil.example` } : {}) },
  );
  return { replyId, status: await stack.settle(replyId) };
}

const commentsOf = async (number: string) => (await getIncident(stack.ctx.pool, number))!.comments;
const mailTo = async (address: string) => (await stack.outbox()).filter((m) => m.to.includes(address));

test('default policy (no group policy): a reply 30 days after the close reopens the incident, as always', async () => {
  const incident = await incidentClosedDaysAgo(DOMAINS.none, 30);
  const { status } = await replyTo(incident, 'It is broken again.');
  expect(status).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: incident.number });
  await waitFor(async () => ((await incidentRow(incident.number)).state === 'in-progress' ? true : null));
});

describe('reject after 14 days', () => {
  test('within the window (3 days after the close) a reply reopens the incident', async () => {
    const incident = await incidentClosedDaysAgo(DOMAINS.reject, 3);
    expect((await incidentRow(incident.number)).assignment_group).toBe('Follow-up Reject');
    const { status } = await replyTo(incident, 'Still broken, sorry.');
    expect(status).toMatchObject({ stage: 'threaded-as-reply', reason: `reply to ${incident.number} (matched by references)` });
    await waitFor(async () => ((await incidentRow(incident.number)).state === 'in-progress' ? true : null));
    expect((await commentsOf(incident.number)).map((c) => [c.source, c.body])).toEqual([['email', 'Still broken, sorry.']]);
  });

  test('after the window the incident stays closed, the reply is kept as a note, and the sender is told once', async () => {
    const incident = await incidentClosedDaysAgo(DOMAINS.reject, 15);
    const { replyId, status } = await replyTo(incident, 'The printer jams again.');
    expect(status.stage).toBe('threaded-as-reply');
    expect(status.incidentNumber).toBe(incident.number);
    expect(status.reason).toMatch(new RegExp(`^${incident.number} is closed \\(closed \\d{4}-\\d\\d-\\d\\d more than 14 days ago\\); follow-up policy reject: the reply is kept as a note; the sender was told to write a new email$`));
    const notes = await waitFor(async () => {
      const comments = await commentsOf(incident.number);
      return comments.length ? comments : null;
    });
    expect(notes).toEqual([expect.objectContaining({ source: 'note', unverified: false })]);
    expect(notes[0].body).toMatch(/^Reply to the closed incident; it does not reopen it \(INC\d+ is closed .*follow-up policy reject\):\n\nThe printer jams again\.$/);
    expect(notes[0].author).toContain(incident.customer);
    expect((await incidentRow(incident.number)).state).toBe('closed');
    expect(await stack.incidentsFor(replyId)).toEqual([]);

    const refusals = (await mailTo(incident.customer)).filter((m) => m.subject === `Incident ${incident.number} is closed`);
    expect(refusals).toHaveLength(1);
    const raw = refusals[0].raw!;
    expect(header(raw, 'Auto-Submitted')).toBe('auto-replied');
    expect(header(raw, 'X-Auto-Response-Suppress')).toBe('All');
    expect(header(raw, 'X-Email-To-Ticket-Loop')).toBe('tickets@your-instance.stackflow-tech.com');
    expect(header(raw, 'In-Reply-To')).toBe(`<${replyId}@${DOMAINS.reject}>`);
    expect(raw).toContain('write a new email (not a reply)');
    expect(raw).not.toContain('[ref:');

    // A retried send (the same email) finds the refusal sent: SES gets it once.
    const activities = createActivities({ config: stack.ctx.config, aws: stack.ctx.aws, pool: stack.ctx.pool });
    const again = await activities.mailFollowUpRefusal({ sesMessageId: replyId, incidentNumber: incident.number, closedAt: null, to: { address: incident.customer, name: '' }, inReplyTo: null, references: [] });
    expect(again).toMatchObject({ sent: true, alreadySent: true });
    expect((await mailTo(incident.customer)).filter((m) => m.subject === `Incident ${incident.number} is closed`)).toHaveLength(1);
    const kinds = (await stack.ctx.pool.query('SELECT kind FROM outbound_emails WHERE incident_number = $1 ORDER BY id', [incident.number])).rows.map((r) => r.kind);
    expect(kinds).toEqual(['confirmation', 'follow-up-refusal']);
  });

  test('an unauthenticated sender is mailed nothing: the reply is kept as an unverified note and moves nothing', async () => {
    const incident = await incidentClosedDaysAgo(DOMAINS.reject, 15);
    const before = (await mailTo(incident.customer)).length;
    const { status } = await replyTo(incident, 'Forged or not, who knows.', true);
    expect(status.reason).toMatch(/follow-up policy reject: the reply is kept as a note; not told: sender not authenticated/);
    const notes = await waitFor(async () => {
      const comments = await commentsOf(incident.number);
      return comments.length ? comments : null;
    });
    expect(notes).toEqual([expect.objectContaining({ source: 'note', unverified: true })]);
    expect((await incidentRow(incident.number)).state).toBe('closed');
    expect(await mailTo(incident.customer)).toHaveLength(before);
  });
});

describe('new-incident after 14 days', () => {
  test('within the window (13 days after the close) a reply reopens the incident', async () => {
    const incident = await incidentClosedDaysAgo(DOMAINS.newIncident, 13);
    const { replyId, status } = await replyTo(incident, 'Not fixed after all.');
    expect(status).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: incident.number });
    expect(await stack.incidentsFor(replyId)).toEqual([]);
    await waitFor(async () => ((await incidentRow(incident.number)).state === 'in-progress' ? true : null));
  });

  test('after the window a new incident is made from the reply, linked both ways (show, API, admin page), and confirmed', async () => {
    const incident = await incidentClosedDaysAgo(DOMAINS.newIncident, 20);
    const { replyId, status } = await replyTo(incident, 'A new problem with the same printer.');
    expect(status.stage).toBe('confirmed');
    expect(status.reason).toMatch(new RegExp(`^follow-up of ${incident.number} is closed \\(closed .* more than 14 days ago\\); follow-up policy new-incident$`));
    const [followUp] = await stack.incidentsFor(replyId);
    expect(status.incidentNumber).toBe(followUp);
    expect(followUp).not.toBe(incident.number);

    // The closed incident stays closed and untouched; the new one has the reply, its reporter and group by the normal rules.
    expect((await incidentRow(incident.number)).state).toBe('closed');
    expect(await commentsOf(incident.number)).toEqual([]);
    const made = (await getIncident(stack.ctx.pool, followUp))!;
    expect(made).toMatchObject({ followUpOf: incident.number, followUps: [], state: 'new', assignmentGroup: 'Follow-up New', sender: { address: incident.customer } });
    expect(made.description).toContain('A new problem with the same printer.');
    expect((await getIncident(stack.ctx.pool, incident.number))!).toMatchObject({ followUpOf: null, followUps: [followUp] });
    const confirmation = (await mailTo(incident.customer)).filter((m) => m.subject.includes(followUp));
    expect(confirmation).toHaveLength(1);
    expect(header(confirmation[0].raw!, 'In-Reply-To')).toBe(`<${replyId}@${DOMAINS.newIncident}>`);

    // incident show (the CLI), the API's JSON, the admin page: both show the link.
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, [join(__dirname, '..', '..', 'bin', 'email-to-ticket.js'), ...args], { env: { ...process.env, ...TEST_STACK_ENV } });
    expect((await cli('incident', 'show', followUp)).stdout).toContain(`Follow-up of ${incident.number}`);
    expect((await cli('incident', 'show', incident.number)).stdout).toContain(`Followed up by ${followUp}`);
    const { token } = adminCredentials(stack.ctx);
    const api = async (number: string) => (await fetch(`${webBase()}/api/incidents/${number}`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(await api(followUp)).toMatchObject({ followUpOf: incident.number, followUps: [] });
    expect(await api(incident.number)).toMatchObject({ followUpOf: null, followUps: [followUp] });
    const { cookie } = await adminSignIn(stack.ctx);
    const page = async (number: string) => (await fetch(`${webBase()}/admin/incidents/${number}`, { headers: { cookie } })).text();
    expect(await page(followUp)).toContain(`Follow-up of <a href="/admin/incidents/${incident.number}">${incident.number}</a>`);
    expect(await page(incident.number)).toContain(`Followed up by <a href="/admin/incidents/${followUp}">${followUp}</a>`);
  });
});
