/**
 * One benchmark cell: a fresh nats-server and N nodes of one build in one mode, then the
 * preload, a Get warm-up, sequential Puts, the floor, sequential Gets, throughput at each
 * in-flight level and node RSS, then everything stopped. Returns one `ClusterResult`.
 */
import { rmSync } from 'node:fs';
import { startNatsServer, type NatsServerProcess } from '../libs/runtime/index.js';
import { ProcessCluster } from '../harness/process-cluster.js';
import { cellEnd, throughputPhases } from './cell-common.js';
import type { BuildInfo, ClusterMode, ClusterResult, WorkloadParameters } from './cluster-result.js';
import { busPerOp, countBusMessages } from './bus-messages.js';
import { ClusterWorkload } from './cluster-workload.js';
import { round } from './latency-stats.js';
import { loadAverage } from './machine-info.js';
import type { ClientTlsOptions } from '../libs/client/index.js';
import {
  clientCertificate,
  makeCa,
  nodeCertificate,
  removeCa,
  tlsEnv,
  type CertificateAuthority,
  type IssuedCertificate,
} from '../harness/certificates.js';
import { measureFloor } from './measure-floor.js';
import { readCpuMsOf } from './read-cpu.js';
import { readRss } from './read-rss.js';

export interface MeasureClusterOptions extends WorkloadParameters {
  readonly build: BuildInfo;
  readonly mode: ClusterMode;
  readonly nodes: number;
  readonly k: number;
  /** KAD_* settings for every node. */
  readonly env: Readonly<Record<string, string>>;
  /** Progress lines for the console. */
  readonly log: (line: string) => void;
  /** Registers a stop function while something is running (for Ctrl-C); returns its remover. */
  readonly track: (stop: () => Promise<void>) => () => void;
}

const TABLES_TIMEOUT_MS = 20_000;

