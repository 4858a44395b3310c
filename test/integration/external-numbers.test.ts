// Other helpdesks' ticket numbers on the real stack (the test stack configures "vendor" and "acme" in
// stack-env.ts): a reply that joins an incident by our number and carries the vendor's number has the
// incident record it (shown by the CLI, the API and the admin page); later mail from a participant carrying
// only the vendor's number joins the incident; a stranger's gets an incident of its own; and another
// instance's "[ACME INC…]" is never taken for our incident of that number.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getIncident } from '../../src/db/incidents';
import { addAgentComment, waitForComment } from '../../src/operations/incident-thread';
import { adminCredentials, adminSignIn, webBase } from './admin-session';
import { header, newId, openStack, replyEmail } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const stack = openStack();
afterAll(() => stack.ctx.close());

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'bin', 'email-to-ticket.js');

/** A vendor case number no other run of the suite has used (the stack's database outlives a test). */
const vendorCase = () => String(Date.now()).slice(-9) + String(Math.floor(Math.random() * 1000)).padStart(3, '0');

/** The customer's first email, with the vendor in copy (a participant from the start). */
async function incidentWithVendorInCopy(customer: string, vendor: string): Promise<string> {
  const id = newId('ext');
  await stack.deliver(
    replyEmail({ from: customer, subject: 'Disk array reports a failed drive', messageId: `${id}@customer.example`, headers: [`Cc: Vendor Support <${vendor}>`], body: 'Drive 3 is red.' }),
    { messageId: id },
  );
  const status = await stack.settle(id);
  expect(status.stage).toBe('confirmed');
  return status.incidentNumber!;
}

async function waitForExternalNumbers(number: string) {
  for (let i = 0; i < 100; i++) {
    const incident = await getIncident(stack.ctx.pool, number);
    if (incident!.externalNumbers?.length) return incident!.externalNumbers;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${number} never recorded an external number`);
}

test("a reply with our number and the vendor's records it; later mail with only the vendor's joins, from a participant but not from a stranger", async () => {
  const customer = `${newId('owner')}@customer.example`;
  const vendor = `${newId('support')}@vendor.example`;
  const stranger = `${newId('mallory')}@elsewhere.example`;
  const number = await incidentWithVendorInCopy(customer, vendor);
  const caseNumber = vendorCase();

  // The vendor answers the thread by our number and opens a case of its own.
  const first = newId('vendor1');
  await stack.deliver(
    replyEmail({ from: vendor, subject: `Re: [${number}] Disk array reports a failed drive [VENDOR-${caseNumber}]`, messageId: `${first}@vendor.example`, body: 'We opened a case for the drive.' }),
    { messageId: first },
  );
  expect(await stack.settle(first)).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: number, reason: `reply to ${number} (matched by subject)` });
  expect(await waitForExternalNumbers(number)).toEqual([{ system: 'vendor', number: caseNumber, recordedAt: expect.any(String) }]);

  // Later, the vendor's own ticket system writes with its number only.
  const later = newId('vendor2');
  await stack.deliver(
    replyEmail({ from: vendor, subject: `[VENDOR-${caseNumber}] Replacement drive shipped`, messageId: `${later}@vendor.example`, body: 'Tracking number 1Z999.' }),
    { messageId: later },
  );
  expect(await stack.settle(later)).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: number, reason: `reply to ${number} (matched by external)` });
  expect(await stack.incidentsFor(later)).toEqual([]);

  // A stranger who learnt the vendor's number is still a stranger.
  const strangers = newId('stranger');
  await stack.deliver(
    replyEmail({ from: stranger, subject: `[VENDOR-${caseNumber}] Please send me the drive`, messageId: `${strangers}@elsewhere.example`, body: 'Ship it to me instead.' }),
    { messageId: strangers },
  );
  const refused = await stack.settle(strangers);
  expect(refused.stage).toBe('confirmed');
  expect(refused.incidentNumber).not.toBe(number);
  expect(refused.reason).toContain(`not added to ${number}`);

  // The vendor's reply is on the thread, the stranger's is not; the number is shown everywhere an incident is.
  const incident = await waitForComments(number, 2);
  expect(incident.comments.map((c) => c.body)).toEqual(['We opened a case for the drive.', 'Tracking number 1Z999.']);
  const { stdout } = await run(process.execPath, [CLI, 'incident', 'show', number], { env: { ...process.env, ...TEST_STACK_ENV } });
  expect(stdout).toContain(`Other helpdesks' numbers: vendor ${caseNumber}`);
  const json = (await (await fetch(`${webBase()}/api/incidents/${number}`, { headers: { authorization: `Bearer ${adminCredentials(stack.ctx).token}` } })).json()) as { externalNumbers: unknown };
  expect(json.externalNumbers).toEqual([{ system: 'vendor', number: caseNumber, recordedAt: expect.any(String) }]);
  const { cookie } = await adminSignIn(stack.ctx);
  const page = await (await fetch(`${webBase()}/admin/incidents/${number}`, { headers: { cookie } })).text();
  expect(page).toContain(`<p>Other helpdesks' numbers: vendor ${caseNumber}</p>`);
});

