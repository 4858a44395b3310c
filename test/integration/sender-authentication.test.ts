// Sender authentication on the real stack (README, "Security model"): what SES says of the From domain
// decides who is mailed, named, matched, allowlisted, and who may move an incident's state.
import { addUser, listAllowlist } from '../../src/db/directory';
import { getInboundEmail } from '../../src/db/inbound-emails';
import { getIncident } from '../../src/db/incidents';
import { threadPeople } from '../../src/db/threads';
import { publicConversation, trackedIncident } from '../../src/db/tracking';
import { addAgentComment, closeIncident, waitForComment } from '../../src/operations/incident-thread';
import { releaseQuarantined } from '../../src/operations/quarantine';
import { trackingTokenDigest, trackingTokenFor } from '../../src/encryption/keyed-hash';
import { newId, openStack, waitFor } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

interface Mail {
  from: string;
  subject: string;
  id: string;
  cc?: string[];
  inReplyTo?: string;
  headers?: string[];
  body?: string;
}

const mail = (m: Mail) =>
  Buffer.from(
    [
      `From: ${m.from}`,
      `To: ${stack.ctx.config.ticketAddress}`,
      ...(m.cc ? [`Cc: ${m.cc.join(', ')}`] : []),
      `Subject: ${m.subject}`,
      `Message-ID: <${m.id}@customer.example>`,
      ...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}>`, `References: <${m.inReplyTo}>`] : []),
      ...(m.headers ?? []),
      'Content-Type: text/plain; charset=utf-8',
      '',
      m.body ?? 'It jams.',
      '',
    ].join('\r\n'),
  );

/** Everything we sent that names this test's id (in any address or in the text). */
const mailedAbout = async (id: string) => (await stack.outbox()).filter((m) => (m.raw ?? '').includes(id) || m.to.some((to) => to.includes(id)));
const temporal = () => stack.ctx.temporal();
const taskQueue = () => stack.ctx.config.temporal.taskQueue;

describe('a new email', () => {
  test('DMARC fail: an incident, but no confirmation, no reporter and none of its To/Cc as participants', async () => {
    const id = newId('forged');
    const victim = `${id}@customer.example`;
    await addUser(stack.ctx.pool, { email: victim, name: 'Real Customer' });
    await stack.deliver(mail({ from: `"Real Customer" <${victim}>`, subject: `Please call ${id}`, id, cc: [`spy-${id}@evil.example`] }), { messageId: id, verdicts: { dmarc: 'FAIL' } });
    const status = await stack.finish(id);
    expect(status).toMatchObject({ stage: 'incident-created', reason: 'no confirmation: sender not authenticated (DMARC fail)' });
    const incident = await getIncident(stack.ctx.pool, status.incidentNumber!);
    expect(incident!.reporter).toBeNull();
    expect((await threadPeople(stack.ctx.pool, status.incidentNumber!))!.participants).toEqual([]);
    expect(await mailedAbout(id)).toEqual([]);
    expect(await getInboundEmail(stack.ctx.pool, id)).toMatchObject({ senderAuthenticated: false, senderAuthentication: 'DMARC fail' });
  });

  test('no DMARC policy, SPF and DKIM passing for another domain only: not authenticated, nothing mailed', async () => {
    const id = newId('unaligned');
    await stack.deliver(mail({ from: `Anna <${id}@customer.example>`, subject: 'Printer', id }), {
      messageId: id,
      verdicts: { dmarc: 'GRAY' },
      mailFrom: `bounce@${id}.evil.example`,
      dkimDomain: `${id}.evil.example`,
    });
    const status = await stack.finish(id);
    expect(status).toMatchObject({
      stage: 'incident-created',
      reason: 'no confirmation: sender not authenticated (no DMARC policy, and no SPF or DKIM pass aligned with customer.example)',
    });
    expect(await mailedAbout(id)).toEqual([]);
  });

  test('no DMARC policy, SPF passing for a subdomain of the From domain (relaxed alignment): confirmed', async () => {
    const id = newId('aligned');
    await stack.deliver(mail({ from: `Anna <${id}@customer.example>`, subject: 'Printer', id }), {
      messageId: id,
      verdicts: { dmarc: 'GRAY', dkim: 'GRAY' },
      mailFrom: 'bounce@mail.customer.example',
    });
    const status = await stack.finish(id);
    expect(status).toMatchObject({ stage: 'confirmed' });
    expect(await getInboundEmail(stack.ctx.pool, id)).toMatchObject({ senderAuthenticated: true, senderAuthentication: 'SPF pass aligned with customer.example' });
    expect((await mailedAbout(id)).map((m) => m.to)).toEqual([[`${id}@customer.example`]]);
  });
});

describe('found by trying as an attacker', () => {
  const raw = (lines: string[]) => Buffer.from([...lines, 'Content-Type: text/plain; charset=utf-8', '', 'Wire the money today.', ''].join('\r\n'));

  test.each([
    ['two From headers', (id: string) => [`From: CEO <ceo@${id}.bank.example>`, `From: x@evil.example`]],
    ['two addresses without a comma', (id: string) => [`From: ceo@${id}.bank.example x@evil.example`]],
    ['two angle addresses', (id: string) => [`From: <ceo@${id}.bank.example> <x@evil.example>`]],
    ['a group', (id: string) => [`From: Finance:ceo@${id}.bank.example;`]],
  ])('%s: an invalid sender, nothing mailed, even with DMARC passing for a domain of the attacker', async (_, from) => {
    const id = newId('from-trick');
    await stack.deliver(raw([...from(id), `To: ${stack.ctx.config.ticketAddress}`, 'Subject: Wire transfer', `Message-ID: <${id}@evil.example>`]), { messageId: id });
    const status = await stack.finish(id);
    expect(status.stage).toBe('incident-created');
    expect(status.reason).toMatch(/^no confirmation: the (message has 2 From headers, not one|From header is not exactly one mailbox)$/);
    expect(await mailedAbout(id)).toEqual([]);
  });

  test("a message whose first line is folded onto SES's Authentication-Results adds no DKIM pass", async () => {
    const id = newId('fold');
    await stack.deliver(raw([`\tdkim=pass header.d=${id}.bank.example;`, `From: CEO <ceo@${id}.bank.example>`, `To: ${stack.ctx.config.ticketAddress}`, 'Subject: Wire', `Message-ID: <${id}@evil.example>`]), {
      messageId: id,
      verdicts: { dmarc: 'GRAY' },
      mailFrom: 'x@evil.example',
      dkimDomain: 'evil.example',
    });
    expect(await stack.finish(id)).toMatchObject({ stage: 'incident-created', reason: expect.stringContaining('sender not authenticated') });
    expect(await mailedAbout(id)).toEqual([]);
  });

  test("a routing rule on a VIP's address does not apply to a forged From", async () => {
    const id = newId('vip');
    const vip = `ceo-${id}@customer.example`;
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    await stack.ctx.aws.dynamo.send(
      new PutCommand({ TableName: stack.ctx.config.routingRuleTable, Item: { ruleId: `vip-${id}`, position: 0, enabled: true, conditions: [{ field: 'sender', operator: 'equals', value: vip }], priority: 1, assignmentGroup: 'Executive' } }),
    );
    // Rules are re-read every RULE_REFRESH_SECONDS: the genuine VIP shows when the rule is in use.
    const genuine = async () => {
      const gid = newId('vip-genuine');
      await stack.deliver(mail({ from: `CEO <${vip}>`, subject: 'Board', id: gid }), { messageId: gid });
      const { incidentNumber } = await stack.finish(gid);
      return (await getIncident(stack.ctx.pool, incidentNumber!))!.priority === 1 ? true : null;
    };
    for (let i = 0; i < 40 && !(await genuine()); i++) await new Promise((r) => setTimeout(r, 1000));
    await stack.deliver(mail({ from: `CEO <${vip}>`, subject: 'Board', id }), { messageId: id, verdicts: { dmarc: 'FAIL' } });
    const { incidentNumber } = await stack.finish(id);
    expect(await getIncident(stack.ctx.pool, incidentNumber!)).toMatchObject({ priority: 4, assignmentGroup: null });
  }, 90_000);
});

describe('on an incident', () => {
  async function openIncident(id: string, customer: string) {
    await stack.deliver(mail({ from: `Anna <${customer}>`, subject: 'Printer broken', id }), { messageId: id });
    const status = await stack.finish(id);
    expect(status.stage).toBe('confirmed');
    return status.incidentNumber!;
  }

  test("a forged reply in the customer's name (no DMARC policy) is kept as unverified: the closed incident stays closed, the tracking page does not show it", async () => {
    const id = newId('thread');
    const customer = `${id}@customer.example`;
    const number = await openIncident(id, customer);
    await closeIncident(await temporal(), stack.ctx.pool, taskQueue(), number);
    await waitFor(async () => ((await getIncident(stack.ctx.pool, number))!.state === 'closed' ? true : null));

    const forged = `${id}-forged`;
    await stack.deliver(mail({ from: `Anna <${customer}>`, subject: `Re: [${number}] Printer broken`, id: forged, inReplyTo: `${id}@customer.example`, body: 'Please send the invoice to my new account.' }), {
      messageId: forged,
      verdicts: { dmarc: 'GRAY' },
      mailFrom: 'x@evil.example',
      dkimDomain: 'evil.example',
    });
    expect(await stack.finish(forged)).toMatchObject({ stage: 'threaded-as-reply', reason: expect.stringContaining('unverified') });
    const comment = await waitFor(async () => {
      const { rows } = await stack.ctx.pool.query('SELECT body, unverified FROM incident_comments WHERE ses_message_id = $1', [forged]);
      return rows[0] ?? null;
    });
    expect(comment).toEqual({ body: 'Please send the invoice to my new account.', unverified: true });
    // Marked where an agent reads it (incident show --json, the API and the admin page read this view).
    expect((await getIncident(stack.ctx.pool, number))!.comments).toContainEqual(expect.objectContaining({ body: 'Please send the invoice to my new account.', unverified: true }));
    expect((await getIncident(stack.ctx.pool, number))!.state).toBe('closed');
    // The token of the link the confirmation carried (derived from the email's SES message id).
    const token = trackingTokenDigest(trackingTokenFor(stack.ctx.config.customerData.hashKey, id));
    const shown = (await publicConversation(stack.ctx.pool, (await trackedIncident(stack.ctx.pool, token))!)).map((c) => c.body);
    expect(shown).not.toContain('Please send the invoice to my new account.');

    // The same reply, authenticated, reopens it and shows.
    const genuine = `${id}-genuine`;
    await stack.deliver(mail({ from: `Anna <${customer}>`, subject: `Re: [${number}] Printer broken`, id: genuine, inReplyTo: `${id}@customer.example`, body: 'It works now, thanks.' }), { messageId: genuine });
    expect(await stack.finish(genuine)).toMatchObject({ stage: 'threaded-as-reply', reason: `reply to ${number} (matched by references)` });
    await waitFor(async () => ((await getIncident(stack.ctx.pool, number))!.state === 'in-progress' ? true : null));
    expect((await publicConversation(stack.ctx.pool, (await trackedIncident(stack.ctx.pool, token))!)).map((c) => c.body)).toContain('It works now, thanks.');
  });

  test('"send to customer" on an incident from an unauthenticated sender mails no one, and says why', async () => {
    const id = newId('no-recipient');
    await stack.deliver(mail({ from: `Anna <${id}@customer.example>`, subject: 'Printer', id }), { messageId: id, verdicts: { dmarc: 'FAIL' } });
    const { incidentNumber } = await stack.finish(id);
    const comment = await addAgentComment(await temporal(), stack.ctx.pool, taskQueue(), { incidentNumber: incidentNumber!, body: 'We called you.', author: 'Dana', sendToCustomer: true });
    await expect(waitForComment(stack.ctx.pool, comment, true, 30_000)).rejects.toThrow('no authenticated recipient: the sender of the incident was not authenticated');
    expect(await mailedAbout(id)).toEqual([]);
  });

  test("an auto-reply from a stranger naming the customer's Message-ID is not noted; one naming our confirmation is", async () => {
    const id = newId('auto');
    const number = await openIncident(id, `${id}@customer.example`);
    const noteCount = async () => Number((await stack.ctx.pool.query("SELECT count(*) AS n FROM incident_comments c JOIN incidents i ON i.id = c.incident_id WHERE i.number = $1 AND c.source = 'note'", [number])).rows[0].n);

    const theirs = `${id}-theirs`;
    await stack.deliver(mail({ from: `Robot <robot-${id}@elsewhere.example>`, subject: 'Out of office', id: theirs, inReplyTo: `${id}@customer.example`, headers: ['Auto-Submitted: auto-replied'] }), { messageId: theirs });
    expect(await stack.finish(theirs)).toMatchObject({ stage: 'ignored', reason: 'auto-reply: no incident for automated mail' });

    const confirmation = (await stack.ctx.pool.query("SELECT message_id FROM outbound_emails WHERE incident_number = $1 AND kind = 'confirmation'", [number])).rows[0].message_id as string;
    const ours = `${id}-ours`;
    await stack.deliver(mail({ from: `Robot <robot-${id}@elsewhere.example>`, subject: 'Out of office', id: ours, inReplyTo: confirmation.replace(/^<|>$/g, ''), headers: ['Auto-Submitted: auto-replied'] }), { messageId: ours });
    expect(await stack.finish(ours)).toMatchObject({ stage: 'ignored', reason: `auto-reply: no incident for automated mail; noted on ${number}` });
    await waitFor(async () => ((await noteCount()) === 1 ? true : null));
  });
});

describe('the allowlist', () => {
  const spam = { spam: 'FAIL' as const };

  test('"release and allowlist" of an unauthenticated sender is refused with the reason, and nothing is released', async () => {
    const id = newId('allow-forged');
    await stack.deliver(mail({ from: `Anna <${id}@customer.example>`, subject: 'Offer', id }), { messageId: id, verdicts: { ...spam, dmarc: 'FAIL' } });
    expect((await stack.settle(id)).stage).toBe('quarantined');
    await expect(releaseQuarantined(await temporal(), stack.ctx.pool, id, { allowlistSender: true })).rejects.toThrow(
      `${id}: the sender ${id}@customer.example was not authenticated (DMARC fail), so it is not allowlisted: release it without allowlisting`,
    );
    expect(await listAllowlist(stack.ctx.pool)).not.toContain(`${id}@customer.example`);
    expect((await stack.settle(id)).stage).toBe('quarantined');
  });

  test('"release and allowlist" of an authenticated sender adds exactly its full address', async () => {
    const id = newId('allow-ok');
    await stack.deliver(mail({ from: `Anna <${id}@Customer.Example>`, subject: 'Offer', id }), { messageId: id, verdicts: spam });
    expect((await stack.settle(id)).stage).toBe('quarantined');
    expect(await releaseQuarantined(await temporal(), stack.ctx.pool, id, { allowlistSender: true })).toEqual([`allowlisted ${id}@customer.example`, `released ${id}`]);
    expect((await stack.finish(id)).stage).toBe('confirmed');
  });

  test('an allowlisted address is not trusted when the mail from it is not authenticated', async () => {
    const id = newId('allow-spoof');
    const address = `${id}@customer.example`;
    await stack.ctx.pool.query('INSERT INTO allowlist (entry, kind) VALUES ($1, $2)', [address, 'address']);
    // Score 6 (DMARC 4 + SPF 2): quarantined unless the allowlist applied.
    await stack.deliver(mail({ from: `Anna <${address}>`, subject: 'Offer', id }), { messageId: id, verdicts: { dmarc: 'FAIL', spf: 'FAIL' } });
    expect((await stack.settle(id)).stage).toBe('quarantined');
  });
});
