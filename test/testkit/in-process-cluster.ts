/**
 * N nodes in this process sharing one in-process bus (the embedded mode), each with its own
 * real gRPC server on loopback. Node 0 starts first; the others join through it.
 */
import { DhtClient } from '../../libs/client/index.js';
import { MemoryBus } from '../../libs/bus/index.js';
import { createRootLogger, resolveNodeConfig, type SettingValues } from '../../libs/runtime/index.js';
import { startNode, type RunningNode } from '../../services/node/kad-node.js';
import { freePorts } from '../../harness/free-port.js';
import { waitFor } from '../../harness/wait-for.js';

export interface InProcessNode {
  readonly node: RunningNode;
  readonly address: string;
  readonly client: DhtClient;
}

export class InProcessCluster {
  readonly bus = new MemoryBus();
  readonly nodes: InProcessNode[] = [];

  static async start(count: number, settings: SettingValues = {}): Promise<InProcessCluster> {
    const cluster = new InProcessCluster();
    const root = createRootLogger(process.env['KAD_LOG_LEVEL'] ?? 'warn');
    const ports = await freePorts(count);
    const first = `127.0.0.1:${ports[0]}`;
    try {
      for (let i = 0; i < count; i++) {
        const address = `127.0.0.1:${ports[i]}`;
        const config = resolveNodeConfig({
          ...settings,
          node: `mem-${i}`,
          listen: address,
          advertise: address,
          bootstrap: i === 0 ? '' : first,
        });
        const node = await startNode(config, root, { memoryBus: cluster.bus });
        cluster.nodes.push({ node, address, client: new DhtClient(address) });
      }
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  async waitForTables(min: number): Promise<void> {
    await waitFor(
      `routing tables to hold ${min} contacts`,
      async () => {
        const stats = await Promise.all(this.nodes.map((n) => n.client.stats({ timeoutMs: 2_000 })));
        return stats.every((s) => s.contacts >= min);
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  }

  async stop(): Promise<void> {
    for (const n of this.nodes) n.client.close();
    await Promise.all(this.nodes.map((n) => n.node.stop()));
    await this.bus.close();
  }
}
