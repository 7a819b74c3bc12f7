/**
 * Hostile and malformed input from clients and peers gets a clear gRPC status, nothing bad is
 * stored or put in a routing table, and the node keeps serving. Real nats-server, real
 * processes, real gRPC.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { DhtClient } from '../../libs/client/index.js';
import { kademliaPackage, unary, type v1 } from '../../libs/proto/index.js';
import { DEFAULT_NETWORK, killOnExit, stopChild } from '../../libs/runtime/index.js';
import { freePorts } from '../../harness/free-port.js';
import { healthStatus, rawPeerClient } from '../../harness/grpc-probe.js';
import { KAD_CLI, ProcessCluster, nodeIdHex } from '../../harness/process-cluster.js';
import { waitFor } from '../../harness/wait-for.js';
import { signedWireRecord } from '../testkit/records.js';
import { FakePeerIdentity, quietPeerHandlers, servePeer } from '../testkit/fake-peer.js';
import { join } from 'node:path';

const K = 3;
const MAX_VALUE = 64 * 1024;

async function rejectsWith(call: Promise<unknown>, code: grpc.status, message?: RegExp): Promise<void> {
  await assert.rejects(call, (err: grpc.ServiceError) => {
    assert.equal(err.code, code, `expected ${grpc.status[code]}, got ${grpc.status[err.code]}: ${err.details}`);
    if (message) assert.match(err.details, message);
    return true;
  });
}

function contact(id: Uint8Array, address: string): v1.Contact {
  return { id: Buffer.from(id), address };
}

describe('bad input - clients and peers', () => {
  let cluster: ProcessCluster;
  let node: DhtClient;
  let address: string;

  before(async () => {
    cluster = await ProcessCluster.start({ nodes: 3, env: { KAD_K: String(K), KAD_RPC_TIMEOUT_MS: '1000' } });
    await cluster.waitForTables(2);
    address = cluster.nodes[1]!.address;
    // No local checks: what is under test is the node's own refusal of bad input.
    node = new DhtClient(address, { limits: false });
  });

  after(async () => {
    node?.close();
    await cluster?.stop();
  });

  test('client - empty key and keys over 1 KiB are INVALID_ARGUMENT', async () => {
    await rejectsWith(node.put(new Uint8Array(0), 'v'), grpc.status.INVALID_ARGUMENT, /key/);
    await rejectsWith(node.get(new Uint8Array(0)), grpc.status.INVALID_ARGUMENT, /key/);
    await rejectsWith(node.put(Buffer.alloc(1025, 1), 'v'), grpc.status.INVALID_ARGUMENT, /1024/);
    await rejectsWith(node.get(Buffer.alloc(1025, 1)), grpc.status.INVALID_ARGUMENT, /1024/);
    const atLimit = await node.put(Buffer.alloc(1024, 2), 'fits');
    assert.equal(atLimit.acknowledged, K);
  });

  test('client - a value over the limit is rejected and nothing is stored', async () => {
    await rejectsWith(node.put('too-big', Buffer.alloc(MAX_VALUE + 1)), grpc.status.INVALID_ARGUMENT, /value/);
    await rejectsWith(node.put('far-too-big', Buffer.alloc(4 * 1024 * 1024)), grpc.status.RESOURCE_EXHAUSTED);
    for (const n of cluster.nodes) {
      assert.equal((await n.client.get('too-big')).found, false);
      assert.equal((await n.client.get('far-too-big')).found, false);
    }
    const atLimit = await node.put('just-fits', Buffer.alloc(MAX_VALUE, 7));
    assert.equal(atLimit.acknowledged, K);
    assert.equal((await cluster.nodes[2]!.client.get('just-fits')).value.length, MAX_VALUE);
  });

  test('client - keys such as __proto__ and constructor are ordinary keys', async () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      await node.put(key, `value of ${key}`);
      const got = await cluster.nodes[0]!.client.get(key);
      assert.equal(Buffer.from(got.value).toString(), `value of ${key}`);
    }
  });

  test('peer - ids of the wrong length are INVALID_ARGUMENT and never enter the routing table', async () => {
    const peer = rawPeerClient(address);
    try {
      await rejectsWith(unary(peer, peer.FindNode, { target: Buffer.alloc(31) }, 2_000), grpc.status.INVALID_ARGUMENT, /target/);
      await rejectsWith(unary(peer, peer.FindValue, { recordId: Buffer.alloc(33) }, 2_000), grpc.status.INVALID_ARGUMENT, /record_id/);
      await rejectsWith(
        unary(peer, peer.Ping, { sender: contact(Buffer.alloc(5, 9), '127.0.0.1:1') }, 2_000),
        grpc.status.INVALID_ARGUMENT,
        /sender/,
      );
      await rejectsWith(
        unary(peer, peer.FindNode, { sender: contact(randomBytes(32), 'not an address'), target: randomBytes(32) }, 2_000),
        grpc.status.INVALID_ARGUMENT,
        /sender/,
      );
      await rejectsWith(
        unary(
          peer,
          peer.Store,
          {
            sender: contact(randomBytes(32), '127.0.0.1:9'),
            record: {
              key: Buffer.from('k'),
              value: Buffer.from('v'),
              publisher: Buffer.alloc(3),
              createdMs: Date.now(),
              expiresMs: Date.now() + 60_000,
            },
          },
          2_000,
        ),
        grpc.status.INVALID_ARGUMENT,
        /publisher/,
      );
      const table = await node.routingTable();
      const addresses = table.buckets.flatMap((b) => [...b.contacts, ...b.replacements]).map((c) => c.address);
      assert.ok(!addresses.includes('127.0.0.1:1') && !addresses.includes('not an address') && !addresses.includes('127.0.0.1:9'));
      for (const c of table.buckets.flatMap((b) => b.contacts)) assert.equal(c.id.length, 32);
    } finally {
      peer.close();
    }
  });

  test('peer - bytes that are not protobuf get an error status, and the node keeps serving', async () => {
    const raw = new grpc.Client(address, grpc.credentials.createInsecure());
    try {
      const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
      await assert.rejects(
        new Promise((resolve, reject) =>
          raw.makeUnaryRequest(
            '/kademlia.v1.Peer/FindNode',
            (b: Buffer) => b,
            (b: Buffer) => b,
            garbage,
            (err, res) => (err ? reject(err) : resolve(res)),
          ),
        ),
        (err: grpc.ServiceError) => err.code !== grpc.status.OK,
      );
    } finally {
      raw.close();
    }
    assert.equal(await healthStatus(address), 'SERVING');
    assert.equal((await node.put('after-garbage', 'still here')).acknowledged, K);
  });

  test('peer - a reply with more than k contacts is cut to k, malformed ones dropped, none enter the table', async () => {
    // A hostile peer: answers every FIND_NODE / FIND_VALUE with 100 contacts, a third malformed.
    const [hostilePort, unusedPort] = await freePorts(2);
    const hostileAddress = `127.0.0.1:${hostilePort}`;
    const hostile = new FakePeerIdentity(hostileAddress);
    const hostileId = hostile.id;
    const flood = (): v1.Contact[] =>
      Array.from({ length: 100 }, (_, i) =>
        i % 3 === 0 ? contact(randomBytes(7), 'bad') : contact(randomBytes(32), `127.0.0.1:${unusedPort}`),
      );
    const server = new grpc.Server();
    const pkg = kademliaPackage();
    let floods = 0;
    server.addService(pkg.Peer.service, {
      Ping: (call: grpc.ServerUnaryCall<v1.PingRequest__Output, v1.PingResponse>, cb: grpc.sendUnaryData<v1.PingResponse>) =>
        cb(null, hostile.pingReply(call.request)),
      FindNode: (_call: unknown, cb: grpc.sendUnaryData<v1.FindNodeResponse>) => {
        floods++;
        cb(null, { responder: contact(hostileId, hostileAddress), closer: flood() });
      },
      FindValue: (_call: unknown, cb: grpc.sendUnaryData<v1.FindValueResponse>) => {
        floods++;
        cb(null, { responder: contact(hostileId, hostileAddress), closer: flood() });
      },
      Store: (_call: unknown, cb: grpc.sendUnaryData<v1.StoreResponse>) =>
        cb(null, { responder: contact(hostileId, hostileAddress), stored: true }),
    });
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(hostileAddress, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
    );
    const peer = rawPeerClient(address);
    try {
      // Introduce the hostile peer to the node, as any peer does: by calling it with a sender.
      await unary(peer, peer.Ping, { sender: contact(hostileId, hostileAddress), network: DEFAULT_NETWORK }, 2_000);
      await waitFor('the hostile peer in the routing table', async () => {
        const t = await node.routingTable();
        return t.buckets.some((b) => b.contacts.some((c) => c.address === hostileAddress));
      });
      for (let i = 0; i < 5; i++) assert.equal((await node.get(`absent-${i}`)).found, false);
      assert.ok(floods > 0, 'the node never asked the hostile peer');
      const table = await node.routingTable();
      const all = table.buckets.flatMap((b) => [...b.contacts, ...b.replacements]);
      assert.ok(all.every((c) => c.id.length === 32 && c.address !== 'bad'));
      assert.ok(
        all.every((c) => c.address !== `127.0.0.1:${unusedPort}`),
        'a contact only heard of entered the table',
      );
      assert.equal(await healthStatus(address), 'SERVING');
    } finally {
      peer.close();
      server.forceShutdown();
    }
  });

  test('peer - a contact that answers with a different node id is dropped from the table', async () => {
    const [port] = await freePorts(1);
    const impostor = `127.0.0.1:${port}`;
    // It proves its id when challenged, and answers every other call as someone else.
    const identity = new FakePeerIdentity(impostor);
    const claimedId = identity.id;
    const other = (): v1.Contact => contact(randomBytes(32), impostor);
    const server = new grpc.Server();
    server.addService(kademliaPackage().Peer.service, {
      Ping: (call: grpc.ServerUnaryCall<v1.PingRequest__Output, v1.PingResponse>, cb: grpc.sendUnaryData<v1.PingResponse>) =>
        cb(null, identity.pingReply(call.request)),
      FindNode: (_call: unknown, cb: grpc.sendUnaryData<v1.FindNodeResponse>) => cb(null, { responder: other(), closer: [] }),
      FindValue: (_call: unknown, cb: grpc.sendUnaryData<v1.FindValueResponse>) => cb(null, { responder: other(), closer: [] }),
      Store: (_call: unknown, cb: grpc.sendUnaryData<v1.StoreResponse>) => cb(null, { responder: other(), stored: true }),
    });
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(impostor, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
    );
    const peer = rawPeerClient(address);
    const inTable = async (): Promise<boolean> =>
      (await node.routingTable()).buckets.some((b) => b.contacts.some((c) => c.address === impostor));
    try {
      await unary(peer, peer.Ping, { sender: contact(claimedId, impostor), network: DEFAULT_NETWORK }, 2_000);
      await waitFor('the impostor in the routing table', inTable);
      // Lookups now ask it; it answers as someone else, and is dropped at once.
      await waitFor('the impostor to be dropped', async () => {
        await node.get(`probe-${randomBytes(4).toString('hex')}`);
        return !(await inTable());
      });
    } finally {
      peer.close();
      server.forceShutdown();
    }
  });

  test('peer - a peer of another network gets FAILED_PRECONDITION, stores nothing and never enters the table', async () => {
    const peer = rawPeerClient(address);
    const [foreignPort, friendPort] = await freePorts(2);
    const foreign = contact(randomBytes(32), `127.0.0.1:${foreignPort}`);
    const record = signedWireRecord({ key: 'sent-by-another-network', value: 'v' });
    let friendServer: grpc.Server | undefined;
    try {
      for (const network of ['another-dht', '']) {
        await rejectsWith(unary(peer, peer.Ping, { sender: foreign, network }, 2_000), grpc.status.FAILED_PRECONDITION, /network/);
        await rejectsWith(
          unary(peer, peer.FindNode, { sender: foreign, network, target: randomBytes(32) }, 2_000),
          grpc.status.FAILED_PRECONDITION,
          /network/,
        );
        await rejectsWith(
          unary(peer, peer.FindValue, { sender: foreign, network, recordId: randomBytes(32) }, 2_000),
          grpc.status.FAILED_PRECONDITION,
          /network/,
        );
        await rejectsWith(unary(peer, peer.Store, { sender: foreign, network, record }, 2_000), grpc.status.FAILED_PRECONDITION, /network/);
      }
      // The table handles what it is told in order: once a peer of this network introduced
      // afterwards is in, everything before it has been handled.
      const friendAddress = `127.0.0.1:${friendPort}`;
      const friend = new FakePeerIdentity(friendAddress);
      friendServer = await servePeer(friendAddress, quietPeerHandlers(friend));
      await unary(peer, peer.Ping, { sender: friend.contact(), network: DEFAULT_NETWORK }, 2_000);
      const addresses = async () =>
        (await node.routingTable()).buckets.flatMap((b) => [...b.contacts, ...b.replacements]).map((c) => c.address);
      await waitFor('the peer of this network in the routing table', async () => (await addresses()).includes(friendAddress));
      assert.ok(!(await addresses()).includes(`127.0.0.1:${foreignPort}`), 'the peer of another network entered the table');
      assert.equal((await node.get('sent-by-another-network')).found, false, 'its STORE was refused');
    } finally {
      peer.close();
      friendServer?.forceShutdown();
    }
  });

  test('peer - a contact that turns out to be of another network is dropped at its first refusal', async () => {
    const [port] = await freePorts(1);
    const strangerAddress = `127.0.0.1:${port}`;
    let calls = 0;
    const refuse = (_call: unknown, cb: grpc.sendUnaryData<never>) => {
      calls++;
      cb({ code: grpc.status.FAILED_PRECONDITION, details: 'this node is of network "another-dht"' });
    };
    // It proves its id to the first challenge, so it is admitted; then it refuses everything.
    // Its id is near the node's own, so a full bucket (the dead peer of the test before, say)
    // cannot keep it out.
    const stranger = FakePeerIdentity.near(strangerAddress, Buffer.from(await nodeIdHex(cluster.nodes[1]!), 'hex'));
    let proved = false;
    const server = new grpc.Server();
    server.addService(kademliaPackage().Peer.service, {
      Ping: (call: grpc.ServerUnaryCall<v1.PingRequest__Output, v1.PingResponse>, cb: grpc.sendUnaryData<v1.PingResponse>) => {
        if (proved) return refuse(call, cb as grpc.sendUnaryData<never>);
        proved = true;
        cb(null, stranger.pingReply(call.request));
      },
      FindNode: refuse,
      FindValue: refuse,
      Store: refuse,
    });
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(strangerAddress, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
    );
    const peer = rawPeerClient(address);
    const inTable = async (): Promise<boolean> =>
      (await node.routingTable()).buckets.some((b) => b.contacts.some((c) => c.address === strangerAddress));
    try {
      // It claims this network when it calls (a misconfigured or lying peer), then refuses ours.
      await unary(peer, peer.Ping, { sender: stranger.contact(), network: DEFAULT_NETWORK }, 2_000);
      await waitFor('the stranger in the routing table', inTable);
      await waitFor('the stranger to be dropped', async () => {
        await node.get(`probe-${randomBytes(4).toString('hex')}`);
        return !(await inTable());
      });
      assert.ok(calls > 0 && calls < 5, `dropped after ${calls} refusals, not after 5 failures`);
    } finally {
      peer.close();
      server.forceShutdown();
    }
  });

  test('a missing actor gives the client UNAVAILABLE at once, not a hang', async () => {
    // A node with only its routing-table and transport actors: no lookup-coordinator answers.
    const [port] = await freePorts(1);
    const partial = `127.0.0.1:${port}`;
    const env = {
      ...process.env,
      KAD_NODE: 'partial',
      KAD_LISTEN: partial,
      KAD_ADVERTISE: partial,
      KAD_NATS_URL: cluster.natsUrl,
      KAD_DATA_DIR: join(cluster.logDir, 'data', 'partial'),
      KAD_LOG_LEVEL: 'warn',
    };
    const children: ChildProcess[] = ['routing-table', 'transport'].map((actor) =>
      killOnExit(spawn(process.execPath, [KAD_CLI, 'actor', actor], { env, stdio: 'ignore' })),
    );
    const client = new DhtClient(partial);
    try {
      // Its gRPC server answers, and its health says it is not ready: two actors never answer.
      await waitFor('the partial node to answer health checks, as not ready', async () => (await healthStatus(partial)) === 'NOT_SERVING');
      await rejectsWith(client.put('k', 'v', { timeoutMs: 10_000 }), grpc.status.UNAVAILABLE, /lookup-coordinator/);
      await rejectsWith(
        client.get('k', { timeoutMs: 10_000 }),
        grpc.status.UNAVAILABLE,
        /no actor answers on kad\.partial\.(storage|lookup-coordinator)\./,
      );
    } finally {
      client.close();
      await Promise.all(children.map((c) => stopChild(c)));
    }
  });
});
