/**
 * When a held record is due for re-replication or republishing (paper §2.5, with the §4.1
 * optimisation).
 *
 * - Every holder re-replicates a record to the current k closest once per replication interval,
 *   but skips it when a STORE for it arrived within the interval: the sender of that STORE sent
 *   it to the other k-1 closest too (§4.1). So with synchronised holders only one of them
 *   replicates each interval.
 * - The original publisher republishes its own records once per republish interval; that is
 *   what keeps a record alive past its expiry (the expiry itself belongs to the record).
 *
 * Time is passed in; nothing here reads a clock.
 */
import { idEquals, type NodeId } from './id.js';
import type { KadRecord } from './record.js';

export interface DueRecords {
  readonly replicate: string[];
  readonly republish: string[];
}

export interface DueOptions {
  readonly selfId: NodeId;
  readonly nowMs: number;
  readonly replicateMs: number;
  readonly republishMs: number;
  /** At most this many ids in each list. */
  readonly limit: number;
}

export class ReplicationSchedule {
  /** hex record id -> when a STORE last landed here, or this node last replicated it. */
  private readonly storedAt = new Map<string, number>();
  /** hex record id -> when this node (its publisher) last published it. */
  private readonly publishedAt = new Map<string, number>();

  /** A STORE for the record arrived (or the record was loaded from disk). */
  noteStored(idHex: string, nowMs: number): void {
    this.storedAt.set(idHex, nowMs);
  }

  forget(idHex: string): void {
    this.storedAt.delete(idHex);
    this.publishedAt.delete(idHex);
  }

  /** The records due now, each marked as done at nowMs. */
  due(records: Iterable<readonly [string, KadRecord]>, options: DueOptions): DueRecords {
    const { nowMs, limit } = options;
    const replicate: string[] = [];
    const republish: string[] = [];
    for (const [idHex, record] of records) {
      if (record.expiresMs <= nowMs) continue;
      const stored = this.storedAt.get(idHex) ?? nowMs;
      if (!this.storedAt.has(idHex)) this.storedAt.set(idHex, nowMs);
      if (replicate.length < limit && nowMs - stored >= options.replicateMs) {
        replicate.push(idHex);
        this.storedAt.set(idHex, nowMs);
      }
      if (!idEquals(record.publisher, options.selfId)) continue;
      const published = this.publishedAt.get(idHex) ?? stored;
      if (!this.publishedAt.has(idHex)) this.publishedAt.set(idHex, published);
      if (republish.length < limit && nowMs - published >= options.republishMs) {
        republish.push(idHex);
        this.publishedAt.set(idHex, nowMs);
      }
    }
    return { replicate, republish };
  }
}
