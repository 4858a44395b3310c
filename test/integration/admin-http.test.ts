// The admin page and API over HTTP, on the running test stack: nothing happens without credentials,
// forms need their CSRF token, output is escaped, and the tracking page shows one incident by token.
import { execFile } from 'node:child_process';
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { newId, openStack, uniqueEmail } from './helpers';
import { TEST_STACK_ENV } from './stack-env';
import { adminCredentials, adminSignIn, webBase } from './admin-session';

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

test('stack.env, which holds the admin password and the API token, is readable by its owner only, also one an older stack left open', async () => {
  const file = join(TEST_STACK_ENV.STACK_DIR, 'stack.env');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(env().token.length).toBeGreaterThanOrEqual(32);
  chmodSync(file, 0o644);
  // `stack up` on the running stack starts nothing again and writes the file anew.
  await promisify(execFile)(process.execPath, [join(__dirname, '..', '..', 'lib', 'cli.js'), 'stack', 'up'], { env: { ...process.env, ...TEST_STACK_ENV } });
  expect(statSync(file).mode & 0o777).toBe(0o600);
}, 120_000);
