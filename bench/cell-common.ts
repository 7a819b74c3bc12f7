/**
 * What a benchmark cell does the same way on both sides, the project's nodes (cluster-workload.ts,
 * measure-cluster.ts) and bittorrent-dht (peer/peer-workload.ts, measure-peer.ts): a workload's
 * nodes, seeded PRNG and random values, the bounded preload, calls one at a time until a deadline,
 * the timed throughput loop with a fixed number of calls in flight, the throughput phases at every
 * in-flight level, and the figures that close a cell.
 */
import { pick, runBounded } from '../harness/workload.js';
import type { CellResult, RssResult, ThroughputResult } from './cluster-result.js';
import { CallTimes, round } from './latency-stats.js';
import { loadAverage } from './machine-info.js';
import { readRss } from './read-rss.js';
import { SeededRandom } from '../libs/sampling/index.js';

/** How long a workload call may take. */
export const CALL_TIMEOUT_MS = 15_000;
/** Preload calls in flight at once. */
const PRELOAD_IN_FLIGHT = 16;

/** A workload's nodes and its seeded PRNG, which picks the nodes, keys and values of every call. */
export abstract class SeededWorkload<Client> {
  protected readonly random: SeededRandom;

  constructor(
    protected readonly clients: readonly Client[],
    private readonly valueBytes: number,
    seed: number,
  ) {
    this.random = new SeededRandom(seed);
  }

  /** A random node. */
  protected client(): Client {
    return pick(this.random, this.clients);
  }

  /** A new value of `valueBytes` random bytes. */
  protected value(): Buffer {
    const value = Buffer.alloc(this.valueBytes);
    for (let i = 0; i < value.length; i++) value[i] = Math.floor(this.random.float() * 256);
    return value;
  }
}

/**
 * Runs `store` over `jobs`, PRELOAD_IN_FLIGHT at a time, starting none after `limitMs`: each job's
 * result in job order, or undefined when it was not started or threw (then counted in `errors`).
 */
export async function preloadJobs<Job, Stored>(
  jobs: readonly Job[],
  limitMs: number,
  store: (job: Job) => Promise<Stored>,
): Promise<{ readonly results: readonly (Stored | undefined)[]; readonly errors: number; readonly ms: number }> {
  const start = performance.now();
  const deadline = start + limitMs;
  let errors = 0;
  const results = await runBounded(jobs.length, PRELOAD_IN_FLIGHT, async (i): Promise<Stored | undefined> => {
    const job = jobs[i];
    if (job === undefined || performance.now() > deadline) return undefined;
    try {
      return await store(job);
    } catch {
      errors++;
      return undefined;
    }
  });
  return { results, errors, ms: round(performance.now() - start, 1) };
}

/** `step(i)` for i in [0, `ops`), one at a time, starting none after `limitMs` (then fewer than `ops`). */
export async function oneByOne(ops: number, limitMs: number, step: (i: number) => Promise<unknown>): Promise<void> {
  const deadline = performance.now() + limitMs;
  for (let i = 0; i < ops && performance.now() < deadline; i++) await step(i);
}

/**
 * `inFlight` callers loop until `durationMs` has passed; ops/s = completed calls / wall time.
 * Each turn, `prepare` picks what the call needs (untimed) and returns the call, which is timed:
 * it resolves as one completed call (a sample) or throws as an error. `extra` adds the caller's own
 * counts, read once the loop is over, after `errors`.
 */
export async function timedThroughput<Extra extends object>(
  op: ThroughputResult['op'],
  inFlight: number,
  durationMs: number,
  prepare: () => () => Promise<unknown>,
  extra: () => Extra,
): Promise<ThroughputResult & Extra> {
  const times = new CallTimes();
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < deadline) await times.time(prepare());
    }),
  );
  const elapsedMs = performance.now() - start;
  return {
    op,
    inFlight,
    elapsedMs: round(elapsedMs, 1),
    ok: times.samples.length,
    errors: times.errors,
    ...extra(),
    opsPerSec: round((times.samples.length * 1000) / elapsedMs, 1),
    latency: times.stats(),
  };
}

/** A workload with a throughput phase: cluster-workload.ts or peer/peer-workload.ts. */
export interface ThroughputWorkload<Result extends ThroughputResult> {
  throughput(op: ThroughputResult['op'], inFlight: number, durationMs: number): Promise<Result>;
}

/** Get, then Put, at each in-flight level, one progress line each (`detail` adds to its parenthesis). */
export async function throughputPhases<Result extends ThroughputResult>(
  workload: ThroughputWorkload<Result>,
  options: { readonly inFlight: readonly number[]; readonly durationMs: number },
  log: (line: string) => void,
  detail: (result: Result) => string = () => '',
): Promise<Result[]> {
  const throughput: Result[] = [];
  for (const inFlight of options.inFlight) {
    for (const op of ['get', 'put'] as const) {
      const result = await workload.throughput(op, inFlight, options.durationMs);
      throughput.push(result);
      log(`  ${op} x${inFlight}: ${result.opsPerSec} ops/s (p99 ${result.latency.p99} ms, ${result.errors} errors${detail(result)})`);
    }
  }
  return throughput;
}

/** The last fields of a cell's result: RSS after the workload (of `pidsPerNode`), load and duration. */
export async function cellEnd<Result extends ThroughputResult>(cell: {
  readonly throughput: readonly Result[];
  readonly rssIdle: RssResult;
  readonly pidsPerNode: readonly (readonly number[])[];
  readonly loadAvgBefore: readonly number[];
  /** performance.now() when the cell started. */
  readonly started: number;
}): Promise<Pick<CellResult<Result>, 'throughput' | 'rssIdle' | 'rssAfter' | 'loadAvgBefore' | 'loadAvgAfter' | 'durationMs'>> {
  const rssAfter = await readRss(cell.pidsPerNode);
  return {
    throughput: cell.throughput,
    rssIdle: cell.rssIdle,
    rssAfter,
    loadAvgBefore: cell.loadAvgBefore,
    loadAvgAfter: loadAverage(),
    durationMs: round(performance.now() - cell.started, 0),
  };
}
