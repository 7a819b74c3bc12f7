/**
 * Records nobody can forge or pin (docs/SECURITY.md, "Records"), on real processes, a real
 * nats-server and real gRPC: far-future versions are refused and cannot pin a key; tampered
 * records are never stored or served, whether sent over gRPC or published on the bus; two nodes
 * whose clocks are an hour apart write one key in turn and the last Put wins everywhere; a key
 * owned by a client key changes only with a higher sequence signed by its owner.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ActorClient, NatsBus } from '../../libs/bus/index.js';
import { SigningKey } from '../../libs/identity/index.js';
import { publisherIdOf, MAX_CLOCK_SKEW_MS } from '../../libs/kademlia/index.js';
import { unary, recordToWire, type v1 } from '../../libs/proto/index.js';
import { rawPeerClient } from '../../harness/grpc-probe.js';
import { KAD_CLI, ProcessCluster } from '../../harness/process-cluster.js';
import { signedRecord, signedWireRecord } from '../testkit/records.js';
import { readBack } from '../../harness/workload.js';

/** Every node is a replica of every key, so "every node returns it" reads every replica. */
const NODES = 5;
const K = NODES;
const HOUR_MS = 60 * 60 * 1000;
const YEAR_MS = 365 * 24 * HOUR_MS;
/** node-4's clock runs an hour behind the others (KAD_CLOCK_OFFSET_MS, a test hook). */
const BEHIND = 4;

async function rejectsWith(call: Promise<unknown>, code: grpc.status, message: RegExp): Promise<void> {
  await assert.rejects(call, (err: grpc.ServiceError) => {
    assert.equal(err.code, code, `expected ${grpc.status[code]}, got ${grpc.status[err.code]}: ${err.details}`);
    assert.match(err.details, message);
    return true;
  });
}

