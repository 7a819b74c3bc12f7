/**
 * An in-memory record store bounded by a record count and optionally by bytes, keyed by record
 * id (idOfRecord). It keeps the winning version of each record (storeDecision) so that replicas
 * converge whatever order versions arrive in, and never serves an expired record.
 * It does not validate: callers run checkRecord first.
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
      (held !== undefined || this.records.size < this.maxRecords) &&
      this.totalBytes - heldBytes + recordSize(record) <= this.maxBytes;
    if (!fits()) {
      this.deleteExpired(nowMs);
      if (!fits()) return { kind: 'full' };
    }
    this.totalBytes += recordSize(record) - heldBytes;
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
      this.drop(key, record);
      expired.push(record);
    }
    return expired;
  }

  size(): number {
    return this.records.size;
  }

  bytes(): number {
    return this.totalBytes;
  }

  /** Every record held, expired or not, by hex record id. */
  entries(): IterableIterator<[string, KadRecord]> {
    return this.records.entries();
  }

  private drop(key: string, record: KadRecord): void {
    this.records.delete(key);
    this.totalBytes -= recordSize(record);
  }
}
