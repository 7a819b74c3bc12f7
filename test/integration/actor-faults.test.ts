/**
 * One actor of a node dies (storage, then routing-table). node-2 runs as four actor processes; one
 * of them is SIGKILLed and later started again, as a container restart policy would. The other
 * actors run on, and calls that need the dead one fail fast with UNAVAILABLE naming it, never
 * hang. Once it is back the node serves again, and what the dead actor held in memory comes back
 * from the network: the records through hand-off and the holders' re-replication, the routing
 * table through a fresh join.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ProcessCluster, type ProcessNode } from '../../harness/process-cluster.js';
import { isAmong, takeCensus, waitForHolding } from '../testkit/replica-census.js';
import { waitFor } from '../../harness/wait-for.js';
import { readBack, runBounded } from '../../harness/workload.js';

const K = 3;
const REPLICATE_MS = 2_000;
const valueOf = (key: string): string => `value of ${key}`;

async function rejectsUnavailable(call: Promise<unknown>, actor: string): Promise<void> {
  await assert.rejects(call, (err: grpc.ServiceError) => {
    assert.equal(err.code, grpc.status.UNAVAILABLE, `expected UNAVAILABLE, got ${grpc.status[err.code]}: ${err.details}`);
    assert.match(err.details, new RegExp(actor));
    return true;
  });
}

describe('actor faults - one actor of a split node killed and started again', () => {
  let cluster: ProcessCluster;
  let node: ProcessNode;
  const keys = Array.from({ length: 30 }, (_, i) => `actor-fault-${i}`);

  before(async () => {
    cluster = await ProcessCluster.start({
      nodes: 5,
      split: [2],
      env: { KAD_K: String(K), KAD_REPLICATE_MS: String(REPLICATE_MS), KAD_RPC_TIMEOUT_MS: '1000', KAD_LOOKUP_TIMEOUT_MS: '4000' },
    });
    await cluster.waitForTables(K);
    node = cluster.nodes[2]!;
    await runBounded(keys.length, 8, async (i) => {
      const reply = await cluster.nodes[i % cluster.nodes.length]!.client.put(keys[i]!, valueOf(keys[i]!));
      assert.equal(reply.acknowledged, K);
    });
  });

  after(async () => cluster?.stop());

  test('storage: Gets through the node fail fast while it is dead; started again empty, it gets its records back', async () => {
    const census = await takeCensus(cluster.nodes);
    try {
      const self = census.contacts[2]!;
      const owed = keys.filter((key) => isAmong(self, census.closest(key, K)));
      assert.ok(owed.length > 0, 'node-2 is among the k closest for some keys');
      await cluster.killActor(node, 'storage');

      await rejectsUnavailable(node.client.get(owed[0]!, { timeoutMs: 10_000 }), 'storage');
      assert.deepEqual((await readBack([cluster.nodes[0]!], owed, valueOf)).failed, [], 'the other holders still serve its records');

      // A split node keeps its key in its data dir; its records go, so storage starts empty.
      rmSync(join(node.dataDir!, 'records'), { recursive: true, force: true });
      cluster.restartActor(node, 'storage');
      await waitFor(`${node.name}'s storage actor to answer`, async () => (await node.client.stats({ timeoutMs: 2_000 })).records >= 0);
      // Its reads reach the peers, which hand it back its share.
      assert.deepEqual((await readBack([node], keys, valueOf)).failed, [], 'every record read through the node');
      await waitForHolding(
        census,
        node.address,
        owed,
        `${node.name} to hold again the ${owed.length} records it is among the k closest for (logs in ${cluster.logDir})`,
        {
          timeoutMs: 10 * REPLICATE_MS,
          intervalMs: REPLICATE_MS / 4,
        },
      );
    } finally {
      census.close();
    }
  });

  test('routing-table: lookups through the node fail fast while it is dead; started again empty, it joins again', async () => {
    const contactsBefore = (await node.client.stats()).contacts;
    await cluster.killActor(node, 'routing-table');

    // A key the node does not hold needs a lookup, and a lookup needs the table.
    await rejectsUnavailable(node.client.get('never-written', { timeoutMs: 10_000 }), 'routing-table');
    assert.deepEqual((await readBack([cluster.nodes[0]!], keys, valueOf)).failed, [], 'the rest of the network serves every record');

    cluster.restartActor(node, 'routing-table');
    await waitFor(
      `${node.name}'s routing table to hold ${contactsBefore} contacts again (logs in ${cluster.logDir})`,
      async () => (await node.client.stats({ timeoutMs: 2_000 })).contacts >= contactsBefore,
    );
    assert.deepEqual((await readBack([node], keys, valueOf)).failed, [], 'every record read through the node');
  });
});
