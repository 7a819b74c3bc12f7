/**
 * The shape of one `npm run sim` run: one row per (network size, scenario), per-size memory and
 * time figures, and how the run was made. Written to sim.json as is; sim.md and sim.svg are
 * rendered from it.
 */
import type { BaselineCheck, Baseline } from './baselines-1c.js';
import type { LatencyOptions } from './latency-model.js';
import type { TableBytes } from './measure-table-bytes.js';
import type { SimArgs } from './parse-sim-args.js';
import type { ChurnResult } from './run-churn-scenario.js';
import type { LookupSummary } from './summarize-lookups.js';

export type ScenarioKind = 'ideal' | 'dead' | 'churn';

export interface ScenarioRow {
  readonly n: number;
  /** Short label, e.g. "dead 30%, no deadline". */
  readonly scenario: string;
  readonly kind: ScenarioKind;
  readonly deadFraction: number;
  /** Lookup deadline on the virtual clock; null when unbounded. */
  readonly lookupTimeoutMs: number | null;
  /** Absent when the row was skipped. */
  readonly summary?: LookupSummary;
  readonly skipped?: string;
  readonly baseline?: Baseline;
  readonly check?: BaselineCheck;
  readonly churn?: Omit<ChurnResult, 'lookups'>;
  readonly wallSeconds: number;
}

export interface SizeStats {
  readonly n: number;
  readonly table: TableBytes;
  /** Heap of the network itself (ids, contacts, index), per node. */
  readonly networkBytesPerNode: number;
  /** Heap all N ideal tables would take if built at once. */
  readonly eagerTablesMiB: number;
  /** Most tables the cache keeps built (from --table-budget-mib). */
  readonly tableCapacity: number;
  readonly tablesBuilt: number;
  readonly tablesRebuilt: number;
  readonly peakTablesHeld: number;
  readonly pinnedAfterChurn: number;
  readonly heapUsedMiB: number;
  readonly wallSeconds: number;
}

export interface SimReport {
  readonly generatedAt: string;
  readonly command: string;
  readonly args: SimArgs;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly totalMemMiB: number;
    readonly node: string;
    readonly platform: string;
  };
  readonly params: {
    readonly k: number;
    readonly alpha: number;
    readonly rpcTimeoutMs: number;
    readonly lookupTimeoutMs: number;
    readonly latency: LatencyOptions;
    readonly churnEpochMs: number;
  };
  readonly sizes: SizeStats[];
  readonly rows: ScenarioRow[];
  readonly wallSeconds: number;
  /** User + system CPU time of the process (wall time also counts waiting for a busy machine). */
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
  readonly heapLimitMiB: number;
}
