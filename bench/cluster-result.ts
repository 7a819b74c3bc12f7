/**
 * The shapes the cluster benchmark measures and writes to bench/results/cluster-*.json: one
 * `ClusterResult` per (build, mode, N), wrapped in a `BenchReport` with the machine and the
 * parameters. Latencies are milliseconds, memory KiB.
 */
import type { BusPerOp } from './bus-messages.js';

/** `co-located-tls`: co-located nodes with mutual TLS between them and to the clients.
 * `co-located-observed`: co-located nodes with their HTTP port on (metrics counted), every
 * node's /metrics scraped every 5 s as a Prometheus would. */
export type ClusterMode = 'co-located' | 'co-located-tls' | 'co-located-observed' | 'split';
export const CLUSTER_MODES: readonly ClusterMode[] = ['co-located', 'co-located-tls', 'co-located-observed', 'split'];

export interface LatencyStats {
  readonly n: number;
  readonly errors: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

export interface ThroughputResult {
  readonly op: 'get' | 'put';
  readonly inFlight: number;
  /** Wall time from the first call to the last reply. */
  readonly elapsedMs: number;
  readonly ok: number;
  readonly errors: number;
  readonly opsPerSec: number;
  readonly latency: LatencyStats;
}

/** The cheapest round trips on this machine, measured against the cluster's own servers. */
export interface FloorResult {
  /** Peer.Ping with no sender on node-0 every time: gRPC only, no bus message. */
  readonly grpcPing: LatencyStats;
  /** The same ping to a random node of the cluster each time: the pattern of the workload's Gets,
   * which pays for waking a different process (cold caches) on every call. */
  readonly grpcPingSpread: LatencyStats;
  /** A NATS request to a plain responder on the cluster's nats-server. */
  readonly natsRequest: LatencyStats;
}

export interface RssResult {
  readonly totalKiB: number;
  readonly meanPerNodeKiB: number;
  readonly maxPerNodeKiB: number;
  /** One entry per node: the sum over its processes (four in split mode). */
  readonly perNodeKiB: readonly number[];
}

export interface HopsResult {
  readonly meanPeerRpcs: number;
  readonly meanLookupRounds: number;
  /** 1 (the client call) + mean lookup rounds. */
  readonly hops: number;
  /** Get p50 / (hops x bare gRPC p50 to a random node): the goal's figure. */
  readonly ratio: number;
  /** Get p50 / (hops x bare gRPC p50 to node-0 every time). */
  readonly ratioHot: number;
  /** False when the build's GetResponse has no peer_rpcs / lookup_rounds (they read as 0). */
  readonly known: boolean;
}

/**
 * The figures every cell reports, the project's (`ClusterResult`) and bittorrent-dht's
 * (`PeerResult`, bench/peer/peer-result.ts), so the report can set the two side by side.
 */
export interface CellResult<Throughput extends ThroughputResult = ThroughputResult> {
  readonly nodes: number;
  /** Node processes: one per node, four per split node. */
  readonly processes: number;
  readonly put: LatencyStats;
  /** CPU ms per sequential Put, every process of the cluster together (the project's: nats-server included). */
  readonly cpuPerPutMs: number;
  /** Sequential Gets: of preloaded keys through random nodes (the project's); one per sequential
   * Put, of that value, through another random node (the peer's). */
  readonly get: LatencyStats;
  /** The warm-up Gets (the first Gets a fresh cluster serves, through every node in turn), timed
   * but not counted in `get`. */
  readonly getCold: LatencyStats;
  /** Sequential Gets that came back not found or with another value (the peer's: of another length). */
  readonly getMisses: number;
  readonly throughput: readonly Throughput[];
  readonly rssIdle: RssResult;
  readonly rssAfter: RssResult;
  readonly loadAvgBefore: readonly number[];
  readonly loadAvgAfter: readonly number[];
  readonly durationMs: number;
  /** Phases stopped at --phase-limit-ms before doing all their calls (a very slow machine). */
  readonly cutShort: readonly string[];
}

export interface ClusterResult extends CellResult {
  readonly build: string;
  readonly mode: ClusterMode;
  readonly startupMs: number;
  readonly tables: { readonly settled: boolean; readonly minContacts: number; readonly meanContacts: number };
  /** `records` asked, `stored` acknowledged by at least one replica. */
  readonly preload: {
    readonly records: number;
    readonly stored: number;
    readonly ms: number;
    readonly errors: number;
    readonly meanAcknowledged: number;
  };
  readonly floor: FloorResult;
  /** Bus messages per sequential Put, the whole cluster's (nats-server's and in process). */
  readonly busPerPut: BusPerOp;
  /** `get` split: answered from the entry node's own store, and with a FIND_VALUE lookup. */
  readonly getLocal: LatencyStats;
  readonly getLookedUp: LatencyStats;
  readonly hops: HopsResult;
}

export interface ClusterFailure {
  readonly build: string;
  readonly mode: ClusterMode;
  readonly nodes: number;
  readonly error: string;
}

export interface BuildInfo {
  readonly label: string;
  readonly dir: string;
  readonly cliPath: string;
  readonly revision: string | undefined;
  /** Whether the build's GetResponse reports peer_rpcs and lookup_rounds. */
  readonly reportsHops: boolean;
  /** The node flags the build runs its node processes with. */
  readonly nodeFlags: readonly string[];
}

export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryMiB: number;
  readonly os: string;
  readonly node: string;
  readonly natsServer: string;
  readonly loadAvgStart: readonly number[];
  readonly loadAvgEnd: readonly number[];
}

/** The workload every cluster of a run gets (one definition for the flags, the cells and the report). */
export interface WorkloadParameters {
  readonly records: number;
  readonly valueBytes: number;
  readonly ops: number;
  readonly inFlight: readonly number[];
  readonly durationMs: number;
  readonly floorOps: number;
  /** Untimed Gets per node before the timed phases, so V8 has optimised each node's Get path. */
  readonly warmupPerNode: number;
  readonly phaseLimitMs: number;
  readonly seed: number;
}

export interface BenchParameters extends WorkloadParameters {
  readonly k: number;
  readonly alpha: number;
  readonly nodes: readonly number[];
  readonly modes: readonly ClusterMode[];
  readonly splitNodes: readonly number[];
  readonly logLevel: string;
}

export interface BenchReport {
  readonly date: string;
  readonly runMs: number;
  readonly machine: MachineInfo;
  readonly parameters: BenchParameters;
  readonly builds: readonly BuildInfo[];
  readonly results: readonly ClusterResult[];
  readonly failures: readonly ClusterFailure[];
  readonly notes: readonly string[];
}
