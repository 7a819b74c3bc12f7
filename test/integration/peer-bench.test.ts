/**
 * The cluster benchmark's side-by-side peer (bench/peer/): four real bittorrent-dht processes on
 * loopback settle (every table holds the other three), a BEP 44 Put through node 0 is found by a
 * Get through node 3, and malformed IPC requests get error replies while the node keeps
 * answering.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { Serializable } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { BittorrentDhtCluster } from '../../bench/peer/bittorrent-dht-cluster.js';
import { waitFor } from '../../harness/wait-for.js';

const NODES = 4;
const CALL_MS = 5_000;

/** A BEP 44 immutable value's key: SHA-1 of its bencoding (`<length>:<bytes>`). */
function immutableKey(value: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${value.length}:`), value]))
    .digest('hex');
}

describe('bittorrent-dht peer cluster (bench/peer)', () => {
  let cluster: BittorrentDhtCluster | undefined;
  const nodes = () => cluster!.nodes;

  before(async () => {
    cluster = await BittorrentDhtCluster.start({ nodes: NODES });
  });

  after(async () => {
    await cluster?.stop();
    cluster?.removeLogs();
  });

  test('settles: every routing table holds the other three nodes', async () => {
    const settle = await cluster!.waitSettled(10_000);
    assert.equal(settle.wanted, NODES - 1);
    assert.ok(settle.settled, `contacts per node ${settle.contacts.join(' ')} (logs in ${cluster!.logDir})`);
    assert.ok(settle.settleMs > 0 && settle.settleMs < 10_000 + 5_000, `settleMs ${settle.settleMs}`);
    assert.equal(cluster!.pids().length, NODES);
  });

  test('a Put through node 0 is found by a Get through node 3', async () => {
    const value = randomBytes(100);
    const put = await nodes()[0]!.put(value, CALL_MS);
    assert.equal(put.hash, immutableKey(value));
    assert.ok(put.stored >= 1, `stored on ${put.stored} replicas`);
    const got = await waitFor(
      'node-3 to find the value',
      async () => {
        const reply = await nodes()[3]!.get(put.hash, CALL_MS);
        return reply.found ? reply : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    assert.equal(got.bytes, value.length);
    const missing = await nodes()[3]!.get(randomBytes(20).toString('hex'), CALL_MS);
    assert.deepEqual(missing, { found: false, bytes: 0 });
  });

  test('malformed IPC requests get an error reply; the node keeps answering', async () => {
    const node = nodes()[1]!;
    const anonymous: Serializable[] = [
      'hello',
      42,
      [],
      { op: 'stats' },
      { id: -1, op: 'stats' },
      { id: 1.5, op: 'stats' },
      { id: '7', op: 'stats' },
    ];
    for (const message of anonymous) {
      const reply = await node.sendRaw(message, CALL_MS);
      assert.equal(reply.ok, false, JSON.stringify(message));
      assert.equal(reply.id, null, JSON.stringify(message));
    }
    const withId: readonly (Record<string, unknown> & { readonly id: number })[] = [
      { id: 9001, op: 'explode' },
      { id: 9002, op: 'put' },
      { id: 9003, op: 'put', value: 12 },
      { id: 9004, op: 'put', value: 'not base64!' },
      { id: 9005, op: 'put', value: randomBytes(1000).toString('base64') },
      { id: 9006, op: 'get', hash: 'xyz' },
      { id: 9007, op: 'get', hash: 'AB'.repeat(20) },
    ];
    for (const message of withId) {
      const reply = await node.sendRaw(message, CALL_MS);
      assert.equal(reply.ok, false, JSON.stringify(message).slice(0, 80));
      assert.equal(reply.id, message.id);
      if (!reply.ok) assert.ok(reply.error.length > 0);
    }
    assert.equal(node.child.exitCode, null, 'the node is still running');
    assert.equal(await node.contacts(CALL_MS), NODES - 1);
    const value = randomBytes(999);
    const put = await node.put(value, CALL_MS);
    assert.deepEqual(await nodes()[2]!.get(put.hash, CALL_MS), { found: true, bytes: 999 });
  });
});
