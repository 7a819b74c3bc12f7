/**
 * deploy/k8s's StatefulSet run for real without a cluster: each pod a Linux network namespace
 * with its own address (test/testkit/netns-lab.ts, 198.18.0.0/24), and each of its containers -
 * the kad node and its NATS sidecar - a real process in it, sharing the pod's network as the
 * containers of a pod do. What the kubelet would do is done here, from the rendered manifests
 * (k8s-manifests.ts):
 * - each container's environment: envFrom, ConfigMap and Secret key references, the downward
 *   API (pod name, namespace) and $(VAR) expansion from the variables above, over the image's
 *   ENV; its command: the image's entrypoint with the container's args (netns-deploy.ts);
 * - its volumes as directories: the volumeClaimTemplate's claim per pod (kept across a restart),
 *   emptyDirs, ConfigMap and Secret volumes as files with their modes; paths in env and args that
 *   point into a mount (or into the image's WORKDIR) are mapped onto those directories;
 * - the securityContext: every process runs as runAsUser/runAsGroup with fsGroup as a
 *   supplementary group, no new privileges and no capabilities (setpriv), and the volumes belong
 *   to group fsGroup as the kubelet makes them;
 * - start order: the native sidecar first, the node container once the sidecar's startup probe
 *   has passed (podManagementPolicy Parallel: all pods at once);
 * - the probes as declared, with their delays, periods, timeouts and thresholds: exec inside the
 *   container, gRPC and TCP from the host to the pod's address as the kubelet dials them; a
 *   container that exits, or fails its startup or liveness probe, is restarted (with back-off);
 *   a pod is Ready when all its containers are;
 * - DNS: the headless Service's name for each pod (<pod>.<service>.<namespace>.svc.cluster.local
 *   and the shorter forms a pod's search path completes) in every pod's /etc/netns/<ns>/hosts;
 * - `kubectl exec <pod> -c kad -- kad ...`: the CLI in the container, with its environment (so
 *   under TLS it presents the node's own certificate);
 * - deleting a pod: SIGTERM to the node container, to the sidecar once the node has exited
 *   (SIGKILL after terminationGracePeriodSeconds), then the pod's address goes (its link down).
 * Not emulated: the read-only root filesystem, resource limits, NetworkPolicy, the client
 * Service's virtual IP.
 *
 * Two tests, each with its own lab: the base (3 replicas; plaintext; HTTP probes of /healthz and
 * /readyz) and the production overlay (5 replicas; mutual TLS with the Secrets an operator
 * creates, made here as docs/DEPLOYMENT.md shows; the same HTTP probes). Each: every pod
 * Ready by its own probes, as the user and with the privileges its securityContext sets; the
 * nodes find each other through the headless names; a Put through one pod is stored on every
 * pod and read through every pod; kad-0 (everyone's bootstrap peer) is deleted: it stops
 * cleanly, node before sidecar, and the rest stay Ready and serve Get and Put; no container was
 * restarted. Needs root, iproute2, nats-server, setpriv (util-linux) and, for the overlay,
 * openssl; skips with the reason otherwise.
 */
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { natsServerInstalled, stopChild } from '../../libs/runtime/index.js';
import { makeCa, nodeCertificate, removeCa, type CertificateAuthority } from '../../harness/certificates.js';
import { healthStatus } from '../../harness/grpc-probe.js';
import { NetnsLab, netnsUnavailable, removeStaleNetns, type LabHost } from '../testkit/netns-lab.js';
import { KAD_CLI } from '../../harness/process-cluster.js';
import { waitFor } from '../../harness/wait-for.js';
import {
  K8S_BASE_DIR,
  K8S_PRODUCTION_DIR,
  REPO_ROOT,
  finalStage,
  imageOf,
  kadServices,
  loadCompose,
  loadDockerfile,
  stageEnv,
  type K8sObject,
} from './deploy-files.js';
import {
  containerEnvironment,
  containerInvocation,
  dataOf,
  isSidecar,
  oneOfKind,
  podContainers,
  portOf,
  renderKustomization,
  statefulSetPod,
  type Container,
  type PodIdentity,
  type PodSpec,
  type Probe,
  type StatefulSetObject,
} from './k8s-manifests.js';
import { containerArgv, execCommand, imageKind, runToExit } from './netns-deploy.js';

