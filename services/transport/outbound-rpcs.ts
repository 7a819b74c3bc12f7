/**
 * Outbound peer RPCs, asked for on the bus ("send this RPC to that peer"). Every reply is
 * checked before anyone sees it: the responder must be the node we meant to reach, contacts are
 * validated and cut to k, a record must match the id asked for. Answers and failures are
 * reported to the routing table (paper §2.2: every message refreshes its sender's bucket), as
 * proven only when the responder proved its id at that address: every Ping carries a challenge
 * (libs/kademlia/peer-proof.ts), and the peers that answered one are kept in VerifiedPeers.
 */
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { ActorClient } from '../../libs/bus/index.js';
import {
  MAX_K,
  type KademliaConfig,
  idEquals,
  idToHex,
  isValidAddress,
  type Contact,
  checkRecordOf,
  CHALLENGE_BYTES,
  checkPingProof,
  verdictOnError,
} from '../../libs/kademlia/index.js';
import { verifyEd25519 } from '../../libs/identity/index.js';
import {
  bytesOf,
  contactFromWire,
  contactToWire,
  contactsFromWire,
  recordFromWire,
  recordToWire,
  unary,
  type FindNodeReply,
  type FindValueReply,
  type OutboundFindNode,
  type OutboundFindValue,
  type OutboundPing,
  type OutboundStore,
  type OutboundStoreReply,
  type PeerClient,
  type PeerRef,
  type PingReply,
  type StoreOutcome,
  type v1,
} from '../../libs/proto/index.js';
import { failedPrecondition, invalidArgument, unavailable } from '../../libs/errors/index.js';
import type { Logger } from '../../libs/runtime/index.js';
import { type NodeMetrics, TRACEPARENT, formatTraceparent, type Tracer } from '../../libs/observability/index.js';
import { fromGrpcError, statusName } from './grpc-status.js';
import type { PeerClientPool } from './peer-client-pool.js';
import type { ContactReports } from './contact-reports.js';
import type { VerifiedPeers } from './verified-peers.js';

export interface OutboundDeps {
  readonly actors: ActorClient;
  readonly pool: PeerClientPool;
  readonly verified: VerifiedPeers;
  readonly reports: ContactReports;
  readonly self: Contact;
  readonly network: string;
  readonly kad: KademliaConfig;
  readonly log: Logger;
  readonly clock: () => number;
  readonly metrics: NodeMetrics;
  readonly tracer: Tracer;
}

/** Where to send: an address, and the id we expect there (unknown for a bootstrap address). */
type Target = PeerRef;

const MAX_RPC_TIMEOUT_MS = 60_000;
/** Peers one store request may name: a Put's replicas, at most k. */
const MAX_STORE_PEERS = MAX_K;

function targetFrom(peer: PeerRef): Target {
  if (!isValidAddress(peer.address)) throw invalidArgument('peer must have a host:port address');
  return peer;
}

export class OutboundRpcs {
  private readonly sender: v1.Contact;

  constructor(private readonly deps: OutboundDeps) {
    this.sender = contactToWire(deps.self);
  }

  /** A Ping with a challenge: the answer must prove the responder's id (peer-proof.ts). */
  async ping(request: OutboundPing): Promise<PingReply> {
    const target = targetFrom(request.peer);
    const challenge = randomBytes(CHALLENGE_BYTES);
    const reply = await this.call<v1.PingRequest, v1.PingResponse__Output>(target, request.timeoutMs, 'Ping', (c) => c.Ping, {
      sender: this.sender,
      network: this.deps.network,
      challenge,
    });
    const claimed = contactFromWire(reply.responder);
    if (!claimed) throw unavailable(`${target.address} answered without a valid responder id`);
    const proof = {
      network: this.deps.network,
      challenge,
      id: claimed.id,
      publicKey: bytesOf(reply.publicKey),
      proof: bytesOf(reply.proof),
    };
    const problem = checkPingProof({ ...proof, dialled: target.address }, verifyEd25519);
    if (problem === undefined) {
      this.deps.verified.add(claimed.id, target.address);
      this.deps.pool.promote(target.address);
      return { responder: this.confirm(target, reply.responder) };
    }
    // A node reached under another name than the one it advertises (a bootstrap address through a
    // load balancer or an alias) proves its id for its own address: it answered, and the routing
    // table challenges it there before it may enter.
    if (
      target.id === undefined &&
      claimed.address !== target.address &&
      checkPingProof({ ...proof, dialled: claimed.address }, verifyEd25519) === undefined
    ) {
      if (!idEquals(claimed.id, this.deps.self.id)) this.deps.reports.seen(claimed, false);
      return { responder: claimed };
    }
    if (target.id) this.reportFailure({ id: target.id, address: target.address }, `could not prove its id: ${problem}`, true);
    else this.deps.log.warn({ peer: target.address, why: problem }, 'peer could not prove its id');
    // FAILED_PRECONDITION, not UNAVAILABLE: it answered, and is not who it claims to be.
    throw failedPrecondition(`${target.address} did not prove its id: ${problem}`);
  }

  async findNode(request: OutboundFindNode): Promise<FindNodeReply> {
    const target = targetFrom(request.peer);
    const reply = await this.call<v1.FindNodeRequest, v1.FindNodeResponse__Output>(
      target,
      request.timeoutMs,
      'FindNode',
      (c) => c.FindNode,
      { sender: this.sender, network: this.deps.network, target: request.target },
    );
    const responder = this.confirm(target, reply.responder);
    return { responder, closer: this.closer(responder, reply.closer) };
  }

