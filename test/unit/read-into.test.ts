// Reading the raw email into one buffer of the size S3's HEAD reported.
import { readInto } from '../../src/activities/raw-email';

async function* chunks(...parts: string[]) {
  for (const p of parts) yield Buffer.from(p);
}

test('chunks fill one buffer of the expected size', async () => {
  expect((await readInto(chunks('Subject: a', '\r\n\r\n', 'body'), 18)).toString()).toBe('Subject: a\r\n\r\nbody');
});

test('an object larger than HEAD said (rewritten in between) is read whole', async () => {
  expect((await readInto(chunks('0123456789', 'abcdefghij', 'XYZ'), 4)).toString()).toBe('0123456789abcdefghijXYZ');
});

test('a shorter object gives only the bytes read', async () => {
  const out = await readInto(chunks('abc'), 100);
  expect(out.length).toBe(3);
  expect(out.toString()).toBe('abc');
});

test('an empty object gives an empty buffer', async () => {
  expect((await readInto(chunks(), 0)).length).toBe(0);
});
