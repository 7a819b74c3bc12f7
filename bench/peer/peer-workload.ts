/**
 * The client workload of bench/cluster-workload.ts, shaped for the bittorrent-dht peer: a BEP 44
 * value is addressed by its hash, so a Put returns the key a Get asks for. A preload of records
 * (16 in flight), a warm-up of Gets through every node in turn, Puts one at a time through random
 * nodes, one Get per sequential Put of that value through another random node, then throughput
 * at a fixed number of calls in flight for a fixed duration. Node, value and key choices come
 * from the same seeded PRNG as the project's workload (test/testkit/workload.ts).
 */
import { pick, runBounded, seededRandom } from '../../test/testkit/workload.js';
import type { LatencyStats } from '../cluster-result.js';
import { latencyStats, round } from '../latency-stats.js';
import type { PeerThroughputResult } from './peer-result.js';

const CALL_TIMEOUT_MS = 15_000;
const PRELOAD_IN_FLIGHT = 16;

/** A node the workload calls: bench/peer/peer-node-process.ts. */
export interface PeerClient {
  put(value: Buffer, timeoutMs: number): Promise<{ hash: string; stored: number }>;
  get(hash: string, timeoutMs: number): Promise<{ found: boolean; bytes: number }>;
}

interface StoredValue {
  readonly hash: string;
  readonly bytes: number;
  /** The node it was put through. */
  readonly via: PeerClient;
}

export class PeerWorkload {
  private readonly random: () => number;
  private readonly preloaded: StoredValue[] = [];
  private readonly putOneByOne: StoredValue[] = [];

  constructor(
    private readonly clients: readonly PeerClient[],
    private readonly valueBytes: number,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  /** Stores `count` values through random nodes, a few at a time; starts none after `limitMs`. */
  async preload(count: number, limitMs: number): Promise<{ stored: number; ms: number; errors: number; meanStored: number }> {
    const jobs = Array.from({ length: count }, () => ({ value: this.value(), via: this.client() }));
    const start = performance.now();
    const deadline = start + limitMs;
    let errors = 0;
    let replicas = 0;
    const hashes = await runBounded(jobs.length, PRELOAD_IN_FLIGHT, async (i) => {
      const job = jobs[i];
      if (!job || performance.now() > deadline) return undefined;
      try {
        const reply = await job.via.put(job.value, CALL_TIMEOUT_MS);
        replicas += reply.stored;
        return reply.hash;
      } catch {
        errors++;
        return undefined;
      }
    });
    // In job order, so the Gets that follow pick the same values whatever order the Puts ended in.
    jobs.forEach((job, i) => {
      const hash = hashes[i];
      if (hash !== undefined) this.preloaded.push({ hash, bytes: job.value.length, via: job.via });
    });
    const ok = this.preloaded.length;
    return { stored: ok, ms: round(performance.now() - start, 1), errors, meanStored: round(ok === 0 ? 0 : replicas / ok, 2) };
  }

  /** Gets of preloaded values through every node in turn (the warm-up), stopping after `limitMs`. */
  async warmUpGets(ops: number, limitMs: number): Promise<LatencyStats> {
    const samples: number[] = [];
    let errors = 0;
    const deadline = performance.now() + limitMs;
    for (let i = 0; i < ops && this.preloaded.length > 0 && performance.now() < deadline; i++) {
      const record = pick(this.random, this.preloaded);
      const t0 = performance.now();
      try {
        await this.clients[i % this.clients.length]!.get(record.hash, CALL_TIMEOUT_MS);
        samples.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
    return latencyStats(samples, errors);
  }

  /** `ops` Puts of new values one at a time, stopping early after `limitMs` (then n < ops). */
  async sequentialPuts(ops: number, limitMs: number): Promise<{ latency: LatencyStats; meanStored: number }> {
    const samples: number[] = [];
    let errors = 0;
    let replicas = 0;
    const deadline = performance.now() + limitMs;
    for (let i = 0; i < ops && performance.now() < deadline; i++) {
      const via = this.client();
      const value = this.value();
      const t0 = performance.now();
      try {
        const reply = await via.put(value, CALL_TIMEOUT_MS);
        samples.push(performance.now() - t0);
        replicas += reply.stored;
        this.putOneByOne.push({ hash: reply.hash, bytes: value.length, via });
      } catch {
        errors++;
      }
    }
    return { latency: latencyStats(samples, errors), meanStored: round(samples.length === 0 ? 0 : replicas / samples.length, 2) };
  }

  /** One Get per sequential Put, of its value, through another random node; stops after `limitMs`. */
  async sequentialGets(limitMs: number): Promise<{ latency: LatencyStats; misses: number }> {
    const samples: number[] = [];
    let errors = 0;
    let misses = 0;
    const deadline = performance.now() + limitMs;
    for (const record of this.putOneByOne) {
      if (performance.now() >= deadline) break;
      const via = this.clients.length > 1 ? pick(this.random, this.clients, record.via) : record.via;
      const t0 = performance.now();
      try {
        const reply = await via.get(record.hash, CALL_TIMEOUT_MS);
        samples.push(performance.now() - t0);
        if (!reply.found || reply.bytes !== record.bytes) misses++;
      } catch {
        errors++;
      }
    }
    return { latency: latencyStats(samples, errors), misses };
  }

  /** `inFlight` callers loop until `durationMs` has passed; ops/s = completed calls / wall time.
   * Gets read the values stored so far (preloaded and one by one). */
  async throughput(op: 'get' | 'put', inFlight: number, durationMs: number): Promise<PeerThroughputResult> {
    const readable = [...this.preloaded, ...this.putOneByOne];
    if (op === 'get' && readable.length === 0) throw new Error('no value stored to get');
    const samples: number[] = [];
    let errors = 0;
    let misses = 0;
    const start = performance.now();
    const deadline = start + durationMs;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (performance.now() < deadline) {
          const via = this.client();
          const t0 = performance.now();
          try {
            if (op === 'get') {
              const record = pick(this.random, readable);
              const reply = await via.get(record.hash, CALL_TIMEOUT_MS);
              if (!reply.found || reply.bytes !== record.bytes) misses++;
            } else {
              await via.put(this.value(), CALL_TIMEOUT_MS);
            }
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
      misses,
      opsPerSec: round((samples.length * 1000) / elapsedMs, 1),
      latency: latencyStats(samples, errors),
    };
  }

  private client(): PeerClient {
    return pick(this.random, this.clients);
  }

  private value(): Buffer {
    const value = Buffer.alloc(this.valueBytes);
    for (let i = 0; i < value.length; i++) value[i] = Math.floor(this.random() * 256);
    return value;
  }
}
