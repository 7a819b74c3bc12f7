/**
 * What the cluster benchmark measures of its side-by-side peer, bittorrent-dht (webtorrent's
 * Mainline DHT, one process per node): one `PeerResult` per cluster size, wrapped in the
 * `PeerReport` the JSON report carries as `peer` (next to the project's own `results`).
 * Latencies are milliseconds, memory KiB, like cluster-result.ts.
 */
import type { BenchReport, CellResult, ThroughputResult } from '../cluster-result.js';

export const PEER_NAME = 'bittorrent-dht';
export type PeerName = typeof PEER_NAME;
/** `--peer`: the peer to measure beside the project, or none. */
export type PeerChoice = PeerName | 'none';

export interface PeerThroughputResult extends ThroughputResult {
  /** Gets that came back without the value (or with one of another length); counted in `ok`. */
  readonly misses: number;
}

export interface PeerResult extends CellResult<PeerThroughputResult> {
  readonly peer: PeerName;
  readonly version: string;
  /** --value-bytes as asked, and as used: BEP 44 caps a value (bittorrent-dht: below 1000 bytes). */
  readonly valueBytesAsked: number;
  readonly valueBytes: number;
  /** From the first process start until every node's UDP socket was bound. */
  readonly upMs: number;
  /** From the first process start until every table held `tables.wanted` contacts (or the deadline). */
  readonly settleMs: number;
  readonly tables: { readonly settled: boolean; readonly wanted: number; readonly minContacts: number; readonly meanContacts: number };
  /** `records` asked, `stored` acknowledged by at least one replica; `meanStored`: replicas per Put. */
  readonly preload: {
    readonly records: number;
    readonly stored: number;
    readonly ms: number;
    readonly errors: number;
    readonly meanStored: number;
  };
  /** Replicas that acknowledged a sequential Put, on average. */
  readonly meanStoredPerPut: number;
  /** Sequential Puts acknowledged plus sequential Gets that found the value, over all attempted. */
  readonly successRate: number;
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
