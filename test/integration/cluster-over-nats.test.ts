/**
 * The working cluster, end to end: a real nats-server, 8 nodes as separate OS processes on
 * loopback (node-3 split into its four actor processes), real gRPC between them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ProcessCluster } from '../../harness/process-cluster.js';
import { latencySummary, pick, runBounded, timed } from '../../harness/workload.js';
import { SeededRandom } from '../../libs/sampling/index.js';

const K = 4;
const RECORDS = 200;
const SEED = Number(process.env['KAD_TEST_SEED'] ?? 20261121);

describe('cluster over NATS - 8 node processes, one split into four actor processes', () => {
  let cluster: ProcessCluster;
  const random = new SeededRandom(SEED);
  const values = new Map<string, string>();

  before(async () => {
    cluster = await ProcessCluster.start({
      nodes: 8,
      split: [3],
      env: { KAD_K: String(K), KAD_ALPHA: '2', KAD_RPC_TIMEOUT_MS: '1000', KAD_LOOKUP_TIMEOUT_MS: '5000' },
    });
    await cluster.waitForTables(K);
  });

  after(async () => cluster?.stop());

  test(`${RECORDS} values Put through random nodes are read back through other nodes`, async (t) => {
    const putMs: number[] = [];
    const getMs: number[] = [];
    await runBounded(RECORDS, 8, async (i) => {
      const key = `key-${i}`;
      const value = `value-${i}-${random.float().toString(36).slice(2)}`;
      const writer = pick(random, cluster.nodes);
      const { value: reply, ms } = await timed(() => writer.client.put(key, value));
      putMs.push(ms);
      assert.equal(reply.acknowledged, K, `${key}: stored on ${reply.acknowledged} of ${reply.attempted}`);
      values.set(key, value);
      const reader = pick(random, cluster.nodes, writer);
      const got = await timed(() => reader.client.get(key));
      getMs.push(got.ms);
      assert.equal(got.value.found, true, `${key} not found through ${reader.name}`);
      assert.equal(Buffer.from(got.value.value).toString(), value);
    });
    t.diagnostic(latencySummary('put (8 nodes, k=4, 8 in flight)', putMs));
    t.diagnostic(latencySummary('get (8 nodes, k=4, 8 in flight)', getMs));
  });

  test('one at a time: Put and Get latency', async (t) => {
    const putMs: number[] = [];
    const getMs: number[] = [];
    for (let i = 0; i < 100; i++) {
      const writer = pick(random, cluster.nodes);
      putMs.push((await timed(() => writer.client.put(`serial-${i}`, `v${i}`))).ms);
      const reader = pick(random, cluster.nodes, writer);
      const got = await timed(() => reader.client.get(`serial-${i}`));
      assert.equal(Buffer.from(got.value.value).toString(), `v${i}`);
      getMs.push(got.ms);
    }
    t.diagnostic(latencySummary('put (one at a time)', putMs));
    t.diagnostic(latencySummary('get (one at a time)', getMs));
  });

  test('with k=4, killing 3 nodes with SIGKILL loses none of the values', async () => {
    assert.equal(values.size, RECORDS);
    for (const index of [0, 5, 6]) cluster.kill(cluster.nodes[index]!);
    const live = cluster.live();
    const missing: string[] = [];
    await runBounded(RECORDS, 8, async (i) => {
      const key = `key-${i}`;
      const reply = await pick(random, live).client.get(key);
      if (!reply.found || Buffer.from(reply.value).toString() !== values.get(key)) missing.push(key);
    });
    assert.deepEqual(missing, []);
  });
});
