/**
 * Fills a real RoutingTable with an "ideal" set of contacts without observing all N nodes: for
 * every depth j, up to k distinct random members of the subtree sharing exactly j leading bits
 * with the node (as the simulation behind the 1C baselines does, baselines-1c.ts), read off a
 * SortedIndex.
 *
 * Contacts go in through RoutingTable.observe, farthest subtree first, so the table splits its
 * buckets exactly as it would on its own. No subtree contributes more than k contacts, so every
 * one of them is accepted: `offered` equals table.size() (the unit test checks it).
 */
import { RoutingTable } from '../../libs/kademlia/index.js';
import type { SeededRandom } from '../../libs/sampling/index.js';
import type { SimNetwork } from './sim-network.js';
import type { SortedIndex } from './sorted-index.js';

export interface IdealTable {
  readonly table: RoutingTable;
  /** Contacts passed to observe. */
  readonly offered: number;
}

/** The ideal table of `node` over the members of `index` (dead ones included: stale entries). */
export function buildIdealTable(network: SimNetwork, index: SortedIndex, node: number, k: number, prng: SeededRandom): IdealTable {
  const table = new RoutingTable(network.id(node), { k });
  let offered = 0;
  for (const [from, to] of index.siblingRanges(network.id(node))) {
    for (const position of prng.sample(from, to, k)) {
      table.observe(network.contact(index.at(position)), 0);
      offered++;
    }
  }
  return { table, offered };
}
