/**
 * The node's DHT operations over the bus: iterative FIND_NODE and FIND_VALUE lookups, Put, Get
 * (first value or quorum, with read-repair and caching), and storing a record on a set of
 * replicas. The rules (which lookup step, which version wins, where copies go) come from the
 * pure core; this module only turns its decisions into bus requests.
 */
import { type ActorClient, BUS_SLACK_MS, LOCAL_REQUEST_TIMEOUT_MS } from '../../libs/bus/index.js';
import {
  maxOperationMs,
  type KademliaConfig,
  type Contact,
  distanceBits,
  idEquals,
  idToHex,
  type NodeId,
  Lookup,
  HybridClock,
  checkRecord,
  checkRecordOf,
  idOfRecord,
  lifetimeProblem,
  newerHeld,
  ownedPutRefusal,
  ownedRecordFields,
  plainRecordFields,
  recordIdFor,
  republishFields,
  reversioned,
  storeAgain,
  type RecordFields,
  signRecord,
  validateKey,
  validateOwnerKey,
  validateValue,
  type KadRecord,
  type RecordOwner,
  planGetRepairs,
  planPublish,
  planRead,
} from '../../libs/kademlia/index.js';
import { verifyEd25519, type SigningKey } from '../../libs/identity/index.js';
import {
  bytesOf,
  contactToWire,
  foundRecord,
  recordToWire,
  type ContactsReply,
  type StoreOutcome as ReplicaReply,
  type CoordinatorGet,
  type CoordinatorPut,
  type v1,
} from '../../libs/proto/index.js';
import { failedPrecondition, invalidArgument, unavailable } from '../../libs/errors/index.js';
import type { Logger, Timers } from '../../libs/runtime/index.js';
import type { NodeMetrics, Tracer } from '../../libs/observability/index.js';
import { runLookup, type LookupResult, type QueryOutcome } from './lookup-runner.js';

/** What the replicas said to one STORE round. */
export interface StoreOutcome {
  readonly acknowledged: number;
  /** The replicas that acknowledged. */
  readonly storedOn: Contact[];
  /** Verified versions that replicas kept instead (they win over the one sent). */
  readonly refusals: KadRecord[];
  readonly errors: string[];
}

export interface DhtOperationsDeps {
  readonly actors: ActorClient;
  readonly self: Contact;
  /** The node's key: it signs every record this node publishes. */
  readonly key: SigningKey;
  readonly kad: KademliaConfig;
  readonly log: Logger;
  readonly clock: () => number;
  /** The lookups' timers: the actor context's. */
  readonly timers: Timers;
  readonly metrics: NodeMetrics;
  readonly tracer?: Tracer | undefined;
}

/** Where a traced operation collects its peer RPCs, one hop each (GetResponse.hops), from the
 * moment it is sent: an RPC still in flight when the operation ends is a hop too. */
type Hop = v1.LookupHop & { readonly sentAt: number; done: boolean };
type Hops = Hop[];

export class DhtOperations {
  /** Versions every Put of this node (paper §2.5 publisher; hybrid-clock.ts). */
  private readonly versions = new HybridClock();

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
  async findNode(target: NodeId, deadlineMs: number, hops?: Hops): Promise<Contact[]> {
    const result = await this.lookup<never>(
      'node',
      target,
      deadlineMs,
      0,
      async (peer, timeoutMs) => {
        const reply = await this.deps.actors.ask('transport', 'find-node', { peer, target, timeoutMs }, timeoutMs + BUS_SLACK_MS);
        return { kind: 'closer', contacts: reply.closer };
      },
      undefined,
      hops,
    );
    return [...result.closest];
  }

  /** The routing table's k closest to `target`: a lookup's starting points. */
  private seeds(target: NodeId): Promise<ContactsReply> {
    return this.deps.actors.ask('routing-table', 'closest', { target, count: this.kad.k, lookup: true }, LOCAL_REQUEST_TIMEOUT_MS);
  }

