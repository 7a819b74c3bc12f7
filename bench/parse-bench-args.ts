/**
 * Flags of `npm run bench` (dist/bench/cluster-bench.js). Split mode runs only at the sizes in
 * --split-nodes; by default those are the --nodes sizes of at most 8 nodes, because a split node
 * is four processes (N = 32 split is 128 processes): pass `--split-nodes 8,32` to run it.
 * --peer names the DHT measured beside the project at every --nodes size (bittorrent-dht, or none).
 */
import { parseArgs } from 'node:util';
import { CLUSTER_MODES, type ClusterMode, type WorkloadParameters } from './cluster-result.js';
import { PEER_NAME, type PeerChoice } from './peer/peer-result.js';

export interface BenchArgs extends WorkloadParameters {
  readonly nodes: readonly number[];
  readonly modes: readonly ClusterMode[];
  readonly splitNodes: readonly number[];
  /** True when --split-nodes was left to its default. */
  readonly splitNodesDefaulted: boolean;
  readonly k: number | undefined;
  readonly alpha: number | undefined;
  readonly baseline: string | undefined;
  readonly outDir: string | undefined;
  readonly name: string | undefined;
  /** The DHT measured beside the project at every --nodes size, or none. */
  readonly peer: PeerChoice;
  readonly help: boolean;
}

export const DEFAULT_SPLIT_MAX_NODES = 8;

export const BENCH_USAGE = `usage: npm run bench -- [flags]
  --nodes 8,32                cluster sizes (default 8,32)
  --modes co-located,split    node layouts (default both); co-located-tls: co-located with mutual
                              TLS between nodes and to clients (what TLS costs); co-located-observed:
                              co-located with every node's HTTP port on and scraped every 5 s
                              (what metrics cost)
  --split-nodes 8             sizes that also run split (default: the --nodes sizes <= ${DEFAULT_SPLIT_MAX_NODES};
                              N=32 split is 128 processes: pass --split-nodes 8,32 to run it)
  --records 500               records preloaded before measuring
  --value-bytes 100           value size
  --ops 300                   Puts and Gets measured one at a time
  --in-flight 16,64           concurrency of the throughput runs
  --duration-ms 3000          length of each throughput run
  --floor-ops 500             bare gRPC / NATS round trips measured one at a time
  --warmup-per-node 50        untimed Gets per node before the timed phases (0: none); the first
                              calls a fresh node serves run before V8 has optimised its code
  --phase-limit-ms 40000      cut the preload and each one-at-a-time phase short after this long
                              (a safety net for a loaded machine; the results say when it cut)
  --seed 1                    PRNG seed (node choice, keys, values)
  --k N --alpha N             node parameters (default: the nodes' own, 20 and 3)
  --baseline <dir>            also measure another build (<dir>/dist, <dir>/node_modules)
  --out <dir>                 results directory (default bench/results)
  --name <name>               JSON file name cluster-<name>.json (default: a timestamp)
  --peer bittorrent-dht|none  also measure bittorrent-dht (webtorrent's Mainline DHT, UDP, one process
                              per node) at every --nodes size, after the project's cells, with the same
                              workload (values capped at BEP 44's 999 bytes), and report the ratios
                              (default bittorrent-dht)`;

export class BenchArgsError extends Error {}

const FLAGS = {
  nodes: { type: 'string' },
  modes: { type: 'string' },
  'split-nodes': { type: 'string' },
  records: { type: 'string' },
  'value-bytes': { type: 'string' },
  ops: { type: 'string' },
  'in-flight': { type: 'string' },
  'duration-ms': { type: 'string' },
  'floor-ops': { type: 'string' },
  'warmup-per-node': { type: 'string' },
  'phase-limit-ms': { type: 'string' },
  seed: { type: 'string' },
  k: { type: 'string' },
  alpha: { type: 'string' },
  baseline: { type: 'string' },
  out: { type: 'string' },
  name: { type: 'string' },
  peer: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** node:util's parseArgs, with its errors (an unknown flag, a missing value) as BenchArgsError. */
function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], strict: true, options: FLAGS });
  } catch (err) {
    throw new BenchArgsError((err as Error).message);
  }
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseFlags(argv);
  const nodes = intList('nodes', values.nodes ?? '8,32');
  const modes = modeList(values.modes ?? 'co-located,split');
  const splitNodesDefaulted = values['split-nodes'] === undefined;
  const splitNodes = splitNodesDefaulted
    ? nodes.filter((n) => n <= DEFAULT_SPLIT_MAX_NODES)
    : intList('split-nodes', values['split-nodes'] ?? '');
  if (modes.includes('split') && splitNodes.length === 0) {
    throw new BenchArgsError(`split mode runs at no size: every --nodes size is above ${DEFAULT_SPLIT_MAX_NODES}; pass --split-nodes`);
  }
  return {
    nodes,
    modes,
    splitNodes,
    splitNodesDefaulted,
    records: int('records', values.records ?? '500'),
    valueBytes: int('value-bytes', values['value-bytes'] ?? '100'),
    ops: int('ops', values.ops ?? '300'),
    inFlight: intList('in-flight', values['in-flight'] ?? '16,64'),
    durationMs: int('duration-ms', values['duration-ms'] ?? '3000'),
    floorOps: int('floor-ops', values['floor-ops'] ?? '500'),
    warmupPerNode: int('warmup-per-node', values['warmup-per-node'] ?? '50', 0),
    phaseLimitMs: int('phase-limit-ms', values['phase-limit-ms'] ?? '40000'),
    seed: int('seed', values.seed ?? '1'),
    k: values.k === undefined ? undefined : int('k', values.k),
    alpha: values.alpha === undefined ? undefined : int('alpha', values.alpha),
    baseline: values.baseline,
    outDir: values.out,
    name: values.name,
    peer: peerChoice(values.peer ?? PEER_NAME),
    help: values.help === true,
  };
}

function int(flag: string, raw: string, min = 1): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new BenchArgsError(`--${flag} must be an integer of at least ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

function intList(flag: string, raw: string): number[] {
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => int(flag, s));
  if (list.length === 0) throw new BenchArgsError(`--${flag} needs at least one value`);
  return [...new Set(list)];
}

function modeList(raw: string): ClusterMode[] {
  const modes = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const valid: ClusterMode[] = [];
  for (const mode of modes) {
    const known = CLUSTER_MODES.find((m) => m === mode);
    if (!known) throw new BenchArgsError(`--modes takes ${CLUSTER_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
    if (!valid.includes(known)) valid.push(known);
  }
  if (valid.length === 0) throw new BenchArgsError('--modes needs at least one mode');
  return valid;
}

function peerChoice(raw: string): PeerChoice {
  if (raw === PEER_NAME || raw === 'none') return raw;
  throw new BenchArgsError(`--peer takes ${PEER_NAME} or none, got ${JSON.stringify(raw)}`);
}
