/**
 * A rolling restart under load (what a Kubernetes rollout of the StatefulSet does): one node at a time, highest ordinal first, is stopped with SIGTERM and started again on
 * its data dir, and the next waits until it is back in the network. Meanwhile a reader keeps
 * asking random keys through random nodes that are up. No record may be lost or read wrong at
 * any moment, and nearly every read must succeed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { nodeIdHex, ProcessCluster, type ProcessNode } from '../../harness/process-cluster.js';
import { pick, runBounded } from '../../harness/workload.js';
import { SeededRandom } from '../../libs/sampling/index.js';

const K = 3;
const valueOf = (key: string): string => `value of ${key}`;

describe('rolling restart - every node stopped and started again in turn, under reads', () => {
  let cluster: ProcessCluster;
  const keys = Array.from({ length: 40 }, (_, i) => `rolling-${i}`);
  const random = new SeededRandom(Number(process.env['KAD_TEST_SEED'] ?? 9));

  before(async () => {
    cluster = await ProcessCluster.start({
      nodes: 5,
      dataDirs: true,
      env: { KAD_K: String(K), KAD_RPC_TIMEOUT_MS: '1000', KAD_LOOKUP_TIMEOUT_MS: '4000' },
    });
    await cluster.waitForTables(K);
    await runBounded(keys.length, 8, async (i) => {
      assert.equal((await cluster.nodes[i % cluster.nodes.length]!.client.put(keys[i]!, valueOf(keys[i]!))).acknowledged, K);
    });
  });

  after(async () => cluster?.stop());

  test('no record is lost or read wrong during the rollout, and at least 99% of reads succeed', async (t) => {
    const idsBefore = await Promise.all(cluster.nodes.map(nodeIdHex));
    const restarting = new Set<ProcessNode>();
    const wrong: string[] = [];
    let ok = 0;
    let failed = 0;
    let rolling = true;
    const reader = (async () => {
      while (rolling) {
        const node = pick(
          random,
          cluster.nodes.filter((n) => !restarting.has(n)),
        );
        const key = pick(random, keys);
        try {
          const reply = await node.client.get(key, { timeoutMs: 10_000 });
          if (!reply.found || Buffer.from(reply.value).toString() !== valueOf(key))
            wrong.push(`${key}@${node.name}: ${reply.found ? 'wrong value' : 'not found'}`);
          else ok++;
        } catch {
          // A call that met its node going down: counted, not lost data.
          failed++;
        }
      }
    })();

    try {
      for (const node of [...cluster.nodes].reverse()) {
        restarting.add(node);
        await cluster.stopNode(node);
        await cluster.restart(node);
        await cluster.waitForTables(K, [node]);
        restarting.delete(node);
      }
    } finally {
      rolling = false;
      await reader;
    }

    t.diagnostic(`reads during the rollout: ${ok} right, ${failed} failed, ${wrong.length} lost or wrong`);
    assert.deepEqual(wrong, [], 'a read returned no value or a wrong one');
    assert.ok(ok > 0, 'the reader ran');
    assert.ok(failed <= 0.01 * (ok + failed), `${failed} of ${ok + failed} reads failed`);
    assert.deepEqual(await Promise.all(cluster.nodes.map(nodeIdHex)), idsBefore, 'every node kept its id');
  });
});
