// Encrypts every payload the workers and clients send to Temporal (workflow inputs and results, activity
// arguments and results, signals, queries, memo) with AES-256-GCM, so Temporal's database and anyone
// with namespace read access see no customer data. Search attributes are not payloads (not encrypted).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { KeyRing } from './key-ring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);
const bytes = (value: string) => new Uint8Array(Buffer.from(value, 'utf8'));

export class UnknownKeyError extends Error {
  override name = 'UnknownKeyError';
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly ring: KeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const id = this.ring.currentId;
    const key = this.ring.keys.get(id)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      // The key id is authenticated too: a payload cannot be made to claim another key.
      cipher.setAAD(Buffer.from(id, 'utf8'));
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: bytes(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: bytes(id) }, data: new Uint8Array(sealed) };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // Payloads written before encryption was on (and the recorded histories) pass through as they are.
      if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const id = text(payload.metadata?.[KEY_ID_METADATA]) ?? '';
      const key = this.ring.keys.get(id);
      if (!key) throw new UnknownKeyError(`Payload encrypted with key "${id}", which is not among the configured payload keys (PAYLOAD_KEYS or PAYLOAD_KEYS_FILE)`);
      const sealed = Buffer.from(payload.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(id, 'utf8'));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}
