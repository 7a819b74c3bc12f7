/**
 * docker-compose.yml as it stands, on a real Docker engine (scripts/docker-engine.sh, through
 * test/testkit/docker-engine.ts): the image built from deploy/docker/Dockerfile, `docker-compose
 * up -d` of the repository's file, every service healthy by its own healthcheck; Put through
 * the published port, Get through every node (the split node-2 included) with the client and
 * with `docker-compose exec <service> kad get`; one node's process killed, records still read,
 * the container back by its restart policy with its volume; node-2's storage container stopped
 * (calls that need it fail fast) and started (they recover); `down -v`, and nothing left on the
 * engine. Skips, saying why, where no engine can start.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DhtClient } from '../../libs/client/index.js';
import { DockerEngine, dockerEngineUnavailable } from '../testkit/docker-engine.js';
import { waitFor } from '../../harness/wait-for.js';
import {
  commandOf,
  environmentOf,
  kadServices,
  listenPort,
  loadCompose,
  publishedPortsOf,
  finalStage,
  loadDockerfile,
  stageEnv,
} from './deploy-files.js';

const PROJECT = 'kad-compose-test';
const RECORDS = 12;

interface GrpcError {
  readonly code?: number;
}

test(
  'docker compose up on a real engine: healthy, Put/Get through every node, a killed node back with its volume, storage down and up, down -v',
  { timeout: 25 * 60_000 },
  async (t) => {
    const reason = dockerEngineUnavailable();
    if (reason) {
      t.skip(reason);
      return;
    }
    const compose = loadCompose();
    const kad = kadServices(compose);
    const image = kad[0]![1].image!;
    const imageEnv = stageEnv(finalStage(loadDockerfile()));
    // The services that serve gRPC: `kad node` and split node-2's transport.
    const grpcServices = kad.filter(([, s]) => commandOf(s)[0] === 'node' || commandOf(s)[1] === 'transport').map(([name]) => name);
    const published = Object.entries(compose.services).flatMap(([name, s]) => publishedPortsOf(s).map((p) => ({ name, ...p })));
    assert.equal(published.length, 1, 'one published client port');
    const entry = published[0]!;
    const portOf = (name: string) => listenPort(environmentOf(compose.services[name]!), imageEnv);

    const engine = await DockerEngine.start();
    const clients: DhtClient[] = [];
    const up = ['-p', PROJECT, '-f', 'docker-compose.yml'];
    const containerOf = async (service: string) => (await engine.compose([...up, 'ps', '-q', service])).stdout.trim();
    const inspect = async (service: string, format: string) =>
      (await engine.docker(['inspect', '-f', format, await containerOf(service)])).stdout.trim();
    const clientOf = async (service: string) => {
      const client = new DhtClient(
        `${await inspect(service, '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}')}:${portOf(service)}`,
      );
      clients.push(client);
      return client;
    };
    const allHealthy = async () => {
      const states = await Promise.all(
        Object.keys(compose.services).map(async (s) => [s, await inspect(s, '{{.State.Health.Status}}').catch(() => 'missing')] as const),
      );
      const sick = states.filter(([, state]) => state !== 'healthy');
      return sick.length === 0 ? true : (t.diagnostic(`not healthy yet: ${sick.map(([s, h]) => `${s}=${h}`).join(' ')}`), false);
    };
    try {
      await engine.compose([...up, 'down', '-v', '--remove-orphans'], { allowFailure: true }); // a run that was cut short
      t.diagnostic(`building ${image} from deploy/docker/Dockerfile`);
      await engine.buildProjectImage(image);
      const started = Date.now();
      await engine.compose([...up, 'up', '-d', '--no-build'], { timeoutMs: 5 * 60_000 });
      await waitFor('every compose service healthy', allHealthy, { timeoutMs: 180_000, intervalMs: 2_000 });
      t.diagnostic(`${Object.keys(compose.services).length} services healthy ${((Date.now() - started) / 1000).toFixed(1)} s after up`);

      // Put through the published port (bound to loopback).
      assert.match(await inspect(entry.name, '{{json .HostConfig.PortBindings}}'), /"HostIp":"127\.0\.0\.1"/);
      const front = new DhtClient(`127.0.0.1:${entry.published}`);
      clients.push(front);
      await waitFor(
        'every table to know every other node',
        async () => {
          const stats = await Promise.all(grpcServices.map(async (s) => (await clientOf(s)).stats({ timeoutMs: 2_000 })));
          return stats.every((s) => s.contacts >= grpcServices.length - 1);
        },
        { timeoutMs: 90_000, intervalMs: 1_000 },
      );
      const keys = Array.from({ length: RECORDS }, (_, i) => `compose-${i}`);
      for (const key of keys) {
        const reply = await front.put(key, `value of ${key}`);
        assert.equal(reply.acknowledged, grpcServices.length, `${key}: stored on ${reply.acknowledged} of ${reply.attempted}`);
      }

      const node = new Map<string, DhtClient>();
      for (const s of grpcServices) node.set(s, await clientOf(s));
      const readAll = async (readers: string[]) => {
        for (const reader of readers) {
          for (const key of keys) {
            const got = await node.get(reader)!.get(key, { timeoutMs: 10_000 });
            assert.equal(got.found && Buffer.from(got.value).toString(), `value of ${key}`, `${key} through ${reader}`);
          }
        }
      };
      await readAll(grpcServices);
      // `kad` on the image's PATH, through every node, inside its container.
      for (const [i, s] of grpcServices.entries()) {
        const got = await engine.compose([...up, 'exec', '-T', s, 'kad', 'get', keys[i]!, '--target', `${s}:${portOf(s)}`]);
        assert.equal(got.stdout.trim(), `value of ${keys[i]}`, `kad get through ${s}`);
      }

      // A node's process killed (SIGKILL from the host: `docker kill` counts as a stop by hand,
      // which restart policies leave alone): the others still serve every record, and the
      // container comes back by its restart policy with its volume (same id, same records).
      const victim = grpcServices.find((s) => s !== entry.name && commandOf(compose.services[s]!)[0] === 'node')!;
      const before = await node.get(victim)!.stats();
      process.kill(Number(await inspect(victim, '{{.State.Pid}}')), 'SIGKILL');
      await readAll(grpcServices.filter((s) => s !== victim));
      await waitFor(
        `${victim} restarted by its restart policy and healthy`,
        async () =>
          Number(await inspect(victim, '{{.RestartCount}}')) >= 1 && (await inspect(victim, '{{.State.Health.Status}}')) === 'healthy',
        { timeoutMs: 120_000, intervalMs: 1_000 },
      );
      node.set(victim, await clientOf(victim));
      const after = await waitFor(`${victim} answering again`, () => node.get(victim)!.stats({ timeoutMs: 2_000 }), {
        timeoutMs: 30_000,
        intervalMs: 500,
      });
      assert.deepEqual(Buffer.from(after.self!.id), Buffer.from(before.self!.id), `${victim} keeps its id (its key is on its volume)`);
      assert.ok(
        after.records >= before.records && before.records >= RECORDS,
        `${victim} holds ${after.records} records after the restart, ${before.records} before`,
      );
      await readAll([victim]);

      // node-2's storage stopped: a Get through node-2 needs it and fails fast, then recovers.
      const storage = kad.find(([, s]) => commandOf(s)[1] === 'storage')![0];
      const split = kad.find(([, s]) => commandOf(s)[1] === 'transport')![0];
      const lookupTimeoutMs = Number(environmentOf(compose.services[split]!)['KAD_LOOKUP_TIMEOUT_MS']);
      await engine.compose([...up, 'stop', storage]);
      const asked = Date.now();
      await assert.rejects(
        node.get(split)!.get(keys[0]!, { timeoutMs: 30_000 }),
        (err: GrpcError) => err.code === 14,
        'UNAVAILABLE while storage is down',
      );
      const failedAfterMs = Date.now() - asked;
      assert.ok(
        failedAfterMs < lookupTimeoutMs,
        `the Get failed after ${failedAfterMs} ms, not fast (lookup timeout ${lookupTimeoutMs} ms)`,
      );
      t.diagnostic(`Get through ${split} with ${storage} stopped: UNAVAILABLE after ${failedAfterMs} ms`);
      await engine.compose([...up, 'start', storage]);
      await waitFor(
        `a Get through ${split} once ${storage} is back`,
        async () => (await node.get(split)!.get(keys[0]!, { timeoutMs: 5_000 })).found,
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      const reply = await node.get(split)!.put('compose-after-storage', 'back');
      assert.equal(
        reply.acknowledged,
        grpcServices.length,
        `stored on ${reply.acknowledged} of ${reply.attempted} after storage came back`,
      );
    } finally {
      for (const client of clients) client.close();
      await engine.compose([...up, 'down', '-v', '--remove-orphans'], { timeoutMs: 180_000, allowFailure: true });
      const left = await engine.leftovers();
      const stopped = await engine.stop();
      assert.deepEqual(left, [], 'nothing left on the engine after down -v');
      if (engine.startedHere) assert.ok(stopped, 'the engine stopped');
    }
  },
);
