// A small cache of lookups with an age limit and a size limit, for answers that are asked again and again
// and may be a little stale (a directory's user behind an email address). Misses are cached too: a stream of
// mail from one unknown sender must not become a stream of lookups. Pure: the caller passes the time.

export class LookupCache<V> {
  // A Map keeps insertion order: the first key is the oldest entry, the one evicted when full.
  private readonly entries = new Map<string, { value: V; storedAt: number }>();

  /** `maxAgeMs` 0 keeps nothing; `maxEntries` at least 1. */
  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries: number,
  ) {
    if (!(maxEntries >= 1)) throw new RangeError(`a cache holds at least 1 entry, not ${maxEntries}`);
  }

  /** The value stored for `key` less than `maxAgeMs` before `now`, or undefined. */
  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.storedAt >= this.maxAgeMs || now < entry.storedAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, now: number): void {
    if (this.maxAgeMs <= 0) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, storedAt: now });
  }

  /** Forgets `key` (a write through this process: its next lookup must see it). */
  forget(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
