/**
 * The client workload of bench/cluster-workload.ts, shaped for the bittorrent-dht peer: a BEP 44
 * value is addressed by its hash, so a Put returns the key a Get asks for. A preload of records
 * (16 in flight), a warm-up of Gets through every node in turn, Puts one at a time through random
 * nodes, one Get per sequential Put of that value through another random node, then throughput
 * at a fixed number of calls in flight for a fixed duration. Node, value and key choices come
 * from the same seeded PRNG as the project's workload (harness/workload.ts).
 */
import { pick } from '../../harness/workload.js';
import { CALL_TIMEOUT_MS, oneByOne, preloadJobs, SeededWorkload, timedThroughput } from '../cell-common.js';
import type { LatencyStats } from '../cluster-result.js';
import { CallTimes, round } from '../latency-stats.js';
import type { PeerThroughputResult } from './peer-result.js';

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

export class PeerWorkload extends SeededWorkload<PeerClient> {
  private readonly preloaded: StoredValue[] = [];
  private readonly putOneByOne: StoredValue[] = [];

  /** Stores `count` values through random nodes, a few at a time; starts none after `limitMs`. */
  async preload(count: number, limitMs: number): Promise<{ stored: number; ms: number; errors: number; meanStored: number }> {
    const jobs = Array.from({ length: count }, () => ({ value: this.value(), via: this.client() }));
    let replicas = 0;
    const {
      results: hashes,
      errors,
      ms,
    } = await preloadJobs(jobs, limitMs, async (job) => {
      const reply = await job.via.put(job.value, CALL_TIMEOUT_MS);
      replicas += reply.stored;
      return reply.hash;
    });
    // In job order, so the Gets that follow pick the same values whatever order the Puts ended in.
    jobs.forEach((job, i) => {
      const hash = hashes[i];
      if (hash !== undefined) this.preloaded.push({ hash, bytes: job.value.length, via: job.via });
    });
    const ok = this.preloaded.length;
    return { stored: ok, ms, errors, meanStored: round(ok === 0 ? 0 : replicas / ok, 2) };
  }

  /** Gets of preloaded values through every node in turn (the warm-up), stopping after `limitMs`. */
  async warmUpGets(ops: number, limitMs: number): Promise<LatencyStats> {
    const times = new CallTimes();
    await oneByOne(this.preloaded.length > 0 ? ops : 0, limitMs, (i) => {
      const record = pick(this.random, this.preloaded);
      return times.time(() => this.clients[i % this.clients.length]!.get(record.hash, CALL_TIMEOUT_MS));
    });
    return times.stats();
  }

  /** `ops` Puts of new values one at a time, stopping early after `limitMs` (then n < ops). */
  async sequentialPuts(ops: number, limitMs: number): Promise<{ latency: LatencyStats; meanStored: number }> {
    const times = new CallTimes();
    let replicas = 0;
    await oneByOne(ops, limitMs, async () => {
      const via = this.client();
      const value = this.value();
      const timed = await times.time(() => via.put(value, CALL_TIMEOUT_MS));
      if (!timed) return;
      replicas += timed.value.stored;
      this.putOneByOne.push({ hash: timed.value.hash, bytes: value.length, via });
    });
    return { latency: times.stats(), meanStored: round(times.samples.length === 0 ? 0 : replicas / times.samples.length, 2) };
  }

  /** One Get per sequential Put, of its value, through another random node; stops after `limitMs`. */
  async sequentialGets(limitMs: number): Promise<{ latency: LatencyStats; misses: number }> {
    const times = new CallTimes();
    let misses = 0;
    await oneByOne(this.putOneByOne.length, limitMs, async (i) => {
      const record = this.putOneByOne[i]!;
      const via = this.clients.length > 1 ? pick(this.random, this.clients, record.via) : record.via;
      const timed = await times.time(() => via.get(record.hash, CALL_TIMEOUT_MS));
      if (timed && (!timed.value.found || timed.value.bytes !== record.bytes)) misses++;
    });
    return { latency: times.stats(), misses };
  }

  /** `inFlight` callers loop until `durationMs` has passed; ops/s = completed calls / wall time.
   * Gets read the values stored so far (preloaded and one by one). */
  async throughput(op: 'get' | 'put', inFlight: number, durationMs: number): Promise<PeerThroughputResult> {
    const readable = [...this.preloaded, ...this.putOneByOne];
    if (op === 'get' && readable.length === 0) throw new Error('no value stored to get');
    let misses = 0;
    return timedThroughput(
      op,
      inFlight,
      durationMs,
      () => {
        const via = this.client();
        return async () => {
          if (op === 'get') {
            const record = pick(this.random, readable);
            const reply = await via.get(record.hash, CALL_TIMEOUT_MS);
            if (!reply.found || reply.bytes !== record.bytes) misses++;
          } else {
            await via.put(this.value(), CALL_TIMEOUT_MS);
          }
        };
      },
      () => ({ misses }),
    );
  }
}
