/**
 * The project's TypeScript client: Put and Get through any of several nodes, keys owned by a
 * client key (signed here, verified here on the way back), and the node's Admin calls. Used by
 * the `kad` CLI, the tests and the benchmarks.
 *
 * ```ts
 * const client = new DhtClient(['node-1:7400', 'node-2:7400']);
 * await client.put('greeting', 'hello', { ttlMs: 60_000 });
 * const got = await client.get('greeting', { quorum: 2, signal: AbortSignal.timeout(5_000) });
 * if (got.found) console.log(Buffer.from(got.value).toString());
 * client.close();
 * ```
 *
 * - Keys and values are a Uint8Array or a string (its UTF-8 bytes).
 * - A key that is not there is `found: false`; failures reject with the typed errors of
 *   dht-errors.ts, which carry the gRPC status.
 * - A key or value over the node's limits is refused here, before sending, with the node's own
 *   message (InvalidArgumentError); the limits are the node defaults unless given.
 * - Calls fail over between the addresses and retry only UNAVAILABLE and a rate limiter's
 *   RESOURCE_EXHAUSTED with `retry-after-ms` (failover.ts). A retried Put stores the value again
 *   (a newer version of the same value); a retried owned Put with `expectedSeq` may find its own
 *   first try's sequence and fail with FailedPreconditionError.
 */
import * as grpc from '@grpc/grpc-js';
import { targetAddresses } from './address.js';
import { verifyEd25519 } from './ed25519.js';
import { DhtDefinition, type GetRequest, type GetResponse, type PutRequest, type PutResponse } from './gen/kademlia/v1/dht.js';
import { AdminDefinition, type RoutingTableResponse, type StatsResponse } from './gen/kademlia/v1/admin.js';
import { channelOptions, serviceClientConstructor, type ServiceClient, type WireInput } from './grpc-service.js';
import { clientTlsCredentials, type ClientTlsOptions } from './node-tls.js';
import { ownerSigningBytes, type RecordSigner } from './owner-signature.js';
import { RecordVerificationError } from './dht-errors.js';
import { Failover, type CallOptions, type Endpoint, type FailoverOptions } from './failover.js';
import { DEFAULT_RECORD_LIMITS, checkGet, checkPut, toBytes, type Bytes, type RecordLimits } from './local-checks.js';

export type { CallOptions, FailoverOptions } from './failover.js';
export type { Bytes } from './local-checks.js';
export type { RecordSigner } from './owner-signature.js';
export * from './dht-errors.js';
export { DEFAULT_RETRY_POLICY, NO_RETRY, type RetryPolicy } from './retry-policy.js';
export { clientTlsCredentials, type ClientTlsOptions } from './node-tls.js';
export { targetAddresses } from './address.js';

/** An owned record's default lifetime: an hour, well inside a node's (KAD_EXPIRE_MS, 24 h by
 * default); the owner puts it again to keep it (BEP 44: "put every hour"). */
const DEFAULT_OWNED_TTL_MS = 60 * 60 * 1000;
/** The client's largest gRPC message, beside a key and value at the limits. */
const MIN_MESSAGE_BYTES = 4 * 1024 * 1024;
const MESSAGE_OVERHEAD_BYTES = 64 * 1024;

export interface PutOptions extends CallOptions {
  /** The record's lifetime (default 0: the node's, KAD_EXPIRE_MS). */
  readonly ttlMs?: number;
  /** Return the lookup's hops and the trace id the nodes recorded spans under. */
  readonly trace?: boolean;
}

export interface GetOptions extends CallOptions {
  /** > 1: collect that many answers, return the newest, repair stale holders. */
  readonly quorum?: number;
  /** A public key: the record `key` names under that owner; its signature is checked here. */
  readonly owner?: Uint8Array;
  /** Return the lookup's hops (one per peer RPC) and the trace id the nodes recorded spans under. */
  readonly trace?: boolean;
}

export interface OwnedPutOptions extends CallOptions {
  readonly seq: number;
  readonly expectedSeq?: number;
  /** Lifetime from now (default 1 h), or an absolute expiry. */
  readonly ttlMs?: number;
  readonly expiresMs?: number;
}

export interface DhtClientOptions extends FailoverOptions {
  /** TLS (and mutual TLS with `cert`/`key`); plaintext without. */
  readonly tls?: ClientTlsOptions;
  /** The nodes' limits, checked before sending (default: a node's defaults, 1024-byte keys and
   * 64 KiB values); `false`: send anything and let the node refuse it. */
  readonly limits?: Partial<RecordLimits> | false;
}

/** One node address: a channel, and the stubs that share it. */
interface NodeEndpoint extends Endpoint {
  readonly dht: ServiceClient<typeof DhtDefinition>;
  readonly admin: ServiceClient<typeof AdminDefinition>;
}

const DhtStub = serviceClientConstructor(DhtDefinition);
const AdminStub = serviceClientConstructor(AdminDefinition);

