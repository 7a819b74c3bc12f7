/**
 * The routing-table actor: owns this node's id and its k-buckets (libs/kademlia RoutingTable).
 * It answers closest-k and dumps, takes "contact seen" / "contact failed" notifications, and
 * carries out the table's one decision that needs the network: when a bucket is full it pings
 * the least-recently-seen contact through the transport and feeds the answer back to the table
 * (paper §2.2). One message at a time: the table is never touched concurrently.
 *
 * Only contacts that proved their id enter the table (`seen` with `verified`: the transport
 * checked their answer to a challenge Ping this node sent). Any other contact is a candidate the
 * actor has challenged, within the bounds of libs/kademlia Admission.
 */
import {
  ActorClient,
  serveActor,
  type ServiceHandle,
  Mailbox,
  BUS_SLACK_MS,
  type ActorContext,
  type RunningActor,
} from '../../libs/bus/index.js';
import {
  idToHex,
  randomIdWithPrefix,
  type NodeId,
  contactKey,
  type Contact,
  Admission,
  RoutingTable,
  challengeOutcomeOf,
} from '../../libs/kademlia/index.js';
import type {
  ClosestRequest,
  ContactEvent,
  ContactsReply,
  RefreshTargetsReply,
  RefreshTargetsRequest,
  TableDump,
} from '../../libs/proto/index.js';
import { asKadError, invalidArgument } from '../../libs/errors/index.js';
import { every } from '../../libs/runtime/index.js';
import { loadSnapshot, saveSnapshot } from './routing-snapshot.js';

const MAILBOX = { capacity: 4_096, concurrency: 1 } as const;
/** How often a changed table is written to the data dir. */
const SNAPSHOT_EVERY_MS = 2_000;
/** The transport's view of the table (it answers FIND_NODE from it): sent right after a change
 * (a burst of changes in one turn of the event loop is one view), at most once per
 * VIEW_EVERY_MS, and every VIEW_REFRESH_MS anyway (a transport that restarted gets one). */
const VIEW_EVERY_MS = 100;
const VIEW_REFRESH_MS = 5_000;

export class RoutingTableActor implements RunningActor {
  private readonly table: RoutingTable;
  private readonly actors: ActorClient;
  private readonly mailbox: Mailbox;
  /** Which unproven contacts to challenge, restored ones included (libs/kademlia Admission). */
  private readonly admission = new Admission();
  private service: ServiceHandle | undefined;
  private stopSnapshots = (): void => undefined;
  private viewTimer: unknown;
  private viewSentMs = Number.NEGATIVE_INFINITY;
  private stopViewRefresh = (): void => undefined;
  private changed = false;

  private constructor(
    private readonly ctx: ActorContext,
    readonly selfId: NodeId,
  ) {
    const kad = ctx.config.kad;
    // A ping's answer comes within its RPC timeout plus the bus's slack; one that has not come by
    // twice that was lost, and the bucket may ping again.
    this.table = new RoutingTable(selfId, {
      k: kad.k,
      maxPerIpGroup: ctx.config.peerLimits.maxContactsPerIpGroup,
      pendingPingMs: 2 * (kad.rpcTimeoutMs + BUS_SLACK_MS),
    });
    this.actors = new ActorClient(ctx.bus, ctx.config.node, ctx);
    this.mailbox = new Mailbox(`${ctx.config.node}/routing-table`, MAILBOX);
    ctx.metrics.watchRoutingTable(() => ({
      buckets: this.table.buckets().map((b) => ({ depth: b.depth, contacts: b.contacts.length, replacements: b.replacements.length })),
    }));
  }

  static async start(ctx: ActorContext): Promise<RoutingTableActor> {
    const actor = new RoutingTableActor(ctx, ctx.identity.id);
    const restored = actor.restoreSnapshot();
    actor.service = await serveActor(
      ctx.bus,
      ctx.config.node,
      'routing-table',
      {
        self: () => ({ id: actor.selfId }),
        closest: (request) => actor.closest(request),
        dump: () => actor.dump(),
        'refresh-targets': (request) => actor.refreshTargets(request),
        seen: (event) => actor.seen(event),
        failed: (event) => actor.failed(event),
      },
      actor.mailbox,
      (verb, err) => ctx.log.warn({ verb, err: (err as Error).message }, 'dropped a malformed event'),
      ctx,
    );
    if (ctx.config.dataDir !== undefined) {
      actor.stopSnapshots = every(ctx.timers, SNAPSHOT_EVERY_MS, () => {
        actor.mailbox.post(() => actor.saveSnapshot()).catch(() => undefined);
      });
    }
    actor.stopViewRefresh = every(ctx.timers, VIEW_REFRESH_MS, () => actor.sendView());
    actor.sendView();
    ctx.log.info({ id: idToHex(actor.selfId), restored }, 'routing-table actor started');
    return actor;
  }

  async stop(): Promise<void> {
    this.stopSnapshots();
    this.stopViewRefresh();
    this.ctx.timers.clear(this.viewTimer);
    await this.service?.stop();
    await this.mailbox.post(() => this.saveSnapshot());
  }

  /** Contacts from the last run's snapshot go back in as if just seen; the lookup-coordinator
   * pings them when it joins, and the dead ones fail out as usual. */
  private restoreSnapshot(): number {
    if (this.ctx.config.dataDir === undefined) return 0;
    const now = this.ctx.clock();
    let restored = 0;
    for (const contact of loadSnapshot(this.ctx.config.dataDir)) {
      if (this.table.observe(contact, now).kind !== 'inserted') continue;
      restored++;
      this.admission.restored(contactKey(contact));
    }
    return restored;
  }

