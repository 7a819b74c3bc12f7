/**
 * Routing tables of the simulated nodes, built on first use instead of all at once.
 *
 * Why: a real RoutingTable costs about 350 bytes per contact on Node 20 (each entry owns a copy
 * of the 32-byte id as its own Uint8Array, about 230 bytes of that), so 100 000 ideal tables of
 * about 264 contacts need about 9.3 GB of heap. Most tables are never read in a run.
 *
 * How it stays exact: a node's initial table is a pure function of (seed, node, the initial
 * membership), built with its own SeededRandom derived from the seed and the node index, so building it
 * late, or again after an eviction, gives the very same table. A table that the protocol has
 * changed (`mutable`) is pinned and never evicted; unchanged ones are evicted least recently
 * used first once more than `capacity` tables are held. Nodes that join later get their table
 * from `adopt` (pinned) and have no ideal table.
 */
import type { RoutingTable } from '../../libs/kademlia/index.js';
import { buildIdealTable } from './build-ideal-table.js';
import { SeededRandom } from '../../libs/sampling/index.js';
import type { SimNetwork } from './sim-network.js';
import type { SortedIndex } from './sorted-index.js';

/** Salt that separates the ideal-table streams from every other use of the seed. */
const TABLE_SALT = 0x7ab1e000;

export interface TableCacheStats {
  /** Ideal tables built, counting rebuilds after eviction. */
  built: number;
  /** Of `built`, rebuilds of a table built before. */
  rebuilt: number;
  /** Most tables held at once. */
  peakHeld: number;
}

export class TableCache {
  readonly stats: TableCacheStats = { built: 0, rebuilt: 0, peakHeld: 0 };
  /** Unchanged tables, least recently used first. */
  private readonly clean = new Map<number, RoutingTable>();
  private readonly pinned = new Map<number, RoutingTable>();
  private readonly everBuilt = new Set<number>();

  constructor(
    private readonly network: SimNetwork,
    /** The membership the ideal tables are drawn from; only its members have one. */
    private readonly initial: SortedIndex,
    private readonly k: number,
    private readonly seed: number,
    private readonly capacity: number,
  ) {}

  /** The node's table for reading (it must not be changed through this reference). */
  get(node: number): RoutingTable {
    const pinned = this.pinned.get(node);
    if (pinned) return pinned;
    const cached = this.clean.get(node);
    if (cached) {
      this.clean.delete(node);
      this.clean.set(node, cached);
      return cached;
    }
    const table = this.build(node);
    this.clean.set(node, table);
    this.trim();
    return table;
  }

  /** The node's table, pinned because the caller is about to change it. */
  mutable(node: number): RoutingTable {
    const pinned = this.pinned.get(node);
    if (pinned) return pinned;
    const table = this.clean.get(node) ?? this.build(node);
    this.clean.delete(node);
    this.pinned.set(node, table);
    this.trim();
    return table;
  }

  /** A table made elsewhere (a node that joined later); pinned. */
  adopt(node: number, table: RoutingTable): void {
    this.clean.delete(node);
    this.pinned.set(node, table);
    this.trim();
  }

  /** Forget the node's table (the node left for good). */
  drop(node: number): void {
    this.clean.delete(node);
    this.pinned.delete(node);
  }

  held(): number {
    return this.clean.size + this.pinned.size;
  }

  pinnedCount(): number {
    return this.pinned.size;
  }

  private build(node: number): RoutingTable {
    if (this.everBuilt.has(node)) this.stats.rebuilt++;
    else this.everBuilt.add(node);
    this.stats.built++;
    return buildIdealTable(this.network, this.initial, node, this.k, SeededRandom.derive(this.seed ^ TABLE_SALT, node)).table;
  }

  private trim(): void {
    while (this.held() > this.capacity && this.clean.size > 0) {
      const oldest = this.clean.keys().next();
      if (oldest.done) break;
      this.clean.delete(oldest.value);
    }
    this.stats.peakHeld = Math.max(this.stats.peakHeld, this.held());
  }
}
