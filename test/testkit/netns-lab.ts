/**
 * A small network of Linux network namespaces for tests: a bridge in the root namespace at
 * 198.18.0.1 and one namespace per host, each with its own address on the bridge through a veth
 * pair, so this process reaches every host and the hosts reach each other. Faults are real
 * kernel ones: a link set down, or blackhole routes that drop every packet between two groups.
 *
 * Addresses are in 198.18.0.0/24 (RFC 2544 benchmarking range; this workplace forbids test
 * traffic to private ranges and public addresses). Every namespace, link and /etc/netns entry is
 * named kdns-<pid>-<host> or kd<pid>... (pid in hex, 6 digits): a lab removes its own at the end
 * and, as a last resort, when this process exits; `removeStaleNetns` removes those of runs that
 * died. Needs root and iproute2; `netnsUnavailable` says why not, for a clear skip.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killOnExit } from '../../libs/runtime/index.js';
import type { NodePlacement } from '../../harness/process-cluster.js';

const SUBNET = '198.18.0';
export const BRIDGE_IP = `${SUBNET}.1`;
const RUN = process.pid.toString(16).padStart(6, '0');
const NS_PREFIX = 'kdns-';
const NS_PATTERN = /^kdns-([0-9a-f]{6})-/;
const LINK_PATTERN = /^kd([0-9a-f]{6})(br|\d\d[hn])$/;
/** Hosts get .10 to .109: two digits in a veth name. */
const MAX_HOSTS = 100;

function ip(...args: string[]): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`ip ${args.join(' ')}: ${e.stderr?.trim() || e.message}`);
  }
}

function ipQuiet(...args: string[]): void {
  spawnSync('ip', args, { stdio: 'ignore' });
}

function namespaces(): string[] {
  return ip('netns', 'list')
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter(Boolean);
}

function links(): string[] {
  return ip('-o', 'link', 'show')
    .split('\n')
    .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeNamespace(ns: string): void {
  // Processes left inside (a run that died) first, so the namespace really goes away.
  const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout?.split(/\s+/).filter(Boolean) ?? [];
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* gone already */
    }
  }
  ipQuiet('netns', 'del', ns);
  rmSync(join('/etc/netns', ns), { recursive: true, force: true });
}

/** Removes the namespaces, links and /etc/netns entries of runs whose process is gone. */
export function removeStaleNetns(): string[] {
  const removed: string[] = [];
  const stale = (hexPid: string) => hexPid === RUN || !pidAlive(parseInt(hexPid, 16));
  for (const ns of namespaces()) {
    const m = NS_PATTERN.exec(ns);
    if (m && stale(m[1]!)) {
      removeNamespace(ns);
      removed.push(ns);
    }
  }
  for (const link of links()) {
    const m = LINK_PATTERN.exec(link);
    if (m && stale(m[1]!)) {
      ipQuiet('link', 'del', link);
      removed.push(link);
    }
  }
  if (existsSync('/etc/netns')) {
    for (const entry of readdirSync('/etc/netns')) {
      const m = NS_PATTERN.exec(entry);
      if (m && stale(m[1]!)) rmSync(join('/etc/netns', entry), { recursive: true, force: true });
    }
  }
  return removed;
}

/** Why namespaces cannot be made here, or undefined. */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces are Linux only';
  if (process.getuid?.() !== 0)
    return 'needs root: creates network namespaces, veth pairs and a bridge (run the tests as root, as CI does)';
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (list.error || list.status !== 0)
    return `\`ip netns\` is unavailable (${list.error?.message ?? list.stderr.trim()}); install iproute2`;
  const probe = `${NS_PREFIX}${RUN}-probe`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  ipQuiet('netns', 'del', probe);
  if (add.status !== 0) return `cannot create a network namespace here: ${add.stderr.trim()}`;
  return undefined;
}

export interface LabHost {
  readonly name: string;
  /** The namespace. */
  readonly ns: string;
  /** Its address on the bridge. */
  readonly ip: string;
  /** The root-namespace end of its veth pair (set down to cut the host off). */
  readonly vethHost: string;
}

export class NetnsLab {
  readonly hosts: LabHost[] = [];
  private readonly bridge = `kd${RUN}br`;
  private readonly children = new Set<ChildProcess>();
  private readonly blackholes: { ns: string; to: string }[] = [];
  private readonly emergency = () => this.destroy();

  /** The bridge, up, at BRIDGE_IP. */
  constructor() {
    process.once('exit', this.emergency);
    ip('link', 'add', this.bridge, 'type', 'bridge');
    ip('addr', 'add', `${BRIDGE_IP}/24`, 'dev', this.bridge);
    ip('link', 'set', this.bridge, 'up');
  }

