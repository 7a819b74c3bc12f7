/**
 * The gRPC side of proto/: the services' client classes and grpc-js definitions, made from the
 * ts-proto code (the client package's grpc-service.ts, shared with the TypeScript client, so the
 * node and its clients encode with one generated source), and `unary`, the one promise wrapper
 * around a unary call. Nothing here reads a .proto file at run time.
 */
import * as grpc from '@grpc/grpc-js';
import { admin, dht, serviceClientConstructor, type ServiceClientConstructor } from '../client/node.js';
import { PeerDefinition } from './gen/kademlia/v1/peer.js';

export { channelOptions, serverOptions } from '../client/node.js';

/** The three services of package kademlia.v1, as grpc.loadPackageDefinition would give them:
 * `new pkg.Peer(address, credentials)` is a client, `pkg.Peer.service` the server's definition. */
export interface KademliaPackage {
  readonly Dht: ServiceClientConstructor<typeof dht.DhtDefinition>;
  readonly Admin: ServiceClientConstructor<typeof admin.AdminDefinition>;
  readonly Peer: ServiceClientConstructor<typeof PeerDefinition>;
}

let loaded: KademliaPackage | undefined;

export function kademliaPackage(): KademliaPackage {
  loaded ??= {
    Dht: serviceClientConstructor(dht.DhtDefinition),
    Admin: serviceClientConstructor(admin.AdminDefinition),
    Peer: serviceClientConstructor(PeerDefinition),
  };
  return loaded;
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: grpc.requestCallback<Res>,
) => grpc.ClientUnaryCall;

/** Calls a unary method with a deadline; rejects with the grpc ServiceError. */
export function unary<Req, Res>(
  client: grpc.Client,
  method: UnaryMethod<Req, Res>,
  request: Req,
  timeoutMs: number,
  metadata: grpc.Metadata = new grpc.Metadata(),
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    method.call(client, request, metadata, { deadline: Date.now() + timeoutMs }, (err, response) => {
      if (err) reject(err);
      else if (response === undefined) reject(new Error('empty gRPC response'));
      else resolve(response);
    });
  });
}
