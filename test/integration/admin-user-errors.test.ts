// A caller's mistakes answer 4xx with a message, never 500, on the real stack: malformed or non-object
// JSON, fields of the wrong type, unknown incidents and emails, an email not in quarantine, invalid
// allowlist entries, a request path that is no URL; and the rule pages refuse rather than overwrite.
import { connect } from 'node:net';
import { newId, openStack, uniqueEmail } from './helpers';
import { adminCredentials, adminSignIn, webBase } from './admin-session';

const stack = openStack();
afterAll(() => stack.ctx.close());

const base = webBase;
const token = () => adminCredentials(stack.ctx).token;

function api(path: string, init: { method?: string; body?: string; contentType?: string } = {}) {
  return fetch(`${base()}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${token()}`, 'content-type': init.contentType ?? 'application/json' },
    body: init.body,
  });
}

async function expectError(res: Response, status: number, message: RegExp): Promise<void> {
  expect(res.status).toBe(status);
  expect(((await res.json()) as { error: string }).error).toMatch(message);
}

const signIn = () => adminSignIn(stack.ctx);

describe('an email that made an incident', () => {
  const id = newId('user-errors');
  let incidentNumber: string;
  beforeAll(async () => {
    await stack.deliver(uniqueEmail('plain-text.eml', id, `${id}@customer.example`), { messageId: id });
    incidentNumber = (await stack.settle(id)).incidentNumber!;
  });

  test('the API: malformed JSON, a body that is no object, wrong field types and an empty comment are 400', async () => {
    const comments = `/api/incidents/${incidentNumber}/comments`;
    await expectError(await api(comments, { body: '{"body": ' }), 400, /not valid JSON/);
    for (const body of ['[]', 'null', '"text"', '42']) await expectError(await api(comments, { body }), 400, /must be a JSON object/);
    await expectError(await api(comments, { body: JSON.stringify({ body: 42 }) }), 400, /body must be a string/);
    await expectError(await api(comments, { body: JSON.stringify({}) }), 400, /body is missing/);
    await expectError(await api(comments, { body: JSON.stringify({ body: 'hello', sendToCustomer: 'yes' }) }), 400, /sendToCustomer must be true or false/);
    await expectError(await api(comments, { body: JSON.stringify({ body: 'hello', awaitingCustomer: 'yes' }) }), 400, /awaitingCustomer must be true or false/);
    await expectError(await api(comments, { body: JSON.stringify({ body: 'hello', awaitingCustomer: true }) }), 400, /Waiting for the customer needs Send to Customer/);
    await expectError(await api(comments, { body: JSON.stringify({ body: '   ' }) }), 400, /comment is empty/);
    await expectError(await api(comments, { body: '{}', contentType: 'text/plain' }), 415, /Send JSON/);
  });

  test('the admin page: a comment that waits for the customer without being sent to them is refused on the page, nothing stored', async () => {
    const { cookie, csrf } = await signIn();
    const res = await fetch(`${base()}/admin/incidents/${incidentNumber}/comment`, {
      method: 'POST',
      headers: { cookie },
      body: new URLSearchParams({ body: 'Which printer model?', awaitingCustomer: '1', csrf }),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location')!, base()).searchParams.get('err')).toMatch(/Waiting for the customer needs Send to Customer/);
    const page = await (await fetch(`${base()}/admin/incidents/${incidentNumber}`, { headers: { cookie } })).text();
    expect(page).not.toContain('Which printer model?');
  });

  test('the API: releasing or discarding an email that is not in quarantine is a conflict (409); nothing changes', async () => {
    await expectError(await api(`/api/quarantine/${id}/release`, { body: '{}' }), 409, /is not in quarantine \(stage confirmed\)/);
    await expectError(await api(`/api/quarantine/${id}/discard`, { body: '{}' }), 409, /is not in quarantine/);
    expect((await stack.finish(id)).stage).toBe('confirmed');
  });
});

test('the API: unknown incidents and emails are 404', async () => {
  await expectError(await api('/api/incidents/INC9999999'), 404, /No incident INC9999999/);
  await expectError(await api('/api/incidents/INC9999999/comments', { body: JSON.stringify({ body: 'hello' }) }), 404, /No incident INC9999999/);
  await expectError(await api('/api/incidents/not-a-number/comments', { body: JSON.stringify({ body: 'hello' }) }), 404, /No incident/);
  const unknown = newId('never-delivered');
  await expectError(await api(`/api/quarantine/${unknown}/release`, { body: '{}' }), 404, new RegExp(`No email ${unknown}`));
  await expectError(await api(`/api/quarantine/${unknown}/discard`, { body: '{}' }), 404, /No email/);
  // Found by trying as an attacker: ids no SES message has, and a NUL byte, were 500s.
  await expectError(await api('/api/quarantine/..%2F..%2Fx/release', { body: '{}' }), 404, /No email/);
  await expectError(await api('/api/quarantine/a%20b/discard', { body: '{}' }), 404, /No email/);
  await expectError(await api('/api/incidents/%00'), 404, /No incident/);
});

test('the API: an invalid or missing allowlist entry is 400 with the reason', async () => {
  await expectError(await api('/api/allowlist', { body: JSON.stringify({ entry: 'two words' }) }), 400, /must not contain spaces/);
  await expectError(await api('/api/allowlist', { body: JSON.stringify({ entry: 'a@b@c.example' }) }), 400, /more than one '@'/);
  await expectError(await api('/api/allowlist', { body: JSON.stringify({}) }), 400, /entry is missing/);
  await expectError(await api('/api/allowlist', { body: JSON.stringify({ entry: ['x.example'] }) }), 400, /entry must be a string/);
  await expectError(await api('/api/allowlist/remove', { body: JSON.stringify({ entry: '' }) }), 400, /empty/);
});

test('a request path that is no URL is 400, and the web goes on serving', async () => {
  const port = Number(process.env.STACK_WEB_PORT);
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end('GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  expect(answer).toMatch(/^HTTP\/1\.1 400/);
  expect((await fetch(`${base()}/healthz`)).status).toBe(200);
});

test('the admin page: an unknown incident is 404; a rule that is no object, or a delete naming no rule, is refused with the reason', async () => {
  const { cookie, csrf } = await signIn();
  expect((await fetch(`${base()}/admin/incidents/INC9999999`, { headers: { cookie } })).status).toBe(404);
  const post = (path: string, fields: Record<string, string>) =>
    fetch(`${base()}${path}`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ ...fields, csrf }), redirect: 'manual' });
  const flash = (res: Response) => decodeURIComponent(new URL(res.headers.get('location')!, base()).searchParams.get('err') ?? '');
  for (const rule of ['null', '[1, 2]', '{"ruleId": ', '"text"']) {
    const res = await post('/admin/parsing-rules/save', { rule, editing: '' });
    expect(res.status).toBe(303);
    expect(flash(res)).toMatch(/not valid JSON|must be an object/);
  }
  const noId = await post('/admin/routing-rules/delete', {});
  expect(noId.status).toBe(303);
  expect(flash(noId)).toMatch(/ruleId is missing/);
  const unknown = await post('/admin/routing-rules/delete', { ruleId: newId('no-such-rule') });
  expect(flash(unknown)).toMatch(/There is no rule/);
  // Found by trying as an attacker: an id or a position DynamoDB cannot hold was a 500.
  const rule = { position: 1, enabled: true, conditions: [{ field: 'subject', operator: 'contains', value: 'x' }] };
  const longId = await post('/admin/routing-rules/save', { rule: JSON.stringify({ ...rule, ruleId: 'r'.repeat(5000) }), editing: '' });
  expect(longId.status).toBe(303);
  expect(flash(longId)).toMatch(/ruleId must be at most 100 characters/);
  const hugePosition = await post('/admin/routing-rules/save', { rule: JSON.stringify({ ...rule, ruleId: newId('rule'), position: 1e308 }), editing: '' });
  expect(flash(hugePosition)).toMatch(/position must be a number between/);
  expect((await fetch(`${base()}/admin/incidents/%00`, { headers: { cookie } })).status).toBe(404);
});

