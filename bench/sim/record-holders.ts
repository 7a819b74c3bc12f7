/**
 * Record storage of the simulated nodes: one real MemoryRecordStore per node that holds
 * anything, with the real record rules on the way in (validateRecord, as the Store handler does)
 * and on the way out (MemoryRecordStore.get never serves an expired record). Signatures are not
 * modelled: the simulated records carry well-formed but unsigned key and signature fields.
 */
import { type NodeId, validateRecord, type KadRecord, type RecordRules, MemoryRecordStore } from '../../libs/kademlia/index.js';

export class RecordHolders {
  private readonly stores = new Map<number, MemoryRecordStore>();

  constructor(
    private readonly rules: RecordRules,
    private readonly maxRecords: number,
  ) {}

  /** A STORE at `node`; false when the record is invalid or the store refuses it. */
  store(node: number, record: KadRecord, nowMs: number): boolean {
    if (validateRecord(record, this.rules, nowMs)) return false;
    let store = this.stores.get(node);
    if (!store) {
      store = new MemoryRecordStore({ maxRecords: this.maxRecords });
      this.stores.set(node, store);
    }
    return store.put(record, nowMs).kind === 'stored';
  }

  /** Whether `node` would answer FIND_VALUE for recordId with a valid record. */
  holds(node: number, recordId: NodeId, nowMs: number): boolean {
    const record = this.stores.get(node)?.get(recordId, nowMs);
    return record !== undefined && validateRecord(record, this.rules, nowMs) === undefined;
  }

  /** The node left: its records are gone with it. */
  drop(node: number): void {
    this.stores.delete(node);
  }
}
