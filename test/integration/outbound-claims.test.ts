// Sending our mail once: a claim of an attempt that died mid-send is taken over once it is stale (and the
// mail goes out again with the same Message-ID); a fresh claim makes the next attempt wait.
import { reserveOutbound } from '../../src/db/outbound-emails';
import { newId, openStack, uniqueEmail } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

const mail = (key: string) => ({ dedupeKey: key, kind: 'confirmation', incidentNumber: null, recipient: `${key}@customer.example`, subject: 's', messageId: `<${key}@ours.example>` });

test('a fresh claim is in progress for the next attempt; a stale one is taken over, keeping the Message-ID', async () => {
  const key = newId('claim');
  const first = await reserveOutbound(stack.ctx.pool, mail(key), null);
  expect(first.outcome).toBe('claimed');
  // The first attempt "dies" here: no markOutboundSent, no release.
  expect((await reserveOutbound(stack.ctx.pool, { ...mail(key), messageId: '<other@ours.example>' }, null)).outcome).toBe('in-progress');
  await new Promise((r) => setTimeout(r, 50));
  const takeover = await reserveOutbound(stack.ctx.pool, { ...mail(key), messageId: '<other@ours.example>' }, null, 10);
  expect(takeover.outcome).toBe('claimed');
  expect(takeover.record.messageId).toBe(`<${key}@ours.example>`);
  // Taken over means claimed afresh: a third attempt right after waits again.
  expect((await reserveOutbound(stack.ctx.pool, mail(key), null)).outcome).toBe('in-progress');
});

test('a claim that was sent is already-sent, however old', async () => {
  const key = newId('sent');
  const first = await reserveOutbound(stack.ctx.pool, mail(key), null);
  await stack.ctx.pool.query("UPDATE outbound_emails SET sent_at = now(), ses_message_id = 'ses-1' WHERE id = $1", [first.record.id]);
  expect((await reserveOutbound(stack.ctx.pool, mail(key), null, 0)).outcome).toBe('already-sent');
});

test('SES accepted the mail but recording it failed (database down): the retry records it, and sends nothing again', async () => {
  // An incident to send about (the thread's message ids are recorded against it).
  const { sendOutboundEmail } = await import('../../src/activities/outbound-mail');
  const key = newId('unrecorded');
  const to = `${key}@customer.example`;
  const { pool, aws, config } = stack.ctx;
  // A pool whose "mark as sent" fails once, as it does while PostgreSQL is stopped.
  let failed = false;
  const flaky = new Proxy(pool, {
    get(target, name) {
      if (name !== 'query') return Reflect.get(target, name);
      return (text: unknown, ...rest: unknown[]) => {
        if (!failed && typeof text === 'string' && text.includes('SET ses_message_id')) {
          failed = true;
          return Promise.reject(new Error('connect ECONNREFUSED (simulated)'));
        }
        return (target.query as (...a: unknown[]) => unknown)(text, ...rest);
      };
    },
  });
  await stack.deliver(uniqueEmail('plain-text.eml', key, `${key}-reporter@customer.example`), { messageId: key });
  const { incidentNumber } = await stack.settle(key);
  const request = { dedupeKey: `test:${key}`, kind: 'confirmation' as const, incidentNumber: incidentNumber!, to: [to], cc: [], subject: `Hello ${key}`, text: 'hi', autoResponse: false };
  await expect(sendOutboundEmail({ pool: flaky, aws, config }, request)).rejects.toThrow('simulated');
  const retry = await sendOutboundEmail({ pool, aws, config }, request);
  expect(retry).toMatchObject({ sent: true, alreadySent: true });
  expect((await stack.outbox()).filter((m) => m.to.includes(to))).toHaveLength(1);
  expect((await reserveOutbound(pool, mail(`test:${key}`), null)).outcome).toBe('already-sent');
});