  async findValue(request: OutboundFindValue): Promise<FindValueReply> {
    const target = targetFrom(request.peer);
    const recordId = request.recordId;
    const reply = await this.call<v1.FindValueRequest, v1.FindValueResponse__Output>(
      target,
      request.timeoutMs,
      'FindValue',
      (c) => c.FindValue,
      { sender: this.sender, network: this.deps.network, recordId: request.recordId },
    );
    const responder = this.confirm(target, reply.responder);
    if (reply.record) {
      const record = recordFromWire(reply.record);
      const problem = checkRecordOf(recordId, record, this.deps.kad, this.deps.clock(), verifyEd25519);
      if (problem) {
        this.reportFailure(responder, 'answered FIND_VALUE with an invalid record');
        throw unavailable(`${responder.address} answered with an invalid record: ${problem.message}`);
      }
      return { responder, record, closer: [] };
    }
    return { responder, closer: this.closer(responder, reply.closer) };
  }

  /** One record to every peer asked, in parallel; one outcome per peer, in order. */
  async store(request: OutboundStore): Promise<OutboundStoreReply> {
    if (request.peers.length > MAX_STORE_PEERS)
      throw invalidArgument(`at most ${MAX_STORE_PEERS} peers per store, got ${request.peers.length}`);
    const targets = request.peers.map(targetFrom);
    const cas = request.expectedSeq === undefined ? {} : { expectedSeq: request.expectedSeq };
    const message = { sender: this.sender, network: this.deps.network, record: recordToWire(request.record), ...cas };
    const outcomes = await Promise.all(
      targets.map(async (target): Promise<StoreOutcome> => {
        try {
          const reply = await this.call<v1.StoreRequest, v1.StoreResponse__Output>(
            target,
            request.timeoutMs,
            'Store',
            (c) => c.Store,
            message,
          );
          const responder = this.confirm(target, reply.responder);
          return { responder, stored: reply.stored, held: reply.stored || !reply.held ? undefined : recordFromWire(reply.held) };
        } catch (err) {
          return { stored: false, error: (err as Error).message || 'store failed' };
        }
      }),
    );
    return { outcomes };
  }

  private async call<Req, Res>(
    target: Target,
    timeoutMs: number,
    name: string,
    method: (
      client: PeerClient,
    ) => (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<Res>) => grpc.ClientUnaryCall,
    request: Req,
  ): Promise<Res> {
    const client = this.deps.pool.get(target.address);
    const timeout = Math.min(timeoutMs > 0 ? timeoutMs : this.deps.kad.rpcTimeoutMs, MAX_RPC_TIMEOUT_MS);
    const started = performance.now();
    const send = (metadata?: grpc.Metadata): Promise<Res> => unary(client, method(client), request, timeout, metadata);
    try {
      const reply = this.deps.tracer.current()
        ? await this.deps.tracer.span(`Peer/${name}`, { kind: 'client', attributes: { peer: target.address } }, (context) => {
            const metadata = new grpc.Metadata();
            if (context) metadata.set(TRACEPARENT, formatTraceparent(context));
            return send(metadata);
          })
        : await send();
      this.deps.metrics.peerRpc('outbound', name, 'OK', (performance.now() - started) / 1000);
      return reply;
    } catch (err) {
      this.deps.metrics.peerRpc(
        'outbound',
        name,
        statusName((err as Partial<grpc.ServiceError>).code),
        (performance.now() - started) / 1000,
      );
      const kad = fromGrpcError(err, `${name} to ${target.address}`);
      const verdict = verdictOnError(kad.code);
      if (target.id && verdict === 'drop') this.reportFailure({ id: target.id, address: target.address }, kad.message, true);
      else if (target.id && verdict === 'failed') this.deps.reports.failed({ id: target.id, address: target.address });
      throw kad;
    }
  }

  /** The responder must be a well-formed contact with the id we expected; it is then seen (as
   * proven when it proved that id at this address). */
  private confirm(target: Target, responder: v1.Contact__Output | undefined): Contact {
    const claimed = contactFromWire(responder);
    if (!claimed) throw unavailable(`${target.address} answered without a valid responder id`);
    if (target.id && !idEquals(claimed.id, target.id)) {
      this.reportFailure({ id: target.id, address: target.address }, `answered as ${idToHex(claimed.id)}`, true);
      throw failedPrecondition(`${target.address} answered with a different node id than expected`);
    }
    const contact = { id: claimed.id, address: target.address };
    if (!idEquals(contact.id, this.deps.self.id)) this.deps.reports.seen(contact);
    return contact;
  }

  /** At most k valid contacts from a reply; anything else is dropped and logged. */
  private closer(responder: Contact, wire: readonly v1.Contact__Output[]): Contact[] {
    const { contacts, dropped } = contactsFromWire(wire, this.deps.kad.k);
    if (dropped > 0) {
      this.deps.log.warn({ peer: responder.address, received: wire.length, dropped }, 'peer reply had more than k or malformed contacts');
    }
    return contacts;
  }

  /** A misbehaving peer counts as failed; one that is not who we thought (`drop`) goes at once. */
  private reportFailure(contact: Contact, why: string, drop = false): void {
    this.deps.log.warn({ peer: contact.address, why }, 'peer misbehaved');
    if (drop && this.deps.verified.has(contact.id, contact.address)) this.deps.verified.forget(contact.id);
    this.deps.reports.failed(contact, drop);
  }
}