export class DhtClient {
  readonly addresses: readonly string[];
  private readonly failover: Failover<NodeEndpoint>;
  private readonly limits: RecordLimits | false;

  /** `target`: one address (host:port), several comma-separated, or a list. */
  constructor(target: string | readonly string[], options: DhtClientOptions = {}) {
    this.addresses = targetAddresses(target);
    this.limits = options.limits === false ? false : { ...DEFAULT_RECORD_LIMITS, ...options.limits };
    const limits = this.limits === false ? DEFAULT_RECORD_LIMITS : this.limits;
    const maxMessageBytes = Math.max(MIN_MESSAGE_BYTES, limits.maxKeyBytes + limits.maxValueBytes + MESSAGE_OVERHEAD_BYTES);
    const endpoints = this.addresses.map((address): NodeEndpoint => {
      const secure = options.tls === undefined ? undefined : clientTlsCredentials(address, options.tls);
      const credentials = secure?.credentials ?? grpc.credentials.createInsecure();
      const channel = new grpc.Channel(address, credentials, { ...channelOptions(maxMessageBytes), ...secure?.options });
      const shared = { channelOverride: channel };
      return { address, channel, dht: new DhtStub(address, credentials, shared), admin: new AdminStub(address, credentials, shared) };
    });
    this.failover = new Failover(endpoints, options);
  }

  /** The address calls go to first now (the last one that answered). */
  get address(): string {
    return this.failover.preferredAddress;
  }

  put(key: Bytes, value: Bytes, options: PutOptions = {}): Promise<PutResponse> {
    const fields = { key: toBytes(key), value: toBytes(value) };
    return this.send(fields, { ...fields, ttlMs: options.ttlMs ?? 0, trace: options.trace === true }, options);
  }

  /**
   * Stores `value` under `key` owned by `owner` (BEP 44 mutable item): signed here with the
   * client's key, so only a higher `seq` signed by the same key replaces it. `expectedSeq`: a
   * compare-and-swap on the sequence held. A stale seq or a failed swap is FailedPreconditionError.
   */
  putOwned(owner: RecordSigner, key: Bytes, value: Bytes, options: OwnedPutOptions): Promise<PutResponse> {
    const fields = {
      key: toBytes(key),
      value: toBytes(value),
      seq: options.seq,
      expiresMs: options.expiresMs ?? Date.now() + (options.ttlMs ?? DEFAULT_OWNED_TTL_MS),
    };
    const request: WireInput<PutRequest> = {
      ...fields,
      owner: Buffer.from(owner.publicKey),
      signature: Buffer.from(owner.sign(ownerSigningBytes(fields))),
    };
    if (options.expectedSeq !== undefined) request.expectedSeq = options.expectedSeq;
    return this.send(fields, request, options);
  }

  private async send(
    { key, value }: { key: Buffer; value: Buffer },
    request: WireInput<PutRequest>,
    options: CallOptions,
  ): Promise<PutResponse> {
    checkPut(key, value, this.limits);
    return this.failover.call<PutResponse>((ep, callOptions, done) => ep.dht.Put(request, new grpc.Metadata(), callOptions, done), options);
  }

  /** `found: false` when no node holds the key. With `owner`, an answer whose signature does not
   * verify is a RecordVerificationError. */
  async get(key: Bytes, options: GetOptions = {}): Promise<GetResponse> {
    const request: WireInput<GetRequest> & { key: Buffer } = {
      key: toBytes(key),
      quorum: options.quorum ?? 0,
      owner: Buffer.from(options.owner ?? new Uint8Array(0)),
      trace: options.trace === true,
    };
    checkGet(request.key, options.owner, this.limits);
    const reply = await this.failover.call<GetResponse>(
      (ep, callOptions, done) => ep.dht.Get(request, new grpc.Metadata(), callOptions, done),
      options,
    );
    if (options.owner && reply.found) {
      const signed = ownerSigningBytes({ key: request.key, value: reply.value, seq: reply.seq, expiresMs: reply.expiresMs });
      if (!verifyEd25519(options.owner, signed, reply.signature)) {
        throw new RecordVerificationError(`${this.address} answered with a record its owner did not sign`, { address: this.address });
      }
    }
    return reply;
  }

  /** Admin: the routing table of the node that answers. */
  routingTable(options: CallOptions = {}): Promise<RoutingTableResponse> {
    return this.failover.call<RoutingTableResponse>(
      (ep, callOptions, done) => ep.admin.RoutingTable({}, new grpc.Metadata(), callOptions, done),
      options,
    );
  }

  /** Admin: the counters of the node that answers (its name and address are in the reply). */
  stats(options: CallOptions = {}): Promise<StatsResponse> {
    return this.failover.call<StatsResponse>(
      (ep, callOptions, done) => ep.admin.Stats({}, new grpc.Metadata(), callOptions, done),
      options,
    );
  }

  close(): void {
    for (const endpoint of this.failover.endpoints) endpoint.channel.close();
  }
}