const CLUSTER_DOMAIN = 'cluster.local';

/** Why these tests cannot run here, or undefined. */
function unavailable(): string | undefined {
  const reason = netnsUnavailable();
  if (reason !== undefined) return reason;
  if (!natsServerInstalled()) return 'nats-server is not installed (Debian: apt-get install -y nats-server); the NATS sidecar runs it';
  if (spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status !== 0)
    return "setpriv (util-linux) is missing: it runs each container as its securityContext's user";
  if (!existsSync(KAD_CLI)) return `${KAD_CLI} is missing: run npm run build`;
  return undefined;
}

const seconds = (value: number | undefined, fallback: number): number => (value ?? fallback) * 1_000;

/** A TCP connection to host:port within the deadline: undefined when it opens, else why not.
 * The socket is destroyed either way (no connection attempt outlives the call). */
function tcpConnect(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`tcp ${host}:${port}: no answer within ${timeoutMs} ms`);
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      resolve(`tcp ${host}:${port}: ${err.message}`);
    });
  });
}

// ---------------------------------------------------------------- the kubelet, for one StatefulSet

interface ContainerRun {
  readonly spec: Container;
  /** A native sidecar: started, and through its startup probe, before the pod's containers. */
  readonly sidecar: boolean;
  readonly env: Record<string, string>;
  readonly argv: string[];
  readonly cwd: string;
  /** `setpriv ... --`: the securityContext's user, groups and privileges. */
  readonly user: string[];
  /** A path in the container's filesystem, as a path here. */
  readonly hostPath: (path: string) => string;
  process: ChildProcess | undefined;
  /** Bumped at every (re)start: the probes of an earlier run stop. */
  generation: number;
  started: boolean;
  ready: boolean;
  restarts: number;
  /** Probe failures, exits and restarts, for the diagnostics. */
  readonly events: string[];
}

interface PodRun {
  readonly identity: PodIdentity;
  readonly ip: string;
  readonly host: LabHost;
  readonly dir: string;
  readonly containers: ContainerRun[];
  readonly timers: Set<NodeJS.Timeout>;
  deleted: boolean;
}

interface ExecResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

class StatefulSetInNetns {
  readonly sts: StatefulSetObject;
  readonly template: PodSpec;
  readonly workDir = mkdtempSync(join(tmpdir(), 'kad-k8s-netns-'));
  readonly logDir = join(this.workDir, 'logs');
  readonly pods: PodRun[] = [];
  private readonly dockerfile = loadDockerfile();
  private readonly imageEnv = stageEnv(finalStage(this.dockerfile));
  private readonly imageWorkdir =
    finalStage(this.dockerfile)
      .instructions.filter((i) => i.op === 'WORKDIR')
      .pop()
      ?.args.trim() ?? '/';
  private readonly kadImage = imageOf(kadServices(loadCompose())[0]![1]) ?? '';
  private lab: NetnsLab | undefined;

  /** `objects`: the rendered manifests and whatever else the cluster holds (the operator's Secrets). */
  constructor(
    private readonly objects: readonly K8sObject[],
    readonly replicas: number,
  ) {
    this.sts = oneOfKind<StatefulSetObject>(objects, 'StatefulSet');
    this.template = this.sts.spec.template.spec;
    chmodSync(this.workDir, 0o755); // the pods' users walk into it
    mkdirSync(this.logDir);
    assert.notEqual(this.template.enableServiceLinks, true, 'service-link variables are not made here');
    assert.ok(
      (this.template.initContainers ?? []).every((c) => c.restartPolicy === 'Always'),
      'only native sidecars among the init containers',
    );
  }

  private get network(): NetnsLab {
    assert.ok(this.lab, 'build first');
    return this.lab;
  }

