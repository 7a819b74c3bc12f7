/**
 * The real image on a real Docker engine (testcontainers): builds deploy/docker/Dockerfile,
 * starts NATS (@testcontainers/nats, the compose `nats` image and arguments) and every kad
 * service of docker-compose.yml (same command, environment, network alias and healthcheck),
 * waits for the containers' own healthchecks, then Puts and Gets across nodes, stops one
 * node, and checks the others keep serving.
 *
 * Needs a Docker engine. Where none answers (as on this project's machines, which must not
 * run one) it skips and says so; it never starts an engine. netns.test.ts runs the same
 * compose services as processes in network namespaces, which needs no engine.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GenericContainer, Network, Wait, getContainerRuntimeClient, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { NatsContainer, type StartedNatsContainer } from '@testcontainers/nats';
import { DhtClient } from '../../libs/client/dht-client.js';
import { waitFor } from '../testkit/wait-for.js';
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
  stageEnv,
  type ComposeHealthcheck,
} from './deploy-files.js';

const ENGINE_TIMEOUT_MS = 20_000;
const IMAGE = 'kademlia-actors:testcontainers';

/** Why no Docker engine can be used here, or undefined. Looks before it asks: no socket and no
 * DOCKER_HOST means no engine, without letting a client probe anything. */
async function dockerUnavailable(): Promise<string | undefined> {
  const sockets = ['/var/run/docker.sock', join(homedir(), '.docker/run/docker.sock')];
  if (process.env['XDG_RUNTIME_DIR']) sockets.push(join(process.env['XDG_RUNTIME_DIR'], 'docker.sock'));
  if (!process.env['DOCKER_HOST'] && !sockets.some((s) => existsSync(s))) {
    return `no Docker engine: DOCKER_HOST is unset and there is no socket at ${sockets.join(', ')}. ` +
      'The image build and the container scenario run where Docker runs (docs/DEPLOYMENT.md); here netns.test.ts runs the compose services as processes instead';
  }
  try {
    const client = await Promise.race([
      getContainerRuntimeClient(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ENGINE_TIMEOUT_MS} ms`)), ENGINE_TIMEOUT_MS).unref()),
    ]);
    return client.info.containerRuntime.host ? undefined : 'the container runtime reported no host';
  } catch (err) {
    return `no Docker engine answers (${(err as Error).message})`;
  }
}

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

test('the image on Docker: the compose services as containers, Put/Get across nodes, one node stopped', { timeout: 20 * 60_000 }, async (t) => {
  const reason = await dockerUnavailable();
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

  let network: StartedNetwork | undefined;
  let nats: StartedNatsContainer | undefined;
  const containers = new Map<string, StartedTestContainer>();
  const clients = new Map<string, DhtClient>();
  try {
    t.diagnostic('building deploy/docker/Dockerfile');
    await GenericContainer.fromDockerfile(REPO_ROOT, 'deploy/docker/Dockerfile').build(IMAGE, { deleteOnExit: true });
    network = await new Network().start();

    const natsContainer = new NatsContainer(natsService.image!).withNetwork(network).withNetworkAliases(natsName);
    // NatsContainer always adds --user/--pass; the kad bus connects without credentials
    // (KAD_NATS_URL carries none, as in docker-compose.yml), so they are taken out again.
    const internals = natsContainer as unknown as { args: Set<string>; values: Map<string, string> };
    for (const flag of ['--user', '--pass']) {
      internals.args.delete(flag);
      internals.values.delete(flag);
    }
    const natsArgs = commandOf(natsService);
    for (let i = 0; i < natsArgs.length; i += 2) natsContainer.withArg(natsArgs[i]!, natsArgs[i + 1]!);
    nats = await natsContainer.start();

    const start = async (name: string) => {
      const service = compose.services[name]!;
      const env = environmentOf(service);
      const port = listenPort(env, imageEnv);
      const command = commandOf(service);
      let container = new GenericContainer(IMAGE)
        .withNetwork(network!)
        .withNetworkAliases(name)
        .withEnvironment(env)
        .withCommand(command)
        .withWaitStrategy(Wait.forHealthCheck())
        .withStartupTimeout(90_000);
      const health = healthCheckOf(service.healthcheck);
      if (health) container = container.withHealthCheck(health);
      if (command[0] === 'node' || command[1] === 'transport') container = container.withExposedPorts(port);
      const started = await container.start();
      containers.set(name, started);
      if (command[0] === 'node' || command[1] === 'transport') clients.set(name, new DhtClient(`${started.getHost()}:${started.getMappedPort(port)}`));
    };
    // Compose order: services with no kad dependency first (node-1), then the rest together.
    const first = kad.filter(([, s]) => !dependenciesOf(s).some((d) => kad.some(([n]) => n === d.name))).map(([n]) => n);
    for (const name of first) await start(name);
    await Promise.all(kad.map(([n]) => n).filter((n) => !first.includes(n)).map(start));

    const nodes = [...clients.entries()];
    assert.ok(nodes.length >= 3);
    await waitFor('routing tables to know every other node', async () => {
      const stats = await Promise.all(nodes.map(([, c]) => c.stats({ timeoutMs: 2_000 })));
      return stats.every((s) => s.contacts >= nodes.length - 1);
    }, { timeoutMs: 60_000, intervalMs: 500 });

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
    await nats?.stop().catch(() => undefined);
    await network?.stop().catch(() => undefined);
  }
});
