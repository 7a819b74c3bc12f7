/**
 * `npm run bench`: the cluster benchmark. For every build (this one, and the one in
 * --baseline when given), mode and cluster size it starts a nats-server and the node processes
 * on loopback, measures the floor, Put/Get latency, throughput, hops per Get and node RSS, and
 * writes bench/results/cluster-<timestamp>.json and bench/results/cluster.md. Then, unless
 * `--peer none`, it measures bittorrent-dht at every --nodes size with the same workload
 * (bench/measure-peer.ts), and the report sets the two side by side (bench/render-peer-markdown.ts).
 * `npm run bench -- --help` lists the flags (bench/parse-bench-args.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG } from '../libs/kademlia/index.js';
import { natsServerInstalled } from '../libs/runtime/index.js';
import { baselineLabel, buildInfo } from './build-info.js';
import type {
  BenchParameters,
  BenchReport,
  BuildInfo,
  ClusterFailure,
  ClusterMode,
  ClusterResult,
  WorkloadParameters,
} from './cluster-result.js';
import { loadAverage, machineInfo } from './machine-info.js';
import { measureCluster, type MeasureClusterOptions } from './measure-cluster.js';
import { measurePeer } from './measure-peer.js';
import { peerVersion } from './peer/bittorrent-dht-cluster.js';
import { PEER_NAME, type PeerFailure, type PeerReport, type PeerResult } from './peer/peer-result.js';
import { BENCH_USAGE, BenchArgsError, parseBenchArgs } from './parse-bench-args.js';
import { renderClusterMarkdown } from './render-cluster-markdown.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LOG_LEVEL = 'warn';

const running = new Set<() => Promise<void>>();

async function main(argv: readonly string[]): Promise<number> {
  const args = parseBenchArgs(argv);
  if (args.help) {
    console.log(BENCH_USAGE);
    return 0;
  }
  if (!natsServerInstalled()) throw new Error('nats-server is not on the PATH (apt-get install nats-server)');
  const runStart = performance.now();
  const loadAvgStart = loadAverage();
  const builds: BuildInfo[] = [];
  if (args.baseline) builds.push(buildInfo(baselineLabel(args.baseline), args.baseline));
  builds.push(buildInfo('current', PROJECT_ROOT));

  const k = args.k ?? DEFAULT_CONFIG.k;
  const alpha = args.alpha ?? Math.min(DEFAULT_CONFIG.alpha, k);
  const env: Record<string, string> = { KAD_LOG_LEVEL: LOG_LEVEL, KAD_K: String(k), KAD_ALPHA: String(alpha) };
  const parameters: BenchParameters = {
    k,
    alpha,
    nodes: args.nodes,
    modes: args.modes,
    splitNodes: args.modes.includes('split') ? args.splitNodes : [],
    ...workloadOf(args),
    logLevel: LOG_LEVEL,
  };
  const cells: { mode: ClusterMode; nodes: number }[] = [];
  for (const mode of args.modes) {
    const sizes = mode === 'split' ? args.splitNodes : args.nodes;
    for (const nodes of sizes) cells.push({ mode, nodes });
  }
  const notes: string[] = [];
  if (args.modes.includes('split') && args.splitNodesDefaulted && args.nodes.some((n) => !args.splitNodes.includes(n))) {
    notes.push(
      `split mode ran at N = ${args.splitNodes.join(', ')} only, the default (a split node is four processes: N = 32 split is 128); pass --split-nodes 8,32 to run it`,
    );
  }
  notes.push(
    'loadavg is the machine-wide 1/5/15-minute load: tests or simulations running beside the benchmark show up there and in the figures',
  );
  for (const note of notes) console.log(`note: ${note}`);

  const hooks: Pick<MeasureClusterOptions, 'log' | 'track'> = {
    log: (line) => console.log(line),
    track: (stop) => {
      running.add(stop);
      return () => running.delete(stop);
    },
  };
  const results: ClusterResult[] = [];
  const failures: ClusterFailure[] = [];
  for (const { mode, nodes } of cells) {
    for (const build of builds) {
      console.log(`${build.label}: ${mode}, ${nodes} nodes (load average ${loadAverage().join(' ')})`);
      await measureCell(
        () => measureCluster({ build, mode, nodes, k, env, ...workloadOf(args), ...hooks }),
        results,
        (error) => failures.push({ build: build.label, mode, nodes, error }),
      );
    }
  }

  const peerResults: PeerResult[] = [];
  const peerFailures: PeerFailure[] = [];
  if (args.peer === PEER_NAME) {
    for (const nodes of args.nodes) {
      console.log(`${PEER_NAME} ${peerVersion()}: ${nodes} nodes (load average ${loadAverage().join(' ')})`);
      await measureCell(
        () => measurePeer({ nodes, ...workloadOf(args), ...hooks }),
        peerResults,
        (error) => peerFailures.push({ peer: PEER_NAME, nodes, error }),
      );
    }
  }
  const peer: PeerReport | undefined =
    args.peer === PEER_NAME ? { name: PEER_NAME, version: peerVersion(), results: peerResults, failures: peerFailures } : undefined;

  const date = new Date();
  const report: BenchReport & { readonly peer?: PeerReport } = {
    date: date.toISOString(),
    runMs: Math.round(performance.now() - runStart),
    machine: machineInfo(loadAvgStart),
    parameters,
    builds,
    results,
    failures,
    notes,
    ...(peer ? { peer } : {}),
  };
  const outDir = resolve(args.outDir ?? join(PROJECT_ROOT, 'bench', 'results'));
  mkdirSync(outDir, { recursive: true });
  const name = args.name ?? date.toISOString().replace(/[:.]/g, '-');
  const jsonPath = join(outDir, `cluster-${name}.json`);
  const mdPath = join(outDir, 'cluster.md');
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  const command = ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' ');
  writeFileSync(
    mdPath,
    `${renderClusterMarkdown(report, command)}\nRaw figures: [${relative(outDir, jsonPath)}](${relative(outDir, jsonPath)}).\n`,
  );
  console.log(`wrote ${jsonPath} and ${mdPath} (${(report.runMs / 1000).toFixed(0)} s)`);
  return failures.length + peerFailures.length > 0 ? 1 : 0;
}

async function stopEverything(): Promise<void> {
  await Promise.all([...running].map((stop) => stop().catch(() => undefined)));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the cluster`);
    void stopEverything().finally(() => process.exit(130));
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof BenchArgsError) {
      console.error(`bench: ${err.message}\n\n${BENCH_USAGE}`);
      process.exit(2);
    }
    console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    void stopEverything().finally(() => process.exit(1));
  },
);

/** Measures one cell into `results`, or prints why it failed and hands that to `recordFailure`:
 * a failed cell does not stop the run. */
async function measureCell<Result>(
  measure: () => Promise<Result>,
  results: Result[],
  recordFailure: (error: string) => void,
): Promise<void> {
  try {
    results.push(await measure());
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    console.error(`  failed: ${error}`);
    recordFailure(error);
  }
}

/** The workload fields of the parsed flags. */
function workloadOf(args: WorkloadParameters): WorkloadParameters {
  const { records, valueBytes, ops, inFlight, durationMs, floorOps, warmupPerNode, phaseLimitMs, seed } = args;
  return { records, valueBytes, ops, inFlight, durationMs, floorOps, warmupPerNode, phaseLimitMs, seed };
}
