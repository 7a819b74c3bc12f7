/**
 * The node's DHT operations over the bus: iterative FIND_NODE and FIND_VALUE lookups, Put, Get
 * (first value or quorum, with read-repair and caching), and storing a record on a set of
 * replicas. The rules (which lookup step, which version wins, where copies go) come from the
 * pure core; this module only turns its decisions into bus requests.
 */
import type { ActorClient } from '../../libs/bus/actor-runtime.js';
import { maxOperationMs, type KademliaConfig } from '../../libs/kademlia/config.js';
import { closestContacts, type Contact } from '../../libs/kademlia/contact.js';
import { idEquals, idToHex, recordIdOf, type NodeId } from '../../libs/kademlia/id.js';
import { Lookup } from '../../libs/kademlia/lookup.js';
import { validateKey, validateValue, type KadRecord } from '../../libs/kademlia/record.js';
import { planGetRepairs } from '../../libs/kademlia/record-placement.js';
import { bytesOf, contactToWire, contactsFromWire, foundRecord, recordFromWire, recordToWire } from '../../libs/proto/convert.js';
import type * as v1 from '../../libs/proto/v1.js';
import { BUS_SLACK_MS, LOCAL_REQUEST_TIMEOUT_MS } from '../../libs/runtime/actor-context.js';
import { invalidArgument, unavailable } from '../../libs/runtime/kad-error.js';
import type { Logger } from '../../libs/runtime/logger.js';
import { runLookup, type LookupResult, type QueryOutcome } from './lookup-runner.js';


export interface DhtOperationsDeps {
  readonly actors: ActorClient;
  readonly self: Contact;
  readonly kad: KademliaConfig;
  readonly log: Logger;
  readonly clock: () => number;
}

export class DhtOperations {
  constructor(private readonly deps: DhtOperationsDeps) {}

  private get kad(): KademliaConfig {
    return this.deps.kad;
  }

  /** A client operation's time budget: what it asked for, capped by what a lookup may take. */
  budgetMs(requested: number): number {
    const cap = maxOperationMs(this.kad);
    return requested > 0 ? Math.min(requested, cap) : cap;
  }

  /** The k closest nodes to `target` that answered (self excluded). */
  async findNode(target: NodeId, deadlineMs: number): Promise<Contact[]> {
    const result = await this.lookup<never>(target, deadlineMs, 0, async (peer, timeoutMs) => {
      const reply = await this.deps.actors.ask('transport', 'find-node', { peer: contactToWire(peer), target: Buffer.from(target), timeoutMs }, timeoutMs + BUS_SLACK_MS);
      return { kind: 'closer', contacts: contactsFromWire(reply.closer, this.kad.k).contacts };
    });
    return [...result.closest];
  }

  /** The routing table's k closest to `target`: a lookup's starting points. */
  private seeds(target: NodeId): Promise<v1.ClosestResponse__Output> {
    return this.deps.actors.ask('routing-table', 'closest', { target: Buffer.from(target), count: this.kad.k, lookup: true }, LOCAL_REQUEST_TIMEOUT_MS);
  }

  private async lookup<V>(
    target: NodeId,
    deadlineMs: number,
    valuesWanted: number,
    query: (peer: Contact, rpcTimeoutMs: number) => Promise<QueryOutcome<V>>,
    seedsReply: Promise<v1.ClosestResponse__Output> = this.seeds(target),
  ): Promise<LookupResult<V>> {
    const seeds = await seedsReply;
    const rpcTimeoutMs = this.kad.rpcTimeoutMs;
    const lookup = new Lookup(
      { target, k: this.kad.k, alpha: this.kad.alpha, selfId: this.deps.self.id, rpcTimeoutMs, deadlineMs },
      contactsFromWire(seeds.contacts, this.kad.k).contacts,
      this.deps.clock(),
    );
    return runLookup(lookup, (peer) => query(peer, rpcTimeoutMs), this.deps.clock, { rpcTimeoutMs, deadlineMs, valuesWanted });
  }