  /** A namespace with loopback and an eth0 on the bridge at the next free address. */
  addHost(name: string): LabHost {
    const i = this.hosts.length;
    if (i >= MAX_HOSTS) throw new RangeError(`a lab holds at most ${MAX_HOSTS} hosts`);
    const index = String(i).padStart(2, '0');
    const host: LabHost = { name, ns: `${NS_PREFIX}${RUN}-${name}`, ip: `${SUBNET}.${10 + i}`, vethHost: `kd${RUN}${index}h` };
    const vethNs = `kd${RUN}${index}n`;
    ip('netns', 'add', host.ns);
    ip('link', 'add', host.vethHost, 'type', 'veth', 'peer', 'name', vethNs);
    ip('link', 'set', vethNs, 'netns', host.ns);
    ip('-n', host.ns, 'link', 'set', vethNs, 'name', 'eth0');
    ip('-n', host.ns, 'addr', 'add', `${host.ip}/24`, 'dev', 'eth0');
    ip('-n', host.ns, 'link', 'set', 'eth0', 'up');
    ip('-n', host.ns, 'link', 'set', 'lo', 'up');
    ip('link', 'set', host.vethHost, 'master', this.bridge);
    ip('link', 'set', host.vethHost, 'up');
    this.hosts.push(host);
    return host;
  }

  /**
   * Host names for a host's processes: /etc/netns/<ns>/hosts, which `ip netns exec` binds over
   * /etc/hosts, holds localhost and `lines` ("<ip> <name> <name>..."); /etc/netns/<ns>/resolv.conf
   * points DNS at the namespace's own loopback, so no lookup leaves the namespaces. Call it again
   * to change the names; processes started later see the new file.
   */
  setHostsFile(host: LabHost, lines: readonly string[]): void {
    const dir = join('/etc/netns', host.ns);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'hosts'), `${['127.0.0.1 localhost', '::1 localhost', ...lines].join('\n')}\n`);
    writeFileSync(join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  }

  /** Runs argv inside the host's namespace, its output to `log` (a file descriptor, or piped
   * to this process); it is killed when the lab is destroyed. */
  spawn(
    host: LabHost,
    argv: readonly string[],
    options: { env: NodeJS.ProcessEnv; cwd?: string; log: number | 'ignore' | 'pipe' },
  ): ChildProcess {
    const [program, ...args] = argv;
    if (program === undefined) throw new Error('empty argv');
    const child = killOnExit(
      spawn('ip', ['netns', 'exec', host.ns, program, ...args], {
        cwd: options.cwd,
        env: options.env,
        stdio: ['ignore', options.log, options.log],
      }),
    );
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** A ProcessCluster placement: each node a new host of this lab, its gRPC server on `port`. */
  nodePlacement(port = 7400): NodePlacement {
    return {
      addresses: async (count) => Array.from({ length: count }, () => `${this.addHost(`node-${this.hosts.length}`).ip}:${port}`),
      spawn: (address, argv, env, logFd) => this.spawn(this.hostOf(address), argv, { env, log: logFd }),
    };
  }

  /** The host whose address `address` (host:port or bare) is. */
  hostOf(address: string): LabHost {
    const host = this.hosts.find((h) => h.ip === address.split(':')[0]);
    if (!host) throw new Error(`no lab host at ${address}`);
    return host;
  }

  /** Link down: the host loses the network (its sockets get no packets either way). */
  cut(host: LabHost): void {
    ip('link', 'set', host.vethHost, 'down');
  }

  reconnect(host: LabHost): void {
    ip('link', 'set', host.vethHost, 'up');
  }

  /** Every packet between a host of one group and a host of the other is dropped, both ways,
   * silently (blackhole routes in each namespace: a TCP peer sees only its retries go
   * unanswered). The bridge address stays reachable from every host. */
  partition(a: readonly LabHost[], b: readonly LabHost[]): void {
    for (const [from, to] of [...pairs(a, b), ...pairs(b, a)]) {
      ip('-n', from.ns, 'route', 'add', 'blackhole', `${to.ip}/32`);
      this.blackholes.push({ ns: from.ns, to: to.ip });
    }
  }

  /** Removes every partition. */
  heal(): void {
    for (const { ns, to } of this.blackholes.splice(0)) ip('-n', ns, 'route', 'del', 'blackhole', `${to}/32`);
  }

  /** Kills what still runs in the lab and removes its namespaces, links and bridge. */
  destroy(): void {
    for (const child of this.children) child.kill('SIGKILL');
    for (const host of this.hosts) {
      removeNamespace(host.ns);
      ipQuiet('link', 'del', host.vethHost);
    }
    ipQuiet('link', 'del', this.bridge);
    process.removeListener('exit', this.emergency);
  }
}

function pairs<T>(a: readonly T[], b: readonly T[]): [T, T][] {
  return a.flatMap((x) => b.map((y): [T, T] => [x, y]));
}
