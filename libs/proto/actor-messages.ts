/**
 * The actors' messages as the actors see them: domain types (NodeId, Contact, KadRecord), and for
 * each the one codec that turns it into its kademlia.bus.v1 message and back. Actors exchange the
 * domain values; a value is encoded only where it leaves the process (NATS), and decoded, and
 * checked, where it comes in: a malformed id, contact or record from the bus is refused here with
 * invalid-argument, before any actor sees it. In process nothing is encoded at all.
 *
 * The client's Put and Get (and their answers) travel as the kademlia.v1 messages the gRPC edge
 * received, since that is what they are; the coordinator checks them as it would any request.
 */
import type { Contact, KadRecord, NodeId } from '../kademlia/index.js';
import { invalidArgument } from '../errors/index.js';
import { decode, encode, type MessageIn, type MessageName, type MessageOut } from './codec.js';
import { bytesOf, contactFromWire, contactToWire, contactsFromWire, idFromWire, recordFromWire, recordToWire } from './convert.js';
import type * as v1 from './v1.js';

/** One actor message: how it is encoded for NATS, and decoded (and checked) from it. */
export interface MessageCodec<T> {
  /** The kademlia.bus.v1 (or kademlia.v1) message it travels as. */
  readonly wire: MessageName;
  encode(value: T): Uint8Array;
  /** Throws on malformed bytes or fields. */
  decode(bytes: Uint8Array): T;
}

function codec<N extends MessageName, T>(
  wire: N,
  toWire: (value: T) => MessageIn<N>,
  fromWire: (message: MessageOut<N>) => T,
): MessageCodec<T> {
  return { wire, encode: (value) => encode(wire, toWire(value)), decode: (bytes) => fromWire(decode(wire, bytes)) };
}

/** Whom an outbound RPC goes to: an address, and the id expected there when it is known (a
 * bootstrap node is pinged by address alone). */
export interface PeerRef {
  readonly address: string;
  readonly id?: NodeId | undefined;
}

export type Empty = Readonly<Record<string, never>>;
const EMPTY: Empty = {};

// routing-table
export interface SelfReply {
  readonly id: NodeId;
}
export interface ClosestRequest {
  readonly target: NodeId;
  /** 0 or absent: k. */
  readonly count?: number;
  /** A lookup starts here: the target's bucket counts as refreshed (§2.3). */
  readonly lookup?: boolean;
}
export interface ContactsReply {
  readonly contacts: readonly Contact[];
}
export interface BucketDump {
  readonly depth: number;
  readonly prefix: Uint8Array;
  readonly contacts: readonly Contact[];
  readonly replacements: readonly Contact[];
}
export interface TableDump {
  readonly self: Contact | undefined;
  readonly buckets: readonly BucketDump[];
}
export interface RefreshTargetsRequest {
  readonly idleMs: number;
  /** After joining: every distance out from the closest contact (§2.3). */
  readonly all?: boolean;
}
export interface RefreshTargetsReply {
  readonly targets: readonly NodeId[];
}
export interface ContactEvent {
  readonly contact: Contact;
  /** failed: remove at once (it answered with another node id, or is of another network). */
  readonly drop?: boolean;
  /** seen: it proved its id to this node at this address. */
  readonly verified?: boolean;
}

// storage
export interface RecordIdRequest {
  readonly recordId: NodeId;
}
export interface HeldRecordReply {
  readonly record: KadRecord | undefined;
}
export interface StoragePutRequest {
  readonly record: KadRecord;
  readonly expectedSeq?: number | undefined;
  /** Whose quota a peer's store counts against ('' or absent: this node's own). */
  readonly quotaKey?: string;
}
export interface StoreReply {
  /** false: a winning version is held (or the compare-and-swap failed). */
  readonly stored: boolean;
  readonly held?: KadRecord | undefined;
}
export interface StorageStats {
  readonly records: number;
  readonly bytes: number;
}
export interface DueRequest {
  readonly selfId: NodeId;
  readonly replicateMs: number;
  readonly republishMs: number;
  readonly limit: number;
}
export interface DueReply {
  readonly replicate: readonly NodeId[];
  readonly republish: readonly NodeId[];
}
export interface IdsRequest {
  /** Ids after this one, in id order… */
  readonly after?: NodeId | undefined;
  /** …or the ids nearest this one (longest shared prefix first). */
  readonly near?: NodeId | undefined;
  readonly limit: number;
}
export interface IdsReply {
  readonly ids: readonly NodeId[];
}
export interface DropReply {
  readonly dropped: boolean;
}

// lookup-coordinator
export interface CoordinatorPut {
  readonly request: v1.PutRequest__Output;
  readonly timeoutMs: number;
}
export interface CoordinatorGet {
  readonly request: v1.GetRequest__Output;
  readonly timeoutMs: number;
  /** Transport already found no local copy: go straight to the lookup. */
  readonly localChecked?: boolean;
}
export interface FindNodeRequest {
  readonly target: NodeId;
  readonly timeoutMs: number;
}
export interface ContactAdded {
  readonly contact: Contact;
}