  private async lookup<V>(
    kind: 'node' | 'value',
    target: NodeId,
    deadlineMs: number,
    valuesWanted: number,
    query: (peer: Contact, rpcTimeoutMs: number) => Promise<QueryOutcome<V>>,
    seedsReply: Promise<ContactsReply> = this.seeds(target),
    hops?: Hops,
  ): Promise<LookupResult<V>> {
    const seeds = await seedsReply;
    const rpcTimeoutMs = this.kad.rpcTimeoutMs;
    const lookup = new Lookup(
      { target, k: this.kad.k, alpha: this.kad.alpha, selfId: this.deps.self.id, rpcTimeoutMs, deadlineMs },
      seeds.contacts.slice(0, this.kad.k),
      this.deps.clock(),
    );
    const rpc = kind === 'node' ? 'FindNode' : 'FindValue';
    // Traced: each query becomes a hop, in the round the lookup sent it.
    const ask = !hops
      ? (peer: Contact) => query(peer, rpcTimeoutMs)
      : async (peer: Contact) => {
          const hop: Hop = {
            round: lookup.stats.rounds,
            peer: contactToWire(peer),
            rpc,
            distanceBits: distanceBits(peer.id, target),
            sentAt: performance.now(),
            done: false,
          };
          hops.push(hop);
          const settle = (outcome: string): void => {
            hop.done = true;
            hop.latencyMs = performance.now() - hop.sentAt;
            hop.outcome = outcome;
          };
          try {
            const outcome = await query(peer, rpcTimeoutMs);
            settle(outcome.kind === 'value' ? 'value' : `closer ${outcome.contacts.length}`);
            return outcome;
          } catch (err) {
            settle((err as Error).message);
            throw err;
          }
        };
    const started = performance.now();
    const result = await runLookup(lookup, ask, this.deps.clock, { rpcTimeoutMs, deadlineMs, valuesWanted }, this.deps.timers);
    this.deps.metrics.lookup(kind, result.reason, (performance.now() - started) / 1000, result.rounds, result.queried);
    return result;
  }

  /**
   * Stores `record` on each replica (this node through its storage actor); counts the ones that
   * stored it, and collects the verified versions that replicas kept instead.
   */
  async storeOn(
    replicas: readonly Contact[],
    record: KadRecord,
    timeoutMs: number,
    expectedSeq?: number,
    trace?: { hops: Hops; round: number },
  ): Promise<StoreOutcome> {
    const cas = expectedSeq === undefined ? {} : { expectedSeq };
    const isSelf = (replica: Contact): boolean => idEquals(replica.id, this.deps.self.id);
    const others = replicas.filter((replica) => !isSelf(replica));
    // This node's copy through its storage actor; every other replica in one transport request.
    const sent = performance.now();
    const [own, remote] = await Promise.allSettled([
      others.length < replicas.length ? this.deps.actors.ask('storage', 'put', { record, ...cas }, LOCAL_REQUEST_TIMEOUT_MS) : null,
      others.length > 0
        ? this.deps.actors.ask('transport', 'store', { peers: others, record, timeoutMs, ...cas }, timeoutMs + BUS_SLACK_MS)
        : null,
    ]);
    // Each replica's reply, in order (this node's from storage, the others' from transport), or
    // why there is none; a reply either stored the record or names the version kept instead
    // (storage's reply is a transport outcome without a responder or an error).
    const why = (r: PromiseRejectedResult): string => (r.reason as Error).message;
    const ownReply: ReplicaReply | string | null = own.status === 'fulfilled' ? own.value : why(own);
    const remoteReplies = others.map((_, i): ReplicaReply | string | undefined =>
      remote.status === 'fulfilled' ? remote.value?.outcomes[i] : why(remote),
    );
    let next = 0;
    const result: StoreOutcome = { acknowledged: 0, storedOn: [], refusals: [], errors: [] };
    const latencyMs = performance.now() - sent;
    for (const replica of replicas) {
      const reply = isSelf(replica) ? ownReply : remoteReplies[next++];
      if (trace && !isSelf(replica)) {
        const outcome =
          typeof reply === 'string'
            ? reply
            : !reply
              ? 'no store outcome'
              : reply.error || (reply.stored ? 'stored' : 'kept another version');
        trace.hops.push({
          round: trace.round,
          peer: contactToWire(replica),
          rpc: 'Store',
          distanceBits: distanceBits(replica.id, idOfRecord(record)),
          latencyMs,
          outcome,
          sentAt: sent,
          done: true,
        });
      }
      if (typeof reply === 'string' || !reply || reply.error)
        result.errors.push(typeof reply === 'string' ? reply : (reply?.error ?? 'no store outcome'));
      else if (reply.stored) result.storedOn.push(replica);
      else if (reply.held) {
        const held = this.keptInstead(record, reply.held);
        if (held) result.refusals.push(held);
      }
    }
    return { ...result, acknowledged: result.storedOn.length };
  }

  /** A replica's claim that it holds a version that wins: believed only when it verifies and is
   * of the same record id. */
  private keptInstead(sent: KadRecord, held: KadRecord): KadRecord | undefined {
    return checkRecordOf(idOfRecord(sent), held, this.kad, this.deps.clock(), verifyEd25519) ? undefined : held;
  }

