// Alerts for one host/service arriving at the same moment, on the real stack with the default parsing
// rules installed by the CLI (`parsing-rules install-defaults`): however their workflows interleave (both
// finding no open incident, then racing to create it), they make one incident and the others join it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getIncident } from '../../src/db/incidents';
import { fixture, newId, openStack, waitFor } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const stack = openStack();
afterAll(() => stack.ctx.close());

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'bin', 'email-to-ticket.js');

/** The Nagios problem fixture about a host of its own, with its own Message-ID. */
function nagiosProblem(host: string, tag: string): Buffer {
  const text = fixture('nagios-problem.eml').toString('latin1').replace(/web01\.example\.internal/g, host).replace(/^Message-ID:.*$/im, `Message-ID: <${tag}@monitoring.example>`);
  return Buffer.from(text, 'latin1');
}

beforeAll(async () => {
  // The same sender restriction as alerts.test.ts, so the two files agree on the rules.
  const { stdout } = await run(process.execPath, [CLI, 'parsing-rules', 'install-defaults', '--sender-contains', '@monitoring.example'], { env: { ...process.env, ...TEST_STACK_ENV } });
  expect(stdout).toMatch(/^installed nagios /m);
});

test('three alerts for one host/service delivered at once make one incident; the others join it', async () => {
  const host = `${newId('race')}.example.internal`;
  const alertKey = `${host}/http`;
  const ids = [newId('race-a'), newId('race-b'), newId('race-c')];
  await Promise.all(ids.map((id) => stack.deliver(nagiosProblem(host, id), { messageId: id })));
  const statuses = await Promise.all(ids.map((id) => stack.finish(id)));

  const numbers = new Set(statuses.map((s) => s.incidentNumber));
  expect(numbers.size).toBe(1);
  const number = statuses[0].incidentNumber!;
  expect(number).toMatch(/^INC\d{7}$/);
  const { rows } = await stack.ctx.pool.query('SELECT number, ses_message_id FROM incidents WHERE alert_key = $1', [alertKey]);
  expect(rows.map((r) => r.number)).toEqual([number]);

  const opener = statuses.findIndex((s) => s.stage === 'incident-created');
  expect(opener).toBeGreaterThanOrEqual(0);
  expect(rows[0].ses_message_id).toBe(ids[opener]);
  expect(statuses[opener].reason).toBe(`monitoring alert ${alertKey}: no confirmation`);
  const joiners = ids.filter((_, i) => i !== opener);
  for (const id of joiners) {
    expect(statuses[ids.indexOf(id)]).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: number, reason: `alert added to ${number} (${alertKey})` });
    expect(await stack.incidentsFor(id)).toEqual([]);
  }

  // Each joining alert is added to the incident's thread as a comment.
  const withComments = await waitFor(async () => {
    const incident = await getIncident(stack.ctx.pool, number);
    return incident && incident.comments.length >= joiners.length ? incident : null;
  });
  expect(withComments.comments.map((c) => c.body.split('\n')[0])).toEqual(joiners.map(() => `Alert (CRITICAL): ** PROBLEM Service Alert: ${host}/HTTP is CRITICAL **`));
  expect(withComments).toMatchObject({ state: 'new', priority: 2 });
  // A monitoring system gets no auto-response.
  expect((await stack.outbox()).filter((m) => m.subject.includes(number))).toEqual([]);
}, 90_000);
