// Monitoring alerts through parsing rules, on the real stack: an allowlisted monitoring system gets past
// a spam FAIL, a second alert for the same host/service joins the open incident, a recovery resolves it,
// and a recovery with no open incident makes none.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { addToAllowlist } from '../../src/db/directory';
import { getIncident } from '../../src/db/incidents';
import { DEFAULT_PARSING_RULES } from '../../src/domain/parsing-rules';
import { fixture, newId, openStack, waitFor } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

/** The Nagios fixture about a host of its own, so tests do not share incidents. */
function nagios(kind: 'problem' | 'recovery', host: string, tag: string): Buffer {
  const text = fixture(`nagios-${kind}.eml`).toString('latin1').replace(/web01\.example\.internal/g, host).replace(/^Message-ID:.*$/im, `Message-ID: <${tag}@monitoring.example>`);
  return Buffer.from(text, 'latin1');
}

beforeAll(async () => {
  const nagiosRule = DEFAULT_PARSING_RULES.find((r) => r.ruleId === 'nagios')!;
  await stack.ctx.aws.dynamo.send(
    new PutCommand({ TableName: stack.ctx.config.parsingRuleTable, Item: { ...nagiosRule, match: { ...nagiosRule.match, senderContains: '@monitoring.example' } } }),
  );
  await addToAllowlist(stack.ctx.pool, 'monitoring.example');
});

test('an allowlisted alert with spam FAIL becomes an incident; the second alert joins it; the recovery resolves it', async () => {
  const host = `${newId('web')}.example.internal`;
  const first = newId('alert1');
  await stack.deliver(nagios('problem', host, first), { messageId: first, verdicts: { spam: 'FAIL' } });
  const created = await stack.finish(first);
  expect(created.stage).toBe('incident-created');
  expect(created.reason).toContain(`${host}/http`);
  const number = created.incidentNumber!;
  const incident = await getIncident(stack.ctx.pool, number);
  expect(incident).toMatchObject({ priority: 2, state: 'new' }); // CRITICAL -> 2 - High
  // No auto-response to a monitoring system.
  expect((await stack.outbox()).filter((m) => m.to.includes('nagios@monitoring.example') && m.subject.includes(number))).toEqual([]);

  const second = newId('alert2');
  await stack.deliver(nagios('problem', host, second), { messageId: second });
  expect(await stack.finish(second)).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: number });
  expect(await stack.incidentsFor(second)).toEqual([]);

  const recovery = newId('recovery');
  await stack.deliver(nagios('recovery', host, recovery), { messageId: recovery });
  expect(await stack.finish(recovery)).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: number });

  const after = await waitFor(async () => {
    const i = await getIncident(stack.ctx.pool, number);
    return i && i.comments.length >= 2 && i.state === 'resolved' ? i : null;
  });
  expect(after.comments.map((c) => c.body.split('\n')[0])).toEqual([
    `Alert (CRITICAL): ** PROBLEM Service Alert: ${host}/HTTP is CRITICAL **`,
    `Recovery (OK): ** RECOVERY Service Alert: ${host}/HTTP is OK **`,
  ]);
});

test('a recovery with no open incident makes none', async () => {
  const id = newId('lonely');
  await stack.deliver(nagios('recovery', `${newId('db')}.example.internal`, id), { messageId: id });
  const status = await stack.finish(id);
  expect(status).toMatchObject({ stage: 'ignored', incidentNumber: null });
  expect(status.reason).toContain('no open incident');
  expect(await stack.incidentsFor(id)).toEqual([]);
});
