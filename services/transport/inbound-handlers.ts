/**
 * Inbound gRPC: every peer RPC and client call becomes messages to the node's other actors.
 * Inputs are validated here, at the edge, so a bad request gets a precise INVALID_ARGUMENT
 * before anything is forwarded. A peer that names itself (`sender`) is reported to the
 * routing table, as proven only if it proved its id at that address before (VerifiedPeers): an
 * unproven sender is a candidate the routing table challenges, never a contact on its word.
 * Client calls (Dht, and Peer calls with no sender) are never reported. A Ping with a challenge
 * is answered with this node's proof of its own id (libs/kademlia/peer-proof.ts).
 */
import type * as grpc from '@grpc/grpc-js';
import { type ActorClient, BUS_SLACK_MS, LOCAL_REQUEST_TIMEOUT_MS, type BusTally } from '../../libs/bus/index.js';
import {
  idEquals,
  idToHex,
  CHALLENGE_BYTES,
  pingProofBytes,
  recordIdFor,
  validateKey,
  validateOwnerKey,
  validateRecord,
  validateValue,
  closestContacts,
  findNodeCandidates,
  planRead,
  findNodeAnswer,
  type Contact,
  maxOperationMs,
  type KademliaConfig,
} from '../../libs/kademlia/index.js';
import type { SigningKey } from '../../libs/identity/index.js';
import {
  contactFromWire,
  contactToWire,
  foundRecord,
  idFromWire,
  recordFromWire,
  recordToWire,
  type AdminHandlers,
  type DhtHandlers,
  type PeerHandlers,
  type v1,
} from '../../libs/proto/index.js';
import { failedPrecondition, invalidArgument, resourceExhausted } from '../../libs/errors/index.js';
import type { Logger } from '../../libs/runtime/index.js';
import { type NodeMetrics, TRACEPARENT, parseTraceparent, type Tracer } from '../../libs/observability/index.js';
import { statusName, toGrpcStatus } from './grpc-status.js';
import { hostOf, type InboundLimiter } from './inbound-limiter.js';
import type { RateLimiter } from './rate-limiter.js';
import type { ContactReports } from './contact-reports.js';
import type { VerifiedPeers } from './verified-peers.js';

export interface InboundDeps {
  readonly limiter: InboundLimiter;
  readonly rate: RateLimiter;
  /** The node id of the caller's TLS certificate (mutual TLS), else undefined. */
  readonly certificateId: (call: grpc.ServerUnaryCall<unknown, unknown>) => Uint8Array | undefined;
  /** Closes the connection of a remote (`ip:port`). */
  readonly disconnect: (remote: string) => void;
  readonly actors: ActorClient;
  readonly self: Contact;
  /** This node's key: it answers challenges with it. */
  readonly key: SigningKey;
  readonly verified: VerifiedPeers;
  readonly reports: ContactReports;
  /** The routing table's contacts as it last published them (`transport.table-view`). */
  readonly tableView: { contacts: readonly Contact[] | undefined };
  /** The bus messages this process sent, where the bus counts them (Admin Stats). */
  readonly busTally: BusTally | undefined;
  /** A peer serving at `address` called this node (its channel there may start over). */
  readonly heardFrom: (address: string) => void;
  /** This node's network name: peers of another are refused. */
  readonly network: string;
  readonly kad: KademliaConfig;
  readonly log: Logger;
  readonly clock: () => number;
  readonly metrics: NodeMetrics;
  readonly tracer: Tracer;
}

/** The peer protocol's methods (counted as inbound peer RPCs); Put and Get are client calls. */
const PEER_METHODS: ReadonlySet<string> = new Set(['Ping', 'FindNode', 'FindValue', 'Store']);

/** The span name of an inbound call: its service and method. */
function spanName(method: string): string {
  if (PEER_METHODS.has(method)) return `Peer/${method}`;
  return method === 'Put' || method === 'Get' ? `Dht/${method}` : `Admin/${method}`;
}

/** A call is traced when its caller sent a `traceparent`, or a Put or Get asked for `trace`. */
function traced<Req, Res>(tracer: Tracer, method: string, call: grpc.ServerUnaryCall<Req, Res>, fn: () => Promise<Res>): Promise<Res> {
  const header = call.metadata.get(TRACEPARENT)[0];
  const parent = header === undefined ? undefined : parseTraceparent(header);
  const root = (call.request as { trace?: unknown } | null)?.trace === true;
  if (!parent && !root) return fn();
  return tracer.span(spanName(method), { kind: 'server', parent, root, attributes: { remote: call.getPeer() } }, fn);
}

