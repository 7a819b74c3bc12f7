/**
 * The project's TypeScript client: Put and Get through any node, plus the node's inspection
 * calls. Used by the `kad` CLI, the tests and the benchmarks.
 */
import * as grpc from '@grpc/grpc-js';
import { channelOptions, kademliaPackage, unary } from '../proto/grpc-package.js';
import type * as v1 from '../proto/v1.js';
import type { AdminClient } from '../proto/gen/kademlia/v1/Admin.js';
import type { DhtClient as DhtStub } from '../proto/gen/kademlia/v1/Dht.js';

export interface CallOptions {
  /** Deadline for the whole call (default 15 s). */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const CLIENT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export class DhtClient {
  private readonly dht: DhtStub;
  private readonly admin: AdminClient;

  constructor(readonly address: string) {
    const pkg = kademliaPackage();
    const options = channelOptions(CLIENT_MAX_MESSAGE_BYTES);
    this.dht = new pkg.Dht(address, grpc.credentials.createInsecure(), options);
    this.admin = new pkg.Admin(address, grpc.credentials.createInsecure(), options);
  }

  put(key: Uint8Array | string, value: Uint8Array | string, options: CallOptions & { ttlMs?: number } = {}): Promise<v1.PutResponse__Output> {
    return unary(this.dht, this.dht.Put, { key: toBytes(key), value: toBytes(value), ttlMs: options.ttlMs ?? 0 }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  /** `quorum` > 1: collect that many answers, return the newest, repair stale holders. */
  get(key: Uint8Array | string, options: CallOptions & { quorum?: number } = {}): Promise<v1.GetResponse__Output> {
    return unary(this.dht, this.dht.Get, { key: toBytes(key), quorum: options.quorum ?? 0 }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  routingTable(options: CallOptions = {}): Promise<v1.RoutingTableResponse__Output> {
    return unary(this.admin, this.admin.RoutingTable, {}, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  stats(options: CallOptions = {}): Promise<v1.StatsResponse__Output> {
    return unary(this.admin, this.admin.Stats, {}, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  close(): void {
    this.dht.close();
    this.admin.close();
  }
}

function toBytes(data: Uint8Array | string): Buffer {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
}
