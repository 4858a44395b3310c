// The sender policy on the real stack (README, "What happens to an email"): unknown senders rejected
// (mailed the reason only when authenticated) or quarantined, by the ticket address the mail was sent to,
// and whom a sender's Cc makes participants, on a new incident and on a reply. The test stack's policy
// (test/fixtures/sender-policy.json) keeps today's behaviour by default and sets the others on test-only
// addresses, so the other suites are unaffected.
import { addUser } from '../../src/db/directory';
import { getInboundEmail } from '../../src/db/inbound-emails';
import { threadPeople } from '../../src/db/threads';
import { threadView } from '../../src/operations/incident-thread';
import { IngestOptions } from '../../src/operations/ingest-email';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { adminCredentials, webBase } from './admin-session';
import { header, newId, openStack } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const stack = openStack();
afterAll(() => stack.ctx.close());

const DOMAIN = 'your-instance.stackflow-tech.com';
const REJECT = `reject-unknown@${DOMAIN}`;
const QUARANTINE = `quarantine-unknown@${DOMAIN}`;
const CC_KNOWN_USERS = `cc-known-users@${DOMAIN}`;
const CC_NOBODY = `cc-nobody@${DOMAIN}`;
const REASON = 'The test desk answers registered customers only.';

interface Mail {
  from: string;
  to: string;
  id: string;
  cc?: string[];
  inReplyTo?: string;
  headers?: string[];
}

const mail = (m: Mail) =>
  Buffer.from(
    [
      `From: Customer <${m.from}>`,
      `To: ${m.to}`,
      ...(m.cc ? [`Cc: ${m.cc.join(', ')}`] : []),
      `Subject: Printer ${m.id}`,
      `Message-ID: <${m.id}@customer.example>`,
      ...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}@customer.example>`, `References: <${m.inReplyTo}@customer.example>`] : []),
      ...(m.headers ?? []),
      'Content-Type: text/plain; charset=utf-8',
      '',
      'It jams.',
      '',
    ].join('\r\n'),
  );

/** Delivers the mail as SES would have received it for `m.to`. */
const deliver = (m: Mail, options: IngestOptions = {}) => stack.deliver(mail(m), { messageId: m.id, recipients: [m.to], ...options });
/** Everything we sent to this address. */
const mailedTo = async (address: string) => (await stack.outbox()).filter((o) => o.to.includes(address));
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${webBase()}${path}`, { ...init, headers: { authorization: `Bearer ${adminCredentials(stack.ctx).token}`, 'content-type': 'application/json' } });
const participantsOf = async (number: string) => (await threadPeople(stack.ctx.pool, number))!.participants.sort();

describe('unknown senders', () => {
  test('rejected at an address that rejects them: no incident, the reason recorded and mailed to an authenticated sender', async () => {
    const id = newId('reject');
    const sender = `${id}@customer.example`;
    await deliver({ from: sender, to: REJECT, id });
    const status = await stack.finish(id);
    expect(status).toMatchObject({ stage: 'rejected', incidentNumber: null, reason: `unknown sender: ${REASON}; rejection mailed` });
    expect(await stack.incidentsFor(id)).toEqual([]);
    expect(await getInboundEmail(stack.ctx.pool, id)).toMatchObject({ stage: 'rejected', incidentNumber: null, reason: `unknown sender: ${REASON}; rejection mailed` });
    const sent = await mailedTo(sender);
    expect(sent).toHaveLength(1);
    const raw = sent[0].raw!;
    expect(raw).toContain(REASON);
    expect(header(raw, 'Subject')).toBe(`Not accepted: Printer ${id}`);
    // An auto-response: marked so, with our loop header, threaded to the customer's email.
    expect(header(raw, 'Auto-Submitted')).toBe('auto-replied');
    expect(header(raw, 'In-Reply-To')).toBe(`<${id}@customer.example>`);
    expect(header(raw, 'From')).toContain(stack.ctx.config.ticketAddress);
  });

  test('rejected, unauthenticated (DMARC fail): nothing is mailed to the forged From', async () => {
    const id = newId('reject-forged');
    const sender = `${id}@customer.example`;
    await deliver({ from: sender, to: REJECT, id }, { verdicts: { dmarc: 'FAIL' } });
    expect(await stack.finish(id)).toMatchObject({ stage: 'rejected', reason: `unknown sender: ${REASON}; no rejection mailed: sender not authenticated (DMARC fail)` });
    expect(await stack.incidentsFor(id)).toEqual([]);
    expect(await mailedTo(sender)).toEqual([]);
  });

  test('rejected bulk mail (a list, an authenticated sender): nothing is mailed back, answering machines start loops', async () => {
    const id = newId('reject-bulk');
    const sender = `${id}@customer.example`;
    await deliver({ from: sender, to: REJECT, id, headers: ['Precedence: bulk', `List-Id: <news.${id}.customer.example>`] });
    expect(await stack.finish(id)).toMatchObject({ stage: 'rejected', reason: `unknown sender: ${REASON}; no rejection mailed: bulk mail` });
    expect(await mailedTo(sender)).toEqual([]);
  });

  test('a user of the directory writing to the same address gets an incident', async () => {
    const id = newId('reject-known');
    const sender = `${id}@customer.example`;
    await addUser(stack.ctx.pool, { email: sender, name: 'Known Customer' });
    await deliver({ from: sender, to: REJECT, id });
    expect(await stack.finish(id)).toMatchObject({ stage: 'confirmed', incidentNumber: expect.stringMatching(/^INC\d{7}$/) });
  });

  test('the override is per address: the same unknown sender writing to the ticket address gets an incident', async () => {
    const id = newId('default-address');
    await deliver({ from: `${id}@customer.example`, to: stack.ctx.config.ticketAddress, id });
    expect(await stack.finish(id)).toMatchObject({ stage: 'confirmed', incidentNumber: expect.stringMatching(/^INC\d{7}$/) });
  });

  test('the CLI delivers to the addresses given (ingest --recipient), and their policy applies', async () => {
    const id = newId('cli');
    const file = join(mkdtempSync(join(tmpdir(), 'sender-policy-')), 'mail.eml');
    writeFileSync(file, mail({ from: `${id}@customer.example`, to: REJECT, id }));
    const cli = join(__dirname, '..', '..', 'bin', 'email-to-ticket.js');
    const run = promisify(execFile);
    await run(process.execPath, [cli, 'ingest', file, '--message-id', id, '--recipient', REJECT], { env: { ...process.env, ...TEST_STACK_ENV } });
    expect(await stack.finish(id)).toMatchObject({ stage: 'rejected', reason: `unknown sender: ${REASON}; rejection mailed` });
  });

  test('writing to a rejecting and a creating address at once: the stricter policy applies', async () => {
    const id = newId('reject-both');
    await stack.deliver(mail({ from: `${id}@customer.example`, to: REJECT, id }), { messageId: id, recipients: [stack.ctx.config.ticketAddress, REJECT] });
    expect(await stack.finish(id)).toMatchObject({ stage: 'rejected', incidentNumber: null });
  });

  test('quarantined at an address that quarantines them, with the reason "unknown sender"; released, the incident is made', async () => {
    const id = newId('quarantine');
    const sender = `${id}@customer.example`;
    await deliver({ from: sender, to: QUARANTINE, id });
    expect(await stack.settle(id)).toMatchObject({ stage: 'quarantined', incidentNumber: null, reason: 'unknown sender' });
    // The admin's quarantine (the API the page reads) lists it with its reason; the admin releases it there.
    const listed = await api('/api/quarantine');
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { sesMessageId: string; reason: string }[]).find((e) => e.sesMessageId === id)).toMatchObject({ reason: 'unknown sender' });
    expect(await stack.incidentsFor(id)).toEqual([]);
    expect((await api(`/api/quarantine/${id}/release`, { method: 'POST', body: '{}' })).status).toBe(200);
    const released = await stack.finish(id);
    expect(released).toMatchObject({ stage: 'confirmed', incidentNumber: expect.stringMatching(/^INC\d{7}$/) });
    expect(await stack.incidentsFor(id)).toEqual([released.incidentNumber]);
    expect(await mailedTo(sender)).toHaveLength(1);
  });
});

