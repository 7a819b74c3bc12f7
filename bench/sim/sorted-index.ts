/**
 * Simulated nodes in id order, so that every subtree of the id space (all ids sharing a prefix)
 * is a contiguous range found by binary search. Used to build ideal routing tables without
 * looking at all N nodes, and by the oracle to find the true k closest to a target.
 */
import { bitAt, compareIds, ID_BITS, type NodeId } from '../../libs/kademlia/index.js';
import type { SimNetwork } from './sim-network.js';

/** A half-open range [from, to) of positions in a SortedIndex. */
export type Range = readonly [from: number, to: number];

export class SortedIndex {
  private readonly order: number[];

  /** Indexes `members` (node indices of network; default all nodes, dead or alive). */
  constructor(
    private readonly network: SimNetwork,
    members?: readonly number[],
  ) {
    const nodes = members ? [...members] : Array.from({ length: network.size() }, (_, i) => i);
    this.order = nodes.sort((a, b) => compareIds(network.id(a), network.id(b)));
  }

  size(): number {
    return this.order.length;
  }

  /** The node at sorted position `position`. */
  at(position: number): number {
    const node = this.order[position];
    if (node === undefined) throw new RangeError(`position ${position} outside 0..${this.order.length - 1}`);
    return node;
  }

  /**
   * Ranges of the nodes sharing at least p leading bits with id, for p = 0, 1, ... until a range
   * holds at most one node: element p is that range, each nested in the one before.
   */
  prefixRanges(id: NodeId): Range[] {
    const ranges: Range[] = [];
    let lo = 0;
    let hi = this.order.length;
    ranges.push([lo, hi]);
    for (let bit = 0; bit < ID_BITS && hi - lo > 1; bit++) {
      const split = this.firstWithBit(lo, hi, bit);
      if (bitAt(id, bit) === 0) hi = split;
      else lo = split;
      ranges.push([lo, hi]);
    }
    return ranges;
  }

  /**
   * Ranges of the nodes sharing exactly j leading bits with id (the sibling subtree at depth j,
   * the nodes bucket j of id's table draws from), shallowest first; empty subtrees are skipped.
   */
  siblingRanges(id: NodeId): Range[] {
    const nested = this.prefixRanges(id);
    const siblings: Range[] = [];
    for (let j = 0; j + 1 < nested.length; j++) {
      const [lo, hi] = nested[j] as Range;
      const [innerLo, innerHi] = nested[j + 1] as Range;
      if (innerLo > lo) siblings.push([lo, innerLo]);
      if (hi > innerHi) siblings.push([innerHi, hi]);
    }
    return siblings;
  }

  /** The first position in [lo, hi) whose id has `bit` set (the ids there share bits < bit). */
  private firstWithBit(lo: number, hi: number, bit: number): number {
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bitAt(this.network.id(this.at(mid)), bit) === 1) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
