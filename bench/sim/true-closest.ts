/**
 * The global oracle: the true k closest live nodes to a target, by XOR distance, from a
 * SortedIndex. All ids sharing p leading bits with the target are closer than every id that does
 * not, so it is enough to sort the smallest such prefix range holding at least k live nodes.
 * The lookup's source is left out (`exclude`): a lookup never returns its own node.
 */
import { compareDistance, type NodeId } from '../../libs/kademlia/index.js';
import type { SimNetwork } from './sim-network.js';
import type { SortedIndex } from './sorted-index.js';

/** Node indices of the (at most) k live nodes other than `exclude` closest to target, closest first. */
export function trueClosest(network: SimNetwork, index: SortedIndex, target: NodeId, k: number, exclude?: number): number[] {
  const ranges = index.prefixRanges(target);
  for (let p = ranges.length - 1; p >= 0; p--) {
    const [from, to] = ranges[p] ?? [0, 0];
    const live: number[] = [];
    for (let position = from; position < to; position++) {
      const node = index.at(position);
      if (node !== exclude && network.isAlive(node)) live.push(node);
    }
    if (live.length >= k || p === 0) {
      return live.sort((a, b) => compareDistance(target, network.id(a), network.id(b))).slice(0, k);
    }
  }
  return [];
}
