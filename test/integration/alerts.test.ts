// Monitoring alerts through parsing rules, on the real stack: every authenticated alert is handed to the
// workflow of its host/service, which opens the incident once the open delay (ALERT_OPEN_DELAY_SECONDS, 3 s
// in the test stack) passes without a recovery, adds later alerts to it, and resolves it on recovery.
// An allowlisted monitoring system gets past a spam FAIL; a recovery with no open incident makes none; a
// recovery that overtakes its problem (earlier Date, later arrival) wins; many hosts at once are a storm.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { addToAllowlist } from '../../src/db/directory';
import { getIncident } from '../../src/db/incidents';
import { DEFAULT_PARSING_RULES } from '../../src/domain/parsing-rules';
import { adminSignIn, webBase } from './admin-session';
import { fixture, newId, openStack, waitFor } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

/** The Nagios fixture about a host of its own, so tests do not share incidents; `at` sets its Date and Date/Time. */
function nagios(kind: 'problem' | 'recovery', host: string, tag: string, at?: Date): Buffer {
  let text = fixture(`nagios-${kind}.eml`).toString('latin1').replace(/web01\.example\.internal/g, host).replace(/^Message-ID:.*$/im, `Message-ID: <${tag}@monitoring.example>`);
  if (at) text = text.replace(/^Date:.*$/im, `Date: ${at.toUTCString()}`).replace(/^Date\/Time:.*$/im, `Date/Time: ${at.toISOString()}`);
  return Buffer.from(text, 'latin1');
}

/** The incidents of a host/service, oldest first. */
const incidentsOf = async (alertKey: string) =>
  (await stack.ctx.pool.query('SELECT number, ses_message_id, state, parent_incident FROM incidents WHERE alert_key = $1 ORDER BY id', [alertKey])).rows;

/** Longer than the test stack's open delay (3 s) and the time the key's workflow takes to act on it. */
const pastOpenDelay = () => new Promise((r) => setTimeout(r, 8000));

beforeAll(async () => {
  const nagiosRule = DEFAULT_PARSING_RULES.find((r) => r.ruleId === 'nagios')!;
  await stack.ctx.aws.dynamo.send(
    new PutCommand({ TableName: stack.ctx.config.parsingRuleTable, Item: { ...nagiosRule, match: { ...nagiosRule.match, senderContains: '@monitoring.example' } } }),
  );
  await addToAllowlist(stack.ctx.pool, 'monitoring.example');
});

test('an allowlisted alert with spam FAIL opens an incident after the open delay; the second alert joins it; the recovery resolves it', async () => {
  const host = `${newId('web')}.example.internal`;
  const alertKey = `${host}/http`;
  const first = newId('alert1');
  await stack.deliver(nagios('problem', host, first), { messageId: first, verdicts: { spam: 'FAIL' } });
  const handed = await stack.finish(first);
  expect(handed).toMatchObject({ stage: 'alert-forwarded', incidentNumber: null, reason: `problem handed to the workflow of ${alertKey}` });
  const [opened] = await waitFor(async () => ((await incidentsOf(alertKey)).length ? incidentsOf(alertKey) : null));
  expect(opened.ses_message_id).toBe(first);
  const number: string = opened.number;
  const incident = await getIncident(stack.ctx.pool, number);
  expect(incident).toMatchObject({ priority: 2, state: 'new' }); // CRITICAL -> 2 - High
  // No auto-response to a monitoring system.
  expect((await stack.outbox()).filter((m) => m.to.includes('nagios@monitoring.example') && m.subject.includes(number))).toEqual([]);

  const second = newId('alert2');
  await stack.deliver(nagios('problem', host, second), { messageId: second });
  expect(await stack.finish(second)).toMatchObject({ stage: 'alert-forwarded' });
  const recovery = newId('recovery');
  await stack.deliver(nagios('recovery', host, recovery), { messageId: recovery });
  expect(await stack.finish(recovery)).toMatchObject({ stage: 'alert-forwarded', reason: `recovery handed to the workflow of ${alertKey}` });

  const after = await waitFor(async () => {
    const i = await getIncident(stack.ctx.pool, number);
    return i && i.comments.length >= 2 && i.state === 'resolved' ? i : null;
  });
  expect(after.comments.map((c) => c.body.split('\n')[0])).toEqual([
    `Alert (CRITICAL): ** PROBLEM Service Alert: ${host}/HTTP is CRITICAL **`,
    `Recovery (OK): ** RECOVERY Service Alert: ${host}/HTTP is OK **`,
  ]);
  expect(await stack.incidentsFor(second)).toEqual([]);
  expect(await incidentsOf(alertKey)).toHaveLength(1);
}, 90_000);

