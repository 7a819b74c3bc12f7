/**
 * A cluster of real `kad` processes for integration tests, on loopback or on the hosts of a
 * placement (a network namespace lab): each node is one `kad node` process, or (split) four
 * `kad actor <name>` processes, all on one nats-server (the caller's, or a private one the
 * cluster starts and stops).
 * Node 0 starts first; the others join through it. Nodes can be killed, stopped, restarted on
 * the same port and data dir, and added with fresh ids. Logs go to one file per process. The
 * benchmark uses it too, with the CLI of whichever build it measures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DhtClient, type ClientTlsOptions } from '../libs/client/index.js';
import { ACTORS, type ActorName } from '../libs/bus/index.js';
import { idToHex } from '../libs/kademlia/index.js';
import { bytesOf } from '../libs/proto/index.js';
import { startNatsServer, type NatsServerProcess, killOnExit, stopChild, NODE_PROCESS_FLAGS } from '../libs/runtime/index.js';
import { freePorts } from './free-port.js';
import { healthStatus } from './grpc-probe.js';
import { waitFor } from './wait-for.js';

export const KAD_CLI = fileURLToPath(new URL('../services/cli/kad.js', import.meta.url));

export interface ProcessClusterOptions {
  /** The build's dist/services/cli/kad.js (default: this build's). */
  readonly cli?: string;
  /** Node flags of every node process (default: this build's NODE_PROCESS_FLAGS). */
  readonly nodeFlags?: readonly string[];
  readonly nodes: number;
  /** The nats-server the nodes use (default: a private one the cluster starts and stops). */
  readonly natsUrl?: string;
  /** Indexes of nodes that run as four actor processes. */
  readonly split?: readonly number[];
  /** Give every node a data dir (identity, records, routing snapshot). A split node always has
   * one: its actors share the node's key there. */
  readonly dataDirs?: boolean;
  readonly env?: Readonly<Record<string, string>>;
  /** Settings for one node on top of `env` (a clock offset, say). */
  readonly nodeEnv?: (index: number) => Readonly<Record<string, string>>;
  /** Addresses every node also bootstraps from, after the cluster's own first node. */
  readonly extraBootstrap?: readonly string[];
  /** Where nodes run (default: loopback, this network namespace). */
  readonly placement?: NodePlacement;
  /** TLS for the cluster's own clients (each node's `client`, the health probe) when the
   * nodes serve TLS (KAD_TLS_* in `env` or `nodeEnv`); default plaintext. */
  readonly clientTls?: ClientTlsOptions;
  /** Give every process an HTTP port on loopback (KAD_HTTP_LISTEN): /metrics, /readyz. */
  readonly http?: boolean;
  /** What starting a node waits for: `ready` (gRPC health SERVING: it joined), the default, or
   * `answering` (health answers at all: for a node that is meant not to join). */
  readonly startedWhen?: 'ready' | 'answering';
}

/** Where a cluster's nodes run: their addresses and how their processes start. */
export interface NodePlacement {
  /** gRPC addresses (host:port) for the next `count` nodes, distinct from every earlier one. */
  addresses(count: number): Promise<string[]>;
  /** Starts one process of the node at `address`; argv[0] is the program. */
  spawn(address: string, argv: readonly string[], env: NodeJS.ProcessEnv, logFd: number): ChildProcess;
}

/** Every node on 127.0.0.1, on a free port. */
export const LOOPBACK: NodePlacement = {
  addresses: async (count) => (await freePorts(count)).map((port) => `127.0.0.1:${port}`),
  spawn: (_address, [program, ...args], env, logFd) => killOnExit(spawn(program!, args, { env, stdio: ['ignore', logFd, logFd] })),
};

export interface ProcessNode {
  readonly name: string;
  readonly address: string;
  readonly bootstrap: string;
  readonly dataDir: string | undefined;
  readonly split: boolean;
  processes: ChildProcess[];
  /** Each process's HTTP address (host:port), in `processes` order; empty without `http`. */
  readonly httpAddresses: string[];
  client: DhtClient;
  alive: boolean;
  /** Stopped with SIGSTOP (not alive, but not dead either). */
  frozen: boolean;
}

export class ProcessCluster {
  readonly logDir = mkdtempSync(join(tmpdir(), 'kad-cluster-'));
  readonly nodes: ProcessNode[] = [];
  private starts = 0;

  private constructor(
    private readonly options: ProcessClusterOptions,
    /** The nats-server the nodes use. */
    readonly natsUrl: string,
    private readonly ownNats: NatsServerProcess | undefined,
  ) {}

  private get placement(): NodePlacement {
    return this.options.placement ?? LOOPBACK;
  }

