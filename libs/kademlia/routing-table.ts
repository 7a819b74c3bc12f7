/**
 * The routing table: k-buckets over the 256-bit id space (Maymounkov & Mazières 2002, "Kademlia",
 * §2.2 k-buckets, §2.4 routing table as a binary tree split on demand, §4.1 replacement cache and
 * failure counting, §4.2 splitting in unbalanced trees).
 *
 * Buckets are a sorted list of id ranges (prefix + depth) that together cover the whole space.
 * A full bucket splits when its range holds our own id, or (§4.2) when the newcomer would be among
 * the k contacts closest to us, so our k-nearest neighbourhood is always complete.
 *
 * Deviations from the paper:
 * - The table never does I/O: when a bucket is full, `observe` parks the newcomer in the bucket's
 *   replacement cache and asks the caller to ping the least-recently-seen contact (§2.2); the
 *   caller reports back with `onPingResult`.
 * - A failed RPC (`onFailure`) evicts at once when a replacement is waiting, otherwise after
 *   `maxFailures` consecutive failures (§4.1 suggests 5).
 * - On a split, buckets with room take contacts from their replacement cache, most recent first.
 */
import { ipGroupOf } from './ip-group.js';
import { isValidAddress, type Contact } from './contact.js';
import { bitAt, commonPrefixLength, compareDistance, compareIds, ID_BITS, idEquals, isNodeId, type NodeId } from './id.js';

export interface RoutingTableOptions {
  /** Bucket size (§2.2). */
  k: number;
  /** Newcomers kept per full bucket (§4.1); default k. */
  replacementCacheSize?: number;
  /** Consecutive failures before a contact is evicted with no replacement waiting; default 5. */
  maxFailures?: number;
  /** Contacts per IP group (ip-group.ts: /24, /48; loopback and private exempt) at most; default no cap. */
  maxPerIpGroup?: number;
  /** How long a full bucket waits for the answer to its ping before it may ping again (an answer
   * that never comes: a lost message); default 30 s. */
  pendingPingMs?: number;
}

export const DEFAULT_PENDING_PING_MS = 30_000;

/** Consecutive failed RPCs before a contact is stale: the paper's suggestion (§4.1). */
export const DEFAULT_MAX_FAILURES = 5;

export type ObserveResult =
  | { kind: 'inserted' }
  | { kind: 'updated' }
  /** The bucket is full: ping `ping` (its least-recently-seen contact) and report the answer
   * with onPingResult; the newcomer waits in the replacement cache. */
  | { kind: 'pending'; ping: Contact }
  /** The bucket is full and its ping is already out: the newcomer waits in the replacement cache. */
  | { kind: 'queued' }
  | { kind: 'ignored'; reason: 'self' | 'invalid' | 'address-conflict' | 'ip-group-full' };

export interface TableChange {
  evicted?: Contact;
  promoted?: Contact;
}

/** The ids whose first `depth` bits are `prefix`'s (bits past depth are zero). */
export interface IdRange {
  prefix: NodeId;
  depth: number;
}

export interface BucketView extends IdRange {
  /** Least-recently-seen first. */
  contacts: Contact[];
  /** Oldest first; the last one is promoted first. */
  replacements: Contact[];
  lastTouchedMs: number;
}

interface Entry {
  contact: Contact;
  failures: number;
}

interface Bucket {
  depth: number;
  /** Bits past depth are zero. */
  prefix: NodeId;
  /** Least-recently-seen first. */
  entries: Entry[];
  /** Oldest first. */
  replacements: Contact[];
  lastTouchedMs: number;
  /** The §2.2 ping this full bucket has out (one at a time), to its least-recently-seen contact. */
  pendingPing: { id: NodeId; untilMs: number } | undefined;
}

/** The prefix of the ids sharing exactly `shared` leading bits with id: its first `shared` bits,
 * then the opposite of its next bit, then zeros. */
function siblingPrefix(id: NodeId, shared: number): NodeId {
  const prefix = new Uint8Array(id.length);
  const whole = shared >> 3;
  prefix.set(id.subarray(0, whole));
  const keep = (0xff << (8 - (shared & 7))) & 0xff;
  prefix[whole] = ((id[whole] ?? 0) & keep) | (~(id[whole] ?? 0) & (0x80 >> (shared & 7)) & 0xff);
  return prefix;
}

