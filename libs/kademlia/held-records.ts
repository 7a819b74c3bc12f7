/**
 * The records a node holds, with every rule that decides about them in one place: the store and
 * its bounds (record-store.ts: which version wins, KAD_MAX_RECORDS, KAD_MAX_STORE_BYTES), the
 * quota of each peer that stores here (store-quota.ts), and when each record is due for
 * re-replication or republishing (replication-schedule.ts). The storage actor validates what
 * arrives, writes through to disk and answers messages; what to keep, refuse, charge and forget
 * is decided here.
 *
 * - A record that fails its checks is refused before any of this (checkRecord, by the actor).
 * - A record new to this node that a peer stores (`storer` set, as the transport names it)
 *   counts against that peer's quota, and is refused past it; a new version of a record held
 *   already costs nothing more (its storer paid), and this node's own stores have no quota.
 * - A stored record, or a STORE of the same version, is marked stored now: §4.1's "skip the
 *   re-replication of a record a STORE just refreshed".
 * - Dropping or expiring a record releases its quota and forgets its schedule.
 */
import { idToHex, type NodeId } from './id.js';
import { recordSize, idOfRecord, type KadRecord } from './record.js';
import { MemoryRecordStore, type MemoryRecordStoreOptions } from './record-store.js';
import { ReplicationSchedule, type DueOptions, type DueRecords } from './replication-schedule.js';
import { StoreQuota, type Quota } from './store-quota.js';

export type HoldOutcome =
  | { readonly kind: 'stored'; readonly idHex: string; readonly held: KadRecord }
  | { readonly kind: 'refused'; readonly held: KadRecord }
  | { readonly kind: 'full' }
  | { readonly kind: 'over-quota'; readonly reason: string };

export class HeldRecords {
  private readonly store: MemoryRecordStore;
  private readonly quota: StoreQuota;
  private readonly schedule = new ReplicationSchedule();

  constructor(limits: MemoryRecordStoreOptions, quota: Quota) {
    this.store = new MemoryRecordStore(limits);
    this.quota = new StoreQuota(quota);
  }

  /** Stores `record` (checked already) for `storer` (a peer's quota key; '' for this node). On
   * `stored`, `held` is what is kept now (the record, or the same version with the later expiry),
   * under `idHex`. */
  put(record: KadRecord, storer: string, nowMs: number, expectedSeq?: number): HoldOutcome {
    const id = idOfRecord(record);
    const idHex = idToHex(id);
    const isNew = storer !== '' && this.store.get(id, nowMs) === undefined;
    if (isNew) {
      const reason = this.quota.refusal(storer, recordSize(record));
      if (reason) return { kind: 'over-quota', reason };
    }
    const outcome = this.store.put(record, nowMs, expectedSeq);
    if (outcome.kind === 'full') return outcome;
    if (outcome.kind === 'refused') return { kind: 'refused', held: outcome.held };
    if (isNew) this.quota.charge(idHex, storer, recordSize(record));
    this.schedule.noteStored(idHex, nowMs);
    return { kind: 'stored', idHex, held: this.store.get(id, nowMs) ?? record };
  }

  /** A record read back from disk at start: held again, without a quota (whoever stored it
   * before the restart is not known). False when it does not fit or loses to one held. */
  restore(record: KadRecord, nowMs: number): boolean {
    return this.put(record, '', nowMs).kind === 'stored';
  }

  get(id: NodeId, nowMs: number): KadRecord | undefined {
    return this.store.get(id, nowMs);
  }

  drop(id: NodeId): boolean {
    const dropped = this.store.delete(id);
    if (dropped) this.forget(idToHex(id));
    return dropped;
  }

  /** Drops every expired record; returns their hex ids. */
  expire(nowMs: number): string[] {
    return this.store.deleteExpired(nowMs).map((record) => {
      const idHex = idToHex(idOfRecord(record));
      this.forget(idHex);
      return idHex;
    });
  }

  /** The records due for re-replication or republishing now, each marked done. */
  due(options: DueOptions): DueRecords {
    return this.schedule.due(this.store.entries(), options);
  }

  idsAfter(afterHex: string, limit: number, nowMs: number): string[] {
    return this.store.idsAfter(afterHex, limit, nowMs);
  }

  idsNear(targetHex: string, limit: number, nowMs: number): string[] {
    return this.store.idsNear(targetHex, limit, nowMs);
  }

  size(): number {
    return this.store.size();
  }

  bytes(): number {
    return this.store.bytes();
  }

  private forget(idHex: string): void {
    this.schedule.forget(idHex);
    this.quota.release(idHex);
  }
}
