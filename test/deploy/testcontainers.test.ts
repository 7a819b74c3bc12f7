/**
 * The real image on a real Docker engine, through testcontainers: the engine is
 * scripts/docker-engine.sh's (test/testkit/docker-engine.ts), the image is built first with
 * `--network host` (npm ci inside needs the registry; the engine's bridge has no way out) and
 * started by tag. NATS runs the compose `nats` service's image, arguments, config file and
 * healthcheck; every kad service of docker-compose.yml runs as a container with the same
 * command, environment, network alias, healthcheck and named volumes (node-2's four containers
 * share one, as in the compose file: its key is the node's identity). Then Put and Get across
 * nodes, one node stopped, and the others keep serving. Skips, saying why, where no engine can
 * start; compose-engine.test.ts runs docker-compose itself on the same engine.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { GenericContainer, Network, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { DhtClient } from '../../libs/client/index.js';
import { DockerEngine, dockerEngineUnavailable } from '../testkit/docker-engine.js';
import { waitFor } from '../../harness/wait-for.js';
import {
  REPO_ROOT,
  commandOf,
  dependenciesOf,
  environmentOf,
  finalStage,
  kadServices,
  listenPort,
  loadCompose,
  loadDockerfile,
  namedVolumesOf,
  stageEnv,
  type ComposeHealthcheck,
  type ComposeService,
} from './deploy-files.js';

const IMAGE = 'kademlia-actors:testcontainers';
/** Prefix of the named volumes this test makes (and removes). */
const VOLUME_PREFIX = 'kad-testcontainers-';

function ms(duration: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(duration ?? '');
  return m ? Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1_000 : 60_000) : undefined;
}

function healthCheckOf(h: ComposeHealthcheck | undefined) {
  if (!Array.isArray(h?.test) || h.test[0] !== 'CMD') return undefined;
  return {
    test: h.test as ['CMD', ...string[]],
    interval: Math.min(ms(h.interval) ?? 2_000, 2_000), // probe often: the test waits on it
    timeout: ms(h.timeout) ?? 5_000,
    retries: h.retries ?? 3,
    startPeriod: ms(h.start_period) ?? 0,
  };
}

/** The compose service's bind mounts of files from the repository (`./path:/target[:ro]`). */
function repositoryFilesOf(service: ComposeService): { source: string; target: string }[] {
  return (service.volumes ?? []).flatMap((v) => {
    const [source, target] = typeof v === 'string' ? v.split(':') : [v.source, v.target];
    return source?.startsWith('./') && target ? [{ source: join(REPO_ROOT, source), target }] : [];
  });
}

