/**
 * The self-audit behind readiness (libs/observability/readiness.ts), run by every process of a
 * node: is the bus connected, do the routing table and storage answer, and does a canary lookup
 * of the node's own id (through the lookup coordinator and the transport) find the neighbours
 * the table holds. It re-checks every second while not ready, and every few seconds once ready;
 * the canary lookup, which costs peer RPCs, runs at most every CANARY_EVERY_MS while ready.
 */
import { type ActorClient, type Bus, BUS_SLACK_MS, LOCAL_REQUEST_TIMEOUT_MS } from '../../libs/bus/index.js';
import type { NodeId } from '../../libs/kademlia/index.js';
import { assessReadiness, type Readiness } from '../../libs/observability/index.js';
import type { Logger, NodeConfig } from '../../libs/runtime/index.js';

const NOT_READY_EVERY_MS = 1_000;
const READY_EVERY_MS = 5_000;
const CANARY_EVERY_MS = 30_000;

export class ReadinessAudit {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastCanary: { atMs: number; found: number } | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly actors: ActorClient,
    private readonly config: NodeConfig,
    private readonly selfId: NodeId,
    private readonly readiness: Readiness,
    private readonly log: Logger,
  ) {}

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One audit now; the next is scheduled when it ends. */
  private async run(): Promise<void> {
    const was = this.readiness.ready;
    try {
      this.readiness.update(await this.audit());
    } catch (err) {
      this.readiness.update([{ name: 'audit', ok: false, detail: (err as Error).message }]);
    }
    if (this.readiness.ready !== was) {
      this.log.info(
        { ready: this.readiness.ready, checks: this.readiness.checks },
        this.readiness.ready ? 'node is ready' : 'node is not ready',
      );
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.run(), this.readiness.ready ? READY_EVERY_MS : NOT_READY_EVERY_MS).unref();
  }

  private async audit() {
    const failure = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));
    const [table, storage] = await Promise.all([
      this.actors
        .ask('routing-table', 'closest', { target: this.selfId, count: this.config.kad.k }, LOCAL_REQUEST_TIMEOUT_MS)
        .then((r) => r.contacts.length, failure),
      this.actors.ask('storage', 'stats', {}, LOCAL_REQUEST_TIMEOUT_MS).then((r) => Number(r.records), failure),
    ]);
    return assessReadiness({
      busConnected: this.bus.connected,
      table,
      storage,
      canary: await this.canary(typeof table === 'number' && table > 0),
      bootstrapConfigured: this.config.bootstrap.length > 0,
    });
  }

  /** Contacts a lookup of our own id finds (a recent one that found some is reused while ready:
   * one that found none, as the only node's does, is looked up again as soon as the table fills). */
  private async canary(tableHasContacts: boolean): Promise<number | Error> {
    const now = Date.now();
    const last = this.lastCanary;
    if (this.readiness.ready && tableHasContacts && last && last.found > 0 && now - last.atMs < CANARY_EVERY_MS) return last.found;
    const timeoutMs = this.config.kad.lookupTimeoutMs;
    try {
      const reply = await this.actors.ask('lookup-coordinator', 'find-node', { target: this.selfId, timeoutMs }, timeoutMs + BUS_SLACK_MS);
      this.lastCanary = { atMs: now, found: reply.contacts.length };
      return reply.contacts.length;
    } catch (err) {
      this.lastCanary = undefined;
      return err instanceof Error ? err : new Error(String(err));
    }
  }
}
