/**
 * Where copies of a record should go, as pure decisions the lookup-coordinator carries out:
 *
 * - `planGetRepairs` after a FIND_VALUE lookup: the newest version found wins (compareRecords);
 *   nodes among the k closest that answered that held an older version or none get the newest
 *   (read-repair), and the closest node that answered without it, if outside those k, gets a
 *   cached copy. A Get that stopped at the first value only caches.
 *   Deviation from the paper (§2.3), whose cached copy's lifetime is "exponentially inversely
 *   proportional to the number of nodes between the current node and the node whose ID is
 *   closest to the key ID": the expiry is part of what the publisher signs, so no reader can
 *   shorten it. The cached copy keeps the record's own expiry, and the cache holder, which is not
 *   among the k closest, hands it on and forgets it at its next re-replication
 *   (KAD_REPLICATE_MS), which bounds the over-caching the decay was there to prevent.
 * - `planPublish` for a Put or a republish (§2.3, §2.5): the replicas are the k closest of the
 *   lookup's answer and the publisher itself; the publisher keeps a copy of its own beside them
 *   when it is not among them (it is the one that republishes; that copy is not a replica).
 * - `planReplication` for a holder's re-replication (§2.5): the k closest of the lookup's answer
 *   (the holder itself is not among them: a lookup never returns its own node).
 * - `isResponsible`: whether a node is among the k closest to a record, of the contacts it knows
 *   (its routing table: contacts that proved their ids, never a lookup's unproven answers).
 * - `shouldHandOff` when a node learns of a newcomer (paper §2.5): a holder that is itself among
 *   the k closest to a record stores it on the newcomer if the newcomer is among them too.
 * - `keepAfterReplicate` after a holder re-replicated a record (§2.5): a holder no longer among
 *   the k closest (a former replica, a cached copy) hands the record on and forgets it; the
 *   publisher keeps its own, to republish. Judged by the routing table alone, and only once a
 *   contact that proved its id acknowledged the copy: a lookup's answers need not have proved
 *   their ids, and a sybil that claims to be closer must never make an honest holder drop its copy.
 * - `successorOnLeave` when a node leaves gracefully (OpenDHT does this; in the paper nodes just
 *   vanish and re-replication covers it within the hour): for a record it is among the k closest
 *   for, the node that becomes one of the k closest once it is gone.
 */
import { closestContacts, type Contact } from './contact.js';
import { idEquals, type NodeId } from './id.js';
import { compareRecords, type KadRecord } from './record.js';

export interface GetAnswer {
  readonly from: Contact;
  /** The version it held, or undefined when it answered without one. */
  readonly record: KadRecord | undefined;
}

export interface PlannedStore {
  readonly to: Contact;
  readonly record: KadRecord;
  readonly kind: 'repair' | 'cache';
}

export interface RepairPlan {
  readonly newest: KadRecord | undefined;
  readonly stores: PlannedStore[];
}

/** The newest of the versions (undefined for none). */
export function newestRecord(records: readonly KadRecord[]): KadRecord | undefined {
  let newest: KadRecord | undefined;
  for (const record of records) if (!newest || compareRecords(record, newest) > 0) newest = record;
  return newest;
}

