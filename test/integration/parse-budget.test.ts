// One parse budget per worker, on the real S3: an email is read only once its size fits beside the
// others being parsed, and a reply's re-read for its comment goes through the same budget and limit.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createActivities } from '../../src/activities';
import { createRawEmailReader, RawEmailTooLargeError } from '../../src/activities/raw-email';
import { newId, openStack } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

const MB = 1024 * 1024;
const deps = (worker: { parseBudgetBytes: number }, maxRawEmailBytes = stack.ctx.config.maxRawEmailBytes) => ({
  aws: stack.ctx.aws,
  pool: stack.ctx.pool,
  config: { ...stack.ctx.config, maxRawEmailBytes, worker: { ...stack.ctx.config.worker, ...worker } },
});

async function putEmail(bytes: number): Promise<{ bucket: string; key: string }> {
  const at = { bucket: stack.ctx.config.inbound.bucket, key: `${stack.ctx.config.inbound.prefix}${newId('budget')}` };
  const head = 'From: a@customer.example\r\nSubject: big\r\n\r\n';
  await stack.ctx.aws.s3.send(new PutObjectCommand({ Bucket: at.bucket, Key: at.key, Body: head + 'x'.repeat(bytes - head.length) }));
  return at;
}

test('a second email waits until the first one, parsing, leaves room in the budget', async () => {
  const reader = createRawEmailReader(deps({ parseBudgetBytes: MB }));
  const size = Math.floor(0.7 * MB);
  const [a, b] = [await putEmail(size), await putEmail(size)];
  const order: string[] = [];
  let finishFirst!: () => void;
  const first = reader.withRawEmail(a, async (readRaw) => {
    order.push(`a read ${(await readRaw()).length}`);
    await new Promise<void>((resolve) => (finishFirst = resolve));
    order.push('a done');
  });
  await new Promise((r) => setTimeout(r, 500));
  const second = reader.withRawEmail(b, async (readRaw) => {
    order.push(`b read ${(await readRaw()).length}`);
  });
  await new Promise((r) => setTimeout(r, 500));
  expect(order).toEqual([`a read ${size}`]);
  finishFirst();
  await Promise.all([first, second]);
  expect(order).toEqual([`a read ${size}`, 'a done', `b read ${size}`]);
});

test("a reply's re-read for its comment goes through the worker's reader: its size limit applies before a byte is read", async () => {
  const activities = createActivities(deps({ parseBudgetBytes: MB }, 1024));
  const at = await putEmail(4096);
  const reply = { type: 'customer-reply' as const, id: newId('r'), ...at, from: { address: 'a@customer.example', name: '' }, messageId: null, cc: [], via: 'subject' as const };
  await expect(activities.appendCustomerReply({ incidentNumber: 'INC0000001', reply })).rejects.toThrow(RawEmailTooLargeError);
});
