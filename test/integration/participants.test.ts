// Agents add and remove an incident's participants (CLI, JSON API, admin page) on the real stack: an
// added participant gets the next "Send to Customer" comment in Cc, a removed one neither gets it nor may
// speak on the thread, and a Cc on a later reply does not bring them back.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { addParticipants, threadPeople } from '../../src/db/threads';
import { addAgentComment, waitForComment } from '../../src/operations/incident-thread';
import { adminCredentials, adminSignIn, webBase } from './admin-session';
import { header, newId, openStack, replyEmail, uniqueEmail } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const stack = openStack();
afterAll(() => stack.ctx.close());

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'bin', 'email-to-ticket.js');

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, ...TEST_STACK_ENV } });
  return stdout;
}

/** The CLI's error (it exits 1 and says why on stderr). */
async function cliError(...args: string[]): Promise<string> {
  try {
    await cli(...args);
  } catch (err) {
    expect((err as { code?: number }).code).toBe(1);
    return (err as { stderr: string }).stderr;
  }
  throw new Error(`email-to-ticket ${args.join(' ')} succeeded`);
}

async function newIncident(customer: string): Promise<string> {
  const id = newId('part');
  await stack.deliver(uniqueEmail('plain-text.eml', id, customer), { messageId: id });
  const status = await stack.settle(id);
  expect(status.stage).toBe('confirmed');
  return status.incidentNumber!;
}