test("the page's example parsing rule is restricted to a sender, and Create never replaces an existing rule", async () => {
  const { cookie, csrf } = await signIn();
  const page = await (await fetch(`${base()}/admin/parsing-rules`, { headers: { cookie } })).text();
  const textareas = [...page.matchAll(/<input type="hidden" name="editing" value="([^"]*)"><textarea name="rule" rows="8">([^<]*)<\/textarea>/g)];
  const example = textareas.find((m) => m[1] === '')!;
  const rule = JSON.parse(example[2].replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&#60;/g, '<').replace(/&#62;/g, '>').replace(/&#38;/g, '&'));
  expect(rule.match.senderContains).toBe('@monitoring.example.com');
  expect(rule.ruleId).not.toBe('nagios');

  // A rule of this test's own (a sender no email has), created, then "created" again with the same ruleId.
  const ruleId = newId('create-once');
  const mine = { ...rule, ruleId, name: 'first', match: { ...rule.match, senderContains: `@${ruleId}.invalid` } };
  const post = (fields: Record<string, string>) =>
    fetch(`${base()}/admin/parsing-rules/save`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ ...fields, csrf }), redirect: 'manual' });
  const location = (res: Response) => new URL(res.headers.get('location')!, base()).searchParams;
  try {
    expect(location(await post({ rule: JSON.stringify(mine), editing: '' })).get('msg')).toMatch(/saved/);
    const again = location(await post({ rule: JSON.stringify({ ...mine, name: 'second' }), editing: '' }));
    expect(again.get('err')).toMatch(new RegExp(`A rule ${ruleId} exists already`));
    // Editing another rule and giving it this ruleId is refused the same way.
    expect(location(await post({ rule: JSON.stringify({ ...mine, name: 'third' }), editing: 'some-other-rule' })).get('err')).toMatch(/exists already/);
    const listed = await (await fetch(`${base()}/admin/parsing-rules`, { headers: { cookie } })).text();
    expect(listed).toContain('&#34;name&#34;: &#34;first&#34;');
    // The rule's own Save form replaces it.
    expect(location(await post({ rule: JSON.stringify({ ...mine, name: 'edited' }), editing: ruleId })).get('msg')).toMatch(/saved/);
  } finally {
    await fetch(`${base()}/admin/parsing-rules/delete`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ ruleId, csrf }), redirect: 'manual' });
  }
});