describe('Cc participants', () => {
  /** A new incident from a known sender, Cc'ing a user of the directory and a stranger. */
  async function newIncident(to: string) {
    const id = newId('cc');
    const sender = `${id}@customer.example`;
    const colleague = `colleague-${id}@customer.example`;
    const stranger = `stranger-${id}@elsewhere.example`;
    await addUser(stack.ctx.pool, { email: sender, name: 'Sender' });
    await addUser(stack.ctx.pool, { email: colleague, name: 'Colleague' });
    await deliver({ from: sender, to, id, cc: [colleague, stranger] });
    const status = await stack.finish(id);
    expect(status.stage).toBe('confirmed');
    return { id, sender, colleague, stranger, number: status.incidentNumber! };
  }

  /** The sender's reply to its incident, sent to `to`, Cc'ing another user and another stranger. */
  async function reply(first: { id: string; sender: string }, to: string) {
    const id = newId('cc-reply');
    const colleague = `colleague-${id}@customer.example`;
    const stranger = `stranger-${id}@elsewhere.example`;
    await addUser(stack.ctx.pool, { email: colleague, name: 'Second Colleague' });
    await deliver({ from: first.sender, to, id, cc: [colleague, stranger], inReplyTo: first.id });
    expect(await stack.finish(id)).toMatchObject({ stage: 'threaded-as-reply' });
    return { colleague, stranger };
  }

  test('authenticated (the default): everyone the sender copies in, on the new incident and on a reply', async () => {
    const first = await newIncident(stack.ctx.config.ticketAddress);
    expect(await participantsOf(first.number)).toEqual([first.colleague, first.sender, first.stranger].sort());
    const second = await reply(first, stack.ctx.config.ticketAddress);
    await waitForReplyOnThread(first.number);
    expect(await participantsOf(first.number)).toEqual([first.colleague, first.sender, first.stranger, second.colleague, second.stranger].sort());
  });

  test('known-users: only those who are users of the directory, on the new incident and on a reply', async () => {
    const first = await newIncident(CC_KNOWN_USERS);
    expect(await participantsOf(first.number)).toEqual([first.colleague, first.sender].sort());
    const second = await reply(first, CC_KNOWN_USERS);
    await waitForReplyOnThread(first.number);
    expect(await participantsOf(first.number)).toEqual([first.colleague, first.sender, second.colleague].sort());
  });

  test('nobody: no one the sender copies in, on the new incident and on a reply', async () => {
    const first = await newIncident(CC_NOBODY);
    expect(await participantsOf(first.number)).toEqual([first.sender]);
    await reply(first, CC_NOBODY);
    await waitForReplyOnThread(first.number);
    expect(await participantsOf(first.number)).toEqual([first.sender]);
  });
});

/** The thread appends a reply (and adds whom it copied in) after the inbound workflow signalled it: wait for it. */
async function waitForReplyOnThread(number: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    // A thread just started may not have registered its query yet (QueryNotRegisteredError): asked again.
    const view = await threadView(await stack.ctx.temporal(), number).catch(() => null);
    if (view?.recent.some((e) => e.source === 'email')) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the reply never reached ${number}'s thread`);
}