export function planGetRepairs(options: {
  readonly target: NodeId;
  readonly k: number;
  readonly answers: readonly GetAnswer[];
  readonly nowMs: number;
  /** false (a Get that stopped at the first value): no read-repair, only the one cached copy,
   * since the lookup did not establish which nodes are the k closest. */
  readonly repair: boolean;
  /** The node running the Get: a stale copy of its own is always replaced (full lifetime). */
  readonly reader?: Contact;
}): RepairPlan {
  const { target, answers, nowMs } = options;
  const k = options.repair ? options.k : 0;
  const newest = newestRecord(answers.flatMap((a) => (a.record ? [a.record] : [])));
  if (!newest) return { newest: undefined, stores: [] };
  const stale = (a: GetAnswer): boolean => !a.record || compareRecords(a.record, newest) < 0;
  const byDistance = closestContacts(
    target,
    answers.map((a) => a.from),
    answers.length,
  );
  const closestK = byDistance.slice(0, k);
  const answerOf = (c: Contact): GetAnswer | undefined => answers.find((a) => idEquals(a.from.id, c.id));
  const stores: PlannedStore[] = [];
  for (const contact of closestK) {
    const answer = answerOf(contact);
    if (answer && stale(answer)) stores.push({ to: contact, record: newest, kind: 'repair' });
  }
  const reader = options.reader;
  const readerAnswer = reader ? answerOf(reader) : undefined;
  if (reader && readerAnswer?.record && stale(readerAnswer) && !stores.some((s) => idEquals(s.to.id, reader.id))) {
    stores.push({ to: reader, record: newest, kind: 'repair' });
  }
  const cacheAt = byDistance.slice(k).find((c) => {
    if (reader && idEquals(c.id, reader.id)) return false;
    const answer = answerOf(c);
    return answer !== undefined && stale(answer);
  });
  if (cacheAt && newest.expiresMs > nowMs) stores.push({ to: cacheAt, record: newest, kind: 'cache' });
  return { newest, stores };
}

export interface PublishPlan {
  /** The k closest to the record of the lookup's answer and the publisher, closest first. */
  readonly replicas: Contact[];
  /** Whether the publisher also stores its own copy, outside the replicas. */
  readonly ownCopy: boolean;
}

export function planPublish(recordId: NodeId, closest: readonly Contact[], publisher: Contact, k: number): PublishPlan {
  const replicas = closestContacts(recordId, [...closest, publisher], k);
  return { replicas, ownCopy: !replicas.some((r) => idEquals(r.id, publisher.id)) };
}

export function planReplication(recordId: NodeId, closest: readonly Contact[], k: number): Contact[] {
  return closestContacts(recordId, closest, k);
}

/** Whether `self` is among the k closest to `recordId` of itself and the contacts it knows. */
export function isResponsible(recordId: NodeId, self: Contact, known: readonly Contact[], k: number): boolean {
  const others = known.filter((c) => !idEquals(c.id, self.id));
  return closestContacts(recordId, [...others, self], k).some((c) => idEquals(c.id, self.id));
}

export function shouldHandOff(options: {
  readonly recordId: NodeId;
  readonly self: Contact;
  readonly newcomer: Contact;
  readonly known: readonly Contact[];
  readonly k: number;
}): boolean {
  const closest = closestContacts(options.recordId, [options.self, options.newcomer, ...options.known], options.k);
  const has = (c: Contact): boolean => closest.some((x) => idEquals(x.id, c.id));
  return has(options.self) && has(options.newcomer) && !idEquals(options.self.id, options.newcomer.id);
}

/**
 * The node that joins the k closest to `recordId` when `self` leaves: the k-th closest of the
 * others, if self is among the k closest of all. Undefined when self is not, or when fewer than
 * k others are known (they all hold it already).
 */
export function successorOnLeave(options: {
  readonly recordId: NodeId;
  readonly self: Contact;
  readonly known: readonly Contact[];
  readonly k: number;
}): Contact | undefined {
  const { recordId, self, k } = options;
  const others = options.known.filter((c) => !idEquals(c.id, self.id));
  return isResponsible(recordId, self, others, k) ? closestContacts(recordId, others, k)[k - 1] : undefined;
}

/**
 * After re-replicating a record it holds: whether this holder keeps its copy. It drops it only
 * when it is not the publisher, is no longer among the k closest of the contacts its routing
 * table knows (`proven`: contacts that proved their ids), and at least one of those acknowledged
 * the copy it just stored (`storedOn`), so the record is not lost and no unproven answer decided.
 */
export function keepAfterReplicate(options: {
  readonly recordId: NodeId;
  readonly self: Contact;
  readonly publisher: NodeId;
  readonly storedOn: readonly Contact[];
  readonly proven: readonly Contact[];
  readonly k: number;
}): boolean {
  const { recordId, self, storedOn, proven, k } = options;
  if (idEquals(options.publisher, self.id)) return true;
  const handedToProven = storedOn.some((c) => proven.some((p) => idEquals(p.id, c.id)));
  return !handedToProven || isResponsible(recordId, self, proven, k);
}