/** Sends an agent comment to the customer and returns the mail that carried it. */
async function sendComment(number: string, customer: string, text: string) {
  const { ctx } = stack;
  const id = await addAgentComment(await ctx.temporal(), ctx.pool, ctx.config.temporal.taskQueue, { incidentNumber: number, body: text, author: 'Dana Agent', sendToCustomer: true });
  await waitForComment(ctx.pool, id, true, 30_000);
  const mails = (await stack.outbox()).filter((m) => m.to.includes(customer) && m.raw?.includes(text));
  expect(mails).toHaveLength(1);
  return mails[0];
}

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${webBase()}${path}`, { ...init, headers: { authorization: `Bearer ${adminCredentials(stack.ctx).token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

test('CLI: an added participant gets the next comment in Cc; once removed, neither the mail nor a voice on the thread', async () => {
  const customer = `${newId('owner')}@customer.example`;
  const colleague = `${newId('colleague')}@partner.example`;
  const number = await newIncident(customer);

  expect(await cli('incident', 'participants', number, 'add', `  ${colleague.toUpperCase()} `, '--name', 'Kim Colleague', '--author', 'Dana')).toContain(`${colleague} is now a participant of ${number}`);
  expect(await cli('incident', 'participants', number, 'add', colleague)).toContain('already a participant');
  const listed = JSON.parse(await cli('incident', 'participants', number, '--json'));
  expect(listed).toContainEqual({ address: colleague, name: 'Kim Colleague', addedVia: 'added by Dana', addedAt: expect.any(String) });
  expect(await cli('incident', 'participants', number)).toMatch(new RegExp(`^${colleague} \\(Kim Colleague\\)  added by Dana  \\d{4}-`, 'm'));

  const first = await sendComment(number, customer, `first-${newId('c')}`);
  expect(first.to).toContain(colleague);
  expect(header(first.raw!, 'Cc')).toContain(colleague);

  expect(await cli('incident', 'participants', number, 'remove', colleague)).toContain(`${colleague} is no longer a participant of ${number}`);
  expect(JSON.parse(await cli('incident', 'participants', number, '--json')).map((p: { address: string }) => p.address)).not.toContain(colleague);
  const second = await sendComment(number, customer, `second-${newId('c')}`);
  expect(second.to).not.toContain(colleague);
  expect(second.raw).not.toContain(colleague);

  // The removed participant's reply to the comment they got is not added to the incident: a new one of their own.
  const replyId = newId('removed-reply');
  await stack.deliver(
    replyEmail({ from: colleague, subject: `Re: ${first.subject}`, messageId: `${replyId}@partner.example`, inReplyTo: header(first.raw!, 'Message-ID'), body: 'Still here?' }),
    { messageId: replyId },
  );
  const status = await stack.settle(replyId);
  expect(status.incidentNumber).not.toBe(number);
  expect(status.reason).toContain(`not added to ${number}`);

  // A Cc on a later reply does not bring them back; an agent does.
  await addParticipants(stack.ctx.pool, number, [colleague], 'cc on a reply');
  expect((await threadPeople(stack.ctx.pool, number))!.participants).not.toContain(colleague);
  expect(await cli('incident', 'participants', number, 'add', colleague)).toContain('is now a participant');
  expect((await threadPeople(stack.ctx.pool, number))!.participants).toContain(colleague);
});

test('CLI refusals: our own address, a line break, a list, a name, the owner, an address that is no participant', async () => {
  const customer = `${newId('owner')}@customer.example`;
  const number = await newIncident(customer);
  const addresses = async () => JSON.parse(await cli('incident', 'participants', number, '--json')).map((p: { address: string }) => p.address);
  const before = await addresses();
  expect(before).toContain(customer);
  const ticket = stack.ctx.config.ticketAddress;
  expect(await cliError('incident', 'participants', number, 'add', ticket)).toContain('our own ticket address');
  expect(await cliError('incident', 'participants', number, 'add', ticket.replace('@', `+${number}@`))).toContain('our own ticket address');
  expect(await cliError('incident', 'participants', number, 'add', 'kim@partner.example\r\nBcc: evil@example.net')).toContain('without line breaks');
  expect(await cliError('incident', 'participants', number, 'add', 'kim@partner.example, lee@partner.example')).toContain('not a list');
  expect(await cliError('incident', 'participants', number, 'add', 'Kim <kim@partner.example>')).toContain('without a name');
  expect(await cliError('incident', 'participants', number, 'remove', customer)).toContain(`${customer} cannot be removed`);
  expect(await cliError('incident', 'participants', number, 'remove', 'nobody@partner.example')).toContain(`nobody@partner.example is not a participant of ${number}`);
  expect(await cliError('incident', 'participants', 'INC9999999')).toContain('No incident INC9999999');
  expect(await addresses()).toEqual(before);
});

test('API: list, add, remove with the token; refusals answer 4xx with the reason', async () => {
  const customer = `${newId('owner')}@customer.example`;
  const number = await newIncident(customer);
  const path = `/api/incidents/${number}/participants`;
  const kim = `${newId('kim')}@partner.example`;
  const addresses = async () => ((await (await api(path)).json()) as { address: string }[]).map((p) => p.address);
  const before = await addresses();

  expect((await fetch(`${webBase()}${path}`)).status).toBe(401);
  const added = await api(path, { method: 'POST', body: JSON.stringify({ address: kim.toUpperCase(), name: 'Kim' }) });
  expect(added.status).toBe(201);
  expect(await added.json()).toEqual({ address: kim, added: true });
  expect((await api(path, { method: 'POST', body: JSON.stringify({ address: kim }) })).status).toBe(200);
  const list = (await (await api(path)).json()) as { address: string; name: string | null; addedVia: string }[];
  expect(list).toContainEqual(expect.objectContaining({ address: kim, name: 'Kim', addedVia: 'added by API' }));

  const refused = async (init: RequestInit, status: number, message: string, at = path) => {
    const res = await api(at, init);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toContain(message);
  };
  await refused({ method: 'POST', body: JSON.stringify({ address: stack.ctx.config.ticketAddress }) }, 400, 'our own ticket address');
  await refused({ method: 'POST', body: JSON.stringify({ address: 'lee@partner.example\r\nBcc: evil@example.net' }) }, 400, 'without line breaks');
  await refused({ method: 'POST', body: JSON.stringify({ address: 'Lee <lee@partner.example>' }) }, 400, 'without a name');
  await refused({ method: 'POST', body: JSON.stringify({ address: 42 }) }, 400, 'address must be a string');
  await refused({ method: 'POST', body: JSON.stringify({}) }, 400, 'address is missing');
  await refused({ method: 'POST', body: JSON.stringify({ address: 'lee@partner.example', name: 'Lee\nBcc: x' }) }, 400, 'one line');
  await refused({ method: 'POST', body: JSON.stringify({ address: 'lee@partner.example' }) }, 404, 'No incident INC9999999', '/api/incidents/INC9999999/participants');
  await refused({ method: 'DELETE' }, 409, 'cannot be removed', `${path}/${encodeURIComponent(customer)}`);
  await refused({ method: 'DELETE' }, 404, 'is not a participant', `${path}/${encodeURIComponent('nobody@partner.example')}`);
  await refused({ method: 'DELETE' }, 400, 'not one line', `${path}/${encodeURIComponent(`${kim}\r\n`)}`);

  const removed = await api(`${path}/${encodeURIComponent(kim)}`, { method: 'DELETE' });
  expect(removed.status).toBe(200);
  expect(await removed.json()).toEqual({ address: kim, removed: true });
  expect(await addresses()).toEqual(before);
});

test('admin page: the Participants list and its forms (CSRF, escaped), the owner without a remove button', async () => {
  const customer = `${newId('owner')}@customer.example`;
  const number = await newIncident(customer);
  const { cookie, csrf } = await adminSignIn(stack.ctx);
  const page = () => fetch(`${webBase()}/admin/incidents/${number}`, { headers: { cookie } }).then((r) => r.text());
  const post = (action: string, fields: Record<string, string>) =>
    fetch(`${webBase()}/admin/incidents/${number}/participants/${action}`, { method: 'POST', headers: { cookie }, body: new URLSearchParams(fields), redirect: 'manual' });
  const kim = `${newId('kim')}@partner.example`;

  const before = await page();
  expect(before).toContain('<h2>Participants</h2>');
  expect(before).toContain(`action="/admin/incidents/${number}/participants/add"`);
  expect(before).toContain('owns the incident');
  expect(before).not.toContain(`name="address" value="${customer}"`);

  expect((await post('add', { address: kim, name: '<b>Kim</b>' })).status).toBe(403);
  const added = await post('add', { address: kim, name: '<b>Kim</b>', csrf });
  expect(added.status).toBe(303);
  expect(decodeURIComponent(added.headers.get('location')!)).toContain(`msg=${kim} is now a participant`);
  const after = await page();
  expect(after).toContain(kim);
  expect(after).toContain(`name="address" value="${kim}"`);
  expect(after).not.toContain('<b>Kim</b>');
  expect(after).toContain('&#60;b&#62;Kim&#60;/b&#62;');
  expect(after).toContain('added by admin');

  const own = await post('add', { address: stack.ctx.config.ticketAddress, csrf });
  expect(decodeURIComponent(own.headers.get('location')!)).toContain('err=');
  const owner = await post('remove', { address: customer, csrf });
  expect(decodeURIComponent(owner.headers.get('location')!)).toContain(`err=${customer} cannot be removed`);

  expect((await post('remove', { address: kim })).status).toBe(403);
  const removed = await post('remove', { address: kim, csrf });
  expect(decodeURIComponent(removed.headers.get('location')!)).toContain(`msg=${kim} is no longer a participant`);
  expect(await page()).not.toContain(`value="${kim}"`);
});
