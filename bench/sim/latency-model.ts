/**
 * Per-RPC round-trip latency on the virtual clock: log-normal (median `medianMs`, shape `sigma`),
 * whole milliseconds, clipped to [minMs, maxMs]. maxMs must stay below the RPC timeout so that a
 * live node always answers in time; only dead nodes time out.
 */
import type { SeededRandom } from '../../libs/sampling/index.js';

export interface LatencyOptions {
  readonly medianMs: number;
  readonly sigma: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export const DEFAULT_LATENCY: LatencyOptions = { medianMs: 50, sigma: 0.5, minMs: 5, maxMs: 1_000 };

export class LatencyModel {
  constructor(
    private readonly prng: SeededRandom,
    readonly options: LatencyOptions = DEFAULT_LATENCY,
  ) {
    if (!(options.minMs >= 1 && options.minMs <= options.medianMs && options.medianMs <= options.maxMs)) {
      throw new RangeError('latency needs 1 <= minMs <= medianMs <= maxMs');
    }
  }

  /** One RPC's round trip, in ms. */
  sample(): number {
    const ms = Math.round(this.options.medianMs * Math.exp(this.options.sigma * this.prng.normal()));
    return Math.min(this.options.maxMs, Math.max(this.options.minMs, ms));
  }
}