  /** Stores `record` on each replica (this node through its storage actor); counts the ones that stored it. */
  async storeOn(replicas: readonly Contact[], record: KadRecord, timeoutMs: number): Promise<{ acknowledged: number; errors: string[] }> {
    const wire = recordToWire(record);
    const results = await Promise.allSettled(
      replicas.map(async (replica) => {
        if (idEquals(replica.id, this.deps.self.id)) {
          return (await this.deps.actors.ask('storage', 'put', { record: wire }, LOCAL_REQUEST_TIMEOUT_MS)).stored;
        }
        const reply = await this.deps.actors.ask('transport', 'store', { peer: contactToWire(replica), record: wire, timeoutMs }, timeoutMs + BUS_SLACK_MS);
        return reply.stored;
      }),
    );
    return {
      acknowledged: results.filter((r) => r.status === 'fulfilled' && r.value).length,
      errors: results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : [])),
    };
  }

  /**
   * Finds the k closest to the record (this node among the candidates) and stores it there.
   * The publisher also keeps its own copy when it is not among them: it is the one that
   * republishes the record (paper §2.5); that copy is not counted as a replica.
   */
  async publish(record: KadRecord, budgetMs: number): Promise<{ acknowledged: number; attempted: number; errors: string[] }> {
    const start = this.deps.clock();
    const storeTimeoutMs = Math.min(this.kad.rpcTimeoutMs, Math.floor(budgetMs / 3));
    const recordId = recordIdOf(record.key);
    const closest = await this.findNode(recordId, start + budgetMs - storeTimeoutMs);
    const replicas = closestContacts(recordId, [...closest, this.deps.self], this.kad.k);
    const selfIsReplica = replicas.some((r) => idEquals(r.id, this.deps.self.id));
    const [{ acknowledged, errors }] = await Promise.all([
      this.storeOn(replicas, record, storeTimeoutMs),
      selfIsReplica ? undefined : this.storeOn([this.deps.self], record, storeTimeoutMs),
    ]);
    return { acknowledged, attempted: replicas.length, errors };
  }

  async put(message: v1.CoordinatorPut__Output): Promise<v1.PutResponse> {
    const request = message.request;
    if (!request) throw invalidArgument('request is missing');
    const problem = validateKey(request.key, this.kad.limits) ?? validateValue(request.value, this.kad.limits);
    if (problem) throw invalidArgument(problem.message);
    const now = this.deps.clock();
    const record: KadRecord = {
      key: Uint8Array.from(bytesOf(request.key)),
      value: Uint8Array.from(bytesOf(request.value)),
      publisher: this.deps.self.id,
      createdMs: now,
      expiresMs: now + (request.ttlMs > 0 ? Math.min(request.ttlMs, this.kad.expireMs) : this.kad.expireMs),
    };
    const recordId = recordIdOf(record.key);
    const { acknowledged, attempted, errors } = await this.publish(record, this.budgetMs(message.timeoutMs));
    if (acknowledged === 0) throw unavailable(`no replica stored the record (${attempted} asked${errors[0] ? `; first error: ${errors[0]}` : ''})`);
    this.deps.log.debug({ record: idToHex(recordId), acknowledged, attempted }, 'put');
    return { acknowledged, attempted, recordId: Buffer.from(recordId) };
  }

  async get(message: v1.CoordinatorGet__Output): Promise<v1.GetResponse> {
    const request = message.request;
    if (!request) throw invalidArgument('request is missing');
    const problem = validateKey(request.key, this.kad.limits);
    if (problem) throw invalidArgument(problem.message);
    const quorum = Math.min(Math.max(request.quorum, 1), this.kad.k);
    const recordId = recordIdOf(bytesOf(request.key));
    // The local copy and the lookup's seeds are asked for at once (one bus round trip, not two).
    // (Transport has already looked when it says so.)
    const seeds = this.seeds(recordId);
    seeds.catch(() => undefined);
    const local = message.localChecked
      ? { record: null }
      : await this.deps.actors.ask('storage', 'get', { recordId: Buffer.from(recordId) }, LOCAL_REQUEST_TIMEOUT_MS);
    if (local.record && quorum === 1) return { ...foundRecord(local.record), peerRpcs: 0, lookupRounds: 0 };

    const deadlineMs = this.deps.clock() + this.budgetMs(message.timeoutMs);
    const result = await this.lookup<v1.Record__Output>(recordId, deadlineMs, quorum - (local.record ? 1 : 0), async (peer, timeoutMs) => {
      const reply = await this.deps.actors.ask('transport', 'find-value', { peer: contactToWire(peer), recordId: Buffer.from(recordId), timeoutMs }, timeoutMs + BUS_SLACK_MS);
      if (reply.record) return { kind: 'value', value: reply.record };
      return { kind: 'closer', contacts: contactsFromWire(reply.closer, this.kad.k).contacts };
    }, seeds);
    const answers = [
      ...(local.record ? [{ from: this.deps.self, record: recordFromWire(local.record) }] : []),
      ...result.values.map((v) => ({ from: v.from, record: recordFromWire(v.value) })),
      ...result.answeredWithout.map((from) => ({ from, record: undefined })),
    ];
    const plan = planGetRepairs({ target: recordId, k: this.kad.k, answers, nowMs: this.deps.clock(), repair: quorum > 1, reader: this.deps.self });
    const cost = { peerRpcs: result.queried, lookupRounds: result.rounds };
    if (!plan.newest) return { found: false, ...cost };
    if (plan.stores.length > 0) void this.repair(plan.stores);
    return { ...foundRecord(recordToWire(plan.newest)), ...cost };
  }

  /** Read-repair and caching run after the client has its answer. */
  private async repair(stores: ReturnType<typeof planGetRepairs>['stores']): Promise<void> {
    const results = await Promise.allSettled(stores.map((s) => this.storeOn([s.to], s.record, this.kad.rpcTimeoutMs)));
    const failed = results.filter((r) => r.status === 'rejected' || r.value.acknowledged === 0).length;
    this.deps.log.debug({ repairs: stores.filter((s) => s.kind === 'repair').length, caches: stores.filter((s) => s.kind === 'cache').length, failed }, 'read-repair');
  }
}
