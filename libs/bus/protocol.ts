/**
 * The actors' protocols in one table: for each actor, its verbs, and for each verb the protobuf
 * message it takes and the one it replies with (`event` verbs are publishes with no reply).
 * Subjects, codecs and typed clients all derive from this table.
 */
import type { ActorName } from './subjects.js';
import type { MessageName } from '../proto/index.js';

export interface RequestVerb {
  readonly request: MessageName;
  readonly reply: MessageName;
}
export interface EventVerb {
  readonly event: MessageName;
}

export const PROTOCOL = {
  'routing-table': {
    self: { request: 'SelfRequest', reply: 'SelfResponse' },
    closest: { request: 'ClosestRequest', reply: 'ClosestResponse' },
    dump: { request: 'DumpRequest', reply: 'RoutingTableResponse' },
    'refresh-targets': { request: 'RefreshTargetsRequest', reply: 'RefreshTargetsResponse' },
    seen: { event: 'ContactEvent' },
    failed: { event: 'ContactEvent' },
  },
  storage: {
    get: { request: 'StorageGetRequest', reply: 'StorageGetResponse' },
    put: { request: 'StoragePutRequest', reply: 'StoragePutResponse' },
    stats: { request: 'StorageStatsRequest', reply: 'StorageStatsResponse' },
    due: { request: 'StorageDueRequest', reply: 'StorageDueResponse' },
    ids: { request: 'StorageIdsRequest', reply: 'StorageIdsResponse' },
    drop: { request: 'StorageDropRequest', reply: 'StorageDropResponse' },
  },
  'lookup-coordinator': {
    put: { request: 'CoordinatorPut', reply: 'PutResponse' },
    get: { request: 'CoordinatorGet', reply: 'GetResponse' },
    'find-node': { request: 'CoordinatorFindNode', reply: 'ClosestResponse' },
    'contact-added': { event: 'ContactEvent' },
  },
  transport: {
    ping: { request: 'OutboundPing', reply: 'PingResponse' },
    'find-node': { request: 'OutboundFindNode', reply: 'FindNodeResponse' },
    'find-value': { request: 'OutboundFindValue', reply: 'FindValueResponse' },
    store: { request: 'OutboundStore', reply: 'OutboundStoreResponse' },
    'table-view': { event: 'TableView' },
  },
} as const satisfies Record<ActorName, Record<string, RequestVerb | EventVerb>>;

export type Protocol = typeof PROTOCOL;
export type VerbOf<A extends ActorName> = keyof Protocol[A] & string;
export type RequestVerbOf<A extends ActorName> = {
  [V in VerbOf<A>]: Protocol[A][V] extends RequestVerb ? V : never;
}[VerbOf<A>];
export type EventVerbOf<A extends ActorName> = {
  [V in VerbOf<A>]: Protocol[A][V] extends EventVerb ? V : never;
}[VerbOf<A>];
