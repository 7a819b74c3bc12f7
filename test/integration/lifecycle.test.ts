/**
 * The record lifecycle across processes: restart on the same data dirs, expiry and
 * republish, conflicting Puts settled by read-repair, and a graceful leave. Real nats-server,
 * real processes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compareDistance, recordIdOf } from '../../libs/kademlia/index.js';
import { bytesOf } from '../../libs/proto/index.js';
import { startNatsServer, type NatsServerProcess } from '../../libs/runtime/index.js';
import { loadSnapshot } from '../../services/routing-table/routing-snapshot.js';
import { nodeIdHex, ProcessCluster } from '../../harness/process-cluster.js';
import { isAmong, takeCensus } from '../testkit/replica-census.js';
import { waitFor } from '../../harness/wait-for.js';
import { readBack, runBounded } from '../../harness/workload.js';

let nats: NatsServerProcess;
before(async () => {
  nats = await startNatsServer();
});
after(async () => nats?.stop());

describe('restart - all nodes stopped and started again on the same data dirs', () => {
  let cluster: ProcessCluster;
  const K = 3;
  const keys = Array.from({ length: 60 }, (_, i) => `durable-${i}`);

  before(async () => {
    cluster = await ProcessCluster.start({ nodes: 6, natsUrl: nats.url, dataDirs: true, env: { KAD_K: String(K) } });
    await cluster.waitForTables(K);
  });
  after(async () => cluster?.stop());

  test('every record is readable with no new Put, ids are kept, tables refill from snapshots without the bootstrap node', async () => {
    await runBounded(keys.length, 8, async (i) => {
      assert.equal((await cluster.nodes[i % 6]!.client.put(keys[i]!, `v${i}`)).acknowledged, K);
    });
    const idsBefore = await Promise.all(cluster.nodes.map(nodeIdHex));

    // node-5 dies hard (SIGKILL: acknowledged records were already on disk); the rest stop cleanly.
    // Its table reaches disk on the snapshot timer, so wait for that first: a node killed before
    // it ever saved a snapshot has only its (here dead) bootstrap node to rejoin through.
    const killed = cluster.nodes[5]!;
    await waitFor('node-5 to save a routing-table snapshot', () => loadSnapshot(killed.dataDir!).length >= K, {
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    cluster.kill(killed);
    await Promise.all(cluster.nodes.slice(0, 5).map((n) => cluster.stopNode(n)));

    // Start everyone but node-0, the bootstrap node: they must rejoin through their snapshots.
    const restarted = cluster.nodes.slice(1);
    // Together: a node is ready once a lookup finds its neighbours, so one alone among stopped
    // peers would wait for them.
    await Promise.all(restarted.map((node) => cluster.restart(node)));
    await cluster.waitForTables(K, restarted);

    const idsAfter = await Promise.all(restarted.map(nodeIdHex));
    assert.deepEqual(idsAfter, idsBefore.slice(1));

    assert.deepEqual((await readBack(restarted, keys, (key) => `v${keys.indexOf(key)}`)).failed, []);
  });
});

describe('expiry - records vanish after their expiry unless the publisher republishes them', () => {
  let cluster: ProcessCluster;
  const EXPIRE_MS = 4_000;

  before(async () => {
    cluster = await ProcessCluster.start({
      nodes: 5,
      natsUrl: nats.url,
      env: { KAD_K: '3', KAD_EXPIRE_MS: String(EXPIRE_MS), KAD_REPUBLISH_MS: '1000', KAD_REPLICATE_MS: '1000' },
    });
    await cluster.waitForTables(3);
  });
  after(async () => cluster?.stop());

  test('a record whose publisher is gone expires everywhere; one whose publisher lives is republished', async () => {
    const [publisher, orphanPublisher] = [cluster.nodes[1]!, cluster.nodes[2]!];
    const kept = await publisher.client.put('kept', 'republished');
    assert.equal(kept.acknowledged, 3);
    const keptPutAt = Date.now();
    assert.equal((await orphanPublisher.client.put('orphan', 'not republished')).acknowledged, 3);
    cluster.kill(orphanPublisher);
    const live = cluster.live();

    // Replication by the holders must not extend the orphan's life: it is gone by its expiry.
    await waitFor(
      'the orphaned record to expire on every live node',
      async () => (await Promise.all(live.map((n) => n.client.get('orphan')))).every((r) => !r.found),
      { timeoutMs: 4 * EXPIRE_MS, intervalMs: 250 },
    );
    assert.ok(Date.now() > keptPutAt + EXPIRE_MS, 'the kept record is past its first expiry too');
    for (const node of live) {
      const reply = await node.client.get('kept');
      assert.equal(reply.found, true, `kept not found through ${node.name}`);
      assert.equal(Buffer.from(reply.value).toString(), 'republished');
      assert.ok(reply.expiresMs > keptPutAt + EXPIRE_MS, 'its expiry moved on');
    }
  });
});

describe('conflict - two Puts to one key from different nodes', () => {
  let cluster: ProcessCluster;

  before(async () => {
    cluster = await ProcessCluster.start({ nodes: 6, natsUrl: nats.url, env: { KAD_K: '3' } });
    await cluster.waitForTables(3);
  });
  after(async () => cluster?.stop());

  test('after read-repair every node returns the newer one', async () => {
    const key = 'contested';
    const recordId = recordIdOf(Buffer.from(key));
    // The older writer is the node farthest from the key: it is not among the k closest, so the
    // newer Put does not reach the copy it keeps as publisher.
    const withIds = await Promise.all(
      cluster.nodes.map(async (n) => ({ n, id: Uint8Array.from(bytesOf((await n.client.stats()).self?.id)) })),
    );
    withIds.sort((a, b) => compareDistance(recordId, a.id, b.id));
    const olderWriter = withIds[withIds.length - 1]!.n;
    const newerWriter = withIds[withIds.length - 2]!.n;

    await olderWriter.client.put(key, 'older');
    const newer = await newerWriter.client.put(key, 'newer');
    assert.equal(newer.acknowledged, 3);
    assert.equal(Buffer.from((await olderWriter.client.get(key)).value).toString(), 'older', 'the older writer still has its own copy');

    for (const node of cluster.nodes) {
      const reply = await node.client.get(key, { quorum: 3 });
      assert.equal(Buffer.from(reply.value).toString(), 'newer', `quorum read through ${node.name}`);
    }
    await waitFor('every node to return the newer value', async () => {
      const replies = await Promise.all(cluster.nodes.map((n) => n.client.get(key)));
      return replies.every((r) => Buffer.from(r.value).toString() === 'newer');
    });
  });
});

describe('graceful leave - a node stopped with SIGTERM hands its records to the nodes that take its place', () => {
  let cluster: ProcessCluster;
  // The leaver hands each record to the successor its routing table knows of. With k=5 and six
  // nodes every table can hold every other node, and waiting for that makes what it knows
  // the truth (in a large network, the nodes near its own id).
  const K = 5;
  const keys = Array.from({ length: 30 }, (_, i) => `leaving-${i}`);

  before(async () => {
    // Re-replication runs hourly (the default): only the leave can put records on new holders.
    cluster = await ProcessCluster.start({ nodes: 6, natsUrl: nats.url, env: { KAD_K: String(K) } });
    await cluster.waitForTables(cluster.nodes.length - 1);
  });
  after(async () => cluster?.stop());

  test('right after it exits, every record it held as a replica is on the k closest live nodes', async () => {
    await runBounded(keys.length, 8, async (i) => {
      assert.equal((await cluster.nodes[i % 6]!.client.put(keys[i]!, `v${i}`)).acknowledged, K);
    });
    const leaver = cluster.nodes[3]!;
    const everyone = await takeCensus(cluster.nodes);
    const leaverContact = everyone.contacts[3]!;
    const owed = keys.filter((key) => isAmong(leaverContact, everyone.closest(key, K)));
    everyone.close();
    assert.ok(owed.length > 0, 'the leaver is among the k closest for some keys');

    await cluster.stopNode(leaver);
    const remaining = await takeCensus(cluster.live());
    try {
      const missing: string[] = [];
      await runBounded(owed.length, 8, async (i) => {
        for (const holder of remaining.closest(owed[i]!, K)) {
          if (!(await remaining.holds(holder.address, owed[i]!))) missing.push(`${owed[i]}@${holder.address}`);
        }
      });
      assert.deepEqual(missing, [], `of ${owed.length} records the leaver held as a replica`);
    } finally {
      remaining.close();
    }
  });
});
