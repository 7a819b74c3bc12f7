/**
 * Churn: 12 node processes, k=4, 300 records; three waves of killing 3 nodes with
 * SIGKILL and starting 3 fresh ones with new ids. After each wave and a replication interval,
 * every record is readable from every live node and held by its k closest live nodes again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ProcessCluster } from '../../harness/process-cluster.js';
import { takeCensus } from '../testkit/replica-census.js';
import { waitFor } from '../../harness/wait-for.js';
import { pick, readBack, runBounded } from '../../harness/workload.js';
import { SeededRandom } from '../../libs/sampling/index.js';

const K = 4;
const RECORDS = 300;
const REPLICATE_MS = 10_000;
const WAVES = 3;

describe('churn - 12 nodes, k=4, 300 records, three waves of 3 killed and 3 fresh', () => {
  let cluster: ProcessCluster;
  const random = new SeededRandom(Number(process.env['KAD_TEST_SEED'] ?? 3));
  const keys = Array.from({ length: RECORDS }, (_, i) => `churn-${i}`);
  const valueOf = (key: string): string => `value of ${key}`;

  before(async () => {
    cluster = await ProcessCluster.start({
      nodes: 12,
      env: {
        KAD_K: String(K),
        KAD_ALPHA: '3',
        KAD_REPLICATE_MS: String(REPLICATE_MS),
        KAD_REFRESH_MS: '10000',
        KAD_RPC_TIMEOUT_MS: '2000',
        KAD_LOOKUP_TIMEOUT_MS: '6000',
      },
    });
    await cluster.waitForTables(K);
    await runBounded(RECORDS, 8, async (i) => {
      const reply = await pick(random, cluster.nodes).client.put(keys[i]!, valueOf(keys[i]!));
      assert.equal(reply.acknowledged, K);
    });
  });

  after(async () => cluster?.stop());

  for (let wave = 1; wave <= WAVES; wave++) {
    test(`wave ${wave}: every record readable everywhere and back on its k closest live nodes`, async (t) => {
      const victims = [...cluster.live()].sort(() => random.float() - 0.5).slice(0, 3);
      for (const victim of victims) cluster.kill(victim);
      const fresh = [];
      for (let i = 0; i < 3; i++) fresh.push(await cluster.addNode());
      await cluster.waitForTables(K, fresh);
      const live = cluster.live();
      const census = await takeCensus(live);
      try {
        const lostRightAfter = (
          await runBounded(RECORDS, 16, async (i) => {
            const holders = await Promise.all(census.closest(keys[i]!, K).map((c) => census.holds(c.address, keys[i]!)));
            return holders.some(Boolean) ? 0 : (1 as number);
          })
        ).reduce((a, b) => a + b, 0);

        // Within a few replication intervals every record is on its k closest live nodes again.
        await waitFor(
          `every record on its ${K} closest live nodes (logs in ${cluster.logDir})`,
          async () => {
            const missing = await runBounded(RECORDS, 16, async (i) => {
              const closest = census.closest(keys[i]!, K);
              const held = await Promise.all(closest.map((c) => census.holds(c.address, keys[i]!)));
              return held.filter((h) => !h).length;
            });
            return missing.every((m) => m === 0);
          },
          { timeoutMs: 8 * REPLICATE_MS, intervalMs: REPLICATE_MS / 2 },
        );

        const { failed: unreadable } = await readBack(live, keys, valueOf, { parallel: 16 });
        assert.deepEqual(unreadable.slice(0, 10), [], `${unreadable.length} reads failed`);

        const replicas = await runBounded(RECORDS, 16, async (i) => {
          const held = await Promise.all(live.map((n) => census.holds(n.address, keys[i]!)));
          return held.filter(Boolean).length;
        });
        const mean = replicas.reduce((a, b) => a + b, 0) / RECORDS;
        t.diagnostic(
          `wave ${wave}: killed ${victims.map((v) => v.name).join(',')}; records with no copy on their k closest right after: ${lostRightAfter}; ` +
            `records lost: 0; copies per record on live nodes: mean ${mean.toFixed(2)}, min ${Math.min(...replicas)}, max ${Math.max(...replicas)}`,
        );
      } finally {
        census.close();
      }
    });
  }
});
