/**
 * Where a local Get's time goes (`npm run bench:get-path -- [--nodes 32]`): on one co-located
 * cluster, one call at a time and in one run,
 * - a bare gRPC ping to node-0 again and again, and to a random node each time;
 * - a bare NATS request/reply on the cluster's nats-server;
 * - a Get the entry node answers from its own store (client gRPC + one NATS round trip to its
 *   storage actor), through the same node and key again and again, and through a different
 *   node (and key) each time, as the cluster benchmark's Gets go.
 * The difference between the last two is what spreading calls over many processes on a few
 * cores costs (caches, wake-ups), not the Get path itself. Prints a markdown table.
 */
import { parseArgs } from 'node:util';
import { startNatsServer } from '../libs/runtime/index.js';
import { ProcessCluster } from '../harness/process-cluster.js';
import type { LatencyStats } from './cluster-result.js';
import { loadAverage, machineInfo } from './machine-info.js';
import { measureFloor, sequential } from './measure-floor.js';
import { SeededRandom } from '../libs/sampling/index.js';

const CALL_TIMEOUT_MS = 5_000;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { nodes: { type: 'string' }, ops: { type: 'string' } }, strict: true });
  const nodes = Number(values.nodes ?? '32');
  const ops = Number(values.ops ?? '2000');
  if (!Number.isInteger(nodes) || nodes < 1 || !Number.isInteger(ops) || ops < 1)
    throw new Error('--nodes and --ops take positive integers');

  const loadAvgStart = loadAverage();
  const nats = await startNatsServer();
  const cluster = await ProcessCluster.start({ nodes, natsUrl: nats.url, env: { KAD_LOG_LEVEL: 'warn' } });
  try {
    await cluster.waitForTables(Math.min(nodes - 1, 20));
    const random = new SeededRandom(1);
    // A (node, key) pair per node whose record that node holds itself.
    const local: Array<{ node: number; key: string }> = [];
    for (let i = 0; local.length < nodes && i < nodes * 20; i++) {
      const node = i % nodes;
      const key = `get-path-${i}`;
      await cluster.nodes[(node + 1) % nodes]!.client.put(key, 'v'.repeat(100));
      if ((await cluster.nodes[node]!.client.get(key)).peerRpcs === 0) local.push({ node, key });
    }
    const localGet = (pair: { node: number; key: string }): Promise<unknown> =>
      cluster.nodes[pair.node]!.client.get(pair.key, { timeoutMs: CALL_TIMEOUT_MS });
    const warmup = Math.max(200, 20 * nodes);
    const floor = await measureFloor(
      cluster.nodes.map((node) => node.address),
      nats.url,
      ops,
      1,
      warmup,
    );
    const rows: Array<[string, LatencyStats]> = [
      ['gRPC ping, node-0 every time', floor.grpcPing],
      ['gRPC ping, a random node each time', floor.grpcPingSpread],
      ['NATS request/reply (plain responder)', floor.natsRequest],
      ['local Get, one node and key every time', await sequential(ops, () => localGet(local[0]!), warmup)],
      ['local Get, a random node (and its key) each time', await sequential(ops, () => localGet(local[random.int(local.length)]!), warmup)],
    ];

    const machine = machineInfo(loadAvgStart);
    console.log(
      `# Where a local Get's time goes\n\nMeasured ${new Date().toISOString()} by \`npm run bench:get-path -- --nodes ${nodes} --ops ${ops}\`.\n`,
    );
    console.log(
      `${nodes} co-located nodes (k = 20) on one nats-server, loopback; ${ops} calls each after ${warmup} untimed; ${local.length} (node, key) pairs answered locally. ` +
        `Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.os}, Node ${machine.node}, ${machine.natsServer}; load average ${machine.loadAvgStart.join(' / ')} at start.\n`,
    );
    console.log('| call | p50 ms | p95 ms | p99 ms |\n| --- | --- | --- | --- |');
    for (const [label, stats] of rows) console.log(`| ${label} | ${stats.p50} | ${stats.p95} | ${stats.p99} |`);
  } finally {
    await cluster.stop();
    await nats.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