describe('record trust - forged, pinned, tampered, skewed and owned records', () => {
  let cluster: ProcessCluster;

  before(async () => {
    cluster = await ProcessCluster.start({
      nodes: NODES,
      env: { KAD_K: String(K), KAD_RPC_TIMEOUT_MS: '1000' },
      nodeEnv: (i): Record<string, string> => (i === BEHIND ? { KAD_CLOCK_OFFSET_MS: String(-HOUR_MS) } : {}),
    });
    await cluster.waitForTables(NODES - 1);
  });

  after(async () => cluster?.stop());

  /** A Store with no sender (a plain gRPC client) to every node. */
  async function storeEverywhere(record: v1.Record): Promise<PromiseSettledResult<v1.StoreResponse__Output>[]> {
    return Promise.all(
      cluster.nodes.map(async (node) => {
        const peer = rawPeerClient(node.address);
        try {
          return await Promise.allSettled([unary<v1.StoreRequest, v1.StoreResponse__Output>(peer, peer.Store, { record }, 5_000)]).then(
            ([r]) => r!,
          );
        } finally {
          peer.close();
        }
      }),
    );
  }

  const nowhere = async (key: string): Promise<void> => {
    for (const node of cluster.nodes) assert.equal((await node.client.get(key)).found, false, `${key} served by ${node.name}`);
  };

  test('a far-future version, creation time or expiry stored from outside is refused; a later Put wins on every node', async () => {
    const now = Date.now();
    const forged = [
      signedWireRecord({ key: 'pinned', value: 'forged', createdMs: now + 10 * YEAR_MS, expiresMs: now + 10 * YEAR_MS + 60_000 }),
      signedWireRecord({
        key: 'pinned',
        value: 'forged',
        createdMs: now + MAX_CLOCK_SKEW_MS + 61_000,
        logical: 2 ** 32 - 1,
        expiresMs: now + 3 * HOUR_MS,
      }),
      signedWireRecord({ key: 'pinned', value: 'forged', expiresMs: now + 10 * YEAR_MS }),
    ];
    for (const record of forged) {
      for (const result of await storeEverywhere(record)) {
        assert.equal(result.status, 'rejected');
        const err = (result as PromiseRejectedResult).reason as grpc.ServiceError;
        assert.equal(err.code, grpc.status.INVALID_ARGUMENT, err.details);
        assert.match(err.details, /past this node's clock/);
      }
    }
    await nowhere('pinned');
    const put = await cluster.nodes[1]!.client.put('pinned', 'honest');
    assert.equal(put.acknowledged, K);
    assert.deepEqual((await readBack(cluster.nodes, ['pinned'], () => 'honest')).failed, []);
  });

  test('a future version inside the bound is stored from outside, yet pins nothing: a later Put outbids it on every node', async () => {
    const ahead = Date.now() + 30 * 60_000;
    for (const result of await storeEverywhere(
      signedWireRecord({ key: 'outsider', value: 'half an hour ahead', createdMs: ahead, expiresMs: ahead + HOUR_MS }),
    )) {
      assert.equal(result.status, 'fulfilled');
      assert.equal((result as PromiseFulfilledResult<v1.StoreResponse__Output>).value.stored, true);
    }
    assert.deepEqual((await readBack(cluster.nodes, ['outsider'], () => 'half an hour ahead')).failed, []);
    const put = await cluster.nodes[3]!.client.put('outsider', 'honest');
    assert.equal(put.acknowledged, K);
    assert.deepEqual((await readBack(cluster.nodes, ['outsider'], () => 'honest')).failed, []);
  });

  test('a tampered value, a tampered signature or a publisher that is not its key is refused by Store and never served', async () => {
    const good = signedRecord({ key: 'tampered', value: 'original' });
    const flipped = Uint8Array.from(good.signature, (b, i) => (i === 10 ? b ^ 0x40 : b));
    const cases: [v1.Record, RegExp][] = [
      [recordToWire({ ...good, value: new TextEncoder().encode('forged') }), /publisher's signature does not verify/],
      [recordToWire({ ...good, signature: flipped }), /publisher's signature does not verify/],
      [
        recordToWire({ ...good, publisher: publisherIdOf(SigningKey.generate().publicKey) }),
        /publisher is not the SHA-256 of publisher_key/,
      ],
    ];
    for (const [record, message] of cases) {
      for (const result of await storeEverywhere(record)) {
        assert.equal(result.status, 'rejected');
        const err = (result as PromiseRejectedResult).reason as grpc.ServiceError;
        assert.equal(err.code, grpc.status.INVALID_ARGUMENT, err.details);
        assert.match(err.details, message);
      }
    }
    await nowhere('tampered');
  });

  test('a tampered record published on the bus (a forged storage.put) is refused and never served', async () => {
    const bus = await NatsBus.connect({ servers: [cluster.natsUrl], name: 'record-trust-forger' });
    try {
      const good = signedRecord({ key: 'forged-on-the-bus', value: 'original' });
      for (const node of cluster.nodes) {
        const actors = new ActorClient(bus, node.name);
        await assert.rejects(
          actors.ask('storage', 'put', { record: { ...good, value: new TextEncoder().encode('nobody put this') } }, 5_000),
          /signature does not verify/,
        );
      }
      await nowhere('forged-on-the-bus');
    } finally {
      await bus.close();
    }
  });

  test('two nodes whose clocks are an hour apart Put one key in turn: every Put succeeds and every node returns the last', async () => {
    const writers = [cluster.nodes[0]!, cluster.nodes[BEHIND]!];
    let last = '';
    for (let round = 0; round < 6; round++) {
      const writer = writers[round % 2]!;
      last = `${writer.name} round ${round}`;
      const put = await writer.client.put('clock-skew', last);
      assert.equal(put.acknowledged, K, `Put ${round} through ${writer.name}`);
      assert.deepEqual((await readBack(cluster.nodes, ['clock-skew'], () => last)).failed, [], `after Put ${round} through ${writer.name}`);
    }
    const read = await cluster.nodes[2]!.client.get('clock-skew', { quorum: K });
    assert.equal(Buffer.from(read.value).toString(), last);
  });

  test('a Put whose TTL cannot outlive the Put is INVALID_ARGUMENT and stores nothing', async () => {
    await rejectsWith(
      cluster.nodes[0]!.client.put('short-lived', 'v', { ttlMs: 50 }),
      grpc.status.INVALID_ARGUMENT,
      /ttl_ms leaves the record 50 ms to live/,
    );
    await nowhere('short-lived');
  });

  test('a client-owned key: its owner updates it; a stale seq, a forged owner or a failed swap is refused and changes nothing', async () => {
    const alice = SigningKey.generate();
    const mallory = SigningKey.generate();
    const [a, b, c] = [cluster.nodes[0]!.client, cluster.nodes[2]!.client, cluster.nodes[BEHIND]!.client];
    const readsEverywhere = async (value: string, seq: number): Promise<void> => {
      for (const node of cluster.nodes) {
        const got = await node.client.get('profile', { owner: alice.publicKey });
        assert.equal(got.found, true, node.name);
        assert.equal(Buffer.from(got.value).toString(), value, node.name);
        assert.equal(got.seq, seq, node.name);
      }
    };

    assert.equal((await a.putOwned(alice, 'profile', 'v1', { seq: 1 })).acknowledged, K);
    await readsEverywhere('v1', 1);
    assert.equal((await b.putOwned(alice, 'profile', 'v2', { seq: 2 })).acknowledged, K);
    await readsEverywhere('v2', 2);
    assert.equal((await a.get('profile')).found, false, 'the plain key of that name is another record');

    await rejectsWith(
      c.putOwned(alice, 'profile', 'stale', { seq: 1 }),
      grpc.status.FAILED_PRECONDITION,
      /sequence 1 is stale: a replica holds sequence 2/,
    );
    await rejectsWith(
      a.putOwned(alice, 'profile', 'same seq', { seq: 2 }),
      grpc.status.FAILED_PRECONDITION,
      /sequence 2 is held already with another value/,
    );
    const forger = { publicKey: alice.publicKey, sign: (m: Uint8Array) => mallory.sign(m) };
    await rejectsWith(
      b.putOwned(forger, 'profile', 'mallory was here', { seq: 99 }),
      grpc.status.INVALID_ARGUMENT,
      /owner's signature does not verify/,
    );
    await readsEverywhere('v2', 2);
    assert.equal(
      (await b.putOwned(mallory, 'profile', 'mallory', { seq: 99 })).acknowledged,
      K,
      "another owner's key names another record",
    );
    await readsEverywhere('v2', 2);

    await rejectsWith(
      a.putOwned(alice, 'profile', 'swapped', { seq: 3, expectedSeq: 1 }),
      grpc.status.FAILED_PRECONDITION,
      /compare-and-swap failed: expected sequence 1, a replica holds 2/,
    );
    await readsEverywhere('v2', 2);
    assert.equal((await c.putOwned(alice, 'profile', 'v3', { seq: 3, expectedSeq: 2 })).acknowledged, K);
    await readsEverywhere('v3', 3);
  });

  test('kad keygen, put --identity and get --owner: the CLI owns a key end to end', async () => {
    const run = promisify(execFile);
    const kad = (...args: string[]) => run(process.execPath, [KAD_CLI, ...args, '--target', cluster.nodes[1]!.address]);
    const file = join(cluster.logDir, 'client.key');
    const publicKey = (await run(process.execPath, [KAD_CLI, 'keygen', file])).stdout.trim();
    assert.match(publicKey, /^[0-9a-f]{64}$/);
    await kad('put', 'cli-owned', 'first', '--identity', file);
    await kad('put', 'cli-owned', 'second', '--identity', file);
    const got = JSON.parse((await kad('get', 'cli-owned', '--owner', publicKey, '--json', '--encoding', 'utf8')).stdout) as {
      value: string;
      seq: number;
    };
    assert.deepEqual({ value: got.value, seq: got.seq }, { value: 'second', seq: 2 });
    await assert.rejects(kad('put', 'cli-owned', 'stale', '--identity', file, '--seq', '1'), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr, /sequence 1 is stale/);
      return true;
    });
  });
});