test(
  'the image on Docker: the compose services as containers, Put/Get across nodes, one node stopped',
  { timeout: 20 * 60_000 },
  async (t) => {
    const reason = dockerEngineUnavailable();
    if (reason) {
      t.skip(reason);
      return;
    }
    const compose = loadCompose();
    const imageEnv = stageEnv(finalStage(loadDockerfile()));
    const natsEntry = Object.entries(compose.services).find(([, s]) => s.image?.startsWith('nats:'));
    assert.ok(natsEntry, 'compose has a nats service');
    const [natsName, natsService] = natsEntry;
    const kad = kadServices(compose);

    const engine = await DockerEngine.start();
    // testcontainers reads the engine from the environment; Ryuk's image cannot be pulled here,
    // so this test removes what it starts itself.
    Object.assign(process.env, { DOCKER_HOST: engine.host, TESTCONTAINERS_RYUK_DISABLED: 'true' });
    let network: StartedNetwork | undefined;
    const containers = new Map<string, StartedTestContainer>();
    const clients = new Map<string, DhtClient>();
    const volumes = new Set<string>();
    try {
      t.diagnostic('building deploy/docker/Dockerfile with --network host');
      await engine.buildProjectImage(IMAGE);
      network = await new Network().start();

      const nats = new GenericContainer(natsService.image!)
        .withNetwork(network)
        .withNetworkAliases(natsName)
        .withCommand(commandOf(natsService))
        .withCopyFilesToContainer(repositoryFilesOf(natsService))
        .withWaitStrategy(Wait.forHealthCheck())
        .withStartupTimeout(60_000);
      if (typeof natsService.working_dir === 'string') nats.withWorkingDir(natsService.working_dir);
      const natsHealth = healthCheckOf(natsService.healthcheck);
      if (natsHealth) nats.withHealthCheck(natsHealth);
      containers.set(natsName, await nats.start());

      const start = async (name: string) => {
        const service = compose.services[name]!;
        const env = environmentOf(service);
        const port = listenPort(env, imageEnv);
        const command = commandOf(service);
        const serves = command[0] === 'node' || command[1] === 'transport';
        const mounts = namedVolumesOf(service, compose).map((m) => ({ source: `${VOLUME_PREFIX}${m.source}`, target: m.target }));
        for (const m of mounts) volumes.add(m.source);
        let container = new GenericContainer(IMAGE)
          .withNetwork(network!)
          .withNetworkAliases(name)
          .withEnvironment(env)
          .withCommand(command)
          // A source that is a name, not a path, is a named volume to the engine.
          .withBindMounts(mounts.map((m) => ({ ...m, mode: 'rw' as const })))
          .withWaitStrategy(Wait.forHealthCheck())
          .withStartupTimeout(90_000);
        const health = healthCheckOf(service.healthcheck);
        if (health) container = container.withHealthCheck(health);
        if (serves) container = container.withExposedPorts(port);
        const started = await container.start();
        containers.set(name, started);
        if (serves) clients.set(name, new DhtClient(`${started.getHost()}:${started.getMappedPort(port)}`));
      };
      // Compose order: services with no kad dependency first (node-1), then the rest together.
      const first = kad.filter(([, s]) => !dependenciesOf(s).some((d) => kad.some(([n]) => n === d.name))).map(([n]) => n);
      for (const name of first) await start(name);
      await Promise.all(
        kad
          .map(([n]) => n)
          .filter((n) => !first.includes(n))
          .map(start),
      );

      const nodes = [...clients.entries()];
      assert.ok(nodes.length >= 3);
      await waitFor(
        'routing tables to know every other node',
        async () => {
          const stats = await Promise.all(nodes.map(([, c]) => c.stats({ timeoutMs: 2_000 })));
          return stats.every((s) => s.contacts >= nodes.length - 1);
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );

      for (const [writer, client] of nodes) {
        const reply = await client.put(`tc-${writer}`, `through ${writer}`);
        assert.equal(reply.acknowledged, nodes.length, `${writer}: stored on ${reply.acknowledged} of ${reply.attempted}`);
      }
      for (const [reader, client] of nodes) {
        for (const [writer] of nodes) {
          const got = await client.get(`tc-${writer}`);
          assert.equal(Buffer.from(got.value).toString(), `through ${writer}`, `tc-${writer} through ${reader}`);
        }
      }

      // Stop one co-located node that is not the bootstrap node: the others keep serving.
      const [victim] = nodes.find(([name]) => name !== first[0] && commandOf(compose.services[name]!)[0] === 'node')!;
      clients.get(victim)!.close();
      clients.delete(victim);
      await containers.get(victim)!.stop();
      containers.delete(victim);
      for (const [writer, client] of clients) {
        const reply = await client.put(`tc-after-${writer}`, 'still here');
        assert.equal(reply.acknowledged, clients.size, `${writer}: stored on ${reply.acknowledged} of ${reply.attempted}`);
        for (const [, reader] of clients) assert.equal((await reader.get(`tc-${writer}`)).found, true);
      }
    } finally {
      for (const client of clients.values()) client.close();
      await Promise.all([...containers.values()].map((c) => c.stop().catch(() => undefined)));
      await network?.stop().catch(() => undefined);
      if (volumes.size > 0) await engine.docker(['volume', 'rm', ...volumes], { allowFailure: true });
      const left = await engine.leftovers();
      const stopped = await engine.stop();
      assert.deepEqual(left, [], 'nothing left on the engine');
      if (engine.startedHere) assert.ok(stopped, 'the engine stopped');
    }
  },
);
