// The admin page as two replicas on the real stack: sessions and sign-in throttling live in PostgreSQL,
// so a session made on one is used on the other, and failures counted on one hold on the other. Both
// replicas trust X-Forwarded-For / -Proto (as behind a proxy), so the tests can speak as many clients.
// They have their own account name and API token, so nothing here touches the stack's own admin.
import { randomBytes } from 'node:crypto';
import { openStack } from './helpers';
import { startWebReplica, WebReplica } from './web-replicas';

const stack = openStack();
const run = randomBytes(2).toString('hex');
const user = `replica-admin-${run}`;
const password = `replica password ${randomBytes(6).toString('hex')}`;
const token = randomBytes(32).toString('base64url');
/** A client of its own for each label: an IPv6 /64 of the documentation range, unique to this run. */
let clients = 0;
const newClient = () => `2001:db8:${run}:${(clients++).toString(16)}::1`;

let a: WebReplica;
let b: WebReplica;

beforeAll(async () => {
  stack.ctx.config; // the stack's variables, which the replicas start with
  const common = { ADMIN_USER: user, ADMIN_PASSWORD: password, ADMIN_API_TOKEN: token, ADMIN_API_RATE_LIMIT: '5', WEB_TRUST_PROXY: 'yes' };
  [a, b] = await Promise.all([
    startWebReplica(`web-replica-a-${run}`, 100, { ...common, WEB_SECURE_COOKIE: 'auto' }),
    startWebReplica(`web-replica-b-${run}`, 101, { ...common, WEB_SECURE_COOKIE: 'always' }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await stack.ctx.close();
});

function signIn(replica: WebReplica, client: string, pass: string, headers: Record<string, string> = {}) {
  return fetch(`${replica.url}/login`, {
    method: 'POST',
    headers: { 'x-forwarded-for': client, ...headers },
    body: new URLSearchParams({ user, password: pass }),
    redirect: 'manual',
  });
}

const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0];

test('a session made on one replica is used on the other, its CSRF token too; signed out on one, it is gone on both', async () => {
  const client = newClient();
  const res = await signIn(a, client, password);
  expect(res.status).toBe(303);
  const cookie = cookieOf(res);
  const page = await fetch(`${b.url}/admin/allowlist`, { headers: { cookie }, redirect: 'manual' });
  expect(page.status).toBe(200);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1];
  const entry = `replica-${run}.example`;
  const added = await fetch(`${b.url}/admin/allowlist/add`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ entry, csrf }), redirect: 'manual' });
  expect(added.status).toBe(303);
  expect(decodeURIComponent(added.headers.get('location')!)).toContain(`allowlisted ${entry}`);

  expect((await fetch(`${b.url}/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' })).status).toBe(303);
  const after = await fetch(`${a.url}/admin/allowlist`, { headers: { cookie }, redirect: 'manual' });
  expect(after.status).toBe(303);
  expect(after.headers.get('location')).toMatch(/^\/login/);
});

test("a client's failures count on both replicas: its sixth try is held back even with the right password, and says when to retry", async () => {
  const client = newClient();
  for (let i = 0; i < 5; i++) expect((await signIn(i % 2 ? a : b, client, 'wrong password')).status).toBe(401);
  const held = await signIn(b, client, password);
  expect(held.status).toBe(429);
  expect(Number(held.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(Number(held.headers.get('retry-after'))).toBeLessThanOrEqual(10);
  expect(held.headers.get('set-cookie')).toBeNull();
  // A fresh address written left of the proxy's own entry changes nothing: only the rightmost counts.
  expect((await signIn(a, `192.0.2.77, ${client}`, password)).status).toBe(429);
});

test('fifty failures from fifty clients do not lock the admin out: a client that has not failed signs in at once, one that has is only slowed', async () => {
  const strangers = Array.from({ length: 50 }, newClient);
  for (const [i, stranger] of strangers.entries()) {
    // Every one of them is judged (401), none held back: each is a client that had not failed.
    expect((await signIn(i % 2 ? a : b, stranger, `guess ${i}`)).status).toBe(401);
  }
  // One of them, now a client that has failed, waits for the account: at most 30 s.
  const slowed = await signIn(a, strangers[0], password);
  expect(slowed.status).toBe(429);
  expect(Number(slowed.headers.get('retry-after'))).toBeLessThanOrEqual(30);
  // The admin, from a client of their own, is in at once, on either replica.
  expect((await signIn(a, newClient(), password)).status).toBe(303);
  expect((await signIn(b, newClient(), password)).status).toBe(303);
});

test('the session cookie is Secure when the request came over HTTPS (the trusted proxy says so) or when configured', async () => {
  const plain = await signIn(a, newClient(), password);
  expect(plain.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
  const https = await signIn(a, newClient(), password, { 'x-forwarded-proto': 'https' });
  expect(https.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  const always = await signIn(b, newClient(), password);
  expect(always.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  // The stack's own web trusts no proxy: a client's own X-Forwarded-Proto is no HTTPS.
  const stackWeb = `http://127.0.0.1:${process.env.STACK_WEB_PORT}`;
  const own = await fetch(`${stackWeb}/login`, {
    method: 'POST',
    headers: { 'x-forwarded-proto': 'https' },
    body: new URLSearchParams({ user: process.env.ADMIN_USER!, password: process.env.ADMIN_PASSWORD! }),
    redirect: 'manual',
  });
  expect(own.status).toBe(303);
  expect(own.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
  expect(own.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
});

test('the API token is rate-limited across replicas, and wrong tokens are throttled per client like sign-ins', async () => {
  const client = newClient();
  const call = (replica: WebReplica, bearer: string, from = client) =>
    fetch(`${replica.url}/api/allowlist`, { headers: { authorization: `Bearer ${bearer}`, 'x-forwarded-for': from } });
  for (let i = 0; i < 5; i++) expect((await call(i % 2 ? a : b, token)).status).toBe(200);
  const limited = await call(a, token, newClient());
  expect(limited.status).toBe(429);
  expect(((await limited.json()) as { error: string }).error).toMatch(/at most 5 API calls a minute/);
  expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);

  const guesser = newClient();
  for (let i = 0; i < 5; i++) expect((await call(i % 2 ? a : b, `guess-${i}-${'x'.repeat(40)}`, guesser)).status).toBe(401);
  const held = await call(b, `guess-5-${'x'.repeat(40)}`, guesser);
  expect(held.status).toBe(429);
  expect(((await held.json()) as { error: string }).error).toMatch(/Too many wrong tokens/);
});