  static async start(options: ProcessClusterOptions): Promise<ProcessCluster> {
    const ownNats = options.natsUrl === undefined ? await startNatsServer() : undefined;
    const cluster = new ProcessCluster(options, options.natsUrl ?? ownNats!.url, ownNats);
    try {
      const addresses = await cluster.placement.addresses(options.nodes);
      const first = addresses[0]!;
      for (let i = 0; i < options.nodes; i++) {
        const split = options.split?.includes(i) ?? false;
        const node = cluster.createNode(i, addresses[i]!, i === 0 ? '' : first, split, await cluster.httpAddresses(split));
        // The others join through node 0 once it answers; it may become ready only when they
        // have (with extraBootstrap nodes that are down, say).
        if (i === 0) await cluster.waitHealthy(node, 'answering');
      }
      await Promise.all(cluster.nodes.map((node) => cluster.waitHealthy(node)));
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  /** Loopback HTTP addresses for a node's processes (none without the `http` option). */
  private async httpAddresses(split: boolean): Promise<string[]> {
    if (!this.options.http) return [];
    return (await freePorts(split ? ACTORS.length : 1)).map((port) => `127.0.0.1:${port}`);
  }

  private createNode(index: number, address: string, bootstrap: string, split: boolean, httpAddresses: string[]): ProcessNode {
    const name = `node-${index}`;
    const dataDir = this.options.dataDirs || split ? join(this.logDir, 'data', name) : undefined;
    const node: ProcessNode = {
      name,
      address,
      bootstrap,
      dataDir,
      split,
      processes: [],
      httpAddresses,
      client: this.newClient(address),
      alive: true,
      frozen: false,
    };
    this.nodes.push(node);
    this.spawnProcesses(node);
    return node;
  }

  private newClient(address: string): DhtClient {
    return new DhtClient(address, { tls: this.options.clientTls });
  }

  private spawnProcesses(node: ProcessNode): void {
    const run = ++this.starts;
    const commands = node.split ? ACTORS.map((actor) => ['actor', actor]) : [['node']];
    node.processes = commands.map((args, i) => this.spawnProcess(node, args, run, node.httpAddresses[i]));
    node.alive = true;
  }

  private spawnProcess(node: ProcessNode, args: readonly string[], run: number, http: string | undefined): ChildProcess {
    // No KAD_* setting leaks in from the caller's environment: a node gets exactly these.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('KAD_')));
    const env = {
      ...inherited,
      KAD_NODE: node.name,
      KAD_LISTEN: node.address,
      KAD_ADVERTISE: node.address,
      KAD_BOOTSTRAP: [node.bootstrap, ...(this.options.extraBootstrap ?? [])].filter((a) => a !== '').join(','),
      KAD_NATS_URL: this.natsUrl,
      KAD_LOG_LEVEL: process.env['KAD_LOG_LEVEL'] ?? 'info',
      ...(node.dataDir ? { KAD_DATA_DIR: node.dataDir } : {}),
      ...(http ? { KAD_HTTP_LISTEN: http } : {}),
      ...this.options.env,
      ...this.options.nodeEnv?.(this.nodes.indexOf(node)),
    };
    const log = openSync(join(this.logDir, `${node.name}-${args.join('-')}-${run}.log`), 'a');
    try {
      return this.placement.spawn(
        node.address,
        [process.execPath, ...(this.options.nodeFlags ?? NODE_PROCESS_FLAGS), this.options.cli ?? KAD_CLI, ...args],
        env,
        log,
      );
    } finally {
      closeSync(log);
    }
  }

  /** SIGKILL one actor process of a split node and wait for it to die; the node's other actors
   * run on. */
  async killActor(node: ProcessNode, actor: ActorName): Promise<void> {
    const child = this.actorProcess(node, actor);
    const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts a dead actor process of a split node again (a container restart policy's job). */
  restartActor(node: ProcessNode, actor: ActorName): void {
    const child = this.actorProcess(node, actor);
    if (child.exitCode === null && child.signalCode === null) throw new Error(`${node.name}'s ${actor} actor is still running`);
    const index = this.actorIndex(node, actor);
    node.processes[index] = this.spawnProcess(node, ['actor', actor], ++this.starts, node.httpAddresses[index]);
  }

  private actorIndex(node: ProcessNode, actor: ActorName): number {
    if (!node.split) throw new Error(`${node.name} runs as one process`);
    return ACTORS.indexOf(actor);
  }

  private actorProcess(node: ProcessNode, actor: ActorName): ChildProcess {
    const child = node.processes[this.actorIndex(node, actor)];
    if (!child) throw new Error(`${node.name} has no ${actor} process`);
    return child;
  }

  /** Waits until the node is ready (gRPC health SERVING, or answering at all with `startedWhen:
   * 'answering'`); the deadline grows with the processes running. */
  async waitHealthy(node: ProcessNode, until: 'ready' | 'answering' = this.options.startedWhen ?? 'ready'): Promise<void> {
    await waitFor(
      `${node.name} to serve (logs in ${this.logDir})`,
      async () => {
        for (const child of node.processes) {
          if (child.exitCode !== null) throw new Error(`${node.name} exited with ${child.exitCode}`);
        }
        const status = await healthStatus(node.address, 1_000, this.options.clientTls);
        return until === 'answering' ? status !== undefined : status === 'SERVING';
      },
      { timeoutMs: 20_000 + 2_000 * this.processCount, intervalMs: 100 },
    );
  }

  get processCount(): number {
    return this.nodes.reduce((n, node) => n + node.processes.length, 0);
  }

  /** The pids of each node's processes (one, or four for a split node). */
  pidsPerNode(): number[][] {
    return this.nodes.map((node) => node.processes.flatMap((child) => (child.pid === undefined ? [] : [child.pid])));
  }

  /** How many contacts each node's routing table holds now. */
  async contactCounts(nodes: readonly ProcessNode[] = this.live()): Promise<number[]> {
    const stats = await Promise.all(nodes.map((node) => node.client.stats({ timeoutMs: 5_000 })));
    return stats.map((s) => s.contacts);
  }

  /** A node with a fresh id, joining through the first live node. */
  async addNode(): Promise<ProcessNode> {
    const [address] = await this.placement.addresses(1);
    const bootstrap = this.live()[0]?.address ?? '';
    const node = this.createNode(this.nodes.length, address!, bootstrap, false, await this.httpAddresses(false));
    await this.waitHealthy(node);
    return node;
  }

  /** Starts a stopped node again: same name, port and data dir. */
  async restart(node: ProcessNode): Promise<void> {
    node.client.close();
    node.client = this.newClient(node.address);
    this.spawnProcesses(node);
    await this.waitHealthy(node);
  }

  /** Every live node knows at least `min` contacts (so lookups see the whole small cluster). */
  async waitForTables(min: number, nodes: readonly ProcessNode[] = this.live(), timeoutMs = 30_000): Promise<void> {
    await waitFor(
      `routing tables to hold ${min} contacts (logs in ${this.logDir})`,
      async () => {
        const counts = await this.contactCounts(nodes);
        if (counts.every((n) => n >= min)) return true;
        // Thrown, not returned: a timeout then reports the last counts seen.
        throw new Error(`contacts per node ${nodes.map((node, i) => `${node.name}=${counts[i]}`).join(' ')}`);
      },
      { timeoutMs, intervalMs: 200 },
    );
  }

  live(): ProcessNode[] {
    return this.nodes.filter((node) => node.alive);
  }

  kill(node: ProcessNode): void {
    node.alive = false;
    for (const child of node.processes) child.kill('SIGKILL');
    node.client.close();
  }

  /** SIGSTOP: a gray failure. The node's sockets stay open and the kernel still accepts
   * connections, but nothing answers until `thaw`. */
  freeze(node: ProcessNode): void {
    node.alive = false;
    node.frozen = true;
    for (const child of node.processes) child.kill('SIGSTOP');
  }

  /** SIGCONT: a frozen node runs on from where it stopped. */
  thaw(node: ProcessNode): void {
    for (const child of node.processes) child.kill('SIGCONT');
    node.frozen = false;
    node.alive = true;
  }

  /** SIGTERM: the node saves its snapshot and closes its store. */
  async stopNode(node: ProcessNode): Promise<void> {
    node.alive = false;
    node.client.close();
    await Promise.all(node.processes.map((child) => stopChild(child)));
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        if (node.frozen) this.thaw(node);
        node.client.close();
        await Promise.all(node.processes.map((child) => stopChild(child)));
      }),
    );
    await this.ownNats?.stop();
  }
}

/** A node's id in hex, as its Admin.Stats reports it. */
export async function nodeIdHex(node: ProcessNode): Promise<string> {
  return idToHex(Uint8Array.from(bytesOf((await node.client.stats({ timeoutMs: 5_000 })).self?.id)));
}

/** The contacts (hex id, address) in a node's routing table, as its Admin.RoutingTable reports
 * them; with `replacements`, its replacement caches' too. */
export async function tableEntries(
  node: ProcessNode,
  options: { replacements?: boolean } = {},
): Promise<{ idHex: string; address: string }[]> {
  const table = await node.client.routingTable({ timeoutMs: 5_000 });
  return table.buckets
    .flatMap((bucket) => (options.replacements ? [...bucket.contacts, ...bucket.replacements] : bucket.contacts))
    .map((contact) => ({ idHex: idToHex(Uint8Array.from(bytesOf(contact.id))), address: contact.address }));
}

/** The ids (hex) in a node's routing table. */
export async function tableIdsHex(node: ProcessNode): Promise<string[]> {
  return (await tableEntries(node)).map((entry) => entry.idHex);
}
