/**
 * docker-compose.yml, run for real without a Docker engine: every service's command, with its
 * environment (the image's ENV, then the service's), as a real process in its own Linux
 * network namespace with its own address, the way Compose gives each container one. The
 * `nats` service runs Debian's nats-server with the service's arguments; the kad services run
 * the image's entrypoint (node dist/services/cli/kad.js) from this checkout. Services start
 * in depends_on order, each dependency first passing the service's own compose healthcheck
 * (deploy/docker/healthcheck.mjs run inside the namespace). Then: Put and Get across nodes,
 * one node cut off (its veth link down), the others keep serving, the link comes back and
 * the node rejoins.
 *
 * The namespaces, their addresses and the bridge are test/testkit/netns-lab.ts's (198.18.0.0/24,
 * so this process reaches every node). Names resolve through /etc/netns/<ns>/hosts, which
 * `ip netns exec` binds over /etc/hosts; /etc/netns/<ns>/resolv.conf points DNS at the
 * namespace's own loopback, so no lookup leaves the namespaces.
 * Named volumes are temporary directories: KAD_DATA_DIR under a volume's mount point is mapped
 * onto the volume's directory.
 *
 * Needs root, iproute2 (`ip netns`) and nats-server; skips with the reason otherwise.
 */
import assert from 'node:assert/strict';
import { type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DhtClient } from '../../libs/client/index.js';
import { natsServerInstalled, stopChild } from '../../libs/runtime/index.js';
import { healthStatus } from '../../harness/grpc-probe.js';
import { NetnsLab, netnsUnavailable, removeStaleNetns, type LabHost } from '../testkit/netns-lab.js';
import { KAD_CLI } from '../../harness/process-cluster.js';
import { waitFor } from '../../harness/wait-for.js';
import {
  REPO_ROOT,
  commandOf,
  dependenciesOf,
  environmentOf,
  finalStage,
  imageOf,
  kadServices,
  listenPort,
  loadCompose,
  loadDockerfile,
  namedVolumesOf,
  stageEnv,
  stageHealthcheck,
  type ComposeService,
} from './deploy-files.js';
import { containerArgv, execCommand, imageKind, runToExit } from './netns-deploy.js';

const BOOTSTRAP_SERVICE = 'node-1';

/** Why this test cannot run here, or undefined. */
function unavailable(): string | undefined {
  const reason = netnsUnavailable();
  if (reason !== undefined) return reason;
  if (!natsServerInstalled())
    return 'nats-server is not installed (Debian: apt-get install -y nats-server); the compose nats service runs it';
  if (!existsSync(KAD_CLI)) return `${KAD_CLI} is missing: run npm run build`;
  return undefined;
}

// ---------------------------------------------------------------- the compose project as processes

interface Host {
  readonly service: string;
  readonly spec: ComposeService;
  readonly net: LabHost;
  readonly env: Record<string, string>;
  readonly argv: string[];
  process?: ChildProcess;
}

function durationMs(value: string | undefined, fallback: number): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value ?? '');
  if (!m) return fallback;
  return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1_000 : 60_000);
}

class NetnsCompose {
  readonly compose = loadCompose();
  readonly dockerfile = loadDockerfile();
  readonly imageEnv = stageEnv(finalStage(this.dockerfile));
  readonly workDir = mkdtempSync(join(tmpdir(), 'kad-netns-'));
  readonly logDir = join(this.workDir, 'logs');
  readonly hosts: Host[] = [];
  private readonly healthy = new Map<string, Promise<void>>();
  private readonly started = new Map<string, Promise<void>>();
  private readonly kad = new Set(kadServices(this.compose).map(([name]) => name));
  private lab: NetnsLab | undefined;

  constructor() {
    mkdirSync(this.logDir);
  }

  host(service: string): Host {
    const host = this.hosts.find((h) => h.service === service);
    assert.ok(host, `no service ${service}`);
    return host;
  }

  /** One lab host per service, named after it in every host's /etc/hosts. */
  buildNetwork(): void {
    const lab = (this.lab = new NetnsLab());
    const services = Object.entries(this.compose.services);
    const nets = services.map(([service]) => lab.addHost(service));
    const names = nets.map((net) => `${net.ip} ${net.name}`);
    services.forEach(([service, spec], i) => {
      const net = nets[i]!;
      lab.setHostsFile(net, names);
      this.hosts.push({ service, spec, net, env: this.environment(service, spec), argv: this.argv(service, spec) });
    });
  }

  private get network(): NetnsLab {
    assert.ok(this.lab, 'buildNetwork first');
    return this.lab;
  }

