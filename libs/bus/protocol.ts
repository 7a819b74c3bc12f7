/**
 * The actors' protocols in one table: for each actor, its verbs, and for each verb the message it
 * takes and the one it replies with (`event` verbs are publishes with no reply), as domain types
 * with their codecs (libs/proto/actor-messages.ts). Subjects, handlers and typed clients all
 * derive from this table.
 */
import type { ActorName } from './subjects.js';
import { ACTOR_MESSAGES as M, type MessageCodec } from '../proto/index.js';

/** Any message codec, whatever value it carries (a MessageCodec<T> is one). */
export interface AnyMessageCodec {
  readonly wire: string;
  encode(value: never): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}
export interface RequestVerb {
  readonly request: AnyMessageCodec;
  readonly reply: AnyMessageCodec;
}
export interface EventVerb {
  readonly event: AnyMessageCodec;
}

export const PROTOCOL = {
  'routing-table': {
    self: { request: M.empty.SelfRequest, reply: M.selfReply },
    closest: { request: M.closestRequest, reply: M.contactsReply },
    dump: { request: M.empty.DumpRequest, reply: M.tableDump },
    'refresh-targets': { request: M.refreshTargetsRequest, reply: M.refreshTargetsReply },
    seen: { event: M.contactEvent },
    failed: { event: M.contactEvent },
  },
  storage: {
    get: { request: M.storageGet, reply: M.heldRecordReply },
    put: { request: M.storagePut, reply: M.storeReply },
    stats: { request: M.empty.StorageStatsRequest, reply: M.storageStats },
    due: { request: M.dueRequest, reply: M.dueReply },
    ids: { request: M.idsRequest, reply: M.idsReply },
    drop: { request: M.storageDrop, reply: M.dropReply },
  },
  'lookup-coordinator': {
    put: { request: M.coordinatorPut, reply: M.putReply },
    get: { request: M.coordinatorGet, reply: M.getReply },
    'find-node': { request: M.findNodeRequest, reply: M.contactsReply },
    'contact-added': { event: M.contactAdded },
  },
  transport: {
    ping: { request: M.outboundPing, reply: M.pingReply },
    'find-node': { request: M.outboundFindNode, reply: M.findNodeReply },
    'find-value': { request: M.outboundFindValue, reply: M.findValueReply },
    store: { request: M.outboundStore, reply: M.outboundStoreReply },
    'table-view': { event: M.tableView },
  },
} as const satisfies Record<ActorName, Record<string, RequestVerb | EventVerb>>;

export type Protocol = typeof PROTOCOL;
export type VerbOf<A extends ActorName> = keyof Protocol[A] & string;
export type RequestVerbOf<A extends ActorName> = {
  [V in VerbOf<A>]: Protocol[A][V] extends { readonly request: unknown } ? V : never;
}[VerbOf<A>];
export type EventVerbOf<A extends ActorName> = {
  [V in VerbOf<A>]: Protocol[A][V] extends { readonly event: unknown } ? V : never;
}[VerbOf<A>];

type CodecValue<C> = C extends MessageCodec<infer T> ? T : never;
type Spec<A extends ActorName, V extends VerbOf<A>> = Protocol[A][V];
/** What `verb` of `actor` takes, replies, or carries as an event. */
export type RequestOf<A extends ActorName, V extends VerbOf<A>> = Spec<A, V> extends { readonly request: infer C } ? CodecValue<C> : never;
export type ReplyOf<A extends ActorName, V extends VerbOf<A>> = Spec<A, V> extends { readonly reply: infer C } ? CodecValue<C> : never;
export type EventOf<A extends ActorName, V extends VerbOf<A>> = Spec<A, V> extends { readonly event: infer C } ? CodecValue<C> : never;
