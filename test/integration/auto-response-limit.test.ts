// Loop protection: at most 10 auto-responses to one recipient in 3 hours, however many emails arrive.
import { newId, openStack, uniqueEmail } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

test('15 emails from one sender in a minute: 15 incidents, at most 10 confirmations', async () => {
  const sender = `${newId('burst')}@customer.example`;
  const ids = Array.from({ length: 15 }, (_, i) => newId(`burst${i}`));
  await Promise.all(ids.map((id) => stack.deliver(uniqueEmail('plain-text.eml', id, sender), { messageId: id })));
  const statuses = await Promise.all(ids.map((id) => stack.finish(id, 90_000)));
  expect(statuses.every((s) => s.incidentNumber !== null)).toBe(true);
  expect(statuses.filter((s) => s.stage === 'confirmed')).toHaveLength(10);
  const limited = statuses.filter((s) => s.stage === 'incident-created');
  expect(limited).toHaveLength(5);
  for (const s of limited) expect(s.reason).toMatch(/^no confirmation: rate limited/);
  expect((await stack.outbox()).filter((m) => m.to.includes(sender))).toHaveLength(10);
}, 120_000);
