/**
 * What each storing peer has stored on this node, against a quota of records and bytes: without
 * one, a single client sending many small Stores fills the nodes it reaches, and every legitimate
 * Put then fails. Who a storer is, is the caller's call (a peer that proved its id, else
 * its host); records this node stores for itself are never charged. Pure bookkeeping.
 */
export interface Quota {
  readonly records: number;
  readonly bytes: number;
}

export class StoreQuota {
  /** Storer -> what it has stored. */
  private readonly usage = new Map<string, { records: number; bytes: number }>();
  /** Record id (hex) -> who it is charged to and for how many bytes. */
  private readonly charged = new Map<string, { storer: string; bytes: number }>();

  constructor(private readonly quota: Quota) {}

  /** Undefined when `storer` may store a new record of `bytes`, else why not. */
  refusal(storer: string, bytes: number): string | undefined {
    const use = this.usage.get(storer) ?? { records: 0, bytes: 0 };
    if (use.records + 1 > this.quota.records) return `${storer} has stored its quota of ${this.quota.records} records here`;
    if (use.bytes + bytes > this.quota.bytes) return `${storer} has stored its quota of ${this.quota.bytes} bytes here`;
    return undefined;
  }

  /** A new record of `bytes`, stored for `storer`. */
  charge(recordId: string, storer: string, bytes: number): void {
    this.release(recordId);
    const use = this.usage.get(storer) ?? { records: 0, bytes: 0 };
    this.usage.set(storer, { records: use.records + 1, bytes: use.bytes + bytes });
    this.charged.set(recordId, { storer, bytes });
  }

  /** The record is gone (dropped, expired, replaced while expired): its storer gets the room back. */
  release(recordId: string): void {
    const charge = this.charged.get(recordId);
    if (!charge) return;
    this.charged.delete(recordId);
    const use = this.usage.get(charge.storer);
    if (!use) return;
    if (use.records <= 1) this.usage.delete(charge.storer);
    else this.usage.set(charge.storer, { records: use.records - 1, bytes: use.bytes - charge.bytes });
  }

  usageOf(storer: string): Quota {
    return this.usage.get(storer) ?? { records: 0, bytes: 0 };
  }
}
