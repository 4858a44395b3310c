// The codec server on the admin page (POST /codec/encode, /codec/decode, Temporal's remote data encoding
// protocol) over HTTP: only for a signed-in operator, CORS only for the configured Temporal UI origin,
// and what it decodes is the workflow's real payload.
import { Connection } from '@temporalio/client';
import { inboundEmailWorkflowId } from '../../src/domain/workflow-ids';
import { newId, openStack, uniqueEmail } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

const base = () => `http://127.0.0.1:${process.env.STACK_WEB_PORT}`;
const uiOrigin = () => `http://127.0.0.1:${process.env.STACK_TEMPORAL_UI_PORT}`;

async function signIn(): Promise<string> {
  stack.ctx.config; // loads the stack's env file
  const body = new URLSearchParams({ user: process.env.ADMIN_USER!, password: process.env.ADMIN_PASSWORD! });
  const res = await fetch(`${base()}/login`, { method: 'POST', body, redirect: 'manual' });
  expect(res.status).toBe(303);
  return res.headers.get('set-cookie')!.split(';')[0];
}

const codec = (direction: 'encode' | 'decode', payloads: unknown[], headers: Record<string, string> = {}) =>
  fetch(`${base()}/codec/${direction}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', Origin: uiOrigin(), ...headers },
    body: JSON.stringify({ payloads }),
  });

const jsonPayload = (value: unknown) => ({ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify(value)).toString('base64') });

test('the UI origin gets its preflight answered, with credentials; another origin does not', async () => {
  const preflight = (origin: string) =>
    fetch(`${base()}/codec/decode`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace' } });
  const ui = await preflight(uiOrigin());
  expect(ui.status).toBe(204);
  expect(ui.headers.get('access-control-allow-origin')).toBe(uiOrigin());
  expect(ui.headers.get('access-control-allow-credentials')).toBe('true');
  expect(ui.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/i);
  const evil = await preflight('http://evil.example');
  expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  // The rest of the admin page is not opened up to the UI.
  const admin = await fetch(`${base()}/admin/quarantine`, { headers: { Origin: uiOrigin() }, redirect: 'manual' });
  expect(admin.headers.get('access-control-allow-origin')).toBeNull();
});

test('without a session nothing is decoded (401, readable by the UI so it can say why)', async () => {
  const res = await codec('decode', [jsonPayload({ a: 1 })]);
  expect(res.status).toBe(401);
  expect(res.headers.get('access-control-allow-origin')).toBe(uiOrigin());
  expect(await res.json()).toEqual({ error: 'Sign in to the admin page first' });
});

test("a signed-in operator decodes an email workflow's real payload; a page of another origin or namespace may not", async () => {
  const cookie = await signIn();
  const id = newId('codec');
  const sender = `${id}@customer.example`;
  await stack.deliver(uniqueEmail('plain-text.eml', id, sender), { messageId: id });
  expect((await stack.settle(id)).stage).toBe('confirmed');

  // The workflow's result as Temporal stores it: encrypted.
  const connection = await Connection.connect({ address: stack.ctx.config.temporal.address });
  const history = await connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: inboundEmailWorkflowId(id) } });
  await connection.close();
  const started = history.history!.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
  const stored = {
    metadata: Object.fromEntries(Object.entries(started.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(started.data!).toString('base64'),
  };
  expect(Buffer.from(stored.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');

  const res = await codec('decode', [stored], { cookie });
  expect(res.status).toBe(200);
  const [decoded] = ((await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
  expect(Buffer.from(decoded.metadata.encoding, 'base64').toString()).toBe('json/plain');
  expect(JSON.parse(Buffer.from(decoded.data, 'base64').toString())).toMatchObject({ notice: { sesMessageId: id } });

  // encode then decode gives back what went in; what encode gives is not readable.
  const encoded = ((await (await codec('encode', [jsonPayload({ note: 'secret words' })], { cookie })).json()) as { payloads: { data: string }[] }).payloads;
  expect(Buffer.from(encoded[0].data, 'base64').toString('latin1')).not.toContain('secret words');
  const roundTrip = ((await (await codec('decode', encoded, { cookie })).json()) as { payloads: { data: string }[] }).payloads;
  expect(JSON.parse(Buffer.from(roundTrip[0].data, 'base64').toString())).toEqual({ note: 'secret words' });

  expect((await codec('decode', [stored], { cookie, Origin: 'http://evil.example' })).status).toBe(403);
  expect((await codec('decode', [stored], { cookie, 'X-Namespace': 'someone-else' })).status).toBe(403);
  // A payload that does not authenticate is the caller's error, never a 500.
  const tampered = { ...stored, data: Buffer.from('x'.repeat(40)).toString('base64') };
  expect((await codec('decode', [tampered], { cookie })).status).toBe(400);
});
