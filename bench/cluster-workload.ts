/**
 * The client workload run against every cluster: preload records, then Put and Get latency one
 * at a time, then throughput at a fixed number of calls in flight for a fixed duration. Every
 * call goes through a node picked by a seeded PRNG, so two builds see the same sequence of
 * nodes, keys and values. Gets read preloaded keys and check the value they get back.
 */
import type { DhtClient } from '../libs/client/dht-client.js';
import { pick, runBounded, seededRandom } from '../test/testkit/workload.js';
import type { LatencyStats, ThroughputResult } from './cluster-result.js';
import { latencyStats, round } from './latency-stats.js';

const CALL_TIMEOUT_MS = 15_000;
const PRELOAD_IN_FLIGHT = 16;

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

export class ClusterWorkload {
  private readonly random: () => number;
  private readonly preloaded: { key: string; value: Buffer }[] = [];
  private putCounter = 0;

  constructor(
    private readonly clients: readonly DhtClient[],
    private readonly valueBytes: number,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  /** Stores `count` records through random nodes, a few at a time; starts none after `limitMs`. */
  async preload(count: number, limitMs: number): Promise<{ stored: number; ms: number; errors: number; meanAcknowledged: number }> {
    const jobs = Array.from({ length: count }, (_, i) => ({ key: `preload-${i}`, value: this.value(), client: this.client() }));
    const start = performance.now();
    const deadline = start + limitMs;
    let errors = 0;
    let acknowledged = 0;
    const stored = await runBounded(jobs.length, PRELOAD_IN_FLIGHT, async (i) => {
      const job = jobs[i];
      if (!job || performance.now() > deadline) return false;
      try {
        const reply = await job.client.put(job.key, job.value, { timeoutMs: CALL_TIMEOUT_MS });
        acknowledged += reply.acknowledged;
        return true;
      } catch {
        errors++;
        return false;
      }
    });
    // In job order, so the Gets that follow pick the same keys whatever order the Puts ended in.
    jobs.forEach((job, i) => stored[i] && this.preloaded.push({ key: job.key, value: job.value }));
    const ok = this.preloaded.length;
    return { stored: ok, ms: round(performance.now() - start, 1), errors, meanAcknowledged: round(ok === 0 ? 0 : acknowledged / ok, 2) };
  }

  /** `ops` Puts of new keys one at a time, stopping early after `limitMs` (then n < ops). */
  async sequentialPuts(ops: number, limitMs: number): Promise<LatencyStats> {
    const samples: number[] = [];
    let errors = 0;
    const deadline = performance.now() + limitMs;
    for (let i = 0; i < ops && performance.now() < deadline; i++) {
      const client = this.client();
      const key = this.nextPutKey();
      const value = this.value();
      const start = performance.now();
      try {
        await client.put(key, value, { timeoutMs: CALL_TIMEOUT_MS });
        samples.push(performance.now() - start);
      } catch {
        errors++;
      }
    }
    return latencyStats(samples, errors);
  }

  /**
   * `ops` Gets of preloaded keys one at a time, stopping early after `limitMs` (then n < ops);
   * through random nodes, or through every node in turn (`roundRobin`, for a warm-up).
   */
  async sequentialGets(ops: number, limitMs: number, roundRobin = false): Promise<SequentialGets> {
    const samples: number[] = [];
    const local: number[] = [];
    const lookedUp: number[] = [];
    let errors = 0;
    let misses = 0;
    let peerRpcs = 0;
    let rounds = 0;
    const deadline = performance.now() + limitMs;
    for (let i = 0; i < ops && performance.now() < deadline; i++) {
      const client = roundRobin ? this.clients[i % this.clients.length]! : this.client();
      const record = pick(this.random, this.preloaded);
      const start = performance.now();
      try {
        const reply = await client.get(record.key, { timeoutMs: CALL_TIMEOUT_MS });
        const ms = performance.now() - start;
        samples.push(ms);
        (reply.peerRpcs === 0 ? local : lookedUp).push(ms);
        peerRpcs += reply.peerRpcs;
        rounds += reply.lookupRounds;
        if (!reply.found || !record.value.equals(reply.value)) misses++;
      } catch {
        errors++;
      }
    }
    const n = samples.length;
    return {
      latency: latencyStats(samples, errors),
      misses,
      meanPeerRpcs: round(n === 0 ? NaN : peerRpcs / n, 2),
      meanLookupRounds: round(n === 0 ? NaN : rounds / n, 2),
      local: latencyStats(local, 0),
      lookedUp: latencyStats(lookedUp, 0),
    };
  }

  /** `inFlight` callers loop until `durationMs` has passed; ops/s = completed calls / wall time. */
  async throughput(op: 'get' | 'put', inFlight: number, durationMs: number): Promise<ThroughputResult> {
    const samples: number[] = [];
    let errors = 0;
    const start = performance.now();
    const deadline = start + durationMs;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (performance.now() < deadline) {
          const client = this.client();
          const call =
            op === 'get'
              ? () => client.get(pick(this.random, this.preloaded).key, { timeoutMs: CALL_TIMEOUT_MS })
              : () => client.put(this.nextPutKey(), this.value(), { timeoutMs: CALL_TIMEOUT_MS });
          const t0 = performance.now();
          try {
            await call();
            samples.push(performance.now() - t0);
          } catch {
            errors++;
          }
        }
      }),
    );
    const elapsedMs = performance.now() - start;
    return {
      op,
      inFlight,
      elapsedMs: round(elapsedMs, 1),
      ok: samples.length,
      errors,
      opsPerSec: round((samples.length * 1000) / elapsedMs, 1),
      latency: latencyStats(samples, errors),
    };
  }

  private client(): DhtClient {
    return pick(this.random, this.clients);
  }

  private nextPutKey(): string {
    return `put-${this.putCounter++}`;
  }

  private value(): Buffer {
    const value = Buffer.alloc(this.valueBytes);
    for (let i = 0; i < value.length; i++) value[i] = Math.floor(this.random() * 256);
    return value;
  }
}
