/**
 * @kademlia-actors/client: the TypeScript client of a Kademlia DHT cluster (kademlia.v1 Dht and
 * Admin over gRPC). See README.md beside this file.
 */
export { DhtClient, type DhtClientOptions, type GetOptions, type OwnedPutOptions, type PutOptions } from './dht-client.js';
export type { CallOptions, FailoverOptions } from './failover.js';
export { DEFAULT_RETRY_POLICY, NO_RETRY, type RetryPolicy } from './retry-policy.js';
export * from './dht-errors.js';
export type { Bytes } from './local-checks.js';
export { DEFAULT_RECORD_LIMITS, type RecordLimits } from './record-limits.js';
export { targetAddresses } from './address.js';
export { clientTlsCredentials, type ClientTlsOptions } from './node-tls.js';
/** Owner keys for putOwned (and verifying what an owned Get returns). */
export { SigningKey, verifyEd25519 } from './ed25519.js';
export { ownerSigningBytes, type RecordSigner } from './owner-signature.js';
/** The messages the calls return, as generated from proto/kademlia/v1. */
export type { Contact, Record as DhtRecord, RecordOwner } from './gen/kademlia/v1/types.js';
export type { GetRequest, GetResponse, LookupHop, PutRequest, PutResponse } from './gen/kademlia/v1/dht.js';
export type { Bucket, BusMessageCount, RoutingTableResponse, StatsResponse } from './gen/kademlia/v1/admin.js';
