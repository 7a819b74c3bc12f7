/**
 * The project's TypeScript client: Put and Get through any node, keys owned by a client key
 * (signed here, verified here on the way back), plus the node's inspection calls. Used by the
 * `kad` CLI, the tests and the benchmarks.
 */
import * as grpc from '@grpc/grpc-js';
import { checkNodeCertificate, serverNameOptions } from '../identity/certificate.js';
import { verifyEd25519 } from '../identity/ed25519.js';
import type { RecordSigner } from '../kademlia/record.js';
import { ownerSigningBytes } from '../kademlia/record-signature.js';
import { channelOptions, kademliaPackage, unary } from '../proto/grpc-package.js';
import type * as v1 from '../proto/v1.js';
import type { AdminClient } from '../proto/gen/kademlia/v1/Admin.js';
import type { DhtClient as DhtStub } from '../proto/gen/kademlia/v1/Dht.js';

export interface CallOptions {
  /** Deadline for the whole call (default 15 s). */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** An owned record's default lifetime: an hour, well inside a node's (KAD_EXPIRE_MS, 24 h by
 * default); the owner puts it again to keep it (BEP 44: "put every hour"). */
const DEFAULT_OWNED_TTL_MS = 60 * 60 * 1000;

export interface OwnedPutOptions extends CallOptions {
  readonly seq: number;
  readonly expectedSeq?: number;
  /** Lifetime from now (default 1 h), or an absolute expiry. */
  readonly ttlMs?: number;
  readonly expiresMs?: number;
}
const CLIENT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * TLS to the node (PEM bytes). `ca`: the cluster's CA; the node's certificate must chain to it
 * and carry an Ed25519 key, whatever host name it was dialled by (a node's identity is its key).
 * Without `ca`, the system roots and the host name are checked, as any TLS client does.
 * `cert` and `key`: the client's own certificate, for nodes that require one (mutual TLS).
 */
export interface ClientTlsOptions {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** Credentials and channel options for a TLS client of `address`. */
export function clientTlsCredentials(address: string, tls: ClientTlsOptions): { credentials: grpc.ChannelCredentials; options: grpc.ChannelOptions } {
  if ((tls.cert === undefined) !== (tls.key === undefined)) throw new TypeError('a client certificate and its key go together');
  const verify: grpc.VerifyOptions = tls.ca === undefined ? {} : { checkServerIdentity: (_host, cert) => checkNodeCertificate(cert) };
  const credentials = grpc.credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null, verify);
  // With a CA no name is checked; without, the host must be in the certificate, as given.
  return { credentials, options: tls.ca === undefined ? {} : serverNameOptions(address) };
}

export class DhtClient {
  private readonly dht: DhtStub;
  private readonly admin: AdminClient;

  /** Plaintext without `tls`; TLS (and mutual TLS with `tls.cert`/`tls.key`) with it. */
  constructor(readonly address: string, tls?: ClientTlsOptions) {
    const pkg = kademliaPackage();
    const secure = tls === undefined ? undefined : clientTlsCredentials(address, tls);
    const options = { ...channelOptions(CLIENT_MAX_MESSAGE_BYTES), ...secure?.options };
    const credentials = secure?.credentials ?? grpc.credentials.createInsecure();
    this.dht = new pkg.Dht(address, credentials, options);
    this.admin = new pkg.Admin(address, credentials, options);
  }

  put(key: Uint8Array | string, value: Uint8Array | string, options: CallOptions & { ttlMs?: number } = {}): Promise<v1.PutResponse__Output> {
    return unary(this.dht, this.dht.Put, { key: toBytes(key), value: toBytes(value), ttlMs: options.ttlMs ?? 0 }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  /**
   * Stores `value` under `key` owned by `owner` (BEP 44 mutable item): signed here with the
   * client's key, so only a higher `seq` signed by the same key replaces it. `expectedSeq`: a
   * compare-and-swap on the sequence held. A stale seq or a failed swap is FAILED_PRECONDITION.
   */
  putOwned(owner: RecordSigner, key: Uint8Array | string, value: Uint8Array | string, options: OwnedPutOptions): Promise<v1.PutResponse__Output> {
    const fields = { key: toBytes(key), value: toBytes(value), seq: options.seq, expiresMs: options.expiresMs ?? Date.now() + (options.ttlMs ?? DEFAULT_OWNED_TTL_MS) };
    const request: v1.PutRequest = { ...fields, owner: Buffer.from(owner.publicKey), signature: Buffer.from(owner.sign(ownerSigningBytes(fields))) };
    if (options.expectedSeq !== undefined) request.expectedSeq = options.expectedSeq;
    return unary(this.dht, this.dht.Put, request, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  /**
   * `quorum` > 1: collect that many answers, return the newest, repair stale holders. `owner`
   * (a public key): the record `key` names under that owner; its signature is checked here, and
   * an answer that does not verify is an error.
   */
  async get(key: Uint8Array | string, options: CallOptions & { quorum?: number; owner?: Uint8Array } = {}): Promise<v1.GetResponse__Output> {
    const request = { key: toBytes(key), quorum: options.quorum ?? 0, owner: Buffer.from(options.owner ?? new Uint8Array(0)) };
    const reply = await unary<v1.GetRequest, v1.GetResponse__Output>(this.dht, this.dht.Get, request, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    if (options.owner && reply.found) {
      const signed = ownerSigningBytes({ key: request.key, value: reply.value, seq: reply.seq, expiresMs: reply.expiresMs });
      if (!verifyEd25519(options.owner, signed, reply.signature)) throw new Error(`${this.address} answered with a record its owner did not sign`);
    }
    return reply;
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
