/**
 * A network partition, made of real dropped packets: six nodes, each in its
 * own network namespace, are cut into two halves of three by blackhole routes (every packet
 * between the halves vanishes, so a peer sees only unanswered retries, as behind a dead
 * switch). NATS (one per cluster, on the bridge) stays reachable: it carries only each node's
 * own actors' traffic. While split, each half serves writes and its own reads, and reads of the
 * other half's records end, without hanging, with nothing found. After the heal the halves
 * merge again (re-bootstrap and refresh, KAD_REFRESH_MS), every record is readable everywhere,
 * and the conflicting writes to one key settle on the same winner on every node.
 *
 * Needs root and iproute2 (see test/testkit/netns-lab.ts); skips with the reason otherwise.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { natsServerInstalled, startNatsServer, type NatsServerProcess } from '../../libs/runtime/index.js';
import { BRIDGE_IP, NetnsLab, netnsUnavailable, removeStaleNetns } from '../testkit/netns-lab.js';
import { nodeIdHex, ProcessCluster, tableIdsHex, type ProcessNode } from '../../harness/process-cluster.js';
import { waitFor } from '../../harness/wait-for.js';
import { readBack, runBounded } from '../../harness/workload.js';

const K = 3;
const REFRESH_MS = 2_000;
const valueOf = (key: string): string => `value of ${key}`;

/** Puts key = value through the writer: at once on `atOnce` nodes at least, and (again, until
 * it is so) on k nodes within `settleMs`. */
async function putOn(writer: ProcessNode, key: string, value: string, atOnce: number, settleMs: number): Promise<void> {
  const first = await writer.client.put(key, value, { timeoutMs: 15_000 });
  assert.ok(first.acknowledged >= atOnce, `${key} through ${writer.name}: stored on ${first.acknowledged} of ${first.attempted}`);
  if (first.acknowledged === K) return;
  await waitFor(
    `${key} through ${writer.name} to be stored on ${K} nodes`,
    async () => {
      const again = await writer.client.put(key, value, { timeoutMs: 15_000 });
      if (again.acknowledged === K) return true;
      throw new Error(`stored on ${again.acknowledged} of ${again.attempted}`);
    },
    { timeoutMs: settleMs, intervalMs: 500 },
  );
}

/** Puts each key (its value: valueOf) through the nodes in turn, as putOn does. */
async function putAll(nodes: readonly ProcessNode[], keys: readonly string[], atOnce: number, settleMs: number): Promise<void> {
  await runBounded(keys.length, 4, (i) => putOn(nodes[i % nodes.length]!, keys[i]!, valueOf(keys[i]!), atOnce, settleMs));
}

test('partition - two halves cut apart by dropped packets, then healed', { timeout: 240_000 }, async (t) => {
  const reason =
    netnsUnavailable() ?? (natsServerInstalled() ? undefined : 'nats-server is not installed (Debian: apt-get install -y nats-server)');
  if (reason) {
    t.skip(reason);
    return;
  }
  removeStaleNetns();
  const lab = new NetnsLab();
  let nats: NatsServerProcess | undefined;
  let cluster: ProcessCluster | undefined;
  try {
    nats = await startNatsServer({ host: BRIDGE_IP });
    cluster = await ProcessCluster.start({
      nodes: 6,
      natsUrl: nats.url,
      placement: lab.nodePlacement(),
      env: { KAD_K: String(K), KAD_RPC_TIMEOUT_MS: '1000', KAD_LOOKUP_TIMEOUT_MS: '4000', KAD_REFRESH_MS: String(REFRESH_MS) },
    });
    await cluster.waitForTables(K);
    const [sideA, sideB] = [cluster.nodes.slice(0, 3), cluster.nodes.slice(3)];
    const writtenBefore = Array.from({ length: 12 }, (_, i) => `before-${i}`);
    const writtenOnA = Array.from({ length: 6 }, (_, i) => `side-a-${i}`);
    const writtenOnB = Array.from({ length: 6 }, (_, i) => `side-b-${i}`);
    await putAll(cluster.nodes, writtenBefore, K, 0);

    const cutAt = Date.now();
    lab.partition(
      sideA.map((n) => lab.hostOf(n.address)),
      sideB.map((n) => lab.hostOf(n.address)),
    );
    // Each half serves writes at once. Until its nodes have evicted the other half (5 failed
    // RPCs each), replies are full of unreachable contacts and a lookup may not find all three
    // of its own; after that, a lookup's k closest are its own half.
    const settleMs = 30 * REFRESH_MS;
    await putAll(sideA, writtenOnA, 1, settleMs);
    await putAll(sideB, writtenOnB, 1, settleMs);
    const settledMs = Date.now() - cutAt;
    assert.deepEqual((await readBack(sideA, writtenOnA, valueOf)).failed, [], 'side A reads its own writes');
    assert.deepEqual((await readBack(sideB, writtenOnB, valueOf)).failed, [], 'side B reads its own writes');
    // The other half's records are out of reach: the Get ends, not found, within its deadline.
    for (const [reader, key] of [
      [sideA[1]!, writtenOnB[0]!],
      [sideB[1]!, writtenOnA[0]!],
    ] as const) {
      const reply = await reader.client.get(key, { timeoutMs: 15_000 });
      assert.equal(reply.found, false, `${key} through ${reader.name} across the cut`);
    }
    // One key written on both sides, B's write the later one: newest wins once they meet.
    await putOn(sideA[0]!, 'contested', 'from side A', 1, settleMs);
    await putOn(sideB[0]!, 'contested', 'from side B', 1, settleMs);

    lab.heal();
    const healedAt = Date.now();
    const idsOf = new Map(await Promise.all(cluster.nodes.map(async (n) => [n, await nodeIdHex(n)] as const)));
    const knowsOtherSide = async (node: ProcessNode, otherSide: readonly ProcessNode[]) => {
      const ids = await tableIdsHex(node);
      return otherSide.some((other) => ids.includes(idsOf.get(other)!));
    };
    await waitFor(
      `every node to know a node of the other half again (logs in ${cluster.logDir})`,
      async () =>
        (await Promise.all([...sideA.map((n) => knowsOtherSide(n, sideB)), ...sideB.map((n) => knowsOtherSide(n, sideA))])).every(Boolean),
      { timeoutMs: 30 * REFRESH_MS, intervalMs: 500 },
    );
    const mergedMs = Date.now() - healedAt;
    await waitFor(
      'every record to be readable through every node',
      async () => {
        const { failed } = await readBack(cluster!.nodes, [...writtenBefore, ...writtenOnA, ...writtenOnB], valueOf);
        if (failed.length === 0) return true;
        throw new Error(`${failed.length} reads failed, e.g. ${failed.slice(0, 5).join(', ')}`);
      },
      { timeoutMs: 30 * REFRESH_MS, intervalMs: 1_000 },
    );
    t.diagnostic(
      `KAD_REFRESH_MS ${REFRESH_MS}: writes on k nodes of each half ${settledMs} ms after the cut; ` +
        `after the heal, tables merged in ${mergedMs} ms and every record readable everywhere in ${Date.now() - healedAt} ms`,
    );
    for (const node of cluster.nodes) {
      const reply = await node.client.get('contested', { quorum: K, timeoutMs: 15_000 });
      assert.equal(Buffer.from(reply.value).toString(), 'from side B', `quorum read of the contested key through ${node.name}`);
    }
  } finally {
    await cluster?.stop();
    await nats?.stop();
    lab.destroy();
  }
});
