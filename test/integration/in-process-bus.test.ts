/**
 * The embedded deployment: 8 nodes in one process on the in-process bus (same subjects and
 * codec as NATS), real gRPC between them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InProcessCluster } from '../testkit/in-process-cluster.js';
import { pick, runBounded } from '../../harness/workload.js';
import { SeededRandom } from '../../libs/sampling/index.js';

const K = 4;

describe('cluster on the in-process bus - 8 nodes in one process', () => {
  let cluster: InProcessCluster;
  const random = new SeededRandom(7);

  before(async () => {
    cluster = await InProcessCluster.start(8, { k: String(K), alpha: '2', 'rpc-timeout-ms': '1000' });
    await cluster.waitForTables(K);
  });
  after(async () => cluster?.stop());

  test('200 values Put through random nodes are read back through other nodes', async () => {
    await runBounded(200, 8, async (i) => {
      const writer = pick(random, cluster.nodes);
      const reply = await writer.client.put(`mem-key-${i}`, `mem-value-${i}`);
      assert.equal(reply.acknowledged, K);
      const reader = pick(random, cluster.nodes, writer);
      const got = await reader.client.get(`mem-key-${i}`);
      assert.equal(got.found, true);
      assert.equal(Buffer.from(got.value).toString(), `mem-value-${i}`);
    });
  });

  test('a key nobody stored is found = false with status OK', async () => {
    const reply = await cluster.nodes[1]!.client.get('never-stored');
    assert.equal(reply.found, false);
    assert.equal(reply.value.length, 0);
  });
});
