/**
 * The client workload run against every cluster: preload records, then Put and Get latency one
 * at a time, then throughput at a fixed number of calls in flight for a fixed duration. Every
 * call goes through a node picked by a seeded PRNG, so two builds see the same sequence of
 * nodes, keys and values. Gets read preloaded keys and check the value they get back.
 */
import type { DhtClient } from '../libs/client/index.js';
import { pick } from '../harness/workload.js';
import { CALL_TIMEOUT_MS, oneByOne, preloadJobs, SeededWorkload, timedThroughput } from './cell-common.js';
import type { LatencyStats, ThroughputResult } from './cluster-result.js';
import { CallTimes, latencyStats, round } from './latency-stats.js';

export interface SequentialGets {
  readonly latency: LatencyStats;
  readonly misses: number;
  readonly meanPeerRpcs: number;
  readonly meanLookupRounds: number;
  /** Gets the entry node answered from its own store (no peer RPC). */
  readonly local: LatencyStats;
  /** Gets that needed a FIND_VALUE lookup. */
  readonly lookedUp: LatencyStats;
}

export class ClusterWorkload extends SeededWorkload<DhtClient> {
  private readonly preloaded: { key: string; value: Buffer }[] = [];
  private putCounter = 0;

  /** Stores `count` records through random nodes, a few at a time; starts none after `limitMs`. */
  async preload(count: number, limitMs: number): Promise<{ stored: number; ms: number; errors: number; meanAcknowledged: number }> {
    const jobs = Array.from({ length: count }, (_, i) => ({ key: `preload-${i}`, value: this.value(), client: this.client() }));
    let acknowledged = 0;
    const { results, errors, ms } = await preloadJobs(jobs, limitMs, async (job) => {
      const reply = await job.client.put(job.key, job.value, { timeoutMs: CALL_TIMEOUT_MS });
      acknowledged += reply.acknowledged;
      return true;
    });
    // In job order, so the Gets that follow pick the same keys whatever order the Puts ended in.
    jobs.forEach((job, i) => results[i] && this.preloaded.push({ key: job.key, value: job.value }));
    const ok = this.preloaded.length;
    return { stored: ok, ms, errors, meanAcknowledged: round(ok === 0 ? 0 : acknowledged / ok, 2) };
  }

  /** `ops` Puts of new keys one at a time, stopping early after `limitMs` (then n < ops). */
  async sequentialPuts(ops: number, limitMs: number): Promise<LatencyStats> {
    const times = new CallTimes();
    await oneByOne(ops, limitMs, () => {
      const client = this.client();
      const key = this.nextPutKey();
      const value = this.value();
      return times.time(() => client.put(key, value, { timeoutMs: CALL_TIMEOUT_MS }));
    });
    return times.stats();
  }

  /**
   * `ops` Gets of preloaded keys one at a time, stopping early after `limitMs` (then n < ops);
   * through random nodes, or through every node in turn (`roundRobin`, for a warm-up).
   */
  async sequentialGets(ops: number, limitMs: number, roundRobin = false): Promise<SequentialGets> {
    const times = new CallTimes();
    const local: number[] = [];
    const lookedUp: number[] = [];
    let misses = 0;
    let peerRpcs = 0;
    let rounds = 0;
    await oneByOne(ops, limitMs, async (i) => {
      const client = roundRobin ? this.clients[i % this.clients.length]! : this.client();
      const record = pick(this.random, this.preloaded);
      const timed = await times.time(() => client.get(record.key, { timeoutMs: CALL_TIMEOUT_MS }));
      if (!timed) return;
      const { value: reply, ms } = timed;
      (reply.peerRpcs === 0 ? local : lookedUp).push(ms);
      peerRpcs += reply.peerRpcs;
      rounds += reply.lookupRounds;
      if (!reply.found || !record.value.equals(reply.value)) misses++;
    });
    const n = times.samples.length;
    return {
      latency: times.stats(),
      misses,
      meanPeerRpcs: round(n === 0 ? NaN : peerRpcs / n, 2),
      meanLookupRounds: round(n === 0 ? NaN : rounds / n, 2),
      local: latencyStats(local, 0),
      lookedUp: latencyStats(lookedUp, 0),
    };
  }

  /** `inFlight` callers loop until `durationMs` has passed; ops/s = completed calls / wall time. */
  async throughput(op: 'get' | 'put', inFlight: number, durationMs: number): Promise<ThroughputResult> {
    return timedThroughput(
      op,
      inFlight,
      durationMs,
      () => {
        const client = this.client();
        return op === 'get'
          ? () => client.get(pick(this.random, this.preloaded).key, { timeoutMs: CALL_TIMEOUT_MS })
          : () => client.put(this.nextPutKey(), this.value(), { timeoutMs: CALL_TIMEOUT_MS });
      },
      () => ({}),
    );
  }

  private nextPutKey(): string {
    return `put-${this.putCounter++}`;
  }
}
