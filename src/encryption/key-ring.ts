// The payload keys: each has an id, written into every payload it encrypts, so keys rotate without
// re-encrypting history: the first key listed encrypts, every key listed decrypts.
export interface KeyRing {
  /** The id new payloads are encrypted with. */
  currentId: string;
  keys: Map<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const KEY_BYTES = 32;

/**
 * Reads `id:base64key` entries separated by commas or new lines (a file may hold one per line, with #
 * comments). Throws with what is wrong, never with a key in the message.
 */
export function parseKeyRing(text: string): KeyRing {
  const entries = text
    .split(/[,\n]/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('no key: expected id:base64key entries');
  const keys = new Map<string, Buffer>();
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    if (!KEY_ID.test(id)) throw new Error(`entry ${keys.size + 1} has no valid key id (letters, digits, . _ -, at most 64) before ":"`);
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`key "${id}" is ${key.length} bytes, not ${KEY_BYTES} (AES-256): make one with \`openssl rand -base64 32\``);
    if (keys.has(id)) throw new Error(`key id "${id}" is listed twice`);
    keys.set(id, key);
  }
  return { currentId: keys.keys().next().value as string, keys };
}

/** A single 32-byte secret given as base64 (the keyed hash's key). */
export function parseSecretKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`it is ${key.length} bytes, not ${KEY_BYTES}: make one with \`openssl rand -base64 32\``);
  return key;
}