function positiveInteger(value: number, name: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

function copyContact(contact: Contact): Contact {
  return { id: Uint8Array.from(contact.id), address: contact.address };
}

export class RoutingTable {
  readonly selfId: NodeId;
  private readonly k: number;
  private readonly replacementCacheSize: number;
  private readonly maxFailures: number;
  private readonly maxPerIpGroup: number;
  private readonly pendingPingMs: number;
  /** Sorted by prefix; consecutive ranges covering the whole id space. */
  private readonly list: Bucket[];

  constructor(selfId: NodeId, options: RoutingTableOptions) {
    if (!isNodeId(selfId)) throw new RangeError('selfId must be a 32-byte id');
    this.selfId = Uint8Array.from(selfId);
    this.k = positiveInteger(options.k, 'k', 1);
    this.replacementCacheSize = positiveInteger(options.replacementCacheSize ?? options.k, 'replacementCacheSize', 0);
    this.maxFailures = positiveInteger(options.maxFailures ?? DEFAULT_MAX_FAILURES, 'maxFailures', 1);
    this.maxPerIpGroup =
      options.maxPerIpGroup === undefined || options.maxPerIpGroup === 0
        ? Number.POSITIVE_INFINITY
        : positiveInteger(options.maxPerIpGroup, 'maxPerIpGroup', 1);
    this.pendingPingMs = positiveInteger(options.pendingPingMs ?? DEFAULT_PENDING_PING_MS, 'pendingPingMs', 1);
    this.list = [{ depth: 0, prefix: new Uint8Array(32), entries: [], replacements: [], lastTouchedMs: 0, pendingPing: undefined }];
  }

  /** We heard from `contact` (a request or a reply): §2.2 bucket update rules. */
  observe(contact: Contact, nowMs: number): ObserveResult {
    if (!isNodeId(contact.id) || !isValidAddress(contact.address)) return { kind: 'ignored', reason: 'invalid' };
    if (idEquals(contact.id, this.selfId)) return { kind: 'ignored', reason: 'self' };
    let index = this.indexOf(contact.id);
    let bucket = this.at(index);
    const known = findEntry(bucket, contact.id);
    if (known >= 0) {
      // A known id at another address is not believed: anyone can name any id as its sender, and
      // moving the entry would let them hijack it. The entry keeps the address that answered;
      // if the node really moved, that address fails, the entry goes, and the new one comes in.
      if (bucket.entries[known]?.contact.address !== contact.address) return { kind: 'ignored', reason: 'address-conflict' };
      const [entry] = bucket.entries.splice(known, 1);
      if (entry) bucket.entries.push({ contact: entry.contact, failures: 0 });
      bucket.lastTouchedMs = nowMs;
      return { kind: 'updated' };
    }
    if (this.groupFull(contact.address)) return { kind: 'ignored', reason: 'ip-group-full' };
    removeContact(bucket.replacements, contact.id);
    while (bucket.entries.length >= this.k && this.canSplit(bucket, contact.id)) {
      this.split(index);
      index = this.indexOf(contact.id);
      bucket = this.at(index);
    }
    bucket.lastTouchedMs = nowMs;
    if (bucket.entries.length < this.k) {
      bucket.entries.push({ contact: copyContact(contact), failures: 0 });
      return { kind: 'inserted' };
    }
    this.addReplacement(bucket, copyContact(contact));
    const lrs = bucket.entries[0];
    if (!lrs) throw new Error('unreachable: a full bucket has a least-recently-seen contact');
    if (bucket.pendingPing && bucket.pendingPing.untilMs > nowMs) return { kind: 'queued' };
    bucket.pendingPing = { id: Uint8Array.from(lrs.contact.id), untilMs: nowMs + this.pendingPingMs };
    return { kind: 'pending', ping: lrs.contact };
  }

  /** The answer to the §2.2 ping of a full bucket's least-recently-seen contact. */
  onPingResult(id: NodeId, alive: boolean, nowMs: number): TableChange {
    if (!isNodeId(id)) return {};
    const covering = this.at(this.indexOf(id));
    if (covering.pendingPing && idEquals(covering.pendingPing.id, id)) covering.pendingPing = undefined;
    const found = this.locate(id);
    if (!found) return {};
    const { bucket, at } = found;
    if (!alive) return this.evict(bucket, at);
    const [entry] = bucket.entries.splice(at, 1);
    if (entry) bucket.entries.push({ contact: entry.contact, failures: 0 });
    bucket.lastTouchedMs = nowMs;
    return {};
  }

  /**
   * An RPC to `id` failed (§4.1). With `address`: a failure at another address than the entry's
   * says nothing about the contact held (it is someone who named that id as theirs), so the entry
   * is left alone; `remove` takes the same guard.
   */
  onFailure(id: NodeId, _nowMs: number, address?: string): TableChange {
    if (this.heldElsewhere(id, address)) return {};
    const found = this.locate(id);
    if (!found) {
      if (isNodeId(id)) removeContact(this.at(this.indexOf(id)).replacements, id);
      return {};
    }
    const { bucket, at } = found;
    const entry = bucket.entries[at];
    if (!entry) return {};
    entry.failures += 1;
    if (entry.failures >= this.maxFailures || bucket.replacements.length > 0) return this.evict(bucket, at);
    return {};
  }

  /** Drops `id` from the table (and from replacement caches); a replacement takes its place. */
  remove(id: NodeId, address?: string): TableChange {
    if (!isNodeId(id) || this.heldElsewhere(id, address)) return {};
    const found = this.locate(id);
    if (found) return this.evict(found.bucket, found.at);
    removeContact(this.at(this.indexOf(id)).replacements, id);
    return {};
  }

  /** Marks the bucket covering `target` as refreshed (a lookup was done in its range, §2.3). */
  touch(target: NodeId, nowMs: number): void {
    if (isNodeId(target)) this.at(this.indexOf(target)).lastTouchedMs = nowMs;
  }

  /** The at most `count` contacts closest to target, closest first; never ourselves. */
  closest(target: NodeId, count: number): Contact[] {
    if (count <= 0) return [];
    return this.contacts()
      .sort((a, b) => compareDistance(target, a.id, b.id))
      .slice(0, count);
  }

  private heldElsewhere(id: NodeId, address: string | undefined): boolean {
    if (address === undefined) return false;
    const held = this.get(id);
    return held !== undefined && held.address !== address;
  }

  /** True when the address's IP group already has its cap of contacts. */
  private groupFull(address: string): boolean {
    if (this.maxPerIpGroup === Number.POSITIVE_INFINITY) return false;
    const group = ipGroupOf(address);
    if (group === undefined) return false;
    let n = 0;
    for (const bucket of this.list) for (const entry of bucket.entries) if (ipGroupOf(entry.contact.address) === group) n++;
    return n >= this.maxPerIpGroup;
  }

  has(id: NodeId): boolean {
    return this.locate(id) !== undefined;
  }

  get(id: NodeId): Contact | undefined {
    const found = this.locate(id);
    return found ? found.bucket.entries[found.at]?.contact : undefined;
  }

  size(): number {
    let n = 0;
    for (const bucket of this.list) n += bucket.entries.length;
    return n;
  }

  contacts(): Contact[] {
    return this.list.flatMap((bucket) => bucket.entries.map((entry) => entry.contact));
  }

  /** Every bucket, in id order. */
  buckets(): BucketView[] {
    return this.list.map(view);
  }

  /** Buckets not touched at or after thresholdMs: the ones to refresh (§2.3). */
  bucketsNotSeenSince(thresholdMs: number): BucketView[] {
    return this.list.filter((bucket) => bucket.lastTouchedMs < thresholdMs).map(view);
  }

  /**
   * §2.3: the ranges a joining node refreshes, "all k-buckets further away than its closest
   * neighbor": one per distance, from the far half of the space (no common prefix with us) to
   * the range that holds our closest contact. They follow distances, not this table's buckets,
   * which in a young or small table are few and wide: a lookup into each range reaches the
   * nodes there, and they learn of us in turn. Empty while the table is.
   */
  joinRefreshRanges(): IdRange[] {
    let nearest = -1;
    for (const contact of this.contacts()) nearest = Math.max(nearest, commonPrefixLength(contact.id, this.selfId));
    return Array.from({ length: nearest + 1 }, (_, shared) => ({ prefix: siblingPrefix(this.selfId, shared), depth: shared + 1 }));
  }

  // --- internals ---

  /** Index of the bucket whose range holds id: the last one whose prefix is <= id. */
  private indexOf(id: NodeId): number {
    let lo = 0;
    let hi = this.list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (compareIds(this.at(mid).prefix, id) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private at(index: number): Bucket {
    const bucket = this.list[index];
    if (!bucket) throw new Error(`unreachable: no bucket ${index}`);
    return bucket;
  }

  private locate(id: NodeId): { bucket: Bucket; at: number } | undefined {
    if (!isNodeId(id)) return undefined;
    const bucket = this.at(this.indexOf(id));
    const at = findEntry(bucket, id);
    return at >= 0 ? { bucket, at } : undefined;
  }

  /** §2.4: split the bucket holding our id; §4.2: or one whose newcomer is among our k closest. */
  private canSplit(bucket: Bucket, newcomer: NodeId): boolean {
    if (bucket.depth >= ID_BITS) return false;
    if (commonPrefixLength(bucket.prefix, this.selfId) >= bucket.depth) return true;
    return this.countCloserToSelf(newcomer, this.k) < this.k;
  }

  /** How many contacts are closer to us than id, counting no further than limit. */
  private countCloserToSelf(id: NodeId, limit: number): number {
    const self = this.selfId;
    const j = commonPrefixLength(id, self);
    let count = 0;
    for (const bucket of this.list) {
      // Every id in a bucket shares at least `shared` leading bits with self; exactly that many
      // when the bucket's range does not hold self.
      const shared = Math.min(commonPrefixLength(bucket.prefix, self), bucket.depth);
      const holdsSelf = shared >= bucket.depth;
      if (shared > j) count += bucket.entries.length;
      else if (holdsSelf || shared === j) {
        for (const entry of bucket.entries) if (compareDistance(self, entry.contact.id, id) < 0) count += 1;
      }
      if (count >= limit) return count;
    }
    return count;
  }

  private split(index: number): void {
    const bucket = this.at(index);
    const depth = bucket.depth;
    const highPrefix = Uint8Array.from(bucket.prefix);
    highPrefix[depth >> 3] = (highPrefix[depth >> 3] ?? 0) | (0x80 >> (depth & 7));
    const halves = [bucket.prefix, highPrefix].map((prefix): Bucket => ({
      depth: depth + 1,
      prefix,
      entries: [],
      replacements: [],
      lastTouchedMs: bucket.lastTouchedMs,
      pendingPing: undefined,
    }));
    const [low, high] = halves;
    if (!low || !high) throw new Error('unreachable');
    if (bucket.pendingPing) (bitAt(bucket.pendingPing.id, depth) ? high : low).pendingPing = bucket.pendingPing;
    for (const entry of bucket.entries) (bitAt(entry.contact.id, depth) ? high : low).entries.push(entry);
    for (const contact of bucket.replacements) (bitAt(contact.id, depth) ? high : low).replacements.push(contact);
    for (const half of halves) {
      while (half.entries.length < this.k) {
        const promoted = half.replacements.pop();
        if (!promoted) break;
        half.entries.push({ contact: promoted, failures: 0 });
      }
    }
    this.list.splice(index, 1, low, high);
  }

  private addReplacement(bucket: Bucket, contact: Contact): void {
    if (this.replacementCacheSize === 0) return;
    removeContact(bucket.replacements, contact.id);
    bucket.replacements.push(contact);
    if (bucket.replacements.length > this.replacementCacheSize) bucket.replacements.shift();
  }

  private evict(bucket: Bucket, at: number): TableChange {
    const [entry] = bucket.entries.splice(at, 1);
    if (!entry) return {};
    // Its ping, if out, no longer guards the bucket: the next newcomer pings the new LRS.
    if (bucket.pendingPing && idEquals(bucket.pendingPing.id, entry.contact.id)) bucket.pendingPing = undefined;
    const promoted = bucket.replacements.pop();
    if (!promoted) return { evicted: entry.contact };
    bucket.entries.push({ contact: promoted, failures: 0 });
    return { evicted: entry.contact, promoted };
  }
}

function findEntry(bucket: Bucket, id: NodeId): number {
  return bucket.entries.findIndex((entry) => idEquals(entry.contact.id, id));
}

function removeContact(list: Contact[], id: NodeId): void {
  const at = list.findIndex((contact) => idEquals(contact.id, id));
  if (at >= 0) list.splice(at, 1);
}

function view(bucket: Bucket): BucketView {
  return {
    depth: bucket.depth,
    prefix: Uint8Array.from(bucket.prefix),
    contacts: bucket.entries.map((entry) => entry.contact),
    replacements: [...bucket.replacements],
    lastTouchedMs: bucket.lastTouchedMs,
  };
}
