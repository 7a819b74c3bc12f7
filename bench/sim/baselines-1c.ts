/**
 * Reference figures ("1C") from an independent Python simulation of Kademlia lookups, written
 * before this one and not part of the repository: ideal tables, lock-step rounds, strict Kademlia
 * termination, 300 lookups per row. Also the check this simulator's rows are held to: no worse
 * than the baseline by more than one round (rounds at most 1 more, RPCs at most alpha more), at
 * p50 and at p90. Fewer is no regression: the lookup's final round (up to k RPCs at once once no
 * answer brings anyone closer) ends lookups rounds earlier than lock-step rounds do.
 *
 * Caveat for the rows with dead nodes: in that script a dead node that has timed out can come
 * back into the shortlist through a later reply; it is never queried again but keeps one of the
 * k window slots, so those lookups stop early, with fewer RPCs and less overlap than a lookup
 * that remembers failures (as libs/kademlia/lookup.ts does). Only the dead = 0 rows are a fair
 * regression target.
 */
import type { LookupSummary } from './summarize-lookups.js';

export interface Baseline {
  readonly n: number;
  readonly k: number;
  readonly alpha: number;
  readonly dead: number;
  readonly rounds: readonly [p50: number, p90: number];
  readonly rpcs: readonly [p50: number, p90: number];
  /** Mean overlap with the true k closest live nodes, 0..1. */
  readonly overlap: number;
}

export const BASELINES_1C: readonly Baseline[] = [
  { n: 100, k: 20, alpha: 3, dead: 0, rounds: [7, 7], rpcs: [20, 20], overlap: 1 },
  { n: 1_000, k: 20, alpha: 3, dead: 0, rounds: [8, 8], rpcs: [22, 23], overlap: 1 },
  { n: 10_000, k: 20, alpha: 3, dead: 0, rounds: [8, 8], rpcs: [23, 24], overlap: 1 },
  { n: 100_000, k: 20, alpha: 3, dead: 0, rounds: [9, 9], rpcs: [25, 26], overlap: 1 },
  { n: 10_000, k: 20, alpha: 3, dead: 0.1, rounds: [8, 9], rpcs: [23, 24], overlap: 0.91 },
  { n: 10_000, k: 20, alpha: 3, dead: 0.3, rounds: [8, 9], rpcs: [24, 26], overlap: 0.74 },
  { n: 10_000, k: 20, alpha: 3, dead: 0.5, rounds: [9, 11], rpcs: [24, 29], overlap: 0.54 },
];

export function findBaseline(n: number, k: number, alpha: number, dead: number): Baseline | undefined {
  return BASELINES_1C.find((b) => b.n === n && b.k === k && b.alpha === alpha && b.dead === dead);
}

export interface BaselineCheck {
  readonly roundsDelta: readonly [p50: number, p90: number];
  readonly rpcsDelta: readonly [p50: number, p90: number];
  /** No delta worse than one round (rounds: +1, RPCs: +alpha). */
  readonly noWorse: boolean;
}

export function checkAgainst(baseline: Baseline, summary: LookupSummary): BaselineCheck {
  const roundsDelta = [summary.rounds.p50 - baseline.rounds[0], summary.rounds.p90 - baseline.rounds[1]] as const;
  const rpcsDelta = [summary.rpcs.p50 - baseline.rpcs[0], summary.rpcs.p90 - baseline.rpcs[1]] as const;
  const noWorse = roundsDelta.every((d) => d <= 1) && rpcsDelta.every((d) => d <= baseline.alpha);
  return { roundsDelta, rpcsDelta, noWorse };
}
