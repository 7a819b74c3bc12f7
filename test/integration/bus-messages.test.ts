/**
 * What a node's actors send each other, as its Admin Stats counts it (real nats-server, real
 * processes): in a co-located node nothing between its own actors crosses nats-server; a peer's
 * FIND_NODE is answered from the routing table's view without a bus request; a Put's k STOREs
 * are one transport request.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { compareDistance, idToHex } from '../../libs/kademlia/index.js';
import { unary, type v1 } from '../../libs/proto/index.js';
import { startNatsServer, type NatsServerProcess } from '../../libs/runtime/index.js';
import { rawPeerClient } from '../../harness/grpc-probe.js';
import { waitFor } from '../../harness/wait-for.js';
import { ProcessCluster, tableEntries, type ProcessNode } from '../../harness/process-cluster.js';

const K = 3;

/** `actor.verb` -> [in process, over NATS] messages the node has sent so far. */
async function busCounts(node: ProcessNode): Promise<Map<string, [number, number]>> {
  const stats = await node.client.stats({ timeoutMs: 5_000 });
  return new Map(stats.busMessages.map((c: v1.BusMessageCount__Output) => [`${c.actor}.${c.verb}`, [c.inProcess, c.overNats]]));
}
const sent = (counts: Map<string, [number, number]>, verb: string): number => (counts.get(verb)?.[0] ?? 0) + (counts.get(verb)?.[1] ?? 0);

describe('bus messages - what a co-located node sends its own actors', () => {
  let nats: NatsServerProcess;
  let cluster: ProcessCluster;

  before(async () => {
    nats = await startNatsServer();
    cluster = await ProcessCluster.start({ nodes: 5, natsUrl: nats.url, env: { KAD_K: String(K) } });
    await cluster.waitForTables(K);
  });
  after(async () => {
    await cluster?.stop();
    await nats?.stop();
  });

  test('nothing crosses nats-server; FIND_NODE is answered from the table view; a Put is one transport.store', async () => {
    const node = cluster.nodes[1]!;
    const peer = rawPeerClient(node.address);
    try {
      const before = await busCounts(node);
      for (let i = 0; i < 20; i++) {
        const target = randomBytes(32);
        // The answer is the table's K closest. The view follows the table within 100 ms, and a
        // table of K = 3 with four peers may still take one in or park one meanwhile: an answer
        // that differs from the table read just before it is asked again, until they agree.
        await waitFor(
          `node-1's FIND_NODE answer to be its table's ${K} closest`,
          async () => {
            const expected = (await tableEntries(node))
              .map((e) => e.idHex)
              .sort((a, b) => compareDistance(target, Buffer.from(a, 'hex'), Buffer.from(b, 'hex')))
              .slice(0, K);
            const reply = await unary<v1.FindNodeRequest, v1.FindNodeResponse__Output>(peer, peer.FindNode, { target }, 2_000);
            assert.deepEqual(
              reply.closer.map((c) => idToHex(c.id)),
              expected,
            );
            return true;
          },
          { timeoutMs: 5_000, intervalMs: 150 },
        );
      }
      const afterFindNodes = await busCounts(node);
      // Only the Stats calls' own asks: no routing-table.closest per FIND_NODE.
      assert.equal(sent(afterFindNodes, 'routing-table.closest'), sent(before, 'routing-table.closest'));

      const put = await node.client.put('counted', 'once');
      assert.equal(put.acknowledged, K);
      const afterPut = await busCounts(node);
      // One request (two messages) to transport.store whether or not this node is a replica.
      assert.equal(sent(afterPut, 'transport.store') - sent(afterFindNodes, 'transport.store'), 2);
      for (const [verb, [, overNats]] of afterPut) assert.equal(overNats, 0, `${verb} crossed nats-server`);
    } finally {
      peer.close();
    }
  });
});
