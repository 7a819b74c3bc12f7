/**
 * The gRPC side of proto/: the loaded package definition (for servers, clients and reflection),
 * the typed service constructors, and `unary`, the one promise wrapper around a unary call.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { LOADER_OPTIONS, PROTO_FILES, protoRoot } from './proto-files.js';
import type { ProtoGrpcType as AdminPackage } from './gen/admin.js';
import type { ProtoGrpcType as DhtPackage } from './gen/dht.js';
import type { ProtoGrpcType as PeerPackage } from './gen/peer.js';

export type KademliaPackage = AdminPackage['kademlia']['v1'] & DhtPackage['kademlia']['v1'] & PeerPackage['kademlia']['v1'];

let definition: protoLoader.PackageDefinition | undefined;

export function packageDefinition(): protoLoader.PackageDefinition {
  definition ??= protoLoader.loadSync([...PROTO_FILES], { ...LOADER_OPTIONS, includeDirs: [protoRoot()] });
  return definition;
}

export function kademliaPackage(): KademliaPackage {
  const loaded = grpc.loadPackageDefinition(packageDefinition()) as unknown as {
    kademlia: { v1: KademliaPackage };
  };
  return loaded.kademlia.v1;
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: grpc.requestCallback<Res>,
) => grpc.ClientUnaryCall;

/** Calls a unary method with a deadline; rejects with the grpc ServiceError. */
export function unary<Req, Res>(client: grpc.Client, method: UnaryMethod<Req, Res>, request: Req, timeoutMs: number, metadata: grpc.Metadata = new grpc.Metadata()): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    method.call(client, request, metadata, { deadline: Date.now() + timeoutMs }, (err, response) => {
      if (err) reject(err);
      else if (response === undefined) reject(new Error('empty gRPC response'));
      else resolve(response);
    });
  });
}

/** Channel options for every client: bounded messages, and no waiting for a dead peer. */
export function channelOptions(maxMessageBytes: number): grpc.ChannelOptions {
  return {
    ...serverOptions(maxMessageBytes),
    'grpc.enable_retries': 0,
    'grpc.initial_reconnect_backoff_ms': 200,
    'grpc.max_reconnect_backoff_ms': 2_000,
  };
}

/** Options for the server (and the base of every client's): bounded messages, no channelz
 * (its bookkeeping costs every call a little, and nothing here serves channelz). */
export function serverOptions(maxMessageBytes: number): grpc.ServerOptions {
  return {
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
    'grpc.enable_channelz': 0,
  };
}