function countCall(metrics: NodeMetrics, method: string, code: number | undefined, startedMs: number): void {
  const seconds = (performance.now() - startedMs) / 1000;
  if (PEER_METHODS.has(method)) metrics.peerRpc('inbound', method, statusName(code), seconds);
  else if (method === 'Put' || method === 'Get') metrics.clientRequest(method === 'Put' ? 'put' : 'get', statusName(code), seconds);
}

/**
 * A unary handler from an async function: rate-limited per connection, bounded in flight per
 * remote host, and errors become a gRPC status, never a crash.
 */
function unaryHandler<Req, Res>(
  {
    log,
    limiter,
    rate,
    clock,
    disconnect,
    metrics,
    tracer,
  }: Pick<InboundDeps, 'log' | 'limiter' | 'rate' | 'clock' | 'disconnect' | 'metrics' | 'tracer'>,
  method: string,
  fn: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const started = performance.now();
    let release = (): void => undefined;
    Promise.resolve()
      .then(() => {
        const remote = call.getPeer();
        const verdict = rate.take(remote, clock());
        if (!verdict.ok) {
          // One that ignores the trailer loses its connection, once this answer is out.
          if (verdict.abusive) setImmediate(() => disconnect(remote));
          throw resourceExhausted(`${remote} is over its rate limit: try again in ${verdict.retryAfterMs} ms`, verdict.retryAfterMs);
        }
        release = limiter.acquire(remote);
        return traced(tracer, method, call, () => fn(call.request, call));
      })
      .finally(() => release())
      .then(
        (response) => {
          countCall(metrics, method, 0, started);
          callback(null, response);
        },
        (err: unknown) => {
          const statusObject = toGrpcStatus(err);
          countCall(metrics, method, statusObject.code, started);
          log.debug({ method, code: statusObject.code, details: statusObject.details }, 'call failed');
          callback(statusObject as grpc.ServiceError);
        },
      );
  };
}

/** Time left for an operation: the caller's deadline, capped by what a lookup may take. */
function operationTimeoutMs(call: grpc.ServerUnaryCall<unknown, unknown>, kad: KademliaConfig, now: number): number {
  const cap = maxOperationMs(kad);
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  if (!Number.isFinite(at)) return cap;
  return Math.max(1, Math.min(cap, at - now - 20));
}

export function peerHandlers(deps: InboundDeps): PeerHandlers {
  const { actors, self, kad } = deps;
  const responder = contactToWire(self);

  /** Reports a serving peer to the routing table; a malformed sender, or one of another
   * network, is rejected before anything else is done. */
  const noteSender = (
    { sender, network }: { sender: v1.Contact__Output | undefined; network: string },
    call: grpc.ServerUnaryCall<unknown, unknown>,
  ): Contact | undefined => {
    if (sender === undefined) return undefined;
    const contact = contactFromWire(sender);
    if (!contact) throw invalidArgument('sender must have a 32-byte id and a host:port address');
    // Under mutual TLS the certificate names the caller: a sender id that is not its own is refused.
    const certified = deps.certificateId(call);
    if (certified && !idEquals(certified, contact.id)) throw invalidArgument("sender id is not the id of the caller's certificate");
    if (network !== deps.network) {
      throw failedPrecondition(
        `this node is of network ${JSON.stringify(deps.network)}, the sender of ${JSON.stringify(network.slice(0, 64))}`,
      );
    }
    if (idEquals(contact.id, self.id)) return undefined;
    deps.heardFrom(contact.address);
    deps.reports.seen(contact);
    return contact;
  };
  /** From the routing table's view when the transport has one (no bus round trip), else asked. */
  const closestTo = async (target: Uint8Array, sender: Contact | undefined): Promise<v1.Contact[]> => {
    const view = deps.tableView.contacts;
    const count = findNodeCandidates(kad.k);
    const closest = view
      ? closestContacts(target, view, count)
      : (await actors.ask('routing-table', 'closest', { target, count }, LOCAL_REQUEST_TIMEOUT_MS)).contacts;
    return findNodeAnswer(closest, kad.k, sender?.id).map(contactToWire);
  };

  return {
    Ping: unaryHandler(deps, 'Ping', async (request: v1.PingRequest__Output, call) => {
      const challenge = request.challenge;
      if (challenge.length !== 0 && challenge.length !== CHALLENGE_BYTES) {
        throw invalidArgument(`challenge must be ${CHALLENGE_BYTES} bytes, got ${challenge.length}`);
      }
      noteSender(request, call);
      if (challenge.length === 0) return { responder };
      const proof = deps.key.sign(pingProofBytes(deps.network, challenge, self.address));
      return { responder, publicKey: Buffer.from(deps.key.publicKey), proof: Buffer.from(proof) };
    }),
    FindNode: unaryHandler(deps, 'FindNode', async (request: v1.FindNodeRequest__Output, call) => {
      const target = idFromWire(request.target, 'target');
      const sender = noteSender(request, call);
      return { responder, closer: await closestTo(target, sender) };
    }),
    FindValue: unaryHandler(deps, 'FindValue', async (request: v1.FindValueRequest__Output, call) => {
      const recordId = idFromWire(request.recordId, 'record_id');
      const sender = noteSender(request, call);
      // Both asks at once: most FIND_VALUEs miss, and then the contacts are needed too.
      const [held, closer] = await Promise.all([
        actors.ask('storage', 'get', { recordId }, LOCAL_REQUEST_TIMEOUT_MS),
        closestTo(recordId, sender),
      ]);
      if (held.record) return { responder, record: recordToWire(held.record), closer: [] };
      return { responder, record: null, closer };
    }),
    Store: unaryHandler(deps, 'Store', async (request: v1.StoreRequest__Output, call) => {
      // The cheap checks here, for a precise status before anything moves; the storage actor
      // verifies the signatures, since it must for anything the bus brings it too.
      const record = recordFromWire(request.record);
      const problem = validateRecord(record, kad, deps.clock());
      if (problem) throw invalidArgument(problem.message);
      const sender = noteSender(request, call);
      const cas = request.expectedSeq === undefined ? {} : { expectedSeq: request.expectedSeq };
      const quotaKey = quotaKeyOf(sender, call.getPeer(), deps.verified);
      const reply = await actors.ask('storage', 'put', { record, quotaKey, ...cas }, LOCAL_REQUEST_TIMEOUT_MS);
      return { responder, stored: reply.stored, held: reply.held ? recordToWire(reply.held) : null };
    }),
  };
}

