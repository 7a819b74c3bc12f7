/**
 * Heap cost of one ideal RoutingTable at a given network size, measured: build a sample of
 * tables, keep them, and compare heapUsed before and after a full GC (exact only when node runs
 * with --expose-gc; otherwise the figure includes garbage and is marked so).
 */
import { buildIdealTable } from './build-ideal-table.js';
import type { SimWorld } from './create-world.js';
import { SeededRandom } from '../../libs/sampling/index.js';
import type { RoutingTable } from '../../libs/kademlia/index.js';

export interface TableBytes {
  readonly sample: number;
  readonly entriesPerTable: number;
  readonly bytesPerTable: number;
  readonly bytesPerEntry: number;
  /** Heap of one Uint8Array.from(32-byte id): what RoutingTable pays per contact for its own id copy. */
  readonly idCopyBytes: number;
  /** False when no GC could be forced, so the figures are upper bounds. */
  readonly exact: boolean;
}

function collect(): boolean {
  const gc: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== 'function') return false;
  gc();
  return true;
}

/** Heap per `Uint8Array.from` of a 32-byte id, as RoutingTable's copyContact makes one per entry. */
function measureIdCopyBytes(count: number): number {
  const id = new Uint8Array(32);
  collect();
  const before = process.memoryUsage().heapUsed;
  const kept = new Array<Uint8Array>(count);
  for (let i = 0; i < count; i++) kept[i] = Uint8Array.from(id);
  collect();
  const pointers = 8 * kept.length;
  return Math.max(0, process.memoryUsage().heapUsed - before - pointers) / Math.max(1, kept.length);
}

export function measureTableBytes(world: SimWorld, sample: number): TableBytes {
  const prng = SeededRandom.derive(world.seed, 0xb17e5);
  const nodes = prng.sample(0, world.network.size(), Math.min(sample, world.network.size()));
  const exact = collect();
  const before = process.memoryUsage().heapUsed;
  const kept: RoutingTable[] = [];
  let entries = 0;
  for (const node of nodes) {
    const { table } = buildIdealTable(world.network, world.initial, node, world.k, SeededRandom.derive(world.seed, node));
    kept.push(table);
    entries += table.size();
  }
  collect();
  const bytes = Math.max(0, process.memoryUsage().heapUsed - before);
  const built = Math.max(1, kept.length);
  return {
    sample: kept.length,
    entriesPerTable: entries / built,
    bytesPerTable: bytes / built,
    bytesPerEntry: bytes / Math.max(1, entries),
    idCopyBytes: measureIdCopyBytes(20_000),
    exact,
  };
}
