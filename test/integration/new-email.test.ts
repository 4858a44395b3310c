// A new email becomes exactly one incident and one confirmation, on the real local stack.
import { getIncident } from '../../src/db/incidents';
import { newId, openStack, uniqueEmail } from './helpers';
import { searchSenderSetting, senderForSearch } from '../../src/mail/search-sender';

const stack = openStack();
afterAll(() => stack.ctx.close());

test('an ingested email becomes one incident and one confirmation carrying the incident number', async () => {
  const id = newId('new');
  await stack.deliver(uniqueEmail('plain-text.eml', id, `${id}@customer.example`), { messageId: id });
  const status = await stack.settle(id);
  expect(status).toMatchObject({ stage: 'confirmed', workflowStatus: 'COMPLETED' });
  expect(status.incidentNumber).toMatch(/^INC\d{7}$/);

  expect(await stack.incidentsFor(id)).toEqual([status.incidentNumber]);
  const incident = await getIncident(stack.ctx.pool, status.incidentNumber!);
  expect(incident).toMatchObject({
    shortDescription: 'Printer on 3rd floor (HP LaserJet M507) shows "Paper jam" but no paper is stuck',
    state: 'new',
    priority: 4,
    sender: { address: `${id}@customer.example` },
  });
  expect(incident!.description).toContain('PRN-3F-EAST');

  const confirmations = (await stack.outbox()).filter((m) => m.to.includes(`${id}@customer.example`));
  expect(confirmations).toHaveLength(1);
  expect(confirmations[0].subject).toContain(status.incidentNumber!);
  expect(confirmations[0].body).toContain(status.incidentNumber!);
  expect(confirmations[0].body).toMatch(/Target resolution time \(SLA\): 3 days/);
  expect(confirmations[0].body).toMatch(/http:\/\/127\.0\.0\.1:\d+\/track\/[A-Za-z0-9_-]{32}/);
  expect(confirmations[0].sentAt).not.toBeNull();
});

test('the same SES message id delivered twice makes one incident and one confirmation', async () => {
  const id = newId('dup');
  const raw = uniqueEmail('plain-text.eml', id, `${id}@customer.example`);
  await stack.deliver(raw, { messageId: id });
  await stack.deliver(raw, { messageId: id });
  const status = await stack.settle(id);
  expect(status.stage).toBe('confirmed');
  // Give the second delivery time to reach the bridge and be recognised as a duplicate.
  await new Promise((r) => setTimeout(r, 3000));
  expect(await stack.incidentsFor(id)).toHaveLength(1);
  expect((await stack.outbox()).filter((m) => m.to.includes(`${id}@customer.example`))).toHaveLength(1);
});

test('a verified sender known to the directory is the reporter; a spoofed one is not matched', async () => {
  const verified = newId('known');
  const spoofed = newId('spoof');
  const { addUser } = await import('../../src/db/directory');
  await addUser(stack.ctx.pool, { email: `${verified}@customer.example`, name: 'Known Person' });
  await addUser(stack.ctx.pool, { email: `${spoofed}@customer.example`, name: 'Impersonated Person' });
  await stack.deliver(uniqueEmail('plain-text.eml', verified, `${verified}@customer.example`), { messageId: verified });
  // DMARC failed: the From may be forged, so it must not borrow the user's identity.
  await stack.deliver(uniqueEmail('plain-text.eml', spoofed, `${spoofed}@customer.example`), {
    messageId: spoofed,
    verdicts: { dmarc: 'FAIL' },
  });
  const a = await stack.settle(verified);
  const b = await stack.settle(spoofed);
  expect((await getIncident(stack.ctx.pool, a.incidentNumber!))!.reporter).toEqual({
    email: `${verified}@customer.example`,
    name: 'Known Person',
    verified: true,
  });
  expect((await getIncident(stack.ctx.pool, b.incidentNumber!))!.reporter).toBeNull();
});

test('a 20 MB email: one incident, the attachment stored whole, a history under 64 KB and 4 billable actions', async () => {
  const { randomBytes } = await import('node:crypto');
  const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
  const { countBillableActions } = await import('../../src/bench/billable-actions');
  const { inboundEmailWorkflowId } = await import('../../src/domain/workflow-ids');
  const id = newId('large');
  const attachment = randomBytes(20 * 1024 * 1024);
  const raw = Buffer.from(
    [
      `From: "Large Sender" <${id}@customer.example>`,
      `To: ${stack.ctx.config.ticketAddress}`,
      'Subject: Crash dump attached',
      `Message-ID: <${id}@test.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The service crashed; the dump is attached.',
      '--b1',
      'Content-Type: application/octet-stream; name="core.dump"',
      'Content-Disposition: attachment; filename="core.dump"',
      'Content-Transfer-Encoding: base64',
      '',
      attachment.toString('base64').replace(/.{76}/g, '$&\r\n'),
      '--b1--',
      '',
    ].join('\r\n'),
  );
  await stack.deliver(raw, { messageId: id });
  const status = await stack.settle(id, 90_000);
  expect(status).toMatchObject({ stage: 'confirmed', workflowStatus: 'COMPLETED' });
  expect(await stack.incidentsFor(id)).toHaveLength(1);

  const key = `parsed/${id}/attachments/1-core.dump`;
  const head = await stack.ctx.aws.s3.send(new HeadObjectCommand({ Bucket: stack.ctx.config.inbound.bucket, Key: key }));
  expect(head.ContentLength).toBe(attachment.length);

  const handle = (await stack.ctx.temporal()).workflow.getHandle(inboundEmailWorkflowId(id));
  const description = await handle.describe();
  expect(description.historySize).toBeLessThan(64 * 1024);
  // The bridge named the sender at start (from SES's commonHeaders): no upsert after parsing was needed.
  // As its keyed hash (the default): search attributes are not encrypted.
  const sender = senderForSearch(`${id}@customer.example`, searchSenderSetting(stack.ctx.config));
  expect(sender).toMatch(/^[0-9a-f]{32}$/);
  expect(description.typedSearchAttributes.get((await import('../../src/domain/search-attributes')).EMAIL_SENDER)).toBe(sender);
  const actions = countBillableActions((await handle.fetchHistory()).events ?? []);
  expect(actions.total).toBe(4);
}, 120_000);