  /**
   * Finds the k closest to the record (this node among the candidates) and stores it there; a
   * plain record is stored again, re-versioned above, when replicas answer with a version that
   * wins over it (`versioned`; an owned record is not: its sequence is its owner's). The
   * publisher also keeps its own copy when it is not among them: it is the one that republishes
   * the record (paper §2.5); that copy is not counted as a replica.
   */
  async publish(
    record: KadRecord,
    budgetMs: number,
    options: { expectedSeq?: number; versioned?: boolean; hops?: Hops } = {},
  ): Promise<{ acknowledged: number; attempted: number; refusals: KadRecord[]; errors: string[] }> {
    const { clock, self } = this.deps;
    const deadline = clock() + budgetMs;
    const storeTimeoutMs = Math.min(this.kad.rpcTimeoutMs, Math.floor(budgetMs / 3));
    const recordId = idOfRecord(record);
    const hops = options.hops;
    const closest = await this.findNode(recordId, deadline - storeTimeoutMs, hops);
    const { replicas, ownCopy } = planPublish(recordId, closest, self, this.kad.k);
    const lookupRounds = hops ? Math.max(0, ...hops.map((h) => h.round ?? 0)) : 0;
    for (let round = 1; ; round++) {
      const timeoutMs = Math.max(1, Math.min(storeTimeoutMs, deadline - clock()));
      const [outcome, own] = await Promise.all([
        this.storeOn(replicas, record, timeoutMs, options.expectedSeq, hops && { hops, round: lookupRounds + round }),
        ownCopy ? this.storeOn([self], record, timeoutMs, options.expectedSeq) : undefined,
      ]);
      const refusals = [...outcome.refusals, ...(own?.refusals ?? [])];
      const newer = newerHeld(record, refusals);
      if (!storeAgain({ versioned: options.versioned === true, newer: newer.length, round, timeLeft: clock() < deadline })) {
        return { acknowledged: outcome.acknowledged, attempted: replicas.length, refusals, errors: outcome.errors };
      }
      for (const held of newer) this.versions.observe({ wallMs: held.createdMs, logical: held.logical });
      record = this.sign(reversioned(record, this.versions.tick(clock())));
    }
  }

  private sign(fields: RecordFields): KadRecord {
    const { key, value, createdMs, logical, expiresMs, owner } = fields;
    return signRecord({ key, value, createdMs, logical, expiresMs, owner }, this.deps.key);
  }

  /** The publisher's republish (§2.5): the same version with a fresh expiry, signed again; an
   * owned record as its owner signed it, since only the owner can extend it. */
  async republish(record: KadRecord): Promise<void> {
    const fields = republishFields(record, this.deps.clock(), this.kad.expireMs);
    const fresh = fields ? this.sign(fields) : record;
    await this.publish(fresh, this.budgetMs(0));
  }

  async put(message: CoordinatorPut): Promise<v1.PutResponse> {
    const request = message.request;
    if (!request) throw invalidArgument('request is missing');
    const problem = validateKey(request.key, this.kad.limits) ?? validateValue(request.value, this.kad.limits);
    if (problem) throw invalidArgument(problem.message);
    const budgetMs = this.budgetMs(message.timeoutMs);
    const now = this.deps.clock();
    const key = Uint8Array.from(bytesOf(request.key));
    const value = Uint8Array.from(bytesOf(request.value));
    const owned = bytesOf(request.owner).length > 0;
    const version = this.versions.tick(now);
    let record: KadRecord;
    if (owned) {
      const owner: RecordOwner = {
        publicKey: Uint8Array.from(bytesOf(request.owner)),
        seq: request.seq,
        signature: Uint8Array.from(bytesOf(request.signature)),
      };
      record = this.sign(ownedRecordFields(key, value, version, request.expiresMs, owner));
      // The rules every receiver applies, the owner's signature among them: refused here, before
      // a lookup, rather than by every replica after it.
      const ownedProblem = checkRecord(record, this.kad, now, verifyEd25519);
      if (ownedProblem) throw invalidArgument(ownedProblem.message);
      mustOutlive(request.expiresMs - now, budgetMs, 'expires_ms');
    } else {
      if (request.ttlMs > 0) mustOutlive(request.ttlMs, budgetMs, 'ttl_ms');
      record = this.sign(plainRecordFields(key, value, version, request.ttlMs, this.kad.expireMs));
    }
    const recordId = idOfRecord(record);
    const expectedSeq = owned ? request.expectedSeq : undefined;
    const hops: Hops | undefined = request.trace ? [] : undefined;
    const result = await this.publish(record, budgetMs, {
      versioned: !owned,
      ...(expectedSeq === undefined ? {} : { expectedSeq }),
      ...(hops ? { hops } : {}),
    });
    const refusal = owned ? ownedPutRefusal(record, result.refusals, expectedSeq) : undefined;
    if (refusal) throw failedPrecondition(refusal);
    const { acknowledged, attempted, errors } = result;
    if (acknowledged === 0) {
      const why = errors[0] ?? (result.refusals.length > 0 ? 'replicas kept a newer version' : undefined);
      throw unavailable(`no replica stored the record (${attempted} asked${why ? `; first error: ${why}` : ''})`);
    }
    this.deps.log.debug({ record: idToHex(recordId), acknowledged, attempted }, 'put');
    return { acknowledged, attempted, recordId: Buffer.from(recordId), ...this.traceOf(hops) };
  }