/** Who a Store is charged to (StoreQuota): a sender that proved its id at its address, by id;
 * anyone else by the host it calls from, which it cannot change by naming another sender. */
function quotaKeyOf(sender: Contact | undefined, remote: string, verified: VerifiedPeers): string {
  if (sender && verified.has(sender.id, sender.address)) return `peer ${idToHex(sender.id)}`;
  return `host ${hostOf(remote)}`;
}

export function dhtHandlers(deps: InboundDeps): DhtHandlers {
  const { actors, kad } = deps;
  return {
    Put: unaryHandler(deps, 'Put', async (request: v1.PutRequest__Output, call) => {
      const problem = validateKey(request.key, kad.limits) ?? validateValue(request.value, kad.limits);
      if (problem) throw invalidArgument(problem.message);
      const timeoutMs = operationTimeoutMs(call, kad, deps.clock());
      return actors.ask('lookup-coordinator', 'put', { request, timeoutMs }, timeoutMs + BUS_SLACK_MS);
    }),
    Get: unaryHandler(deps, 'Get', async (request: v1.GetRequest__Output, call) => {
      const problem = validateKey(request.key, kad.limits) ?? validateOwnerKey(request.owner);
      if (problem) throw invalidArgument(problem.message);
      const timeoutMs = operationTimeoutMs(call, kad, deps.clock());
      // A first-value Get this node can answer from its own store costs one bus round trip
      // (storage) rather than two (lookup-coordinator, then storage).
      const localFirst = planRead(request.quorum, kad.k, true).answerLocally;
      if (localFirst) {
        const owner = request.owner.length > 0 ? request.owner : undefined;
        const local = await actors.ask('storage', 'get', { recordId: recordIdFor(request.key, owner) }, LOCAL_REQUEST_TIMEOUT_MS);
        if (local.record)
          return {
            ...foundRecord(recordToWire(local.record)),
            peerRpcs: 0,
            lookupRounds: 0,
            ...(request.trace ? { hops: [], traceId: deps.tracer.current()?.traceId ?? '' } : {}),
          };
      }
      return actors.ask('lookup-coordinator', 'get', { request, timeoutMs, localChecked: localFirst }, timeoutMs + BUS_SLACK_MS);
    }),
  };
}

export function adminHandlers(deps: InboundDeps): AdminHandlers {
  const { actors, self } = deps;
  return {
    RoutingTable: unaryHandler(deps, 'RoutingTable', async () => actors.ask('routing-table', 'dump', {}, LOCAL_REQUEST_TIMEOUT_MS)),
    Stats: unaryHandler(deps, 'Stats', async () => {
      const [table, storage] = await Promise.all([
        actors.ask('routing-table', 'dump', {}, LOCAL_REQUEST_TIMEOUT_MS),
        actors.ask('storage', 'stats', {}, LOCAL_REQUEST_TIMEOUT_MS),
      ]);
      const contacts = table.buckets.reduce((n, bucket) => n + bucket.contacts.length, 0);
      const busMessages = deps.busTally?.counts() ?? [];
      return { self: contactToWire(self), node: actors.node, contacts, records: storage.records, recordBytes: storage.bytes, busMessages };
    }),
  };
}
