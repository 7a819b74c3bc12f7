/**
 * What the cluster benchmark measures of its side-by-side peer, bittorrent-dht (webtorrent's
 * Mainline DHT, one process per node): one `PeerResult` per cluster size, wrapped in the
 * `PeerReport` the JSON report carries as `peer` (next to the project's own `results`).
 * Latencies are milliseconds, memory KiB, like cluster-result.ts.
 */
import type { BenchReport, LatencyStats, RssResult, ThroughputResult } from '../cluster-result.js';

export const PEER_NAME = 'bittorrent-dht';
export type PeerName = typeof PEER_NAME;
/** `--peer`: the peer to measure beside the project, or none. */
export type PeerChoice = PeerName | 'none';

export interface PeerThroughputResult extends ThroughputResult {
  /** Gets that came back without the value (or with one of another length); counted in `ok`. */
  readonly misses: number;
}

export interface PeerResult {
  readonly peer: PeerName;
  readonly version: string;
  readonly nodes: number;
  readonly processes: number;
  /** --value-bytes as asked, and as used: BEP 44 caps a value (bittorrent-dht: below 1000 bytes). */
  readonly valueBytesAsked: number;
  readonly valueBytes: number;
  /** From the first process start until every node's UDP socket was bound. */
  readonly upMs: number;
  /** From the first process start until every table held `tables.wanted` contacts (or the deadline). */
  readonly settleMs: number;
  readonly tables: { readonly settled: boolean; readonly wanted: number; readonly minContacts: number; readonly meanContacts: number };
  /** `records` asked, `stored` acknowledged by at least one replica; `meanStored`: replicas per Put. */
  readonly preload: { readonly records: number; readonly stored: number; readonly ms: number; readonly errors: number; readonly meanStored: number };
  /** The warm-up Gets (preloaded values through every node in turn), timed apart. */
  readonly getCold: LatencyStats;
  readonly put: LatencyStats;
  /** Replicas that acknowledged a sequential Put, on average. */
  readonly meanStoredPerPut: number;
  /** CPU ms per sequential Put, every node process together. */
  readonly cpuPerPutMs: number;
  /** One Get per sequential Put, of that value, through another random node. */
  readonly get: LatencyStats;
  /** Sequential Gets that came back without the value (or with one of another length). */
  readonly getMisses: number;
  /** Sequential Puts acknowledged plus sequential Gets that found the value, over all attempted. */
  readonly successRate: number;
  readonly throughput: readonly PeerThroughputResult[];
  readonly rssIdle: RssResult;
  readonly rssAfter: RssResult;
  readonly loadAvgBefore: readonly number[];
  readonly loadAvgAfter: readonly number[];
  readonly durationMs: number;
  /** Phases stopped at --phase-limit-ms before doing all their calls. */
  readonly cutShort: readonly string[];
}

export interface PeerFailure {
  readonly peer: PeerName;
  readonly nodes: number;
  readonly error: string;
}

export interface PeerReport {
  readonly name: PeerName;
  readonly version: string;
  readonly results: readonly PeerResult[];
  readonly failures: readonly PeerFailure[];
}

/** A bench report that measured the peer too. */
export type BenchReportWithPeer = BenchReport & { readonly peer: PeerReport };

export function hasPeer(report: BenchReport): report is BenchReportWithPeer {
  if (!('peer' in report)) return false;
  const peer: unknown = report.peer;
  return typeof peer === 'object' && peer !== null && 'results' in peer && Array.isArray(peer.results);
}