  /** A namespace per pod, the headless Service's names in each, and each pod's volumes and containers. */
  build(): void {
    const lab = (this.lab = new NetnsLab());
    const identities = Array.from({ length: this.replicas }, (_, i) => statefulSetPod(this.sts, i));
    const hosts = identities.map((id) => lab.addHost(id.name));
    const service = this.sts.spec.serviceName;
    const names = identities.map((id, i) => {
      const fqdn = `${id.name}.${service}.${id.namespace}.svc`;
      return `${hosts[i]!.ip} ${fqdn}.${CLUSTER_DOMAIN} ${fqdn} ${id.name}.${service}.${id.namespace} ${id.name}.${service}`;
    });
    identities.forEach((identity, i) => {
      const host = hosts[i]!;
      // A pod's own /etc/hosts also names the pod by its host name.
      lab.setHostsFile(host, [...names, `${host.ip} ${identity.name}`]);
      const dir = join(this.workDir, 'pods', identity.name);
      mkdirSync(dir, { recursive: true });
      const volumes = this.makeVolumes(identity, dir);
      const pod = { ...identity, ip: host.ip };
      const containers = podContainers(this.template).map((spec) => this.container(pod, dir, spec, volumes));
      this.pods.push({ identity: pod, ip: host.ip, host, dir, containers, timers: new Set(), deleted: false });
    });
  }

  private makeDir(dir: string): void {
    mkdirSync(dir, { recursive: true });
    const fsGroup = this.template.securityContext?.fsGroup;
    if (fsGroup !== undefined) {
      chownSync(dir, 0, fsGroup);
      chmodSync(dir, 0o2775);
    }
  }

