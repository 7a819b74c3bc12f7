/**
 * The benchmark's side-by-side peer at one cluster size: N bittorrent-dht node processes
 * (bench/peer/bittorrent-dht-cluster.ts), then the workload `measureCluster` runs against the
 * project's nodes, in the same order: the preload, a Get warm-up, sequential Puts through random
 * nodes (with the CPU they cost every node process), one Get per Put of its value through another
 * random node, throughput at each in-flight level (Get, then Put) and RSS per node; then
 * everything stopped. Values are min(--value-bytes, 999) bytes: BEP 44's cap. Returns a `PeerResult`.
 */
import { cellEnd, throughputPhases } from './cell-common.js';
import type { WorkloadParameters } from './cluster-result.js';
import { round } from './latency-stats.js';
import { loadAverage } from './machine-info.js';
import { BittorrentDhtCluster, peerVersion } from './peer/bittorrent-dht-cluster.js';
import type { PeerNodeProcess } from './peer/peer-node-process.js';
import { MAX_VALUE_BYTES } from './peer/peer-protocol.js';
import { PEER_NAME, type PeerResult } from './peer/peer-result.js';
import { PeerWorkload } from './peer/peer-workload.js';
import { readCpuMsOf } from './read-cpu.js';
import { readRss } from './read-rss.js';

export interface MeasurePeerOptions extends WorkloadParameters {
  readonly nodes: number;
  /** Progress lines for the console. */
  readonly log: (line: string) => void;
  /** Registers a stop function while something is running (for Ctrl-C); returns its remover. */
  readonly track: (stop: () => Promise<void>) => () => void;
}

/** As long as measureCluster waits for the project's tables. */
const SETTLE_TIMEOUT_MS = 20_000;

export async function measurePeer(options: MeasurePeerOptions): Promise<PeerResult> {
  const { nodes, log } = options;
  const loadAvgBefore = loadAverage();
  const started = performance.now();
  const valueBytes = Math.min(options.valueBytes, MAX_VALUE_BYTES);
  const starting: PeerNodeProcess[] = [];
  let cluster: BittorrentDhtCluster | undefined;
  const untrack = options.track(async () => {
    await (cluster ? cluster.stop() : Promise.all(starting.map((node) => node.stop())));
  });
  let keepLogs = true;
  try {
    cluster = await BittorrentDhtCluster.start({ nodes, onStarted: (node) => starting.push(node) });
    // An unsettled cluster is measured anyway, and the report says so.
    const settle = await cluster.waitSettled(SETTLE_TIMEOUT_MS);
    const minContacts = Math.min(...settle.contacts);
    log(
      `  ${nodes} processes up in ${(cluster.upMs / 1000).toFixed(1)} s, tables settled in ${(settle.settleMs / 1000).toFixed(1)} s; contacts min ${minContacts} of ${settle.wanted}${settle.settled ? '' : ' (not settled within the deadline)'}`,
    );
    const pids = cluster.pids();
    const pidsPerNode = pids.map((pid) => [pid]);
    const rssIdle = await readRss(pidsPerNode);

    const workload = new PeerWorkload(cluster.nodes, valueBytes, options.seed);
    const preload = await workload.preload(options.records, options.phaseLimitMs);
    log(
      `  preloaded ${preload.stored}/${options.records} values of ${valueBytes} B in ${(preload.ms / 1000).toFixed(1)} s (${preload.meanStored} replicas each)`,
    );
    const cold = await workload.warmUpGets(options.warmupPerNode * nodes, options.phaseLimitMs);
    if (options.warmupPerNode > 0) log(`  warm-up: ${cold.n} Gets, p50 ${cold.p50} ms`);
    const cpuBefore = await readCpuMsOf(pids);
    const put = await workload.sequentialPuts(options.ops, options.phaseLimitMs);
    const attemptedPuts = put.latency.n + put.latency.errors;
    const cpuPerPutMs = round((await readCpuMsOf(pids)) - cpuBefore, 0) / Math.max(1, attemptedPuts);
    log(`  CPU per Put ${round(cpuPerPutMs, 1)} ms (every node process); ${put.meanStored} replicas per Put`);
    const gets = await workload.sequentialGets(options.phaseLimitMs);
    const attemptedGets = gets.latency.n + gets.latency.errors;
    const cutShort = [
      ...(preload.stored + preload.errors < options.records
        ? [`preload: ${preload.stored + preload.errors} of ${options.records} values`]
        : []),
      ...(attemptedPuts < options.ops ? [`sequential Puts: ${attemptedPuts} of ${options.ops}`] : []),
      ...(attemptedGets < put.latency.n ? [`sequential Gets: ${attemptedGets} of ${put.latency.n}`] : []),
    ];
    for (const cut of cutShort) log(`  cut short at ${options.phaseLimitMs / 1000} s: ${cut}`);
    log(`  one at a time: Put p50 ${put.latency.p50} ms, Get p50 ${gets.latency.p50} ms, ${gets.misses} misses`);
    const throughput = await throughputPhases(workload, options, log, (result) => (result.op === 'get' ? `, ${result.misses} misses` : ''));
    const end = await cellEnd({ throughput, rssIdle, pidsPerNode, loadAvgBefore, started });
    const attempted = attemptedPuts + attemptedGets;
    keepLogs = false;
    return {
      peer: PEER_NAME,
      version: peerVersion(),
      nodes,
      processes: cluster.nodes.length,
      valueBytesAsked: options.valueBytes,
      valueBytes,
      upMs: round(cluster.upMs, 0),
      settleMs: round(settle.settleMs, 0),
      tables: {
        settled: settle.settled,
        wanted: settle.wanted,
        minContacts,
        meanContacts: round(settle.contacts.reduce((a, b) => a + b, 0) / settle.contacts.length, 1),
      },
      preload: { records: options.records, ...preload },
      getCold: cold,
      put: put.latency,
      meanStoredPerPut: put.meanStored,
      cpuPerPutMs: round(cpuPerPutMs, 1),
      get: gets.latency,
      getMisses: gets.misses,
      successRate: round(attempted === 0 ? NaN : (put.latency.n + gets.latency.n - gets.misses) / attempted, 4),
      ...end,
      cutShort,
    };
  } finally {
    if (keepLogs && cluster) log(`  node logs kept in ${cluster.logDir}`);
    await (cluster ? cluster.stop() : Promise.all(starting.map((node) => node.stop())));
    if (cluster && !keepLogs) cluster.removeLogs();
    untrack();
  }
}
