// The admin page and API over HTTP, on the running test stack: nothing happens without credentials,
// forms need their CSRF token, output is escaped, and the tracking page shows one incident by token.
import { execFile } from 'node:child_process';
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { newId, openStack, uniqueEmail } from './helpers';
import { TEST_STACK_ENV } from './stack-env';
import { adminCredentials, adminSignIn, webBase } from './admin-session';
import { changeIncidentState } from '../../src/db/incident-state';
import { deadlinesAt, HOUR, insertBareIncident, recordSlaClock, stateAt } from './sla-rows';

const stack = openStack();
afterAll(() => stack.ctx.close());

const base = webBase;
const env = () => adminCredentials(stack.ctx);
const signIn = () => adminSignIn(stack.ctx);

test('an admin page without a session redirects to sign-in; an admin action without one is refused', async () => {
  const page = await fetch(`${base()}/admin/quarantine`, { redirect: 'manual' });
  expect(page.status).toBe(303);
  expect(page.headers.get('location')).toBe('/login?next=%2Fadmin%2Fquarantine');
  const action = await fetch(`${base()}/admin/allowlist/add`, { method: 'POST', body: new URLSearchParams({ entry: 'evil.example' }), redirect: 'manual' });
  expect(action.status).toBe(401);
  const wrong = await fetch(`${base()}/login`, { method: 'POST', body: new URLSearchParams({ user: 'admin', password: 'guess' }), redirect: 'manual' });
  expect(wrong.status).toBe(401);
});

test('a signed-in form post without its CSRF token is refused; with it, it acts', async () => {
  const { cookie, csrf } = await signIn();
  const entry = `${newId('csrf')}.example`;
  const forged = await fetch(`${base()}/admin/allowlist/add`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ entry }), redirect: 'manual' });
  expect(forged.status).toBe(403);
  const real = await fetch(`${base()}/admin/allowlist/add`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ entry, csrf }), redirect: 'manual' });
  expect(real.status).toBe(303);
  const page = await (await fetch(`${base()}/admin/allowlist`, { headers: { cookie } })).text();
  expect(page).toContain(entry);
});

test('the API needs the bearer token', async () => {
  expect((await fetch(`${base()}/api/incidents`)).status).toBe(401);
  expect((await fetch(`${base()}/api/incidents`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  const ok = await fetch(`${base()}/api/incidents`, { headers: { authorization: `Bearer ${env().token}` } });
  expect(ok.status).toBe(200);
  expect(Array.isArray(await ok.json())).toBe(true);
});

test('the tracking link opens a read-only page for that incident only; markup from the email is shown as text', async () => {
  const id = newId('track');
  const raw = uniqueEmail('plain-text.eml', id, `${id}@customer.example`).toString('latin1').replace(/^Subject:.*$/im, 'Subject: <script>alert(1)</script> printer');
  await stack.deliver(Buffer.from(raw, 'latin1'), { messageId: id });
  const status = await stack.settle(id);
  const [confirmation] = (await stack.outbox()).filter((m) => m.to.includes(`${id}@customer.example`));
  const link = /(http:\/\/127\.0\.0\.1:\d+\/track\/[A-Za-z0-9_-]+)/.exec(confirmation.body)![1];
  const page = await fetch(link);
  expect(page.status).toBe(200);
  const text = await page.text();
  expect(text).toContain(status.incidentNumber!);
  expect(text).not.toContain('<script>alert(1)</script>');
  expect(text).toContain('&#60;script&#62;alert(1)&#60;/script&#62; printer');
  expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  // By number, or with a guessed token, there is nothing.
  expect((await fetch(`${base()}/track/${status.incidentNumber}`)).status).toBe(404);
  expect((await fetch(`${base()}/track/${'A'.repeat(32)}`)).status).toBe(404);
});

test("the SLA on the admin page and the API: due times, the pause, breaches marked, the clock's events escaped; the list's Due column", async () => {
  const { number } = await insertBareIncident(stack.ctx);
  // Started 5 hours ago: the first-response target breached; now the incident waits for the customer.
  const now = Date.now();
  const at = (ms: number) => new Date(ms).toISOString();
  const markup = { target: 'resolution' as const, event: 'replanned' as const, at: now, dueAt: null, detail: '<b>markup</b> in a detail' };
  await recordSlaClock(stack.ctx.pool, number, now - 5 * HOUR, [deadlinesAt(now), stateAt('awaiting-customer', now)], [markup]);
  await changeIncidentState(stack.ctx.pool, number, { by: 'agent', state: 'awaiting-customer' });

  const api = await fetch(`${base()}/api/incidents/${number}`, { headers: { authorization: `Bearer ${env().token}` } });
  const body = (await api.json()) as { sla: { events: { event: string }[] } };
  expect(body).toMatchObject({ state: 'awaiting-customer', sla: { firstResponseDueAt: null, resolutionDueAt: null, pausedSince: at(now), firstResponseBreached: true, resolutionBreached: false } });
  expect(body.sla.events.map((e: { event: string }) => e.event)).toEqual(['started', 'started', 'breach', 'paused', 'replanned']);

  const { cookie } = await signIn();
  const page = await (await fetch(`${base()}/admin/incidents/${number}`, { headers: { cookie } })).text();
  expect(page).toContain('<h2>SLA</h2>');
  expect(page).toContain('<th>First response</th><td class="breached">paused (breached)</td>');
  expect(page).toContain(`Paused (waiting for the customer) since ${at(now)}`);
  expect(page).toContain(`<tr class="breached"><td>${at(now - HOUR)}</td><td>firstResponse</td><td>breach</td>`);
  expect(page).not.toContain('<b>markup</b>');
  expect(page).toContain('&#60;b&#62;markup&#60;/b&#62; in a detail');
  expect(page).toContain('<input type="checkbox" name="awaitingCustomer" value="1"> Wait for the customer (pauses the SLA)');

  const list = await (await fetch(`${base()}/admin/incidents`, { headers: { cookie } })).text();
  expect(list).toContain('<th>Due</th>');
  const row = new RegExp(`<tr><td><a href="/admin/incidents/${number}">${number}</a></td>.*?</tr>`).exec(list)![0];
  expect(row).toContain(`<td>awaiting-customer</td><td>P3</td><td>paused since ${at(now)} <strong class="breached">breached</strong></td>`);
});

test('stack.env, which holds the admin password and the API token, is readable by its owner only, also one an older stack left open', async () => {
  const file = join(TEST_STACK_ENV.STACK_DIR, 'stack.env');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(env().token.length).toBeGreaterThanOrEqual(32);
  chmodSync(file, 0o644);
  // `stack up` on the running stack starts nothing again and writes the file anew.
  await promisify(execFile)(process.execPath, [join(__dirname, '..', '..', 'lib', 'cli.js'), 'stack', 'up'], { env: { ...process.env, ...TEST_STACK_ENV } });
  expect(statSync(file).mode & 0o777).toBe(0o600);
}, 120_000);