  private makeVolumes(identity: PodIdentity, dir: string): Map<string, string> {
    const fsGroup = this.template.securityContext?.fsGroup;
    const volumes = new Map<string, string>();
    for (const claim of this.sts.spec.volumeClaimTemplates ?? []) {
      const claimDir = join(this.workDir, 'claims', `${claim.metadata.name}-${identity.name}`);
      this.makeDir(claimDir);
      volumes.set(claim.metadata.name, claimDir);
    }
    for (const volume of this.template.volumes ?? []) {
      const volumeDir = join(dir, 'volumes', volume.name);
      volumes.set(volume.name, volumeDir);
      if (volume.emptyDir) {
        this.makeDir(volumeDir);
        continue;
      }
      const source = volume.configMap ?? volume.secret;
      assert.ok(source, `volume ${volume.name}: only emptyDir, configMap, secret and claim templates are made here`);
      const data = volume.configMap
        ? dataOf(this.objects, 'ConfigMap', volume.configMap.name)
        : dataOf(this.objects, 'Secret', volume.secret!.secretName);
      assert.ok(data);
      mkdirSync(volumeDir, { recursive: true });
      for (const { key, path } of source.items ?? Object.keys(data).map((k) => ({ key: k, path: k }))) {
        const file = join(volumeDir, path);
        const value = data[key];
        assert.ok(value !== undefined, `volume ${volume.name}: no key ${key}`);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, value);
        // The kubelet gives a read-only volume's files to group fsGroup, readable by it.
        if (fsGroup !== undefined) chownSync(file, 0, fsGroup);
        chmodSync(file, (source.defaultMode ?? 0o644) | (fsGroup !== undefined ? 0o440 : 0));
      }
    }
    return volumes;
  }

  private container(pod: PodIdentity, dir: string, spec: Container, volumes: Map<string, string>): ContainerRun {
    const kind = imageKind(spec.image, this.kadImage);
    const mounts = (spec.volumeMounts ?? []).map((m) => {
      const volumeDir = volumes.get(m.name);
      assert.ok(volumeDir, `${spec.name}: no volume ${m.name}`);
      return { path: m.mountPath, dir: join(volumeDir, m.subPath ?? '') };
    });
    // The project's image holds the checkout at its WORKDIR.
    const roots = [...mounts, ...(kind === 'kad' ? [{ path: this.imageWorkdir, dir: REPO_ROOT }] : [])].sort(
      (a, b) => b.path.length - a.path.length,
    );
    const hostPath = (value: string): string => {
      // Already a path of this machine (the checkout's CLI, say): a checkout under /tmp must not
      // be taken for the pod's /tmp volume.
      if (value.startsWith(REPO_ROOT)) return value;
      const root = roots.find((r) => value === r.path || value.startsWith(`${r.path}/`));
      return root ? join(root.dir, value.slice(root.path.length)) : value;
    };
    const defined = containerEnvironment(spec, pod, this.objects);
    const { command, args } = containerInvocation(spec, defined);
    const env = Object.fromEntries(
      Object.entries({ ...(kind === 'kad' ? this.imageEnv : {}), ...defined }).map(([k, v]) => [k, hostPath(v)]),
    );
    return {
      spec,
      sidecar: isSidecar(this.template, spec),
      env: { PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', HOME: dir, HOSTNAME: pod.name, ...env },
      argv: containerArgv(kind, this.dockerfile, command, args).map(hostPath),
      cwd: spec.workingDir !== undefined ? hostPath(spec.workingDir) : kind === 'kad' ? hostPath(this.imageWorkdir) : dir,
      user: this.userArgv(spec),
      hostPath,
      process: undefined,
      generation: 0,
      started: false,
      ready: false,
      restarts: 0,
      events: [],
    };
  }

  /** The pod's and the container's securityContext, as setpriv arguments. */
  private userArgv(spec: Container): string[] {
    const pod = this.template.securityContext ?? {};
    const own = spec.securityContext ?? {};
    const uid = own.runAsUser ?? pod.runAsUser;
    const gid = own.runAsGroup ?? pod.runAsGroup;
    if ((own.runAsNonRoot ?? pod.runAsNonRoot) === true)
      assert.ok(uid !== undefined && uid !== 0, `${spec.name}: runAsNonRoot with a numeric runAsUser other than 0`);
    if (uid === undefined) return [];
    const groups = [...(pod.fsGroup !== undefined ? [pod.fsGroup] : []), ...(pod.supplementalGroups ?? [])];
    return [
      'setpriv',
      `--reuid=${uid}`,
      `--regid=${gid ?? 0}`,
      groups.length > 0 ? `--groups=${groups.join(',')}` : '--clear-groups',
      ...((own.allowPrivilegeEscalation ?? pod.allowPrivilegeEscalation) === false ? ['--no-new-privs'] : []),
      ...(own.capabilities?.drop?.includes('ALL') ? ['--bounding-set=-all', '--inh-caps=-all'] : []),
      '--',
    ];
  }

  // ------------------------------------------------------------ lifecycle

  /** Every pod at once (podManagementPolicy Parallel); resolves once each has started its containers. */
  async startAll(): Promise<void> {
    await Promise.all(this.pods.map((pod) => this.startPod(pod)));
  }

  private async startPod(pod: PodRun): Promise<void> {
    for (const c of pod.containers.filter((x) => x.sidecar)) {
      this.start(pod, c);
      const probe = c.spec.startupProbe;
      const budgetMs = probe
        ? seconds(probe.initialDelaySeconds, 0) + seconds(probe.periodSeconds, 10) * (probe.failureThreshold ?? 3)
        : 1_000;
      await waitFor(`${pod.identity.name}/${c.spec.name} to start (logs in ${this.logDir})`, () => c.started || pod.deleted, {
        timeoutMs: budgetMs + 10_000,
        intervalMs: 50,
      });
    }
    for (const c of pod.containers.filter((x) => !x.sidecar)) this.start(pod, c);
  }

  private start(pod: PodRun, c: ContainerRun): void {
    const generation = ++c.generation;
    c.started = false;
    c.ready = false;
    const log = openSync(join(this.logDir, `${pod.identity.name}-${c.spec.name}.log`), 'a');
    const child = this.network.spawn(pod.host, [...c.user, ...c.argv], { cwd: c.cwd, env: c.env, log });
    closeSync(log);
    c.process = child;
    child.once('exit', (code, signal) => {
      if (pod.deleted || generation !== c.generation) return;
      this.restart(pod, c, `exited with ${code ?? signal}`);
    });
    void this.afterStart(pod, c, generation);
  }

  /** Kill (if still running) and start again after the kubelet's back-off (10 s, doubling, at most 5 min). */
  private restart(pod: PodRun, c: ContainerRun, why: string): void {
    c.restarts++;
    c.events.push(`${why}: restarted (${c.restarts})`);
    const generation = ++c.generation;
    c.started = false;
    c.ready = false;
    const previous = c.process;
    void (async () => {
      if (previous) await stopChild(previous, seconds(this.template.terminationGracePeriodSeconds, 30));
      await this.tick(pod, Math.min(10_000 * 2 ** (c.restarts - 1), 300_000));
      if (!pod.deleted && generation === c.generation) this.start(pod, c);
    })();
  }

  private current(pod: PodRun, c: ContainerRun, generation: number): boolean {
    return !pod.deleted && c.generation === generation;
  }

  /** The kubelet's wait between two runs of a probe (its schedule, not a test waiting on a condition). */
  private tick(pod: PodRun, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pod.timers.delete(timer);
        resolve();
      }, ms);
      pod.timers.add(timer);
    });
  }

  /** The startup probe until it passes (or fails failureThreshold times in a row: restart), then
   * readiness and liveness, each on its own period. */
  private async afterStart(pod: PodRun, c: ContainerRun, generation: number): Promise<void> {
    const startup = c.spec.startupProbe;
    if (startup) {
      await this.tick(pod, seconds(startup.initialDelaySeconds, 0));
      for (let failures = 0; ;) {
        if (!this.current(pod, c, generation)) return;
        const why = await this.probe(pod, c, startup);
        if (!this.current(pod, c, generation)) return;
        if (why === undefined) break;
        if (++failures >= (startup.failureThreshold ?? 3)) return this.restart(pod, c, `startup probe failed ${failures} times (${why})`);
        await this.tick(pod, seconds(startup.periodSeconds, 10));
      }
    }
    c.started = true;
    if (c.spec.readinessProbe) void this.periodic(pod, c, generation, c.spec.readinessProbe, 'readiness');
    else c.ready = true;
    if (c.spec.livenessProbe) void this.periodic(pod, c, generation, c.spec.livenessProbe, 'liveness');
  }

  private async periodic(pod: PodRun, c: ContainerRun, generation: number, probe: Probe, kind: 'readiness' | 'liveness'): Promise<void> {
    await this.tick(pod, seconds(probe.initialDelaySeconds, 0));
    let successes = 0;
    let failures = 0;
    while (this.current(pod, c, generation)) {
      const why = await this.probe(pod, c, probe);
      if (!this.current(pod, c, generation)) return;
      if (why === undefined) {
        failures = 0;
        if (kind === 'readiness' && ++successes >= (probe.successThreshold ?? 1)) c.ready = true;
      } else {
        successes = 0;
        c.events.push(`${kind} probe failed: ${why}`);
        if (++failures >= (probe.failureThreshold ?? 3)) {
          if (kind === 'liveness') return this.restart(pod, c, `liveness probe failed ${failures} times`);
          c.ready = false;
        }
      }
      await this.tick(pod, seconds(probe.periodSeconds, 10));
    }
  }

  /** One run of a probe: undefined when it passes, else why not. */
  private async probe(pod: PodRun, c: ContainerRun, probe: Probe): Promise<string | undefined> {
    const timeoutMs = seconds(probe.timeoutSeconds, 1);
    if (probe.exec) {
      const argv = [...c.user, ...execCommand(probe.exec.command.map(c.hostPath))];
      return (await runToExit(this.network, pod.host, argv, { env: c.env, cwd: c.cwd, timeoutMs }))
        ? undefined
        : `exec ${probe.exec.command.join(' ')} failed`;
    }
    if (probe.grpc) {
      // The kubelet dials the pod's address, in plaintext, and asks grpc.health.v1 for the service.
      assert.ok(!probe.grpc.service, 'gRPC probes of a named service are not run here');
      try {
        const status = await healthStatus(`${pod.ip}:${probe.grpc.port}`, timeoutMs);
        return status === 'SERVING' ? undefined : `gRPC health ${status}`;
      } catch (err) {
        return `gRPC health: ${(err as Error).message}`;
      }
    }
    if (probe.tcpSocket) return tcpConnect(probe.tcpSocket.host ?? pod.ip, portOf(c.spec, probe.tcpSocket.port), timeoutMs);
    if (probe.httpGet) {
      assert.ok((probe.httpGet.scheme ?? 'HTTP') === 'HTTP', 'only HTTP probes are run here');
      const url = `http://${probe.httpGet.host ?? pod.ip}:${portOf(c.spec, probe.httpGet.port)}${probe.httpGet.path ?? '/'}`;
      try {
        const reply = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
        return reply.status >= 200 && reply.status < 400 ? undefined : `GET ${url}: ${reply.status}`;
      } catch (err) {
        return `GET ${url}: ${(err as Error).message}`;
      }
    }
    return assert.fail(`${c.spec.name}: a probe without a handler`);
  }

  isReady(pod: PodRun): boolean {
    return !pod.deleted && pod.containers.every((c) => c.ready);
  }

  pod(name: string): PodRun {
    const pod = this.pods.find((p) => p.identity.name === name);
    assert.ok(pod, `no pod ${name}`);
    return pod;
  }

  /** `kubectl exec <pod> -c <container> -- argv`: in the container's namespace, environment,
   * working directory and user. */
  exec(pod: PodRun, container: string, argv: readonly string[], timeoutMs = 30_000): Promise<ExecResult> {
    const c = pod.containers.find((x) => x.spec.name === container);
    assert.ok(c, `${pod.identity.name}: no container ${container}`);
    return new Promise((resolve) => {
      const child = this.network.spawn(pod.host, [...c.user, ...execCommand(argv)], { cwd: c.cwd, env: c.env, log: 'pipe' });
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  /**
   * Deleting a pod: its probes stop; SIGTERM to the containers, the sidecars once the others have
   * exited (SIGKILL after the grace period); then its address goes. How each container ended,
   * in the order they did.
   */
  async deletePod(pod: PodRun): Promise<{ container: string; exit: string }[]> {
    pod.deleted = true;
    for (const timer of pod.timers) clearTimeout(timer);
    pod.timers.clear();
    const graceMs = seconds(this.template.terminationGracePeriodSeconds, 30);
    const ended: { container: string; exit: string }[] = [];
    const stop = async (c: ContainerRun): Promise<void> => {
      const child = c.process;
      if (!child) return;
      await stopChild(child, graceMs);
      ended.push({ container: c.spec.name, exit: child.signalCode ?? `exit ${child.exitCode}` });
    };
    await Promise.all(pod.containers.filter((c) => !c.sidecar).map(stop));
    for (const c of pod.containers.filter((x) => x.sidecar).reverse()) await stop(c);
    this.network.cut(pod.host);
    return ended;
  }

  async destroy(): Promise<void> {
    for (const pod of this.pods) {
      pod.deleted = true;
      for (const timer of pod.timers) clearTimeout(timer);
    }
    await Promise.all(this.pods.flatMap((p) => p.containers.map((c) => (c.process ? stopChild(c.process, 5_000) : undefined))));
    this.lab?.destroy();
  }

  events(): string[] {
    return this.pods.flatMap((p) => p.containers.flatMap((c) => c.events.map((e) => `${p.identity.name}/${c.spec.name}: ${e}`)));
  }
}

// ---------------------------------------------------------------- the scenario

/** The Secrets the production overlay expects the operator to create (docs/DEPLOYMENT.md):
 * kad-nats-auth with fresh passwords, kad-tls with a CA and each pod's certificate and key. */
function operatorSecrets(sts: StatefulSetObject, replicas: number, ca: CertificateAuthority): K8sObject[] {
  const namespace = sts.metadata.namespace ?? 'default';
  const tls: Record<string, string> = { 'ca.pem': ca.cert.toString() };
  for (let i = 0; i < replicas; i++) {
    const pod = `${sts.metadata.name}-${i}`;
    const cert = nodeCertificate(ca, pod);
    tls[`${pod}.pem`] = cert.cert.toString();
    tls[`${pod}.key`] = cert.key.toString();
  }
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'kad-nats-auth', namespace },
      // As docs/DEPLOYMENT.md makes them: a letter first, or nats-server may read the variable as
      // a number (2e5..., 7k...) and not start.
      stringData: { password: `p${randomBytes(16).toString('hex')}`, 'monitor-password': `p${randomBytes(16).toString('hex')}` },
    },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kad-tls', namespace }, stringData: tls },
  ];
}

