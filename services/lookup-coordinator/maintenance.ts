/**
 * The lookup-coordinator's maintenance: what keeps tables fresh and records alive (paper
 * §2.3-§2.5). libs/kademlia decides everything (MaintenanceSchedule what is due when, Membership
 * the join, record-placement.ts where copies go and which to keep); this module holds the one
 * timer, through the actor's Timers, and carries the decisions out over the bus:
 *
 * - membership: join, rejoin when the table runs empty, and re-bootstrap every KAD_REFRESH_MS,
 *   as libs/kademlia Membership decides at each tick (this module only carries its actions out:
 *   a bootstrap ping, a lookup of our own id, a refresh of every bucket);
 * - refresh: a lookup of a random id in every bucket not looked up for KAD_REFRESH_MS;
 * - records: re-replicate held records to the current k closest (KAD_REPLICATE_MS, skipping those
 *   stored here within the interval), then forget those this node is no longer among the k
 *   closest for (unless it published them); republish this node's own (KAD_REPUBLISH_MS) with a
 *   fresh expiry, signed again (an owned record as its owner signed it);
 * - hand-off: when the table gains a contact (one that proved its id), records for which it is
 *   now among the k closest (and this node too) are stored on it, of the records nearest it, with
 *   the work per newcomer and per pass bounded whatever the store holds; and when this node
 *   leaves (SIGTERM), each record it is among the k closest for goes to the node that takes its
 *   place, within LEAVE_BUDGET_MS.
 */
import { type ActorClient, BUS_SLACK_MS, LOCAL_REQUEST_TIMEOUT_MS } from '../../libs/bus/index.js';
import {
  type Contact,
  type NodeId,
  idEquals,
  HAND_OFF_RECORDS_PER_NEWCOMER,
  keepAfterReplicate,
  MaintenanceSchedule,
  type MaintenanceTask,
  Membership,
  type MembershipAction,
  planReplication,
  shouldHandOff,
  successorOnLeave,
} from '../../libs/kademlia/index.js';
import { type Logger, type NodeConfig, runBounded, type Timers } from '../../libs/runtime/index.js';
import type { NodeMetrics } from '../../libs/observability/index.js';
import type { DhtOperations } from './dht-operations.js';

/** Records replicated, republished or handed off in parallel at most. */
const MAINTENANCE_PARALLELISM = 8;
const MAX_RECORDS_PER_PASS = 4_096;
/** How long a leaving node spends handing its records on: well inside a platform's stop grace
 * period (Docker 10 s, Kubernetes 30 s), since the process is killed after it. */
const LEAVE_BUDGET_MS = 2_000;

export interface MaintenanceDeps {
  readonly actors: ActorClient;
  readonly ops: DhtOperations;
  readonly self: Contact;
  readonly config: NodeConfig;
  readonly log: Logger;
  readonly clock: () => number;
  readonly timers: Timers;
  readonly metrics: NodeMetrics;
}

export class Maintenance {
  private stopped = false;
  private timer: unknown;
  private readonly schedule: MaintenanceSchedule;
  private readonly members: Membership;
  /** The last join's figures, for its log line. */
  private bootstrapReached = 0;
  private neighbours = 0;

  constructor(private readonly deps: MaintenanceDeps) {
    this.members = new Membership({ refreshMs: deps.config.kad.refreshMs });
    this.schedule = new MaintenanceSchedule(deps.config.kad, deps.clock());
  }

  start(): void {
    this.wake();
  }

  stop(): void {
    this.stopped = true;
    this.deps.timers.clear(this.timer);
  }

  /** A contact new to the routing table: hand it the records it should now hold. */
  contactAdded(contact: Contact): void {
    if (!this.stopped && this.schedule.newcomer(contact, this.deps.clock())) this.wake();
  }

  /** Starts what the schedule says is due, and sleeps until the next task is. */
  private wake(): void {
    if (this.stopped) return;
    const { timers, clock } = this.deps;
    timers.clear(this.timer);
    for (const task of this.schedule.due(clock())) void this.run(task);
    const next = this.schedule.nextDueMs();
    this.timer = next === undefined ? undefined : timers.set(() => this.wake(), Math.max(0, next - clock()));
  }

