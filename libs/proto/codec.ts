/**
 * Protobuf encoding of the messages that travel on the bus: the actors' own (package
 * kademlia.bus.v1) and the peer and client messages some of them reply with (kademlia.v1);
 * `encode`/`decode` are typed by message name through `Messages`.
 */
import protobuf from 'protobufjs';
import { join } from 'node:path';
import { BUS_PROTO_FILE, LOADER_OPTIONS, PROTO_FILES, protoRoot } from './proto-files.js';
import type * as v1 from './v1.js';

/** Message name -> [input type, decoded type]. */
export interface Messages {
  Contact: [v1.Contact, v1.Contact__Output];
  Record: [v1.Record, v1.Record__Output];
  PingResponse: [v1.PingResponse, v1.PingResponse__Output];
  FindNodeResponse: [v1.FindNodeResponse, v1.FindNodeResponse__Output];
  FindValueResponse: [v1.FindValueResponse, v1.FindValueResponse__Output];
  StoreResponse: [v1.StoreResponse, v1.StoreResponse__Output];
  PutResponse: [v1.PutResponse, v1.PutResponse__Output];
  GetResponse: [v1.GetResponse, v1.GetResponse__Output];
  RoutingTableResponse: [v1.RoutingTableResponse, v1.RoutingTableResponse__Output];
  SelfRequest: [v1.SelfRequest, v1.SelfRequest__Output];
  SelfResponse: [v1.SelfResponse, v1.SelfResponse__Output];
  ClosestRequest: [v1.ClosestRequest, v1.ClosestRequest__Output];
  ClosestResponse: [v1.ClosestResponse, v1.ClosestResponse__Output];
  ContactEvent: [v1.ContactEvent, v1.ContactEvent__Output];
  DumpRequest: [v1.DumpRequest, v1.DumpRequest__Output];
  RefreshTargetsRequest: [v1.RefreshTargetsRequest, v1.RefreshTargetsRequest__Output];
  RefreshTargetsResponse: [v1.RefreshTargetsResponse, v1.RefreshTargetsResponse__Output];
  StorageDueRequest: [v1.StorageDueRequest, v1.StorageDueRequest__Output];
  StorageDueResponse: [v1.StorageDueResponse, v1.StorageDueResponse__Output];
  StorageIdsRequest: [v1.StorageIdsRequest, v1.StorageIdsRequest__Output];
  StorageDropRequest: [v1.StorageDropRequest, v1.StorageDropRequest__Output];
  StorageDropResponse: [v1.StorageDropResponse, v1.StorageDropResponse__Output];
  StorageIdsResponse: [v1.StorageIdsResponse, v1.StorageIdsResponse__Output];
  StorageGetRequest: [v1.StorageGetRequest, v1.StorageGetRequest__Output];
  StorageGetResponse: [v1.StorageGetResponse, v1.StorageGetResponse__Output];
  StoragePutRequest: [v1.StoragePutRequest, v1.StoragePutRequest__Output];
  StoragePutResponse: [v1.StoragePutResponse, v1.StoragePutResponse__Output];
  StorageStatsRequest: [v1.StorageStatsRequest, v1.StorageStatsRequest__Output];
  StorageStatsResponse: [v1.StorageStatsResponse, v1.StorageStatsResponse__Output];
  OutboundPing: [v1.OutboundPing, v1.OutboundPing__Output];
  OutboundFindNode: [v1.OutboundFindNode, v1.OutboundFindNode__Output];
  OutboundFindValue: [v1.OutboundFindValue, v1.OutboundFindValue__Output];
  OutboundStore: [v1.OutboundStore, v1.OutboundStore__Output];
  OutboundStoreResponse: [v1.OutboundStoreResponse, v1.OutboundStoreResponse__Output];
  TableView: [v1.TableView, v1.TableView__Output];
  CoordinatorPut: [v1.CoordinatorPut, v1.CoordinatorPut__Output];
  CoordinatorGet: [v1.CoordinatorGet, v1.CoordinatorGet__Output];
  CoordinatorFindNode: [v1.CoordinatorFindNode, v1.CoordinatorFindNode__Output];
}
export type MessageName = keyof Messages;
export type MessageIn<N extends MessageName> = Messages[N][0];
export type MessageOut<N extends MessageName> = Messages[N][1];

let root: protobuf.Root | undefined;
const types = new Map<string, protobuf.Type>();

function typeOf(name: MessageName): protobuf.Type {
  let type = types.get(name);
  if (!type) {
    const dir = protoRoot();
    root ??= new protobuf.Root();
    root.resolvePath = (_origin, target) => join(dir, target);
    if (!root.lookup('kademlia.bus.v1.ContactEvent')) root.loadSync([...PROTO_FILES, BUS_PROTO_FILE], { keepCase: false });
    const found = root.lookup(`kademlia.bus.v1.${name}`) ?? root.lookup(`kademlia.v1.${name}`);
    if (!(found instanceof protobuf.Type)) throw new Error(`no message ${name} in kademlia.bus.v1 or kademlia.v1`);
    type = found;
    types.set(name, type);
  }
  return type;
}

export function encode<N extends MessageName>(name: N, message: MessageIn<N>): Uint8Array {
  const type = typeOf(name);
  return type.encode(type.fromObject(message as Record<string, unknown>)).finish();
}

/** Decodes bytes into the generated output shape; throws on malformed input. */
export function decode<N extends MessageName>(name: N, bytes: Uint8Array): MessageOut<N> {
  const type = typeOf(name);
  return type.toObject(type.decode(bytes), LOADER_OPTIONS) as MessageOut<N>;
}
