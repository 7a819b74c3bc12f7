/**
 * Two networks that lost each other merge again: what a healed partition leaves behind once each
 * side has evicted the other. Group B forms while group A's bootstrap node is down (B lists it as
 * a bootstrap address but joins through its own first node); A's node comes back; B's nodes,
 * already joined, meet it again on the re-bootstrap every KAD_REFRESH_MS, and the two tables
 * and key spaces become one. Real processes; one nats-server per group (each group's nodes are
 * named node-0..2, as separate deployments would be).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startNatsServer, type NatsServerProcess } from '../../libs/runtime/index.js';
import { nodeIdHex, ProcessCluster, tableIdsHex, type ProcessNode } from '../../harness/process-cluster.js';
import { waitFor } from '../../harness/wait-for.js';
import { readBack } from '../../harness/workload.js';

const ENV = { KAD_K: '4', KAD_REFRESH_MS: '2000', KAD_RPC_TIMEOUT_MS: '1000', KAD_LOOKUP_TIMEOUT_MS: '5000' };

describe('merge - two groups that do not know each other become one network', () => {
  const nats: NatsServerProcess[] = [];
  let groupA: ProcessCluster;
  let groupB: ProcessCluster;

  before(async () => {
    nats.push(await startNatsServer(), await startNatsServer());
    groupA = await ProcessCluster.start({ nodes: 3, natsUrl: nats[0]!.url, dataDirs: true, env: ENV });
    await groupA.waitForTables(2);
  });
  after(async () => {
    await groupB?.stop();
    await groupA?.stop();
    await Promise.all(nats.map((n) => n.stop()));
  });

  test("after A's bootstrap node returns, every table holds both groups and every key is read through every node", async () => {
    const a0 = groupA.nodes[0]!;
    for (let i = 0; i < 10; i++) assert.ok((await groupA.nodes[i % 3]!.client.put(`a-${i}`, `from A ${i}`)).acknowledged >= 1);

    // A's bootstrap node is away while B forms: B's nodes list it, cannot reach it, and join
    // through B's own first node instead.
    await groupA.stopNode(a0);
    groupB = await ProcessCluster.start({ nodes: 3, natsUrl: nats[1]!.url, env: ENV, extraBootstrap: [a0.address] });
    await groupB.waitForTables(2);
    for (let i = 0; i < 10; i++) assert.ok((await groupB.nodes[i % 3]!.client.put(`b-${i}`, `from B ${i}`)).acknowledged >= 1);
    const idsOf = async (group: ProcessCluster): Promise<Set<string>> => new Set(await Promise.all(group.nodes.map(nodeIdHex)));
    const idsB = await idsOf(groupB);
    for (const node of groupB.nodes) {
      assert.ok(
        (await tableIdsHex(node)).every((id) => idsB.has(id)),
        `${node.name} of B knows only B`,
      );
    }

    await groupA.restart(a0);
    const idsA = await idsOf(groupA);
    const everyone: Array<{ node: ProcessNode; group: string }> = [
      ...groupA.nodes.map((node) => ({ node, group: 'A' })),
      ...groupB.nodes.map((node) => ({ node, group: 'B' })),
    ];
    await waitFor(
      'every table to hold contacts of both groups',
      async () => {
        for (const { node } of everyone) {
          const ids = await tableIdsHex(node);
          if (!ids.some((id) => idsA.has(id)) || !ids.some((id) => idsB.has(id))) return false;
        }
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    const readers = everyone.map(({ node, group }) => ({ name: `${group}/${node.name}`, client: node.client }));
    const keys = ['a', 'b'].flatMap((prefix) => Array.from({ length: 10 }, (_, i) => `${prefix}-${i}`));
    // a-3 was written in group A as "from A 3".
    const { failed } = await readBack(readers, keys, (key) => `from ${key.slice(0, 1).toUpperCase()} ${key.slice(2)}`);
    assert.deepEqual(failed, []);
  });
});