/** uid, gid, groups, no_new_privs and the bounding set of a running process. */
function credentialsOf(pid: number): { uid: string; gid: string; groups: string; noNewPrivs: string; capBnd: string } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1]?.trim() ?? '';
  return {
    uid: field('Uid').split(/\s+/)[0]!,
    gid: field('Gid').split(/\s+/)[0]!,
    groups: field('Groups'),
    noNewPrivs: field('NoNewPrivs'),
    capBnd: field('CapBnd'),
  };
}

async function runStatefulSet(t: TestContext, objects: readonly K8sObject[], replicas: number): Promise<void> {
  const stale = removeStaleNetns();
  if (stale.length > 0) t.diagnostic(`removed leftovers of an earlier run: ${stale.join(', ')}`);
  const cluster = new StatefulSetInNetns(objects, replicas);
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
    cluster.build();
    const started = Date.now();
    await cluster.startAll();
    const [first, writer, ...rest] = cluster.pods;
    assert.ok(first && writer && rest.length > 0, 'at least 3 pods');
    const survivors = [writer, ...rest];

    await step(`every pod is Ready by its own probes, each container as its securityContext's user`, async () => {
      const crashed = () => cluster.pods.some((p) => p.containers.some((c) => c.restarts > 0));
      const outcome = await waitFor(
        `every pod to be Ready (logs in ${cluster.logDir})`,
        () => (crashed() ? 'restarted' : cluster.pods.every((p) => cluster.isReady(p)) && 'ready'),
        { timeoutMs: 90_000, intervalMs: 100 },
      );
      assert.equal(
        outcome,
        'ready',
        `a container was restarted before its pod was Ready:\n${cluster.events().join('\n')}\n(logs in ${cluster.logDir})`,
      );
      t.diagnostic(`${cluster.pods.length} pods Ready in ${Date.now() - started} ms (logs in ${cluster.logDir})`);
      const pod = cluster.template.securityContext ?? {};
      for (const p of cluster.pods) {
        for (const c of p.containers) {
          const own = credentialsOf(c.process!.pid!);
          const what = `${p.identity.name}/${c.spec.name}`;
          assert.equal(own.uid, String(c.spec.securityContext?.runAsUser ?? pod.runAsUser), `${what}: uid`);
          assert.equal(own.gid, String(c.spec.securityContext?.runAsGroup ?? pod.runAsGroup), `${what}: gid`);
          assert.equal(
            own.groups,
            [...(pod.fsGroup !== undefined ? [pod.fsGroup] : []), ...(pod.supplementalGroups ?? [])].join(' '),
            `${what}: fsGroup as a supplementary group`,
          );
          assert.equal(own.noNewPrivs, '1', `${what}: allowPrivilegeEscalation: false`);
          assert.match(own.capBnd, /^0+$/, `${what}: every capability dropped`);
        }
      }
    });

    const kad = (p: PodRun, argv: string[]) => cluster.exec(p, 'kad', ['kad', ...argv, '--json', '--target', '127.0.0.1:7400']);
    const json = <T>(result: ExecResult, what: string): T => {
      try {
        return JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as T;
      } catch {
        throw new Error(`${what}: exit ${result.code}: ${result.stdout}${result.stderr}`);
      }
    };
    const putOn = (p: PodRun, key: string, value: string, replicasWanted: number) =>
      waitFor(
        `${key} through ${p.identity.name} to be stored on ${replicasWanted} pods`,
        async () => {
          const reply = json<{ acknowledged: number; attempted: number }>(
            await kad(p, ['put', key, value, '--timeout-ms', '15000']),
            `put ${key}`,
          );
          if (reply.acknowledged !== replicasWanted) throw new Error(`stored on ${reply.acknowledged} of ${reply.attempted}`);
          return true;
        },
        { timeoutMs: 45_000, intervalMs: 250 },
      );
    const readBack = (p: PodRun, key: string, value: string) =>
      waitFor(
        `${key} through ${p.identity.name}`,
        async () => {
          const reply = json<{ found: boolean; value?: string }>(
            await kad(p, ['get', key, '--encoding', 'utf8', '--timeout-ms', '10000']),
            `get ${key}`,
          );
          if (!reply.found) throw new Error('not found');
          assert.equal(reply.value, value);
          return true;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );

    await step("the nodes find each other through the headless Service's names (kubectl exec ... kad stats --json)", async () => {
      await waitFor(
        'every routing table to know every other pod',
        async () => {
          const stats = await Promise.all(
            cluster.pods.map(async (p) => json<{ contacts: number; node: string }>(await kad(p, ['stats']), `${p.identity.name} stats`)),
          );
          stats.forEach((s, i) => assert.equal(s.node, cluster.pods[i]!.identity.name, 'KAD_NODE is the pod name'));
          return stats.every((s) => s.contacts >= cluster.pods.length - 1);
        },
        { timeoutMs: 45_000, intervalMs: 500 },
      );
    });

    await step(`a Put through ${writer.identity.name} is stored on every pod and read back through every pod`, async () => {
      await putOn(writer, 'k8s-before', 'stored by every pod', cluster.pods.length);
      for (const p of cluster.pods) await readBack(p, 'k8s-before', 'stored by every pod');
    });

    await step(
      `${first.identity.name} deleted (everyone's bootstrap peer): it stops cleanly, and the rest stay Ready and serve Get and Put`,
      async () => {
        const ended = await cluster.deletePod(first);
        const sidecars = first.containers.filter((c) => c.sidecar).map((c) => c.spec.name);
        assert.deepEqual(ended.map((e) => e.container).slice(-sidecars.length), sidecars.reverse(), 'the sidecar stops after the node');
        assert.deepEqual(ended.find((e) => e.container === 'kad')?.exit, 'exit 0', 'the node exits 0 on SIGTERM within the grace period');
        assert.ok((await tcpConnect(first.ip, 7400, 500)) !== undefined, `${first.identity.name}'s address answers no more`);
        for (const p of survivors) await readBack(p, 'k8s-before', 'stored by every pod');
        await putOn(writer, 'k8s-after', `written without ${first.identity.name}`, survivors.length);
        for (const p of survivors) await readBack(p, 'k8s-after', `written without ${first.identity.name}`);
        assert.ok(
          survivors.every((p) => cluster.isReady(p)),
          'the other pods stay Ready',
        );
      },
    );

    await step('no container was restarted: no exit, no failed startup or liveness probe', async () => {
      const events = cluster.events();
      if (events.length > 0) t.diagnostic(events.join('\n'));
      assert.deepEqual(
        cluster.pods.flatMap((p) => p.containers.filter((c) => c.restarts > 0).map((c) => `${p.identity.name}/${c.spec.name}`)),
        [],
      );
    });
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    await cluster.destroy();
    if (!failed) rmSync(cluster.workDir, { recursive: true, force: true });
    else t.diagnostic(`kept logs in ${cluster.logDir}`);
  }
}

test(
  "deploy/k8s/base: the StatefulSet's pods as processes in network namespaces, probed as the kubelet would",
  { timeout: 120_000 },
  async (t) => {
    const reason = unavailable();
    if (reason) return t.skip(reason);
    const objects = renderKustomization(K8S_BASE_DIR);
    const sts = oneOfKind<StatefulSetObject>(objects, 'StatefulSet');
    await runStatefulSet(t, objects, sts.spec.replicas ?? 1);
  },
);

test("deploy/k8s/overlays/production: the same with mutual TLS and the operator's Secrets", { timeout: 120_000 }, async (t) => {
  const reason =
    unavailable() ??
    (spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0
      ? 'openssl is missing: it makes the certificates of the Secret kad-tls'
      : undefined);
  if (reason) return t.skip(reason);
  const objects = renderKustomization(K8S_PRODUCTION_DIR);
  const sts = oneOfKind<StatefulSetObject>(objects, 'StatefulSet');
  const replicas = sts.spec.replicas ?? 1;
  const ca = makeCa('kad-ca');
  try {
    await runStatefulSet(t, [...objects, ...operatorSecrets(sts, replicas, ca)], replicas);
  } finally {
    removeCa(ca);
  }
});
