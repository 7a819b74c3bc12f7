/**
 * Every scenario at one network size, in this order (the dead-entry rows leave the tables as they
 * found them; the churn rows change them, so they come last, heavy churn on a fresh network):
 * ideal tables; 30% and 50% dead nodes, each with the default lookup deadline and unbounded;
 * light churn; heavy churn (skipped when its changed tables would not fit the table budget).
 */
import { DEFAULT_CONFIG } from '../../libs/kademlia/index.js';
import { checkAgainst, findBaseline } from './baselines-1c.js';
import { createWorld, type SimWorld } from './create-world.js';
import type { LatencyOptions } from './latency-model.js';
import { measureTableBytes } from './measure-table-bytes.js';
import type { SimArgs } from './parse-sim-args.js';
import { runChurnScenario, type ChurnOptions } from './run-churn-scenario.js';
import { runDeadEntryScenario } from './run-dead-entry-scenario.js';
import type { LookupParameters } from './run-sim-lookup.js';
import type { ScenarioRow, SizeStats } from './sim-report.js';

/** Virtual time between churn epochs. */
export const CHURN_EPOCH_MS = 10 * 60 * 1000;
/** "No deadline": longer than any lookup can take. */
const UNBOUNDED_MS = 1_000_000_000;
/** Tables measured to price one table. */
const MEASURE_SAMPLE = 300;
/** Rough tables a join and a measured lookup touch (answering nodes and the source). */
const TABLES_PER_JOIN = 27;
const TABLES_PER_LOOKUP = 50;

const MIB = 1024 * 1024;

function gcNow(): void {
  const gc: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof gc === 'function') gc();
}

function heapUsed(): number {
  gcNow();
  return process.memoryUsage().heapUsed;
}

export interface SizeResult {
  readonly size: SizeStats;
  readonly rows: ScenarioRow[];
}

export async function runSize(n: number, args: SimArgs, latency: LatencyOptions, log: (line: string) => void): Promise<SizeResult> {
  const started = performance.now();
  const params: LookupParameters = {
    k: args.k,
    alpha: args.alpha,
    rpcTimeoutMs: DEFAULT_CONFIG.rpcTimeoutMs,
    lookupTimeoutMs: DEFAULT_CONFIG.lookupTimeoutMs,
  };
  const heapBefore = heapUsed();
  const probe = createWorld(n, args.seed, args.k, 0);
  const networkBytesPerNode = (heapUsed() - heapBefore) / n;
  const table = measureTableBytes(probe, MEASURE_SAMPLE);
  const tableCapacity = Math.max(1, Math.floor((args.tableBudgetMib * MIB) / Math.max(1, table.bytesPerTable)));
  const world = createWorld(n, args.seed, args.k, tableCapacity);
  log(
    `N=${n}: ${table.entriesPerTable.toFixed(0)} contacts and ${(table.bytesPerTable / 1024).toFixed(1)} KiB per ideal table; keeping at most ${tableCapacity} tables built`,
  );

  const rows: ScenarioRow[] = [];
  const timed = async (target: SimWorld, make: () => Promise<Omit<ScenarioRow, 'wallSeconds'>>): Promise<void> => {
    const t0 = performance.now();
    const row = { ...(await make()), wallSeconds: (performance.now() - t0) / 1000 };
    rows.push(row);
    const s = row.summary;
    log(
      s
        ? `  ${row.scenario}: rounds ${s.rounds.p50}/${s.rounds.p90}, RPCs ${s.rpcs.p50}/${s.rpcs.p90}, exact ${(100 * s.exactRate).toFixed(1)}%, overlap ${(100 * s.overlapMean).toFixed(1)}% (${row.wallSeconds.toFixed(1)} s, ${target.tables.held()} tables held)`
        : `  ${row.scenario}: skipped (${row.skipped ?? ''})`,
    );
  };

  const dead = (fraction: number, bounded: boolean): Promise<void> =>
    timed(world, async () => {
      const lookupTimeoutMs = bounded ? params.lookupTimeoutMs : UNBOUNDED_MS;
      const summary = await runDeadEntryScenario(world, {
        deadFraction: fraction,
        lookups: args.lookups,
        params: { ...params, lookupTimeoutMs },
        latency,
      });
      const baseline = findBaseline(n, args.k, args.alpha, fraction);
      const label = fraction === 0 ? 'ideal' : `dead ${Math.round(fraction * 100)}%${bounded ? '' : ', no deadline'}`;
      return {
        n,
        scenario: label,
        kind: fraction === 0 ? 'ideal' : 'dead',
        deadFraction: fraction,
        lookupTimeoutMs: bounded ? lookupTimeoutMs : null,
        summary,
        ...(baseline ? { baseline, check: checkAgainst(baseline, summary) } : {}),
      };
    });
  await dead(0, true);
  for (const fraction of [0.3, 0.5]) {
    await dead(fraction, true);
    await dead(fraction, false);
  }

  const churnOptions = (rate: number): ChurnOptions => ({
    epochs: args.churnEpochs,
    rate,
    epochMs: CHURN_EPOCH_MS,
    lookups: args.lookups,
    records: args.records,
    params,
    latency,
    recordRules: DEFAULT_CONFIG,
  });
  const churn = (target: SimWorld, rate: number): Promise<void> =>
    timed(target, async () => {
      const { lookups: summary, ...details } = await runChurnScenario(target, churnOptions(rate));
      return {
        n,
        scenario: `churn ${+(rate * 100).toFixed(2)}%×${args.churnEpochs}`,
        kind: 'churn',
        deadFraction: 0,
        lookupTimeoutMs: params.lookupTimeoutMs,
        summary,
        churn: details,
      };
    });
  await churn(world, args.churnRate);
  const pinnedAfterChurn = world.tables.pinnedCount();
  const built = { ...world.tables.stats };

  if (args.heavyChurnRate > 0) {
    const joins = n * args.heavyChurnRate * args.churnEpochs;
    const touched = n * (1 - Math.exp(-(joins * TABLES_PER_JOIN + args.lookups * TABLES_PER_LOOKUP) / n)) + joins;
    const needMib = (touched * table.bytesPerTable) / MIB;
    if (touched > tableCapacity) {
      rows.push({
        n,
        scenario: `churn ${+(args.heavyChurnRate * 100).toFixed(2)}%×${args.churnEpochs}`,
        kind: 'churn',
        deadFraction: 0,
        lookupTimeoutMs: params.lookupTimeoutMs,
        skipped: `would change about ${Math.round(touched)} tables, about ${Math.round(needMib)} MiB, over the ${args.tableBudgetMib} MiB table budget`,
        wallSeconds: 0,
      });
      log(`  heavy churn skipped: about ${Math.round(needMib)} MiB of changed tables`);
    } else {
      await churn(createWorld(n, args.seed, args.k, tableCapacity), args.heavyChurnRate);
    }
  }

  const size: SizeStats = {
    n,
    table,
    networkBytesPerNode,
    eagerTablesMiB: (n * table.bytesPerTable) / MIB,
    tableCapacity,
    tablesBuilt: built.built,
    tablesRebuilt: built.rebuilt,
    peakTablesHeld: built.peakHeld,
    pinnedAfterChurn,
    heapUsedMiB: process.memoryUsage().heapUsed / MIB,
    wallSeconds: (performance.now() - started) / 1000,
  };
  return { size, rows };
}
