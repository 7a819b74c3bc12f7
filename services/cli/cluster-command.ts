/**
 * `kad cluster --nodes N`: a local cluster on loopback in this process. With nats-server
 * installed it starts a private one and the nodes talk over it; otherwise (or with --no-nats)
 * the nodes share the in-process bus. Node i listens on 127.0.0.1:(base-port + i - 1), keeps its
 * data in <data-dir>/node-i when a data dir is given, and joins through node 1. Each node serves
 * its HTTP port (metrics, readiness, the page) on 127.0.0.1:(http base + i - 1): the port of
 * --http-listen, else base-port + 2000. Ctrl-C stops every node, then the nats-server.
 */
import { join } from 'node:path';
import { splitAddress } from '../../libs/kademlia/index.js';
import { MemoryBus, redactNatsUrls } from '../../libs/bus/index.js';
import {
  createRootLogger,
  natsServerInstalled,
  startNatsServer,
  type NatsServerProcess,
  resolveNodeConfig,
  type SettingValues,
} from '../../libs/runtime/index.js';
import { ConfigError } from '../../libs/errors/index.js';
import { startNode, type RunningNode } from '../node/kad-node.js';
import { untilSignal } from './signals.js';

export const MAX_CLUSTER_NODES = 256;
/** Node i's HTTP port is base-port + this + i - 1 (7400 -> 9400) unless --http-listen says. */
const HTTP_PORT_OFFSET = 2_000;

export interface ClusterOptions {
  readonly nodes: number;
  readonly basePort: number;
  /** false (--no-nats): the in-process bus even when nats-server is installed. */
  readonly nats: boolean;
  /** Print the nodes as one line of JSON instead of the text banner. */
  readonly json: boolean;
  /** Node settings every node shares (flags, then KAD_* variables). */
  readonly settings: SettingValues;
}

export async function runCluster({ nodes: count, basePort, nats: useNats, json, settings: common }: ClusterOptions): Promise<void> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_CLUSTER_NODES)
    throw new ConfigError(`--nodes must be 1 to ${MAX_CLUSTER_NODES}`);
  if (!Number.isInteger(basePort) || basePort < 1 || basePort + count > 65_536) throw new ConfigError('--base-port out of range');
  const httpBase = common['http-listen'] ? Number(splitAddress(common['http-listen']).port) : basePort + HTTP_PORT_OFFSET;
  if (!Number.isInteger(httpBase) || httpBase < 1 || httpBase + count > 65_536)
    throw new ConfigError('the HTTP ports (--http-listen, or --base-port + 2000) are out of range');

  const root = createRootLogger(common['log-level'] ?? 'warn');
  let nats: NatsServerProcess | undefined;
  let natsUrl = common['nats-url'];
  if (!natsUrl && useNats && natsServerInstalled()) {
    nats = await startNatsServer();
    natsUrl = nats.url;
  }
  const memoryBus = natsUrl ? undefined : new MemoryBus();
  const first = `127.0.0.1:${basePort}`;
  const nodes: RunningNode[] = [];
  try {
    for (let i = 1; i <= count; i++) {
      const address = `127.0.0.1:${basePort + i - 1}`;
      const config = resolveNodeConfig({
        ...common,
        node: `node-${i}`,
        listen: address,
        advertise: address,
        ...(natsUrl ? { 'nats-url': natsUrl } : {}),
        ...(common['data-dir'] ? { 'data-dir': join(common['data-dir'], `node-${i}`) } : {}),
        bootstrap: i === 1 ? '' : first,
        'http-listen': `127.0.0.1:${httpBase + i - 1}`,
      });
      nodes.push(await startNode(config, root, memoryBus ? { memoryBus } : {}));
    }
    const bus = natsUrl ? `NATS ${redactNatsUrls(natsUrl)}` : 'in-process';
    if (json) {
      console.log(
        JSON.stringify({
          bus,
          nodes: nodes.map((node) => ({ node: node.config.node, address: node.config.advertise, http: `http://${node.httpAddress}/` })),
        }),
      );
    } else {
      console.log(`kad cluster: ${count} nodes, bus: ${bus}`);
      for (const node of nodes)
        console.log(
          `  ${node.config.node.padEnd(10)} ${node.config.advertise.padEnd(21)} http://${node.httpAddress}/  (/metrics, /readyz)`,
        );
      console.log(`try: npx kad put hello world --target ${first} && npx kad get hello --target 127.0.0.1:${basePort + count - 1}`);
      console.log('Ctrl-C stops the cluster.');
    }
    await untilSignal();
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await memoryBus?.close();
    await nats?.stop();
  }
}
