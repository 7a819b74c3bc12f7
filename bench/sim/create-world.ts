/**
 * One simulated network of n nodes with lazily built ideal routing tables: the shared starting
 * point of every scenario at that size. Everything in it follows from (n, seed).
 */
import { SeededRandom } from '../../libs/sampling/index.js';
import { SimNetwork } from './sim-network.js';
import { SortedIndex } from './sorted-index.js';
import { TableCache } from './table-cache.js';

export interface SimWorld {
  readonly n: number;
  readonly seed: number;
  readonly k: number;
  readonly network: SimNetwork;
  /** The initial membership, in id order: the ideal tables are drawn from it. */
  readonly initial: SortedIndex;
  readonly tables: TableCache;
}

/** Salt of the node-id stream. */
const ID_SALT = 0x1d5;

export function createWorld(n: number, seed: number, k: number, tableCapacity: number): SimWorld {
  const network = SimNetwork.create(n, SeededRandom.derive(seed, ID_SALT ^ n));
  const initial = new SortedIndex(network);
  return { n, seed, k, network, initial, tables: new TableCache(network, initial, k, seed ^ n, tableCapacity) };
}
