/** Times calls and summarizes latency samples (ms) into the mean and p50 / p95 / p99 the benchmark reports. */
import { percentile } from '../libs/sampling/index.js';
import type { LatencyStats } from './cluster-result.js';

export function latencyStats(samples: readonly number[], errors = 0): LatencyStats {
  const mean = samples.length === 0 ? NaN : samples.reduce((sum, ms) => sum + ms, 0) / samples.length;
  return {
    n: samples.length,
    errors,
    mean: round(mean),
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
  };
}

/** The latency samples (ms) of the calls that completed, and how many threw (counted, not timed). */
export class CallTimes {
  readonly samples: number[] = [];
  errors = 0;

  /** Times one call: its value and how long it took, or undefined when it threw. */
  async time<T>(call: () => Promise<T>): Promise<{ readonly value: T; readonly ms: number } | undefined> {
    const start = performance.now();
    try {
      const value = await call();
      const ms = performance.now() - start;
      this.samples.push(ms);
      return { value, ms };
    } catch {
      this.errors++;
      return undefined;
    }
  }

  stats(): LatencyStats {
    return latencyStats(this.samples, this.errors);
  }
}

/** Three decimals: microsecond resolution is all a JS timer gives here. */
export function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