  /** What the container's PID 1 would be, as a command on this machine. */
  private argv(service: string, spec: ComposeService): string[] {
    const kadImage = imageOf(kadServices(this.compose)[0]![1]) ?? '';
    const kind = imageKind(imageOf(spec) ?? '', kadImage);
    assert.equal(kind === 'kad', this.kad.has(service), `${service}: the kad image is built from deploy/docker/Dockerfile`);
    const entrypoint =
      spec.entrypoint === undefined
        ? undefined
        : typeof spec.entrypoint === 'string'
          ? spec.entrypoint.trim().split(/\s+/)
          : spec.entrypoint;
    return containerArgv(kind, this.dockerfile, entrypoint, spec.command === undefined ? undefined : commandOf(spec));
  }

  private environment(service: string, spec: ComposeService): Record<string, string> {
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: this.workDir,
      ...(this.kad.has(service) ? this.imageEnv : {}),
      ...environmentOf(spec),
    };
    const dataDir = env['KAD_DATA_DIR'];
    if (dataDir) {
      const mount = namedVolumesOf(spec, this.compose).find((m) => dataDir === m.target || dataDir.startsWith(`${m.target}/`));
      // A volume's directory is shared by the services that mount it; otherwise the
      // container's own filesystem.
      const base = mount ? join(this.workDir, 'volumes', mount.source) : join(this.workDir, 'containers', service);
      env['KAD_DATA_DIR'] = mount ? join(base, dataDir.slice(mount.target.length)) : join(base, dataDir);
      mkdirSync(env['KAD_DATA_DIR'], { recursive: true });
    }
    return env;
  }

  /** Starts every service once its dependencies are started or healthy, as Compose does. */
  async up(): Promise<void> {
    await Promise.all(this.hosts.map((h) => this.healthyOf(h.service)));
  }

  private startOf(service: string): Promise<void> {
    let started = this.started.get(service);
    if (!started) {
      const host = this.host(service);
      started = (async () => {
        await Promise.all(
          dependenciesOf(host.spec).map((d) => (d.condition === 'service_healthy' ? this.healthyOf(d.name) : this.startOf(d.name))),
        );
        this.spawn(host);
      })();
      this.started.set(service, started);
    }
    return started;
  }

  private healthyOf(service: string): Promise<void> {
    let healthy = this.healthy.get(service);
    if (!healthy) {
      healthy = this.startOf(service).then(() => this.waitHealthy(this.host(service)));
      this.healthy.set(service, healthy);
    }
    return healthy;
  }

  private spawn(host: Host): void {
    const log = openSync(join(this.logDir, `${host.service}.log`), 'a');
    host.process = this.network.spawn(host.net, host.argv, { cwd: REPO_ROOT, env: host.env, log });
    closeSync(log);
  }

  /** The service's compose healthcheck (or the image's HEALTHCHECK), run inside its namespace. */
  healthcheckArgv(host: Host): string[] {
    const test =
      host.spec.healthcheck?.test ?? (this.kad.has(host.service) ? ['CMD', ...stageHealthcheck(finalStage(this.dockerfile))!] : undefined);
    assert.ok(Array.isArray(test) && test[0] === 'CMD', `${host.service}: exec-form healthcheck`);
    return execCommand(test.slice(1));
  }

  runHealthcheck(host: Host): Promise<boolean> {
    return runToExit(this.network, host.net, this.healthcheckArgv(host), {
      cwd: REPO_ROOT,
      env: host.env,
      timeoutMs: durationMs(host.spec.healthcheck?.timeout, 5_000),
    });
  }

  private async waitHealthy(host: Host): Promise<void> {
    await waitFor(
      `${host.service} to pass its healthcheck (logs in ${this.logDir})`,
      async () => {
        if (host.process?.exitCode !== null && host.process?.exitCode !== undefined)
          throw new Error(`${host.service} exited with ${host.process.exitCode}`);
        return this.runHealthcheck(host);
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  }

  /** The kad services that own a gRPC port (`kad node`, the transport actor). */
  grpcHosts(): Host[] {
    return this.hosts.filter((h) => this.kad.has(h.service) && (commandOf(h.spec)[0] === 'node' || commandOf(h.spec)[1] === 'transport'));
  }

  grpcAddress(host: Host): string {
    return `${host.net.ip}:${listenPort(host.env, this.imageEnv)}`;
  }

  cut(host: Host): void {
    this.network.cut(host.net);
  }

  reconnect(host: Host): void {
    this.network.reconnect(host.net);
  }

  async down(): Promise<void> {
    await Promise.all(this.hosts.map((h) => (h.process ? stopChild(h.process) : undefined)));
    this.lab?.destroy();
  }
}

// ---------------------------------------------------------------- the test

test(
  'docker-compose.yml as processes in network namespaces: Put/Get across nodes, a node cut off and rejoining',
  { timeout: 120_000 },
  async (t) => {
    const reason = unavailable();
    if (reason) {
      t.skip(reason);
      return;
    }
    const stale = removeStaleNetns();
    if (stale.length > 0) t.diagnostic(`removed leftovers of an earlier run: ${stale.join(', ')}`);
    const cluster = new NetnsCompose();
    const clients = new Map<string, DhtClient>();
    let failed = false;
    /** A subtest that is skipped once an earlier one failed (the cluster is then in doubt). */
    const step = (name: string, fn: () => Promise<void>) =>
      t.test(name, async (s) => {
        if (failed) return s.skip('an earlier step failed');
        try {
          await fn();
        } catch (err) {
          failed = true;
          throw err;
        }
      });
    try {
      cluster.buildNetwork();
      const started = Date.now();
      await cluster.up();
      t.diagnostic(`${cluster.hosts.length} services healthy in ${Date.now() - started} ms (logs in ${cluster.logDir})`);

      const nodes = cluster.grpcHosts();
      for (const h of nodes) clients.set(h.service, new DhtClient(cluster.grpcAddress(h)));
      const client = (h: { service: string }) => clients.get(h.service)!;
      const colocated = nodes.filter((h) => commandOf(h.spec)[0] === 'node' && h.service !== BOOTSTRAP_SERVICE);
      const victim = colocated[0];
      assert.ok(victim, 'a co-located node other than the bootstrap node to cut off');
      const others = nodes.filter((h) => h !== victim);

      await step('every node serves gRPC health from outside its namespace, and the tables fill', async () => {
        assert.ok(nodes.length >= 3, `${nodes.length} nodes`);
        for (const h of nodes) assert.equal(await healthStatus(cluster.grpcAddress(h)), 'SERVING', h.service);
        await waitFor(
          'every routing table to know every other node',
          async () => {
            const stats = await Promise.all(nodes.map((h) => client(h).stats({ timeoutMs: 2_000 })));
            return stats.every((s) => s.contacts >= nodes.length - 1);
          },
          { timeoutMs: 30_000, intervalMs: 200 },
        );
      });

      // Each Put and Get is retried until it succeeds: on a loaded 2-core machine a single RPC can
      // miss its 2 s deadline. What is asserted is where the value ends up, not the first try.
      const putOn = (writer: Host, key: string, value: string, replicas: number) =>
        waitFor(
          `${key} through ${writer.service} to be stored on ${replicas} nodes`,
          async () => {
            const reply = await client(writer).put(key, value, { timeoutMs: 15_000 });
            if (reply.acknowledged !== replicas) throw new Error(`stored on ${reply.acknowledged} of ${reply.attempted}`);
            return true;
          },
          { timeoutMs: 30_000, intervalMs: 250 },
        );
      const readBack = (reader: Host, key: string, value: string) =>
        waitFor(
          `${key} through ${reader.service}`,
          async () => {
            const got = await client(reader).get(key, { timeoutMs: 10_000 });
            if (!got.found) throw new Error('not found');
            assert.equal(Buffer.from(got.value).toString(), value);
            return true;
          },
          { timeoutMs: 30_000, intervalMs: 250 },
        );
      const before = (h: Host) => `written through ${h.service}`;
      const during = `written while ${victim.service} was away`;

      await step('a value Put through each node is stored on every node and read back through every other node', async () => {
        await Promise.all(nodes.map((writer) => putOn(writer, `before-${writer.service}`, before(writer), nodes.length)));
        for (const writer of nodes) {
          for (const reader of nodes.filter((h) => h !== writer)) await readBack(reader, `before-${writer.service}`, before(writer));
        }
      });

      await step(`${victim.service} cut off (link down): the other nodes keep serving Put and Get`, async () => {
        cluster.cut(victim);
        await assert.rejects(healthStatus(cluster.grpcAddress(victim), 500), `${victim.service} should be unreachable`);
        await Promise.all(others.map((writer) => putOn(writer, `during-${writer.service}`, during, others.length)));
        for (const reader of others) {
          for (const writer of nodes) await readBack(reader, `before-${writer.service}`, before(writer));
          for (const writer of others) await readBack(reader, `during-${writer.service}`, during);
        }
      });

      await step(`link back up: ${victim.service} rejoins, reads what was written while it was away, and stores again`, async () => {
        cluster.reconnect(victim);
        await waitFor(
          `${victim.service} to answer health checks again`,
          async () => (await healthStatus(cluster.grpcAddress(victim), 1_000)) === 'SERVING',
          { timeoutMs: 30_000, intervalMs: 200 },
        );
        // It never received the during-* records: finding them means it reaches the others.
        for (const writer of others) await readBack(victim, `during-${writer.service}`, during);
        // And the others reach it: a Put through the bootstrap node is stored on every node.
        const writer = nodes.find((h) => h.service === BOOTSTRAP_SERVICE)!;
        await putOn(writer, 'after-rejoin', 'everyone has this', nodes.length);
        await readBack(victim, 'after-rejoin', 'everyone has this');
      });
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      for (const c of clients.values()) c.close();
      await cluster.down();
      if (!failed) rmSync(cluster.workDir, { recursive: true, force: true });
      else t.diagnostic(`kept logs in ${cluster.logDir}`);
    }
  },
);
