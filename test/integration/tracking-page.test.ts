// The tracking page shows the customer's own mail by an exact address match: an address's "_" or "%"
// is not a wildcard, so someone else's mail never shows as the customer's words.
import { publicConversation, trackedIncident } from '../../src/db/tracking';
import { addComment } from '../../src/db/threads';
import { insertIncident } from '../../src/db/incidents';
import { trackingTokenDigest, trackingTokenFor } from '../../src/encryption/keyed-hash';
import { newId, openStack } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

test('only comments from the exact sender address are shown as the customer\'s', async () => {
  const id = newId('track-exact');
  const customer = `a_b%${id}@customer.example`;
  const token = trackingTokenFor(stack.ctx.config.customerData.hashKey, id);
  const incident = await insertIncident(stack.ctx.pool, {
    sesMessageId: id,
    shortDescription: 'Printer broken',
    description: 'It jams.',
    priority: 4,
    assignmentGroup: null,
    category: null,
    routingRuleId: null,
    escalationAddress: null,
    sender: { address: customer, name: 'Anna' },
    reporter: null,
    messageId: null,
    slaDueAt: new Date(Date.now() + 3_600_000).toISOString(),
    attachments: [],
    alertKey: null,
    trackingTokenDigest: trackingTokenDigest(token),
  });
  const comment = (author: string, body: string) => addComment(stack.ctx.pool, { incidentNumber: incident.number, author, body, source: 'email', sesMessageId: newId('c') });
  await comment(`Anna <${customer}>`, 'mine, with my name');
  await comment(customer, 'mine, bare address');
  await comment(`Mallory <aXb%${id}@customer.example>`, 'wildcard _');
  await comment(`Mallory <a_bXYZ${id}@customer.example>`, 'wildcard %');
  await comment(`Mallory <x${customer}>`, 'longer address ending the same');

  const tracked = await trackedIncident(stack.ctx.pool, trackingTokenDigest(token));
  const shown = (await publicConversation(stack.ctx.pool, tracked!)).map((c) => c.body);
  expect(shown).toEqual(['mine, with my name', 'mine, bare address']);
});
