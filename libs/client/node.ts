/**
 * What the node shares with its client beyond the pure rules (rules.ts), one copy, imported from
 * here (the package's public API is index.ts): the kademlia.v1 messages, the grpc-js adapter,
 * Ed25519, the check of a node's TLS certificate and the retry-after trailer.
 */
export * from './rules.js';
export * from './ed25519.js';
export * from './grpc-service.js';
export * from './node-tls.js';
export * from './retry-after.js';
export * as types from './gen/kademlia/v1/types.js';
export * as dht from './gen/kademlia/v1/dht.js';
export * as admin from './gen/kademlia/v1/admin.js';