  private async run(task: MaintenanceTask): Promise<void> {
    try {
      switch (task.kind) {
        case 'membership':
          return await this.membership();
        case 'refresh':
          return await this.refresh(false);
        case 'records':
          return await this.records();
        case 'hand-off':
          return await this.handOff(task.newcomers);
      }
    } catch (err) {
      const message = (err as Error).message;
      if (task.kind === 'hand-off') this.deps.log.warn({ err: message }, 'hand-off failed');
      else this.deps.log.debug({ task: task.kind, err: message }, 'maintenance task failed; will retry');
    } finally {
      this.schedule.done(task.kind, this.deps.clock());
      this.wake();
    }
  }

  /** One tick of membership (libs/kademlia Membership decides; this carries it out). */
  private async membership(): Promise<void> {
    const { actors, self, clock } = this.deps;
    const table = await actors.ask('routing-table', 'closest', { target: self.id, count: 1 }, LOCAL_REQUEST_TIMEOUT_MS);
    let action = this.members.next(clock(), table.contacts.length);
    try {
      while (action.kind !== 'idle') action = await this.carryOut(action);
    } catch (err) {
      this.members.onFailed();
      throw err;
    }
  }

  private async carryOut(action: Exclude<MembershipAction, { kind: 'idle' }>): Promise<MembershipAction> {
    const { config, self, ops, clock, log } = this.deps;
    switch (action.kind) {
      case 'ping-bootstrap': {
        this.bootstrapReached = (await this.pingBootstrap()).length;
        const next = this.members.onBootstrapPinged(this.bootstrapReached);
        if (next.kind === 'idle' && next.joinEnded === false && config.bootstrap.length > 0)
          log.info({ bootstrap: config.bootstrap }, 'no bootstrap node answered yet');
        return next;
      }
      case 'look-up-self': {
        this.neighbours = (await ops.findNode(self.id, clock() + config.kad.lookupTimeoutMs)).length;
        return this.members.onSelfLookedUp(this.neighbours);
      }
      case 'refresh-all-buckets': {
        await this.refresh(true);
        const next = this.members.onRefreshed();
        if (next.kind === 'idle' && next.joinEnded)
          log.info({ bootstrapReached: this.bootstrapReached, neighbours: this.neighbours }, 'joined the network');
        return next;
      }
    }
  }