test('a recovery with no open incident makes none', async () => {
  const host = `${newId('db')}.example.internal`;
  const id = newId('lonely');
  await stack.deliver(nagios('recovery', host, id), { messageId: id });
  expect(await stack.finish(id)).toMatchObject({ stage: 'alert-forwarded', incidentNumber: null });
  await pastOpenDelay();
  expect(await incidentsOf(`${host}/http`)).toEqual([]);
});

test('a problem recovered within the open delay opens nothing', async () => {
  const host = `${newId('blip')}.example.internal`;
  const problem = newId('blip-p');
  const recovery = newId('blip-r');
  await stack.deliver(nagios('problem', host, problem), { messageId: problem });
  await stack.deliver(nagios('recovery', host, recovery), { messageId: recovery });
  await Promise.all([stack.finish(problem), stack.finish(recovery)]);
  await pastOpenDelay();
  expect(await incidentsOf(`${host}/http`)).toEqual([]);
}, 60_000);

test('out of order: a recovery arriving before its problem (by their Date) wins, and the late problem opens nothing', async () => {
  const host = `${newId('late')}.example.internal`;
  const now = Date.now();
  const problem = newId('late-p');
  const recovery = newId('late-r');
  // The recovery (sent 30 s after the problem) overtakes it on the way.
  await stack.deliver(nagios('recovery', host, recovery, new Date(now - 30_000)), { messageId: recovery });
  expect(await stack.finish(recovery)).toMatchObject({ stage: 'alert-forwarded' });
  await stack.deliver(nagios('problem', host, problem, new Date(now - 60_000)), { messageId: problem });
  expect(await stack.finish(problem)).toMatchObject({ stage: 'alert-forwarded' });
  await pastOpenDelay();
  expect(await incidentsOf(`${host}/http`)).toEqual([]);

  // A newer problem still opens an incident as usual.
  const newer = newId('late-p2');
  await stack.deliver(nagios('problem', host, newer, new Date(now)), { messageId: newer });
  const [opened] = await waitFor(async () => ((await incidentsOf(`${host}/http`)).length ? incidentsOf(`${host}/http`) : null));
  expect(opened.ses_message_id).toBe(newer);
}, 90_000);

test('a storm: problems of many hosts at once open their incidents under one parent incident', async () => {
  // The test stack's storm: ALERT_STORM_KEYS=4 within ALERT_STORM_WINDOW_MINUTES=1.
  const hosts = [1, 2, 3, 4, 5].map((i) => `${newId(`storm${i}`)}.example.internal`);
  const ids = hosts.map((h, i) => newId(`storm-${i}`));
  await Promise.all(hosts.map((host, i) => stack.deliver(nagios('problem', host, ids[i]), { messageId: ids[i] })));
  const children = await waitFor(async () => {
    const rows = (await Promise.all(hosts.map((h) => incidentsOf(`${h}/http`)))).flat();
    return rows.length === hosts.length && rows.every((r) => r.parent_incident) ? rows : null;
  });
  const parents = new Set(children.map((r) => r.parent_incident as string));
  expect(parents.size).toBe(1);
  const parent = (await getIncident(stack.ctx.pool, [...parents][0]))!;
  expect(parent.shortDescription).toMatch(/^Alert storm: \d+ monitoring alerts within 1 minute$/);
  expect(parent.priority).toBe(2);
  // Each child names its parent, the parent's page lists them.
  expect((await getIncident(stack.ctx.pool, children[0].number))!.parentIncident).toBe(parent.number);
  const { cookie } = await adminSignIn(stack.ctx);
  const page = await (await fetch(`${webBase()}/admin/incidents/${parent.number}`, { headers: { cookie } })).text();
  for (const child of children) expect(page).toContain(`<a href="/admin/incidents/${child.number}">${child.number}</a>`);
}, 90_000);