// transport
export interface OutboundPing {
  readonly peer: PeerRef;
  readonly timeoutMs: number;
}
export interface PingReply {
  readonly responder: Contact;
}
export interface OutboundFindNode {
  readonly peer: PeerRef;
  readonly target: NodeId;
  readonly timeoutMs: number;
}
export interface FindNodeReply {
  readonly responder: Contact;
  readonly closer: readonly Contact[];
}
export interface OutboundFindValue {
  readonly peer: PeerRef;
  readonly recordId: NodeId;
  readonly timeoutMs: number;
}
export interface FindValueReply {
  readonly responder: Contact;
  /** Checked already: it verifies and is of the id asked for. */
  readonly record?: KadRecord | undefined;
  readonly closer: readonly Contact[];
}
export interface OutboundStore {
  readonly peers: readonly Contact[];
  readonly record: KadRecord;
  readonly timeoutMs: number;
  readonly expectedSeq?: number | undefined;
}
export interface StoreOutcome {
  /** Absent when the call failed. */
  readonly responder?: Contact | undefined;
  readonly stored: boolean;
  /** As StoreReply.held: not checked yet. */
  readonly held?: KadRecord | undefined;
  /** Why the call failed, when it did. */
  readonly error?: string | undefined;
}
export interface OutboundStoreReply {
  readonly outcomes: readonly StoreOutcome[];
}
export interface TableView {
  readonly contacts: readonly Contact[];
}

const MAX_CONTACTS = 65_536;

const contactOf = (wire: v1.Contact__Output | undefined, field: string): Contact => {
  const contact = contactFromWire(wire);
  if (!contact) throw invalidArgument(`${field} is missing or not a valid contact`);
  return contact;
};
const contactsOf = (wire: readonly v1.Contact__Output[]): Contact[] => contactsFromWire(wire, MAX_CONTACTS).contacts;
const optionalId = (bytes: Uint8Array, field: string): NodeId | undefined =>
  bytesOf(bytes).length > 0 ? idFromWire(bytes, field) : undefined;
const peerToWire = (peer: PeerRef): MessageIn<'Contact'> => ({ address: peer.address, ...(peer.id ? { id: peer.id } : {}) });
const peerOf = (wire: v1.Contact__Output | undefined): PeerRef => {
  if (!wire || wire.address === '') throw invalidArgument('peer is missing');
  return { address: wire.address, id: optionalId(wire.id, 'peer.id') };
};
const recordOrUndefined = (wire: v1.Record__Output | undefined): KadRecord | undefined => (wire ? recordFromWire(wire) : undefined);
const seqOf = (seq: number | undefined): { expectedSeq?: number } => (seq === undefined ? {} : { expectedSeq: seq });
const contactEvent = codec<'ContactEvent', ContactEvent>(
  'ContactEvent',
  (e) => ({ contact: contactToWire(e.contact), drop: e.drop ?? false, verified: e.verified ?? false }),
  (m) => ({ contact: contactOf(m.contact, 'contact'), drop: m.drop, verified: m.verified }),
);
const recordIdRequest = <N extends 'StorageGetRequest' | 'StorageDropRequest'>(wire: N): MessageCodec<RecordIdRequest> =>
  codec<N, RecordIdRequest>(
    wire,
    (r) => ({ recordId: r.recordId }) as MessageIn<N>,
    (m) => ({ recordId: idFromWire(m.recordId, 'record_id') }),
  );
const contactsReply = codec<'ClosestResponse', ContactsReply>(
  'ClosestResponse',
  (r) => ({ contacts: r.contacts.map(contactToWire) }),
  (m) => ({ contacts: contactsOf(m.contacts) }),
);

/** A request with no fields. */
const emptyCodec = (wire: 'SelfRequest' | 'DumpRequest' | 'StorageStatsRequest'): MessageCodec<Empty> =>
  codec(
    wire,
    () => ({}),
    () => EMPTY,
  );

