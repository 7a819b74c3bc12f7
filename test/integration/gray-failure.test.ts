/**
 * A gray failure (as in the 2023 IPFS incident): a node frozen with SIGSTOP keeps
 * its sockets, so the kernel still accepts connections to it and peers' RPCs wait for replies
 * that never come, which is how a hung process looks from the network. Lookups must route
 * around it; after SIGCONT it must serve again and come to hold the records written meanwhile.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { idToHex } from '../../libs/kademlia/index.js';
import { ProcessCluster, tableIdsHex } from '../../harness/process-cluster.js';
import { isAmong, takeCensus, waitForHolding } from '../testkit/replica-census.js';
import { waitFor } from '../../harness/wait-for.js';
import { latencySummary, readBack, runBounded } from '../../harness/workload.js';

const K = 3;
const REPLICATE_MS = 3_000;
const valueOf = (key: string): string => `value of ${key}`;

describe('gray failure - a node frozen with SIGSTOP, then thawed', () => {
  let cluster: ProcessCluster;
  const writtenBefore = Array.from({ length: 30 }, (_, i) => `before-${i}`);
  const writtenWhileFrozen = Array.from({ length: 30 }, (_, i) => `while-frozen-${i}`);

  before(async () => {
    cluster = await ProcessCluster.start({
      nodes: 6,
      env: { KAD_K: String(K), KAD_RPC_TIMEOUT_MS: '500', KAD_LOOKUP_TIMEOUT_MS: '4000', KAD_REPLICATE_MS: String(REPLICATE_MS) },
    });
    await cluster.waitForTables(K);
    await runBounded(writtenBefore.length, 8, async (i) => {
      const key = writtenBefore[i]!;
      assert.equal((await cluster.nodes[i % cluster.nodes.length]!.client.put(key, valueOf(key))).acknowledged, K);
    });
  });

  after(async () => cluster?.stop());

  test('the others serve around it; thawed, it serves again and gets what was written meanwhile', async (t) => {
    const frozen = cluster.nodes[2]!;
    const frozenId = (await takeCensus([frozen])).contacts[0]!;
    const others = cluster.live().filter((n) => n !== frozen);
    const healthy = await readBack(others, writtenBefore, valueOf);
    assert.deepEqual(healthy.failed, []);
    cluster.freeze(frozen);

    const whileFrozen = await readBack(others, writtenBefore, valueOf);
    assert.deepEqual(whileFrozen.failed, [], 'every read through the others while it is frozen');
    t.diagnostic(latencySummary('Get through the others, all nodes up', healthy.ms));
    t.diagnostic(latencySummary('Get through the others, one frozen (RPC timeout 500 ms)', whileFrozen.ms));
    // A lookup's k closest are the nodes that answered, so Puts still reach k live nodes.
    await runBounded(writtenWhileFrozen.length, 8, async (i) => {
      const key = writtenWhileFrozen[i]!;
      const reply = await others[i % others.length]!.client.put(key, valueOf(key), { timeoutMs: 15_000 });
      assert.equal(reply.acknowledged, K, `${key}: stored on ${reply.acknowledged} of ${reply.attempted}`);
    });

    // RPCs to it time out; after 5 in a row a peer evicts it (§4.1). How many reached it so far
    // depends on where the keys fell, so lookups of absent keys (which ask all k closest) go on
    // until one peer has.
    const frozenHex = idToHex(frozenId.id);
    const evictors = async () =>
      (await Promise.all(others.map(async (n) => ((await tableIdsHex(n)).includes(frozenHex) ? [] : [n])))).flat();
    const evictedBy = await waitFor(
      'a peer to evict the frozen node',
      async () => {
        const found = await evictors();
        if (found.length > 0) return found;
        await Promise.all(
          others.flatMap((n) => [1, 2, 3].map(() => n.client.get(`absent-${randomBytes(4).toString('hex')}`, { timeoutMs: 15_000 }))),
        );
        return undefined;
      },
      { timeoutMs: 60_000, intervalMs: 0 },
    );

    cluster.thaw(frozen);
    await cluster.waitHealthy(frozen);
    assert.deepEqual(
      (await readBack([frozen], [...writtenBefore, ...writtenWhileFrozen], valueOf)).failed,
      [],
      'every read through the thawed node',
    );
    // Its lookups reach the peers that evicted it, and they take it back: not necessarily all of
    // them, since a bucket that refilled from its replacement cache while it was away keeps its
    // live contacts and parks the returning node as a replacement (§2.2).
    await waitFor(`one of ${evictedBy.map((n) => n.name).join(', ')} to take the thawed node back`, async () =>
      (await Promise.all(evictedBy.map(tableIdsHex))).some((ids) => ids.includes(frozenHex)),
    );

    // Hand-off (by the peers that take it back) and replication bring it the records it should hold.
    const census = await takeCensus(cluster.live());
    try {
      const owed = writtenWhileFrozen.filter((key) => isAmong(frozenId, census.closest(key, K)));
      assert.ok(owed.length > 0, 'some records written while it was frozen belong on it');
      await waitForHolding(
        census,
        frozen.address,
        owed,
        `the thawed node to hold the ${owed.length} records written meanwhile that belong on it (logs in ${cluster.logDir})`,
        {
          timeoutMs: 8 * REPLICATE_MS,
          intervalMs: REPLICATE_MS / 4,
        },
      );
    } finally {
      census.close();
    }
  });
});
