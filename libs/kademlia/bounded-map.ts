/**
 * A Map of at most `capacity` entries: setting a key past it forgets the least recently set (or
 * touched) entry, and returns it, so its owner can close what it held. The one bound on every
 * cache and ledger the node keeps per remote (verified peers, rate buckets, channels, failed
 * candidates, parsed keys), so none grows with what remotes send.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  /** The value, now the most recently used. */
  touch(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  /** Sets `key` as the most recently used; returns the entry forgotten to make room, if any. */
  set(key: K, value: V): [K, V] | undefined {
    this.map.delete(key);
    let evicted: [K, V] | undefined;
    if (this.map.size >= this.capacity) {
      evicted = this.map.entries().next().value as [K, V];
      this.map.delete(evicted[0]);
    }
    this.map.set(key, value);
    return evicted;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }

  clear(): void {
    this.map.clear();
  }
}
