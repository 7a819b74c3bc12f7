/**
 * Per-lookup measurements scored against the oracle, and their summary for one table row.
 * Percentiles use the same rule as the simulation behind the 1C baselines (sorted[floor(p * n)],
 * baselines-1c.ts), so the p50/p90 figures compare with them.
 */
import type { SimLookupResult } from './run-sim-lookup.js';
import { percentile } from '../../libs/sampling/index.js';

export interface LookupSample {
  readonly rounds: number;
  readonly rpcs: number;
  readonly timeouts: number;
  readonly durationMs: number;
  readonly reason: SimLookupResult['reason'];
  /** The closest live node is in the result (the 1C baseline's "closest live node found"). */
  readonly success: boolean;
  /** The result is exactly the true k closest live nodes. */
  readonly exact: boolean;
  /** |result ∩ true k closest live| / k. */
  readonly overlap: number;
  /** Share of the source's table entries that point at dead nodes when the lookup started. */
  readonly deadEntryShare: number;
}

export interface Spread {
  readonly p50: number;
  readonly p90: number;
  readonly mean: number;
}

export interface LookupSummary {
  readonly lookups: number;
  readonly rounds: Spread;
  readonly rpcs: Spread;
  readonly durationMs: Spread;
  readonly timeoutsMean: number;
  readonly successRate: number;
  readonly exactRate: number;
  readonly overlapMean: number;
  readonly deadEntryShare: number;
  readonly reasons: Readonly<Record<string, number>>;
}

const mean = (values: readonly number[]): number => (values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length);

function spread(values: readonly number[]): Spread {
  return { p50: percentile(values, 50), p90: percentile(values, 90), mean: mean(values) };
}

/** Scores one FIND_NODE result against the oracle's true k closest live nodes. */
export function scoreLookup(result: SimLookupResult, truth: readonly number[], k: number, deadEntryShare: number): LookupSample {
  const inTruth = new Set(truth);
  const hits = result.closest.filter((node) => inTruth.has(node)).length;
  return {
    rounds: result.rounds,
    rpcs: result.rpcs,
    timeouts: result.timeouts,
    durationMs: result.durationMs,
    reason: result.reason,
    success: truth[0] !== undefined && result.closest.includes(truth[0]),
    exact: hits === truth.length && result.closest.length === truth.length,
    overlap: hits / Math.min(k, Math.max(1, truth.length)),
    deadEntryShare,
  };
}

export function summarizeLookups(samples: readonly LookupSample[]): LookupSummary {
  const reasons: Record<string, number> = {};
  for (const s of samples) reasons[s.reason] = (reasons[s.reason] ?? 0) + 1;
  const rate = (pick: (s: LookupSample) => boolean): number => samples.filter(pick).length / Math.max(1, samples.length);
  return {
    lookups: samples.length,
    rounds: spread(samples.map((s) => s.rounds)),
    rpcs: spread(samples.map((s) => s.rpcs)),
    durationMs: spread(samples.map((s) => s.durationMs)),
    timeoutsMean: mean(samples.map((s) => s.timeouts)),
    successRate: rate((s) => s.success),
    exactRate: rate((s) => s.exact),
    overlapMean: mean(samples.map((s) => s.overlap)),
    deadEntryShare: mean(samples.map((s) => s.deadEntryShare)),
    reasons,
  };
}
