/**
 * Protobuf encoding of the messages that travel on the bus: the actors' own (package
 * kademlia.bus.v1) and the peer and client messages some of them reply with (kademlia.v1), by
 * the ts-proto code (npm run generate) that gRPC uses too; `encode`/`decode` are typed by
 * message name. A sender may leave fields out (MessageIn); a decode returns every field
 * (MessageOut), an absent message field as undefined.
 */
import { admin, dht, types, type MessageFns, type WireInput } from '../client/node.js';
import { FindNodeResponse, FindValueResponse, PingResponse, StoreResponse } from './gen/kademlia/v1/peer.js';
import * as bus from './gen/kademlia/bus/v1/bus.js';

/** Every message the bus carries, by name. */
const MESSAGES = {
  Contact: types.Contact,
  Record: types.Record,
  PingResponse,
  FindNodeResponse,
  FindValueResponse,
  StoreResponse,
  PutResponse: dht.PutResponse,
  GetResponse: dht.GetResponse,
  RoutingTableResponse: admin.RoutingTableResponse,
  SelfRequest: bus.SelfRequest,
  SelfResponse: bus.SelfResponse,
  ClosestRequest: bus.ClosestRequest,
  ClosestResponse: bus.ClosestResponse,
  ContactEvent: bus.ContactEvent,
  DumpRequest: bus.DumpRequest,
  RefreshTargetsRequest: bus.RefreshTargetsRequest,
  RefreshTargetsResponse: bus.RefreshTargetsResponse,
  StorageDueRequest: bus.StorageDueRequest,
  StorageDueResponse: bus.StorageDueResponse,
  StorageIdsRequest: bus.StorageIdsRequest,
  StorageDropRequest: bus.StorageDropRequest,
  StorageDropResponse: bus.StorageDropResponse,
  StorageIdsResponse: bus.StorageIdsResponse,
  StorageGetRequest: bus.StorageGetRequest,
  StorageGetResponse: bus.StorageGetResponse,
  StoragePutRequest: bus.StoragePutRequest,
  StoragePutResponse: bus.StoragePutResponse,
  StorageStatsRequest: bus.StorageStatsRequest,
  StorageStatsResponse: bus.StorageStatsResponse,
  OutboundPing: bus.OutboundPing,
  OutboundFindNode: bus.OutboundFindNode,
  OutboundFindValue: bus.OutboundFindValue,
  OutboundStore: bus.OutboundStore,
  OutboundStoreResponse: bus.OutboundStoreResponse,
  TableView: bus.TableView,
  CoordinatorPut: bus.CoordinatorPut,
  CoordinatorGet: bus.CoordinatorGet,
  CoordinatorFindNode: bus.CoordinatorFindNode,
} as const;

type Decoded<F> = F extends MessageFns<infer T> ? T : never;

/** Message name -> [what a sender gives, what a decode returns]. */
export type Messages = { [N in keyof typeof MESSAGES]: [WireInput<Decoded<(typeof MESSAGES)[N]>>, Decoded<(typeof MESSAGES)[N]>] };
export type MessageName = keyof Messages;
export type MessageIn<N extends MessageName> = Messages[N][0];
export type MessageOut<N extends MessageName> = Messages[N][1];

function typeOf<N extends MessageName>(name: N): MessageFns<MessageOut<N>> {
  const type: unknown = MESSAGES[name];
  if (type === undefined) throw new Error(`no message ${String(name)} in kademlia.bus.v1 or kademlia.v1`);
  return type as MessageFns<MessageOut<N>>;
}

export function encode<N extends MessageName>(name: N, message: MessageIn<N>): Uint8Array {
  const type = typeOf(name);
  return type.encode(type.fromPartial(message as WireInput<MessageOut<N>>)).finish();
}

/** Decodes bytes into the generated message; throws on malformed input. */
export function decode<N extends MessageName>(name: N, bytes: Uint8Array): MessageOut<N> {
  return typeOf(name).decode(bytes);
}
