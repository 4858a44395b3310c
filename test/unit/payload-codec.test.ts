// The payload codec: AES-256-GCM under the key of the id written into each payload; keys rotate (the
// first listed encrypts, every listed key decrypts), unencrypted payloads pass through, tampering fails.
import { defaultPayloadConverter } from '@temporalio/common';
import { parseKeyRing } from '../../src/encryption/key-ring';
import { EncryptionCodec, UnknownKeyError } from '../../src/encryption/payload-codec';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const payload = () => defaultPayloadConverter.toPayload({ from: 'anna.berg@example.com', subject: 'Printer broken' });

test('a payload comes back as it went in, and is not readable on the way', async () => {
  const codec = new EncryptionCodec(parseKeyRing(`k1:${key(1)}`));
  const [sealed] = await codec.encode([payload()]);
  expect(Buffer.from(sealed.metadata!.encoding!).toString()).toBe('binary/encrypted');
  expect(Buffer.from(sealed.metadata!['encryption-key-id']!).toString()).toBe('k1');
  expect(Buffer.from(sealed.data!).toString('latin1')).not.toContain('anna.berg');
  const [opened] = await codec.decode([sealed]);
  expect(defaultPayloadConverter.fromPayload(opened)).toEqual({ from: 'anna.berg@example.com', subject: 'Printer broken' });
});

test('the same value encrypts differently each time (a fresh IV per payload)', async () => {
  const codec = new EncryptionCodec(parseKeyRing(`k1:${key(1)}`));
  const [a, b] = await codec.encode([payload(), payload()]);
  expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
});

test('after a rotation the new key encrypts and the old key still decrypts', async () => {
  const before = new EncryptionCodec(parseKeyRing(`k1:${key(1)}`));
  const after = new EncryptionCodec(parseKeyRing(`k2:${key(2)},k1:${key(1)}`));
  const [old] = await before.encode([payload()]);
  const [fresh] = await after.encode([payload()]);
  expect(Buffer.from(fresh.metadata!['encryption-key-id']!).toString()).toBe('k2');
  expect(defaultPayloadConverter.fromPayload((await after.decode([old]))[0])).toMatchObject({ subject: 'Printer broken' });
  // Without k2, the new payload is refused with the key's id (never its value).
  await expect(before.decode([fresh])).rejects.toThrow(new UnknownKeyError('Payload encrypted with key "k2", which is not among the configured payload keys (PAYLOAD_KEYS or PAYLOAD_KEYS_FILE)'));
});

test('a payload that was never encrypted (histories from before) passes through unchanged', async () => {
  const codec = new EncryptionCodec(parseKeyRing(`k1:${key(1)}`));
  const plain = payload();
  expect(await codec.decode([plain])).toEqual([plain]);
});

test('a changed byte, or a payload made to claim another key, does not decrypt', async () => {
  const codec = new EncryptionCodec(parseKeyRing(`k1:${key(1)},k2:${key(1)}`));
  const [sealed] = await codec.encode([payload()]);
  const flipped = Buffer.from(sealed.data!);
  flipped[20] ^= 1;
  await expect(codec.decode([{ ...sealed, data: flipped }])).rejects.toThrow();
  // Same key bytes under another id: the id is authenticated, so the swap is detected.
  await expect(codec.decode([{ ...sealed, metadata: { ...sealed.metadata, 'encryption-key-id': Buffer.from('k2') } }])).rejects.toThrow();
});

test.each([
  ['', /no key/],
  [`k1${key(1)}`, /no valid key id/],
  [`k1:${Buffer.alloc(16).toString('base64')}`, /key "k1" is 16 bytes, not 32/],
  [`k1:${key(1)},k1:${key(2)}`, /listed twice/],
])('a malformed key list is refused with the reason: %s', (text, reason) => {
  expect(() => parseKeyRing(text)).toThrow(reason);
});

test('a key file lists one key per line, with comments', () => {
  const ring = parseKeyRing(`# rotated 2026-11-30\nk2:${key(2)}\n\nk1:${key(1)}  # retired\n`);
  expect(ring.currentId).toBe('k2');
  expect([...ring.keys.keys()]).toEqual(['k2', 'k1']);
});
