/**
 * The routing-table updates a real node makes as RPCs come and go, applied to simulated tables
 * (used by the churn scenario; the dead-entry scenarios keep every table frozen). They are the
 * reactions of services/routing-table/routing-table-actor.ts, through the same core calls
 * (RoutingTable observe, onPingResult, onFailure: the core has no other function for them):
 *
 * - a node that answers, or that sends us a request with itself as sender, is observed (§2.2);
 * - when observe finds the bucket full, the least-recently-seen contact is pinged and the answer
 *   (alive or not) goes to onPingResult, as the actor's pingLeastRecentlySeen does, except that
 *   the ping takes no virtual time here;
 * - an RPC that times out is reported with onFailure (§4.1), with the address it was sent to, as
 *   the actor's `failed` does.
 *
 * Not modelled: the actor's challenge of a contact that has not proved its id (every simulated
 * contact is who it says), the transport's coalescing of repeated "seen" news (ContactReports),
 * and the bucket touch of a lookup's seeds (no bucket refresh runs in the simulation).
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
    const contact = this.network.contact(peer);
    if (this.tables.mutable(node).onFailure(contact.id, nowMs, contact.address).evicted) this.stats.evicted++;
  }
}