  /** What a traced operation returns (nothing for an untraced one: a trace never leaks into an
   * answer that did not ask for it). */
  private traceOf(hops: Hops | undefined): { hops?: v1.LookupHop[]; traceId?: string } {
    if (!hops) return {};
    const now = performance.now();
    const settled = hops.map(({ sentAt, done, ...hop }): v1.LookupHop =>
      done ? hop : { ...hop, latencyMs: now - sentAt, outcome: 'no answer yet when the lookup ended' },
    );
    return { hops: settled, traceId: this.deps.tracer?.current()?.traceId ?? '' };
  }

  async get(message: CoordinatorGet): Promise<v1.GetResponse> {
    const request = message.request;
    if (!request) throw invalidArgument('request is missing');
    const problem = validateKey(request.key, this.kad.limits) ?? validateOwnerKey(request.owner);
    if (problem) throw invalidArgument(problem.message);
    const owner = bytesOf(request.owner);
    const recordId = recordIdFor(bytesOf(request.key), owner.length > 0 ? owner : undefined);
    // The local copy and the lookup's seeds are asked for at once (one bus round trip, not two).
    // (Transport has already looked when it says so.)
    const seeds = this.seeds(recordId);
    seeds.catch(() => undefined);
    const local = message.localChecked
      ? { record: undefined }
      : await this.deps.actors.ask('storage', 'get', { recordId }, LOCAL_REQUEST_TIMEOUT_MS);
    const hops: Hops | undefined = request.trace ? [] : undefined;
    const read = planRead(request.quorum, this.kad.k, Boolean(local.record));
    if (read.answerLocally && local.record)
      return { ...foundRecord(recordToWire(local.record)), peerRpcs: 0, lookupRounds: 0, ...this.traceOf(hops) };

    const deadlineMs = this.deps.clock() + this.budgetMs(message.timeoutMs);
    const result = await this.lookup<KadRecord>(
      'value',
      recordId,
      deadlineMs,
      read.valuesWanted,
      async (peer, timeoutMs) => {
        const reply = await this.deps.actors.ask('transport', 'find-value', { peer, recordId, timeoutMs }, timeoutMs + BUS_SLACK_MS);
        if (reply.record) return { kind: 'value', value: reply.record };
        return { kind: 'closer', contacts: reply.closer };
      },
      seeds,
      hops,
    );
    const answers = [
      ...(local.record ? [{ from: this.deps.self, record: local.record }] : []),
      ...result.values.map((v) => ({ from: v.from, record: v.value })),
      ...result.answeredWithout.map((from) => ({ from, record: undefined })),
    ];
    const plan = planGetRepairs({
      target: recordId,
      k: this.kad.k,
      answers,
      nowMs: this.deps.clock(),
      repair: read.quorum > 1,
      reader: this.deps.self,
    });
    const cost = { peerRpcs: result.queried, lookupRounds: result.rounds, ...this.traceOf(hops) };
    if (!plan.newest) return { found: false, ...cost };
    if (plan.stores.length > 0) void this.repair(plan.stores);
    return { ...foundRecord(recordToWire(plan.newest)), ...cost };
  }

  /** Read-repair and caching run after the client has its answer. */
  private async repair(stores: ReturnType<typeof planGetRepairs>['stores']): Promise<void> {
    const results = await Promise.allSettled(stores.map((s) => this.storeOn([s.to], s.record, this.kad.rpcTimeoutMs)));
    const failed = results.filter((r) => r.status === 'rejected' || r.value.acknowledged === 0).length;
    this.deps.log.debug(
      { repairs: stores.filter((s) => s.kind === 'repair').length, caches: stores.filter((s) => s.kind === 'cache').length, failed },
      'read-repair',
    );
  }
}

/** A Put whose record would expire before the Put may finish is refused (it could only fail). */
function mustOutlive(lifetimeMs: number, budgetMs: number, field: string): void {
  const problem = lifetimeProblem(lifetimeMs, budgetMs, field);
  if (problem) throw invalidArgument(problem);
}