  /** The bootstrap nodes that answer a ping (the transport reports them to the routing table). */
  private async pingBootstrap(): Promise<Contact[]> {
    const { actors, config, self } = this.deps;
    const timeoutMs = config.kad.rpcTimeoutMs;
    const answers = await Promise.allSettled(
      config.bootstrap.map((address) => actors.ask('transport', 'ping', { peer: { address }, timeoutMs }, timeoutMs + BUS_SLACK_MS)),
    );
    return answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value.responder] : [])).filter((c) => !idEquals(c.id, self.id));
  }

  private async refresh(all: boolean): Promise<void> {
    const { actors, ops, clock, config } = this.deps;
    const reply = await actors.ask('routing-table', 'refresh-targets', { idleMs: config.kad.refreshMs, all }, LOCAL_REQUEST_TIMEOUT_MS);
    for (const target of reply.targets) {
      if (this.stopped) return;
      await ops.findNode(target, clock() + config.kad.lookupTimeoutMs);
    }
  }

  private async records(): Promise<void> {
    const { actors, ops, self, config, clock } = this.deps;
    const kad = config.kad;
    const due = await actors.ask(
      'storage',
      'due',
      { selfId: self.id, replicateMs: kad.replicateMs, republishMs: kad.republishMs, limit: MAX_RECORDS_PER_PASS },
      LOCAL_REQUEST_TIMEOUT_MS,
    );
    await runBounded(due.replicate.length, MAINTENANCE_PARALLELISM, async (i) => {
      const record = await this.held(due.replicate[i]!);
      if (!record) return;
      const recordId = due.replicate[i]!;
      const closest = await ops.findNode(recordId, clock() + kad.lookupTimeoutMs);
      const { storedOn } = await ops.storeOn(planReplication(recordId, closest, kad.k), record, kad.rpcTimeoutMs);
      // Keep or drop: record-placement.ts `keepAfterReplicate` decides, on the routing table's
      // word alone (contacts that proved their ids).
      const reply = await actors.ask('routing-table', 'closest', { target: recordId, count: kad.k }, LOCAL_REQUEST_TIMEOUT_MS);
      const proven = reply.contacts;
      if (!keepAfterReplicate({ recordId, self, publisher: record.publisher, storedOn, proven, k: kad.k })) {
        await actors.ask('storage', 'drop', { recordId }, LOCAL_REQUEST_TIMEOUT_MS);
      }
    });
    await runBounded(due.republish.length, MAINTENANCE_PARALLELISM, async (i) => {
      const record = await this.held(due.republish[i]!);
      if (!record || !idEquals(record.publisher, self.id)) return;
      await ops.republish(record);
    });
    if (due.replicate.length > 0) this.deps.metrics.maintenance('replicate', due.replicate.length);
    if (due.republish.length > 0) this.deps.metrics.maintenance('republish', due.republish.length);
    if (due.replicate.length + due.republish.length > 0) {
      this.deps.log.debug({ replicated: due.replicate.length, republished: due.republish.length }, 'records maintained');
    }
  }

  private async held(id: Uint8Array) {
    return (await this.deps.actors.ask('storage', 'get', { recordId: id }, LOCAL_REQUEST_TIMEOUT_MS)).record;
  }

  /** Paper §2.5: each newcomer gets the records, of those nearest it, that it is now among the k
   * closest for (and this node too). Bounded per newcomer: a newcomer with more such records than
   * HAND_OFF_RECORDS_PER_NEWCOMER gets the rest from re-replication. */
  private async handOff(newcomers: readonly Contact[]): Promise<void> {
    const { actors, ops, self, config } = this.deps;
    const known = await this.knownContacts();
    const work: { recordId: Uint8Array; contact: Contact }[] = [];
    for (const newcomer of newcomers) {
      const near = await actors.ask(
        'storage',
        'ids',
        { near: newcomer.id, limit: HAND_OFF_RECORDS_PER_NEWCOMER },
        LOCAL_REQUEST_TIMEOUT_MS,
      );
      for (const recordId of near.ids) {
        if (shouldHandOff({ recordId, self, newcomer, known, k: config.kad.k })) work.push({ recordId, contact: newcomer });
      }
    }
    let handed = 0;
    await runBounded(work.length, MAINTENANCE_PARALLELISM, async (i) => {
      const { recordId, contact } = work[i]!;
      const record = await this.held(recordId);
      if (record) handed += (await ops.storeOn([contact], record, config.kad.rpcTimeoutMs)).acknowledged;
    });
    if (handed > 0) {
      this.deps.metrics.maintenance('handoff', handed);
      this.deps.log.debug({ newcomers: newcomers.length, handed }, 'records handed off');
    }
  }

  /** Every contact the routing table knows, replacement caches included (live nodes too). */
  private async knownContacts(): Promise<Contact[]> {
    const dump = await this.deps.actors.ask('routing-table', 'dump', {}, LOCAL_REQUEST_TIMEOUT_MS);
    return dump.buckets.flatMap((b) => [...b.contacts, ...b.replacements]);
  }

  /** A graceful leave: each record this node is among the k closest for goes to its successor,
   * as far as the routing table knows. */
  async leave(): Promise<void> {
    const { self, config, clock } = this.deps;
    const handed = await this.handRecords(clock() + LEAVE_BUDGET_MS, (recordId, known) => {
      const successor = successorOnLeave({ recordId, self, known, k: config.kad.k });
      return successor ? [successor] : [];
    });
    this.deps.log.info({ handed }, 'left: records handed to their successors');
  }

  /** Stores every held record on the contacts `to` picks for it from the nodes the routing
   * table knows, until the deadline; returns how many stores were acknowledged. */
  private async handRecords(
    deadlineMs: number,
    to: (recordId: Uint8Array, known: readonly Contact[]) => readonly Contact[],
  ): Promise<number> {
    const { actors, ops, config, clock } = this.deps;
    const known = await this.knownContacts();
    let after: NodeId | undefined;
    let handed = 0;
    while (clock() < deadlineMs) {
      const page = await actors.ask('storage', 'ids', { after, limit: MAX_RECORDS_PER_PASS }, LOCAL_REQUEST_TIMEOUT_MS);
      if (page.ids.length === 0) break;
      const work = page.ids.flatMap((recordId) => to(recordId, known).map((contact) => ({ recordId, contact })));
      await runBounded(work.length, MAINTENANCE_PARALLELISM, async (i) => {
        const timeoutMs = Math.min(config.kad.rpcTimeoutMs, deadlineMs - clock());
        if (timeoutMs <= 0) return;
        const { recordId, contact } = work[i]!;
        const record = await this.held(recordId);
        if (record) handed += (await ops.storeOn([contact], record, timeoutMs)).acknowledged;
      });
      after = page.ids[page.ids.length - 1];
    }
    return handed;
  }
}