/** Every actor message, by name; libs/bus/protocol.ts says which verb sends which. */
export const ACTOR_MESSAGES = {
  empty: {
    SelfRequest: emptyCodec('SelfRequest'),
    DumpRequest: emptyCodec('DumpRequest'),
    StorageStatsRequest: emptyCodec('StorageStatsRequest'),
  },
  selfReply: codec<'SelfResponse', SelfReply>(
    'SelfResponse',
    (r) => ({ id: r.id }),
    (m) => ({ id: idFromWire(m.id, 'id') }),
  ),
  closestRequest: codec<'ClosestRequest', ClosestRequest>(
    'ClosestRequest',
    (r) => ({ target: r.target, count: r.count ?? 0, lookup: r.lookup ?? false }),
    (m) => ({ target: idFromWire(m.target, 'target'), count: m.count, lookup: m.lookup }),
  ),
  contactsReply,
  tableDump: codec<'RoutingTableResponse', TableDump>(
    'RoutingTableResponse',
    (d) => ({
      self: d.self ? contactToWire(d.self) : null,
      buckets: d.buckets.map((b) => ({
        depth: b.depth,
        prefix: b.prefix,
        contacts: b.contacts.map(contactToWire),
        replacements: b.replacements.map(contactToWire),
      })),
    }),
    (m) => ({
      self: contactFromWire(m.self),
      buckets: m.buckets.map((b) => ({
        depth: b.depth,
        prefix: Uint8Array.from(bytesOf(b.prefix)),
        contacts: contactsOf(b.contacts),
        replacements: contactsOf(b.replacements),
      })),
    }),
  ),
  refreshTargetsRequest: codec<'RefreshTargetsRequest', RefreshTargetsRequest>(
    'RefreshTargetsRequest',
    (r) => ({ idleMs: r.idleMs, all: r.all ?? false }),
    (m) => ({ idleMs: m.idleMs, all: m.all }),
  ),
  refreshTargetsReply: codec<'RefreshTargetsResponse', RefreshTargetsReply>(
    'RefreshTargetsResponse',
    (r) => ({ targets: [...r.targets] }),
    (m) => ({ targets: m.targets.map((t, i) => idFromWire(t, `targets[${i}]`)) }),
  ),
  contactEvent,
  storageGet: recordIdRequest('StorageGetRequest'),
  heldRecordReply: codec<'StorageGetResponse', HeldRecordReply>(
    'StorageGetResponse',
    (r) => ({ record: r.record ? recordToWire(r.record) : null }),
    (m) => ({ record: recordOrUndefined(m.record) }),
  ),
  storagePut: codec<'StoragePutRequest', StoragePutRequest>(
    'StoragePutRequest',
    (r) => ({ record: recordToWire(r.record), quotaKey: r.quotaKey ?? '', ...seqOf(r.expectedSeq) }),
    (m) => ({ record: recordFromWire(m.record), quotaKey: m.quotaKey, ...seqOf(m.expectedSeq) }),
  ),
  storeReply: codec<'StoragePutResponse', StoreReply>(
    'StoragePutResponse',
    (r) => ({ stored: r.stored, held: r.held ? recordToWire(r.held) : null }),
    (m) => ({ stored: m.stored, held: recordOrUndefined(m.held) }),
  ),
  storageStats: codec<'StorageStatsResponse', StorageStats>(
    'StorageStatsResponse',
    (r) => ({ records: r.records, bytes: r.bytes }),
    (m) => ({ records: m.records, bytes: m.bytes }),
  ),
  dueRequest: codec<'StorageDueRequest', DueRequest>(
    'StorageDueRequest',
    (r) => ({ selfId: r.selfId, replicateMs: r.replicateMs, republishMs: r.republishMs, limit: r.limit }),
    (m) => ({ selfId: idFromWire(m.selfId, 'self_id'), replicateMs: m.replicateMs, republishMs: m.republishMs, limit: m.limit }),
  ),
  dueReply: codec<'StorageDueResponse', DueReply>(
    'StorageDueResponse',
    (r) => ({ replicate: [...r.replicate], republish: [...r.republish] }),
    (m) => ({
      replicate: m.replicate.map((id) => idFromWire(id, 'replicate')),
      republish: m.republish.map((id) => idFromWire(id, 'republish')),
    }),
  ),
  idsRequest: codec<'StorageIdsRequest', IdsRequest>(
    'StorageIdsRequest',
    (r) => ({ limit: r.limit, ...(r.after ? { after: r.after } : {}), ...(r.near ? { near: r.near } : {}) }),
    (m) => ({ limit: m.limit, after: optionalId(m.after, 'after'), near: optionalId(m.near, 'near') }),
  ),
  idsReply: codec<'StorageIdsResponse', IdsReply>(
    'StorageIdsResponse',
    (r) => ({ ids: [...r.ids] }),
    (m) => ({ ids: m.ids.map((id) => idFromWire(id, 'ids')) }),
  ),
  storageDrop: recordIdRequest('StorageDropRequest'),
  dropReply: codec<'StorageDropResponse', DropReply>(
    'StorageDropResponse',
    (r) => ({ dropped: r.dropped }),
    (m) => ({ dropped: m.dropped }),
  ),
  coordinatorPut: codec<'CoordinatorPut', CoordinatorPut>(
    'CoordinatorPut',
    (r) => ({ request: r.request, timeoutMs: r.timeoutMs }),
    (m) => {
      if (!m.request) throw invalidArgument('request is missing');
      return { request: m.request, timeoutMs: m.timeoutMs };
    },
  ),
  putReply: codec<'PutResponse', v1.PutResponse>(
    'PutResponse',
    (r) => r,
    (m) => m,
  ),
  coordinatorGet: codec<'CoordinatorGet', CoordinatorGet>(
    'CoordinatorGet',
    (r) => ({ request: r.request, timeoutMs: r.timeoutMs, localChecked: r.localChecked ?? false }),
    (m) => {
      if (!m.request) throw invalidArgument('request is missing');
      return { request: m.request, timeoutMs: m.timeoutMs, localChecked: m.localChecked };
    },
  ),
  getReply: codec<'GetResponse', v1.GetResponse>(
    'GetResponse',
    (r) => r,
    (m) => m,
  ),
  findNodeRequest: codec<'CoordinatorFindNode', FindNodeRequest>(
    'CoordinatorFindNode',
    (r) => ({ target: r.target, timeoutMs: r.timeoutMs }),
    (m) => ({ target: idFromWire(m.target, 'target'), timeoutMs: m.timeoutMs }),
  ),
  contactAdded: codec<'ContactEvent', ContactAdded>(
    'ContactEvent',
    (e) => ({ contact: contactToWire(e.contact) }),
    (m) => ({ contact: contactOf(m.contact, 'contact') }),
  ),
  outboundPing: codec<'OutboundPing', OutboundPing>(
    'OutboundPing',
    (r) => ({ peer: peerToWire(r.peer), timeoutMs: r.timeoutMs }),
    (m) => ({ peer: peerOf(m.peer), timeoutMs: m.timeoutMs }),
  ),
  pingReply: codec<'PingResponse', PingReply>(
    'PingResponse',
    (r) => ({ responder: contactToWire(r.responder) }),
    (m) => ({ responder: contactOf(m.responder, 'responder') }),
  ),
  outboundFindNode: codec<'OutboundFindNode', OutboundFindNode>(
    'OutboundFindNode',
    (r) => ({ peer: peerToWire(r.peer), target: r.target, timeoutMs: r.timeoutMs }),
    (m) => ({ peer: peerOf(m.peer), target: idFromWire(m.target, 'target'), timeoutMs: m.timeoutMs }),
  ),
  findNodeReply: codec<'FindNodeResponse', FindNodeReply>(
    'FindNodeResponse',
    (r) => ({ responder: contactToWire(r.responder), closer: r.closer.map(contactToWire) }),
    (m) => ({ responder: contactOf(m.responder, 'responder'), closer: contactsOf(m.closer) }),
  ),
  outboundFindValue: codec<'OutboundFindValue', OutboundFindValue>(
    'OutboundFindValue',
    (r) => ({ peer: peerToWire(r.peer), recordId: r.recordId, timeoutMs: r.timeoutMs }),
    (m) => ({ peer: peerOf(m.peer), recordId: idFromWire(m.recordId, 'record_id'), timeoutMs: m.timeoutMs }),
  ),
  findValueReply: codec<'FindValueResponse', FindValueReply>(
    'FindValueResponse',
    (r) => ({
      responder: contactToWire(r.responder),
      record: r.record ? recordToWire(r.record) : null,
      closer: r.closer.map(contactToWire),
    }),
    (m) => ({ responder: contactOf(m.responder, 'responder'), record: recordOrUndefined(m.record), closer: contactsOf(m.closer) }),
  ),
  outboundStore: codec<'OutboundStore', OutboundStore>(
    'OutboundStore',
    (r) => ({ peers: r.peers.map(contactToWire), record: recordToWire(r.record), timeoutMs: r.timeoutMs, ...seqOf(r.expectedSeq) }),
    (m) => ({ peers: contactsOf(m.peers), record: recordFromWire(m.record), timeoutMs: m.timeoutMs, ...seqOf(m.expectedSeq) }),
  ),
  outboundStoreReply: codec<'OutboundStoreResponse', OutboundStoreReply>(
    'OutboundStoreResponse',
    (r) => ({
      outcomes: r.outcomes.map((o) => ({
        responder: o.responder ? contactToWire(o.responder) : null,
        stored: o.stored,
        held: o.held ? recordToWire(o.held) : null,
        error: o.error ?? '',
      })),
    }),
    (m) => ({
      outcomes: m.outcomes.map((o) => ({
        responder: contactFromWire(o.responder),
        stored: o.stored,
        held: recordOrUndefined(o.held),
        error: o.error === '' ? undefined : o.error,
      })),
    }),
  ),
  tableView: codec<'TableView', TableView>(
    'TableView',
    (v) => ({ contacts: v.contacts.map(contactToWire) }),
    (m) => ({ contacts: contactsOf(m.contacts) }),
  ),
} as const;