  /** The table changed: it goes to disk at the next snapshot, and to the transport shortly. */
  private tableChanged(): void {
    this.changed = true;
    this.viewTimer ??= this.ctx.timers.set(
      () => {
        this.viewTimer = undefined;
        this.sendView();
      },
      // Capped: a wall clock stepped back must not hold the view for longer.
      Math.min(VIEW_EVERY_MS, Math.max(0, this.viewSentMs + VIEW_EVERY_MS - this.ctx.clock())),
    );
  }

  private sendView(): void {
    this.viewSentMs = this.ctx.clock();
    this.actors.tell('transport', 'table-view', { contacts: this.table.contacts() });
  }

  private saveSnapshot(): void {
    if (this.ctx.config.dataDir === undefined || !this.changed) return;
    this.changed = false;
    try {
      saveSnapshot(this.ctx.config.dataDir, this.table.contacts());
    } catch (err) {
      this.ctx.log.warn({ err: (err as Error).message }, 'could not save the routing-table snapshot');
    }
  }

  /** One random id in each bucket that saw no lookup for `idleMs` (or in every bucket). */
  private refreshTargets(request: RefreshTargetsRequest): RefreshTargetsReply {
    const now = this.ctx.clock();
    const ranges = request.all ? this.table.joinRefreshRanges() : this.table.bucketsNotSeenSince(now - request.idleMs);
    return { targets: ranges.map((range) => randomIdWithPrefix(range.prefix, range.depth, this.ctx.random)) };
  }

  private closest(request: ClosestRequest): ContactsReply {
    const k = this.ctx.config.kad.k;
    const requested = request.count ?? 0;
    if (requested > k * 4) throw invalidArgument(`count must be at most ${k * 4}, got ${requested}`);
    const count = requested === 0 ? k : requested;
    if (request.lookup) this.table.touch(request.target, this.ctx.clock());
    return { contacts: this.table.closest(request.target, count) };
  }

  private dump(): TableDump {
    return {
      self: { id: this.selfId, address: this.ctx.config.advertise },
      buckets: this.table.buckets().map((bucket) => ({
        depth: bucket.depth,
        prefix: bucket.prefix,
        contacts: bucket.contacts,
        replacements: bucket.replacements,
      })),
    };
  }

  private seen(event: ContactEvent): void {
    const contact = event.contact;
    if (!event.verified) {
      this.challenge(contact);
      return;
    }
    this.admission.proved(contactKey(contact));
    const result = this.table.observe(contact, this.ctx.clock());
    if (result.kind === 'pending') this.pingLeastRecentlySeen(result.ping);
    if (result.kind === 'inserted') {
      this.tableChanged();
      this.actors.tell('lookup-coordinator', 'contact-added', { contact });
    }
  }

  private failed(event: ContactEvent): void {
    const contact = event.contact;
    const { evicted, promoted } = event.drop
      ? this.table.remove(contact.id, contact.address)
      : this.table.onFailure(contact.id, this.ctx.clock(), contact.address);
    this.logChange(evicted, promoted, event.drop ? 'dropped' : 'failed');
  }

  /** An unproven candidate: challenged when Admission says so (the transport reports it `seen`,
   * verified, if it proves its id). */
  private challenge(contact: Contact): void {
    const key = contactKey(contact);
    const held = this.table.get(contact.id)?.address === contact.address;
    if (!this.admission.shouldChallenge(key, held, this.ctx.clock())) return;
    const timeoutMs = this.ctx.config.kad.rpcTimeoutMs;
    // The bookkeeping is synchronous, outside the mailbox: a full mailbox must not leak the slot.
    this.actors.ask('transport', 'ping', { peer: contact, timeoutMs }, timeoutMs + BUS_SLACK_MS).then(
      () => this.admission.done(key, 'proved', this.ctx.clock()),
      (err: unknown) => this.admission.done(key, challengeOutcomeOf(asKadError(err).code), this.ctx.clock()),
    );
  }

  /** Paper §2.2: a full bucket keeps its least-recently-seen contact if it still answers. The
   * table has marked the bucket's ping as out (one per bucket); an answer lost on the way is
   * forgotten after its pendingPingMs and the bucket may ping again. */
  private pingLeastRecentlySeen(lrs: Contact): void {
    const timeoutMs = this.ctx.config.kad.rpcTimeoutMs;
    this.actors
      .ask('transport', 'ping', { peer: lrs, timeoutMs }, timeoutMs + BUS_SLACK_MS)
      .then(
        () => true,
        () => false,
      )
      .then((alive) =>
        this.mailbox.post(() => {
          const { evicted, promoted } = this.table.onPingResult(lrs.id, alive, this.ctx.clock());
          this.logChange(evicted, promoted, 'ping');
        }),
      )
      .catch((err: unknown) => {
        this.ctx.log.warn({ err: (err as Error).message }, 'could not apply a ping result');
      });
  }

  private logChange(evicted: Contact | undefined, promoted: Contact | undefined, why: string): void {
    if (evicted || promoted) this.tableChanged();
    // A replacement that takes a freed place is new to the table as much as one seen just now:
    // it gets the records it is now among the k closest for (hand-off, §2.5).
    if (promoted) this.actors.tell('lookup-coordinator', 'contact-added', { contact: promoted });
    if (evicted) {
      this.ctx.log.debug({ why, evicted: idToHex(evicted.id), promoted: promoted ? idToHex(promoted.id) : undefined }, 'contact evicted');
    }
  }
}