test("a number another incident recorded first stays with it; an unverified reply records none", async () => {
  const customer = `${newId('first')}@customer.example`;
  const vendor = `${newId('support')}@vendor.example`;
  const firstIncident = await incidentWithVendorInCopy(customer, vendor);
  const secondIncident = await incidentWithVendorInCopy(customer, vendor);
  const caseNumber = vendorCase();
  const reply = async (number: string, unverified = false) => {
    const id = newId('rec');
    // No DMARC policy and nothing aligned passed: the vendor's words are kept, unverified.
    const forged = unverified ? { verdicts: { dmarc: 'GRAY' as const }, mailFrom: 'x@evil.example', dkimDomain: 'evil.example' } : {};
    await stack.deliver(replyEmail({ from: vendor, subject: `Re: [${number}] Disk [VENDOR-${caseNumber}]`, messageId: `${id}@vendor.example`, body: 'Case opened.' }), { messageId: id, ...forged });
    expect(await stack.settle(id)).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: number, reason: expect.stringMatching(unverified ? /unverified/ : /subject\)$/) });
  };
  await reply(secondIncident, true);
  await reply(firstIncident);
  await waitForExternalNumbers(firstIncident);
  await reply(secondIncident);
  await waitForComments(secondIncident, 2);
  expect((await getIncident(stack.ctx.pool, secondIncident))!.externalNumbers).toEqual([]);
});

test("the vendor's auto-acknowledgement of our mail records its case number; its later mail joins", async () => {
  const customer = `${newId('ack')}@customer.example`;
  const vendor = `${newId('cases')}@vendor.example`;
  const number = await incidentWithVendorInCopy(customer, vendor);
  const { ctx } = stack;
  const text = `Please replace drive 3 (${newId('ask')}).`;
  const commentId = await addAgentComment(await ctx.temporal(), ctx.pool, ctx.config.temporal.taskQueue, { incidentNumber: number, body: text, author: 'Dana Agent', sendToCustomer: true });
  await waitForComment(ctx.pool, commentId, true, 30_000);
  const [ours] = (await stack.outbox()).filter((m) => m.raw?.includes(text));
  const caseNumber = vendorCase();

  const ack = newId('ack');
  await stack.deliver(
    replyEmail({
      from: vendor,
      subject: `[VENDOR-${caseNumber}] We received your request`,
      messageId: `${ack}@vendor.example`,
      inReplyTo: header(ours.raw!, 'Message-ID'),
      headers: ['Auto-Submitted: auto-replied'],
      body: 'Your case has been opened.',
    }),
    { messageId: ack },
  );
  expect(await stack.settle(ack)).toMatchObject({ stage: 'ignored', reason: `auto-reply: no incident for automated mail; noted on ${number}` });
  expect(await waitForExternalNumbers(number)).toEqual([{ system: 'vendor', number: caseNumber, recordedAt: expect.any(String) }]);

  const update = newId('update');
  await stack.deliver(replyEmail({ from: vendor, subject: `[VENDOR-${caseNumber}] Drive shipped`, messageId: `${update}@vendor.example`, body: 'Shipped today.' }), { messageId: update });
  expect(await stack.settle(update)).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: number });
});

test("another instance's [ACME INC…] is theirs: it never joins our incident of that number", async () => {
  const customer = `${newId('acme')}@customer.example`;
  const number = await incidentWithVendorInCopy(customer, `${newId('support')}@vendor.example`);
  const id = newId('acme');
  await stack.deliver(replyEmail({ from: customer, subject: `Re: [ACME ${number}] Printer`, messageId: `${id}@customer.example`, body: 'About the ACME ticket.' }), { messageId: id });
  const status = await stack.settle(id);
  expect(status.stage).toBe('confirmed');
  expect(status.incidentNumber).not.toBe(number);
});

async function waitForComments(number: string, count: number) {
  for (let i = 0; i < 100; i++) {
    const incident = await getIncident(stack.ctx.pool, number);
    if (incident!.comments.length >= count) return incident!;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${number} never had ${count} comments`);
}
