/**
 * The wire: generated peer and bus messages (the `v1` index), the bus codec, wire <-> domain
 * conversion, the gRPC service classes and reflection.
 */

export * from './codec.js';
export * from './convert.js';
export * from './grpc-package.js';
export * from './proto-files.js';
export * from './reflection.js';
export type * as v1 from './v1.js';
/** The gRPC services' client and handler types (every message type: `v1.X`). */
export type { AdminClient, AdminHandlers, DhtClient, DhtHandlers, PeerClient, PeerHandlers } from './v1.js';
export * from './actor-messages.js';
