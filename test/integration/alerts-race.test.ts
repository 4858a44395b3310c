// Alerts for one host/service arriving at the same moment, on the real stack with the default parsing
// rules installed by the CLI (`parsing-rules install-defaults`): however their email workflows interleave,
// the one workflow of their key opens one incident and adds the others to it.
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

  for (const status of statuses) expect(status).toMatchObject({ stage: 'alert-forwarded', incidentNumber: null, reason: `problem handed to the workflow of ${alertKey}` });

  const rows = await waitFor(async () => {
    const found = (await stack.ctx.pool.query('SELECT number, ses_message_id FROM incidents WHERE alert_key = $1', [alertKey])).rows;
    return found.length ? found : null;
  });
  expect(rows).toHaveLength(1);
  const number: string = rows[0].number;
  expect(number).toMatch(/^INC\d{7}$/);
  const opener = ids.indexOf(rows[0].ses_message_id);
  expect(opener).toBeGreaterThanOrEqual(0);
  const joiners = ids.filter((_, i) => i !== opener);
  for (const id of joiners) expect(await stack.incidentsFor(id)).toEqual([]);

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