export async function measureCluster(options: MeasureClusterOptions): Promise<ClusterResult> {
  const { build, mode, nodes, log } = options;
  const loadAvgBefore = loadAverage();
  const started = performance.now();
  let nats: NatsServerProcess | undefined;
  let cluster: ProcessCluster | undefined;
  const untrack = options.track(async () => {
    await cluster?.stop();
    await nats?.stop();
  });
  let keepLogs = true;
  let pki: ReturnType<typeof clusterPki> | undefined;
  let scraper: { stop(): Promise<number> } | undefined;
  try {
    nats = await startNatsServer({ monitor: true });
    const split = mode === 'split' ? Array.from({ length: nodes }, (_, i) => i) : [];
    // Mutual TLS: a CA of its own for the cell, a certificate per node (its key is the node's
    // identity) and one for the benchmark's clients.
    pki = mode === 'co-located-tls' ? clusterPki(nodes) : undefined;
    const tls = pki ? { nodeEnv: (i: number) => tlsEnv(pki!.nodes[i]!), clientTls: pki.client } : {};
    const observed = mode === 'co-located-observed';
    cluster = await ProcessCluster.start({
      cli: build.cliPath,
      nodeFlags: build.nodeFlags,
      nodes,
      split,
      natsUrl: nats.url,
      env: options.env,
      http: observed,
      ...tls,
    });
    if (observed)
      scraper = scrapeEvery(
        SCRAPE_EVERY_MS,
        cluster.nodes.flatMap((n) => n.httpAddresses),
      );
    const startupMs = round(performance.now() - started, 0);
    // An unsettled cluster is measured anyway, and the report says so.
    const settled = await cluster.waitForTables(Math.min(nodes - 1, options.k), cluster.nodes, TABLES_TIMEOUT_MS).then(
      () => true,
      () => false,
    );
    const contacts = await cluster.contactCounts();
    log(
      `  ${cluster.processCount} processes up in ${(startupMs / 1000).toFixed(1)} s; contacts min ${Math.min(...contacts)} of ${nodes - 1}${settled ? '' : ' (tables not settled within the deadline)'}`,
    );
    const rssIdle = await readRss(cluster.pidsPerNode());

    const workload = new ClusterWorkload(
      cluster.nodes.map((node) => node.client),
      options.valueBytes,
      options.seed,
    );
    const preload = await workload.preload(options.records, options.phaseLimitMs);
    log(`  preloaded ${preload.stored}/${options.records} records in ${(preload.ms / 1000).toFixed(1)} s`);
    // Warm-up: the first Gets a fresh node serves run before V8 has optimised its code (about
    // twice as slow at 32 nodes); they are timed and reported apart, not counted in `get`.
    const cold = await workload.sequentialGets(options.warmupPerNode * nodes, options.phaseLimitMs, true);
    if (options.warmupPerNode > 0) log(`  warm-up: ${cold.latency.n} Gets, p50 ${cold.latency.p50} ms`);
    const clients = cluster.nodes.map((node) => node.client);
    const everyPid = [...cluster.pidsPerNode().flat(), ...(nats.process.pid === undefined ? [] : [nats.process.pid])];
    const busBefore = await countBusMessages(clients, nats.monitorUrl!);
    const cpuBefore = await readCpuMsOf(everyPid);
    const put = await workload.sequentialPuts(options.ops, options.phaseLimitMs);
    const cpuPerPutMs = round((await readCpuMsOf(everyPid)) - cpuBefore, 0) / Math.max(1, put.n + put.errors);
    const busPerPut = busPerOp(busBefore, await countBusMessages(clients, nats.monitorUrl!), put.n + put.errors);
    log(
      `  bus messages per Put: ${busPerPut.total} (${busPerPut.overNats} through nats-server, ${busPerPut.inProcess} in process); CPU per Put ${round(cpuPerPutMs, 1)} ms (every process, nats-server included)`,
    );
    // The floor right before the Gets it is compared with, so both see the same machine (just
    // after start the nodes are still refreshing their buckets, which slows a ping too).
    const floor = await measureFloor(
      cluster.nodes.map((node) => node.address),
      nats.url,
      options.floorOps,
      options.seed,
      undefined,
      pki?.client,
    );
    log(
      `  floor: gRPC ping p50 ${floor.grpcPing.p50} ms (node-0), ${floor.grpcPingSpread.p50} ms (random node); NATS request p50 ${floor.natsRequest.p50} ms`,
    );
    const gets = await workload.sequentialGets(options.ops, options.phaseLimitMs);
    const cutShort = [
      ...(preload.stored + preload.errors < options.records ? [`preload: ${preload.stored} of ${options.records} records`] : []),
      ...(put.n + put.errors < options.ops ? [`sequential Puts: ${put.n + put.errors} of ${options.ops}`] : []),
      ...(gets.latency.n + gets.latency.errors < options.ops
        ? [`sequential Gets: ${gets.latency.n + gets.latency.errors} of ${options.ops}`]
        : []),
    ];
    for (const cut of cutShort) log(`  cut short at ${options.phaseLimitMs / 1000} s: ${cut}`);
    log(`  one at a time: Put p50 ${put.p50} ms, Get p50 ${gets.latency.p50} ms, ${gets.meanLookupRounds} lookup rounds`);
    log(
      `  Gets answered locally: ${gets.local.n}, p50 ${gets.local.p50} ms; with a lookup: ${gets.lookedUp.n}, p50 ${gets.lookedUp.p50} ms`,
    );
    const throughput = await throughputPhases(workload, options, log);
    const end = await cellEnd({ throughput, rssIdle, pidsPerNode: cluster.pidsPerNode(), loadAvgBefore, started });
    if (scraper) log(`  /metrics of every node scraped ${await scraper.stop()} times in all`);

    const hops = 1 + (build.reportsHops ? gets.meanLookupRounds : 0);
    keepLogs = false;
    return {
      build: build.label,
      mode,
      nodes,
      processes: cluster.processCount,
      startupMs,
      tables: {
        settled,
        minContacts: Math.min(...contacts),
        meanContacts: round(contacts.reduce((a, b) => a + b, 0) / contacts.length, 1),
      },
      preload: { records: options.records, ...preload },
      cutShort,
      floor,
      put,
      busPerPut,
      cpuPerPutMs: round(cpuPerPutMs, 1),
      get: gets.latency,
      getCold: cold.latency,
      getLocal: gets.local,
      getLookedUp: gets.lookedUp,
      getMisses: gets.misses,
      hops: {
        meanPeerRpcs: gets.meanPeerRpcs,
        meanLookupRounds: gets.meanLookupRounds,
        hops: round(hops, 2),
        ratio: round(gets.latency.p50 / (hops * floor.grpcPingSpread.p50), 2),
        ratioHot: round(gets.latency.p50 / (hops * floor.grpcPing.p50), 2),
        known: build.reportsHops,
      },
      ...end,
    };
  } finally {
    await scraper?.stop();
    if (keepLogs && cluster) log(`  node logs kept in ${cluster.logDir}`);
    await cluster?.stop();
    if (cluster && !keepLogs) rmSync(cluster.logDir, { recursive: true, force: true });
    await nats?.stop();
    if (pki) removeCa(pki.ca);
    untrack();
  }
}

/** The scrape interval of co-located-observed: 5 s, three times as often as Prometheus' usual
 * 15 s (its default is 1 min). */
const SCRAPE_EVERY_MS = 5_000;

/** Fetches every /metrics every `intervalMs`, as a Prometheus would. */
function scrapeEvery(intervalMs: number, addresses: readonly string[]): { stop(): Promise<number> } {
  let scrapes = 0;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = Promise.all(
      addresses.map(async (address) => {
        const res = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(900) });
        await res.text();
        if (res.ok) scrapes++;
      }),
    ).catch(() => undefined);
  }, intervalMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
      return scrapes;
    },
  };
}

function clusterPki(nodes: number): { ca: CertificateAuthority; nodes: IssuedCertificate[]; client: ClientTlsOptions } {
  const ca = makeCa('kad-bench-ca');
  const client = clientCertificate(ca, 'bench-client');
  return {
    ca,
    nodes: Array.from({ length: nodes }, (_, i) => nodeCertificate(ca, `node-${i}`)),
    client: { ca: ca.cert, cert: client.cert, key: client.key },
  };
}
