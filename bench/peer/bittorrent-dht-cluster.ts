/**
 * A cluster of N bittorrent-dht node processes on loopback, the benchmark's side-by-side peer:
 * node-0 starts first with no bootstrap (a network of its own), the others join through node-0
 * and learn the rest from the lookups they make. `waitSettled` waits, with a deadline, until every
 * routing table holds min(N-1, 20) contacts and reports the time since the first process started.
 * Put and Get go through node i (`nodes[i]`); `stop` ends every process (SIGTERM, then SIGKILL),
 * and every process is killed too if the benchmark exits first (libs/runtime/stop-child.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../harness/wait-for.js';
import { PeerNodeProcess } from './peer-node-process.js';

/** bittorrent-dht's bucket size: a table of a larger cluster holds at least this many. */
export const PEER_K = 20;
const READY_TIMEOUT_MS = 10_000;
const STATS_TIMEOUT_MS = 2_000;

export interface SettleResult {
  readonly settled: boolean;
  /** From the first process start until settled (or until the deadline passed). */
  readonly settleMs: number;
  /** Contacts each table held at the end. */
  readonly contacts: readonly number[];
  /** min(N-1, 20). */
  readonly wanted: number;
}

export class BittorrentDhtCluster {
  private constructor(
    readonly nodes: readonly PeerNodeProcess[],
    readonly logDir: string,
    /** performance.now() when the first process was started. */
    readonly startedAt: number,
    /** From the first process start until every node's socket was bound. */
    readonly upMs: number,
  ) {}

  /**
   * Starts node-0, then the others at once, bootstrapped through it. `onStarted` gets each node
   * as soon as it is up, so a caller can stop what started if this is cut short.
   */
  static async start(options: {
    readonly nodes: number;
    readonly onStarted?: (node: PeerNodeProcess) => void;
  }): Promise<BittorrentDhtCluster> {
    if (!Number.isInteger(options.nodes) || options.nodes < 1) throw new Error(`a cluster needs at least one node, got ${options.nodes}`);
    const logDir = mkdtempSync(join(tmpdir(), 'bittorrent-dht-cluster-'));
    const started: PeerNodeProcess[] = [];
    const startedAt = performance.now();
    const startNode = async (index: number, bootstrap: readonly string[]): Promise<PeerNodeProcess> => {
      const node = await PeerNodeProcess.start({
        name: `node-${index}`,
        port: 0,
        bootstrap,
        logPath: join(logDir, `node-${index}.log`),
        readyTimeoutMs: READY_TIMEOUT_MS,
      });
      started.push(node);
      options.onStarted?.(node);
      return node;
    };
    try {
      const first = await startNode(0, []);
      // allSettled, not all: when one fails, the others have finished starting before they are stopped.
      const rest = await Promise.allSettled(Array.from({ length: options.nodes - 1 }, (_, i) => startNode(i + 1, [first.address])));
      const failed = rest.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      const up = rest.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      return new BittorrentDhtCluster([first, ...up], logDir, startedAt, performance.now() - startedAt);
    } catch (err) {
      await Promise.all(started.map((node) => node.stop()));
      throw err;
    }
  }

  /** Contacts in each node's routing table now. */
  contactCounts(): Promise<number[]> {
    return Promise.all(this.nodes.map((node) => node.contacts(STATS_TIMEOUT_MS)));
  }

  /** Waits until every table holds min(N-1, 20) contacts, or `timeoutMs` has passed. */
  async waitSettled(timeoutMs: number): Promise<SettleResult> {
    const wanted = Math.min(this.nodes.length - 1, PEER_K);
    let contacts: readonly number[] = [];
    const settled = await waitFor(
      `bittorrent-dht tables to hold ${wanted} contacts (logs in ${this.logDir})`,
      async () => {
        contacts = await this.contactCounts();
        return contacts.every((n) => n >= wanted);
      },
      { timeoutMs, intervalMs: 50 },
    ).then(
      () => true,
      () => false,
    );
    const settleMs = performance.now() - this.startedAt;
    if (!settled) contacts = await this.contactCounts().catch(() => contacts);
    return { settled, settleMs, contacts, wanted };
  }

  /** Each node's pid, in node order (the nodes that have one). */
  pids(): number[] {
    return this.nodes.flatMap((node) => (node.pid === undefined ? [] : [node.pid]));
  }

  /** SIGTERM to every node, SIGKILL to those still running after `graceMs`. */
  async stop(graceMs = 3_000): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop(graceMs)));
  }

  removeLogs(): void {
    rmSync(this.logDir, { recursive: true, force: true });
  }
}

/** The installed bittorrent-dht's version (its package.json, next to the module it exports). */
export function peerVersion(): string {
  try {
    const entry = fileURLToPath(import.meta.resolve('bittorrent-dht'));
    const manifest: unknown = JSON.parse(readFileSync(join(dirname(entry), 'package.json'), 'utf8'));
    if (typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string')
      return manifest.version;
  } catch {
    // Not installed where Node resolves it from here: the report says so.
  }
  return 'unknown';
}
