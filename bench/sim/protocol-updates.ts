/**
 * The routing-table updates a real node makes as RPCs come and go, applied to simulated tables
 * (used by the churn scenario; the dead-entry scenarios keep every table frozen):
 *
 * - a node that answers, or that sends us a request with itself as sender, is observed (§2.2);
 * - when observe finds the bucket full, the least-recently-seen contact is pinged at once and
 *   the answer (alive or not) goes to onPingResult, as the routing-table actor does, except that
 *   the ping takes no virtual time here;
 * - an RPC that times out is reported with onFailure (§4.1).
 */
import type { TableCache } from './table-cache.js';
import type { SimNetwork } from './sim-network.js';

export interface ProtocolUpdateStats {
  observed: number;
  /** Pings of a full bucket's least-recently-seen contact. */
  pings: number;
  failures: number;
  evicted: number;
}

export class ProtocolUpdates {
  readonly stats: ProtocolUpdateStats = { observed: 0, pings: 0, failures: 0, evicted: 0 };

  constructor(
    private readonly network: SimNetwork,
    private readonly tables: TableCache,
  ) {}

  /** `node` heard from live `peer`. */
  seen(node: number, peer: number, nowMs: number): void {
    const table = this.tables.mutable(node);
    const result = table.observe(this.network.contact(peer), nowMs);
    this.stats.observed++;
    if (result.kind !== 'pending') return;
    this.stats.pings++;
    const lrs = this.network.indexOf(result.ping.id);
    const alive = lrs !== undefined && this.network.isAlive(lrs);
    if (table.onPingResult(result.ping.id, alive, nowMs).evicted) this.stats.evicted++;
  }

  /** An RPC from `node` to `peer` timed out. */
  failed(node: number, peer: number, nowMs: number): void {
    this.stats.failures++;
    if (this.tables.mutable(node).onFailure(this.network.id(peer), nowMs).evicted) this.stats.evicted++;
  }
}
