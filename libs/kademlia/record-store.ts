/**
 * An in-memory record store bounded by a record count and optionally by bytes, keyed by record
 * id (idOfRecord). It keeps the winning version of each record (storeDecision) so that replicas
 * converge whatever order versions arrive in, and never serves an expired record.
 * It does not validate: callers run checkRecord first.
 *
 * Ids are also kept in order, so a page of ids (`idsAfter`) and the ids nearest a node
 * (`idsNear`, for a hand-off to a newcomer) cost a binary search and the page, never a pass over
 * every record.
 */
import { idToHex, type NodeId } from './id.js';
import { idOfRecord, isExpired, recordSize, storeDecision, type KadRecord, type Refusal } from './record.js';

/** 'refused': `held` keeps its place (record.ts Refusal says why). */
export type PutOutcome = { kind: 'stored' } | { kind: 'refused'; reason: Refusal; held: KadRecord } | { kind: 'full' };

export interface MemoryRecordStoreOptions {
  maxRecords: number;
  /** Default: no byte limit. */
  maxBytes?: number;
}

export class MemoryRecordStore {
  private readonly maxRecords: number;
  private readonly maxBytes: number;
  /** By hex record id. */
  private readonly records = new Map<string, KadRecord>();
  /** The keys of `records`, sorted (hex order is byte order). */
  private readonly sorted: string[] = [];
  private totalBytes = 0;

  constructor(options: MemoryRecordStoreOptions) {
    if (!Number.isSafeInteger(options.maxRecords) || options.maxRecords < 0) {
      throw new RangeError(`maxRecords must be a non-negative integer, got ${options.maxRecords}`);
    }
    this.maxRecords = options.maxRecords;
    this.maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Stores the record unless the held version wins (or a compare-and-swap on `expectedSeq`
   * fails). The same version is 'stored' again (idempotent) and keeps the later expiry of the two.
   */
  put(record: KadRecord, nowMs: number, expectedSeq?: number): PutOutcome {
    const key = idToHex(idOfRecord(record));
    let held = this.records.get(key);
    if (held && isExpired(held, nowMs)) {
      this.drop(key, held);
      held = undefined;
    }
    const decision = storeDecision(record, held, expectedSeq);
    if (held && decision !== 'replace') {
      if (decision !== 'same') return { kind: 'refused', reason: decision, held };
      if (record.expiresMs <= held.expiresMs) return { kind: 'stored' };
    }
    const heldBytes = held ? recordSize(held) : 0;
    const fits = (): boolean =>
      (held !== undefined || this.records.size < this.maxRecords) && this.totalBytes - heldBytes + recordSize(record) <= this.maxBytes;
    if (!fits()) {
      this.deleteExpired(nowMs);
      if (!fits()) return { kind: 'full' };
    }
    this.totalBytes += recordSize(record) - heldBytes;
    if (!held && !this.records.has(key)) this.sorted.splice(lowerBound(this.sorted, key), 0, key);
    this.records.set(key, record);
    return { kind: 'stored' };
  }

  /** The record at `id` unless absent or expired. */
  get(id: NodeId, nowMs: number): KadRecord | undefined {
    const record = this.records.get(idToHex(id));
    return record && !isExpired(record, nowMs) ? record : undefined;
  }

  delete(id: NodeId): boolean {
    const key = idToHex(id);
    const record = this.records.get(key);
    if (!record) return false;
    this.drop(key, record);
    return true;
  }

  /** Drops and returns every record expired at nowMs. */
  deleteExpired(nowMs: number): KadRecord[] {
    const expired: KadRecord[] = [];
    for (const [key, record] of this.records) {
      if (!isExpired(record, nowMs)) continue;
      this.records.delete(key);
      this.totalBytes -= recordSize(record);
      expired.push(record);
    }
    // One pass over the order for the whole sweep, not a splice per record (which is quadratic
    // when a large share expires at once).
    if (expired.length > 0) {
      let kept = 0;
      for (const key of this.sorted) if (this.records.has(key)) this.sorted[kept++] = key;
      this.sorted.length = kept;
    }
    return expired;
  }

  size(): number {
    return this.records.size;
  }

  bytes(): number {
    return this.totalBytes;
  }

  /** Up to `limit` unexpired ids after `afterHex` (exclusive; '' from the start), in id order. */
  idsAfter(afterHex: string, limit: number, nowMs: number): string[] {
    const out: string[] = [];
    let at = lowerBound(this.sorted, afterHex);
    if (this.sorted[at] === afterHex) at++;
    for (; at < this.sorted.length && out.length < limit; at++) {
      const key = this.sorted[at]!;
      if (!isExpired(this.records.get(key)!, nowMs)) out.push(key);
    }
    return out;
  }

  /**
   * Up to `limit` unexpired ids nearest `targetHex` by XOR: longest common prefix first (ids
   * sharing a prefix with the target sit together in id order, so this walks outwards from the
   * target's place, to whichever side shares more of it).
   */
  idsNear(targetHex: string, limit: number, nowMs: number): string[] {
    const out: string[] = [];
    let right = lowerBound(this.sorted, targetHex);
    let left = right - 1;
    while (out.length < limit && (left >= 0 || right < this.sorted.length)) {
      const l = left >= 0 ? commonPrefixBits(this.sorted[left]!, targetHex) : -1;
      const r = right < this.sorted.length ? commonPrefixBits(this.sorted[right]!, targetHex) : -1;
      const key = r >= l ? this.sorted[right++]! : this.sorted[left--]!;
      if (!isExpired(this.records.get(key)!, nowMs)) out.push(key);
    }
    return out;
  }

  /** Every record held, expired or not, by hex record id. */
  entries(): IterableIterator<[string, KadRecord]> {
    return this.records.entries();
  }

  private drop(key: string, record: KadRecord): void {
    this.records.delete(key);
    const at = lowerBound(this.sorted, key);
    if (this.sorted[at] === key) this.sorted.splice(at, 1);
    this.totalBytes -= recordSize(record);
  }
}

/** The first index whose key is not below `key`. */
function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Leading bits two hex ids of equal length share. */
function commonPrefixBits(a: string, b: string): number {
  for (let i = 0; i < a.length; i++) {
    const x = parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16);
    if (x !== 0) return i * 4 + Math.clz32(x) - 28;
  }
  return a.length * 4;
}
