/**
 * Peers must prove who they are, and no remote may cost a node more than its share:
 * fabricated senders never enter a table, sybils with chosen ids take no replicas, idle
 * connections and streams are bounded, a flooding client is throttled with a retry-after trailer,
 * and a storing peer stops at its quota. Real node processes, a real nats-server, real sockets.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync } from 'node:fs';
import { connect as http2Connect, constants as http2 } from 'node:http2';
import { connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { splitAddress, recordIdOf } from '../../libs/kademlia/index.js';
import { kademliaPackage, unary, type PeerClient, type v1 } from '../../libs/proto/index.js';
import { DEFAULT_NETWORK } from '../../libs/runtime/index.js';
import { FakePeerIdentity, servePeer } from '../testkit/fake-peer.js';
import { freePorts } from '../../harness/free-port.js';
import { rawPeerClient } from '../../harness/grpc-probe.js';
import { ProcessCluster, tableEntries, type ProcessNode } from '../../harness/process-cluster.js';
import { signedWireRecord } from '../testkit/records.js';
import { takeCensus } from '../testkit/replica-census.js';
import { waitFor } from '../../harness/wait-for.js';
import { runBounded } from '../../harness/workload.js';
import { percentile } from '../../libs/sampling/index.js';

const K = 3;
const FLOOD_SCRIPT = fileURLToPath(new URL('../testkit/flood.js', import.meta.url));

/** Every contact in every live node's table and replacement cache. */
async function tableAddresses(cluster: ProcessCluster): Promise<{ ids: Set<string>; addresses: Set<string> }> {
  const entries = (await Promise.all(cluster.live().map((node) => tableEntries(node, { replacements: true })))).flat();
  return { ids: new Set(entries.map((e) => e.idHex)), addresses: new Set(entries.map((e) => e.address)) };
}

/** Get latencies (ms) of `count` Gets of `keys` through `node`, one at a time. */
async function getLatencies(node: ProcessNode, keys: readonly string[], count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await node.client.get(keys[i % keys.length]!, { timeoutMs: 10_000 });
    samples.push(performance.now() - start);
  }
  return samples;
}

/** A peer client on a connection of its own (grpc-js otherwise shares one per address). */
function ownConnection(address: string): PeerClient {
  return new (kademliaPackage().Peer)(address, grpc.credentials.createInsecure(), {
    'grpc.use_local_subchannel_pool': 1,
    'grpc.enable_retries': 0,
  });
}

/** The median of latency samples, to 0.01 ms. */
const p50 = (samples: number[]): number => Math.round(percentile(samples, 50) * 100) / 100;

/** Raw TCP connections to a node, read from so that the node's close is seen. */
function rawConnections(address: string, count: number): { sockets: Socket[]; closed: () => number } {
  const { host, port } = splitAddress(address);
  let closed = 0;
  const sockets = Array.from({ length: count }, () => {
    const socket = netConnect({ host, port: Number(port) });
    socket.on('error', () => undefined);
    socket.on('close', () => closed++);
    socket.resume();
    return socket;
  });
  return { sockets, closed: () => closed };
}

function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

describe('peer trust - fabricated senders and a node holding 10 000 records', () => {
  let cluster: ProcessCluster;
  const RECORDS = 10_000;

  before(async () => {
    cluster = await ProcessCluster.start({
      nodes: 4,
      env: { KAD_K: String(K), KAD_RATE_LIMIT_RPS: '0', KAD_PEER_QUOTA_RECORDS: String(4 * RECORDS) },
    });
    await cluster.waitForTables(K);
  });
  after(async () => cluster?.stop());

  test('1 000 Pings and FindNodes with made-up senders leave no made-up contact in any table; the node keeps its latency', async (t) => {
    const [holder] = cluster.nodes;
    // 10 000 records straight onto node-0 (Stores with no sender: a client's, charged to its host).
    const store = rawPeerClient(holder!.address);
    const keys = Array.from({ length: RECORDS }, (_, i) => `held-${i}`);
    await runBounded(RECORDS, 32, async (i) => {
      const reply = await unary<v1.StoreRequest, v1.StoreResponse__Output>(
        store,
        store.Store,
        { record: signedWireRecord({ key: keys[i]!, value: `v${i}`, expiresMs: Date.now() + 10 * 60_000 }) },
        10_000,
      );
      assert.ok(reply.stored);
    });
    assert.equal(Number((await holder!.client.stats()).records), RECORDS + 0);
    const probeKeys = keys.slice(0, 50);
    const before = await getLatencies(holder!, probeKeys, 100);
    const missBefore = await getLatencies(cluster.nodes[1]!, ['absent-a', 'absent-b'], 20);

    // The flood, from a process of its own, while node-0's latency is measured.
    const [unused] = await freePorts(1);
    const flood = spawn(
      process.execPath,
      [FLOOD_SCRIPT, 'fake-senders', '1000', '16', String(unused), ...cluster.nodes.map((n) => n.address)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    flood.stdout.on('data', (d: Buffer) => (output += d.toString()));
    const exited = once(flood, 'exit');
    const during: number[] = [];
    let flooding = true;
    void exited.then(() => (flooding = false));
    while (flooding) during.push(...(await getLatencies(holder!, probeKeys, 5)));
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, 'the flood process failed');
    store.close();
    const fabricated = JSON.parse(output) as string[];
    assert.equal(fabricated.length, 1_000);

    // The challenges they triggered all fail; no fabricated id is in any table, now or after the
    // nodes had time to act on every one (a lookup through each node, after the flood).
    for (const node of cluster.nodes) await node.client.get(`after-flood-${node.name}`);
    const fabricatedIds = new Set(fabricated);
    const { ids, addresses } = await tableAddresses(cluster);
    assert.deepEqual(
      [...ids].filter((id) => fabricatedIds.has(id)),
      [],
      'a fabricated contact entered a table',
    );
    assert.ok(!addresses.has(`127.0.0.1:${unused}`));
    const afterFlood = await getLatencies(holder!, probeKeys, 100);
    const missAfter = await getLatencies(cluster.nodes[1]!, ['absent-a', 'absent-b'], 20);

    t.diagnostic(
      `node-0 (10 000 records) Get p50: before ${p50(before)} ms, during the flood ${p50(during)} ms (${during.length} Gets), after ${p50(afterFlood)} ms`,
    );
    t.diagnostic(`lookup (a miss through node-1) p50: before ${p50(missBefore)} ms, after ${p50(missAfter)} ms`);
    assert.ok(during.length > 0);
    // Loose bounds: a 2-core machine shares its cores with the flood itself.
    assert.ok(p50(during) <= 8 * p50(before) + 5, `Gets slowed from ${p50(before)} to ${p50(during)} ms during the flood`);
    assert.ok(p50(missAfter) <= 3 * p50(missBefore) + 5, `lookups slowed from ${p50(missBefore)} to ${p50(missAfter)} ms after the flood`);
  });
});

describe('peer trust - sybils with ids chosen next to a key', () => {
  let cluster: ProcessCluster;
  const REPLICATE_MS = 1_500;
  const keys = Array.from({ length: 10 }, (_, i) => `sybil-target-${i}`);
  const servers: grpc.Server[] = [];

  before(async () => {
    cluster = await ProcessCluster.start({
      nodes: 5,
      env: { KAD_K: String(K), KAD_REPLICATE_MS: String(REPLICATE_MS), KAD_LOG_LEVEL: 'debug' },
    });
    await cluster.waitForTables(K);
    for (const key of keys) assert.equal((await cluster.nodes[0]!.client.put(key, `honest ${key}`)).acknowledged, K);
  });
  after(async () => {
    for (const s of servers) s.forceShutdown();
    await cluster?.stop();
  });

  test('8 sybils announcing themselves take no replica: every record keeps its honest holders', async (t) => {
    const census = await takeCensus(cluster.nodes);
    const holdersOf = async (key: string): Promise<number> =>
      (await Promise.all(cluster.nodes.map((n) => census.holds(n.address, key)))).filter(Boolean).length;
    const before = await Promise.all(keys.map(holdersOf));
    assert.ok(
      before.every((n) => n >= K),
      `holders before: ${before.join(', ')}`,
    );

    // Each sybil claims an id one bit away from a target record's id, answers FIND_NODE with all
    // the sybils, acknowledges every STORE, and announces itself to every honest node.
    const ports = await freePorts(8);
    const target = recordIdOf(Buffer.from(keys[0]!));
    const sybils = ports.map((port, i) => {
      const id = Uint8Array.from(target);
      id[31] = id[31]! ^ (1 << i);
      return new FakePeerIdentity(`127.0.0.1:${port}`, id);
    });
    let challenged = 0;
    let stores = 0;
    for (const sybil of sybils) {
      servers.push(
        await servePeer(sybil.address, {
          Ping: (call, cb) => {
            if (call.request.challenge.length > 0) challenged++;
            cb(null, sybil.pingReply(call.request));
          },
          FindNode: (_call, cb) => cb(null, { responder: sybil.contact(), closer: sybils.map((s) => s.contact()) }),
          FindValue: (_call, cb) => cb(null, { responder: sybil.contact(), closer: sybils.map((s) => s.contact()) }),
          Store: (_call, cb) => {
            stores++;
            cb(null, { responder: sybil.contact(), stored: true });
          },
        }),
      );
    }
    for (const node of cluster.nodes) {
      const peer = rawPeerClient(node.address);
      try {
        for (const sybil of sybils) {
          await unary(peer, peer.Ping, { sender: sybil.contact(), network: DEFAULT_NETWORK }, 2_000);
          await unary(peer, peer.FindNode, { sender: sybil.contact(), network: DEFAULT_NETWORK, target: Buffer.from(target) }, 2_000);
        }
      } finally {
        peer.close();
      }
    }
    await waitFor('every honest node to have challenged the sybils', () => challenged >= sybils.length);

    // Three re-replication passes on every node (their debug logs say so), and meanwhile and
    // after, every record keeps every honest holder.
    const maintained = (): number[] =>
      cluster.nodes.map((n) =>
        readdirSync(cluster.logDir)
          .filter((f) => f.startsWith(`${n.name}-`))
          .reduce((sum, f) => sum + (readFileSync(join(cluster.logDir, f), 'utf8').match(/records maintained/g)?.length ?? 0), 0),
      );
    const passesAtStart = maintained();
    await waitFor(
      'three re-replication passes on every node, with every record keeping its honest holders',
      async () => {
        const now = await Promise.all(keys.map(holdersOf));
        now.forEach((n, i) => assert.ok(n >= before[i]!, `${keys[i]} went from ${before[i]} honest holders to ${n}`));
        return maintained().every((passes, i) => passes >= passesAtStart[i]! + 3);
      },
      { timeoutMs: 20 * REPLICATE_MS, intervalMs: REPLICATE_MS / 3 },
    );
    const { ids } = await tableAddresses(cluster);
    const sybilIds = sybils.map((s) => Buffer.from(s.id).toString('hex'));
    assert.deepEqual(
      sybilIds.filter((id) => ids.has(id)),
      [],
      'a sybil entered a table',
    );
    for (const node of cluster.nodes) {
      for (const key of keys) {
        const got = await node.client.get(key, { quorum: K });
        assert.equal(got.found && Buffer.from(got.value).toString(), `honest ${key}`);
      }
    }
    t.diagnostic(
      `honest holders per record before ${before.join(',')}, after ${(await Promise.all(keys.map(holdersOf))).join(',')}; sybils were challenged ${challenged} times and got ${stores} stores`,
    );
    census.close();
  });
});

describe('peer trust - connections, streams, a flooding client, a storing peer', () => {
  let cluster: ProcessCluster;
  const QUOTA = 40;
  const MAX_STREAMS = 8;
  const FLOOD_WINDOW_MS = 3_000;

  before(async () => {
    cluster = await ProcessCluster.start({
      nodes: 2,
      env: {
        KAD_K: '2',
        KAD_IDLE_TIMEOUT_MS: '1500',
        KAD_MAX_STREAMS: String(MAX_STREAMS),
        KAD_MAX_CONNECTIONS_PER_HOST: '600',
        KAD_RATE_LIMIT_RPS: '200',
        KAD_RATE_LIMIT_BURST: '200',
        KAD_PEER_QUOTA_RECORDS: String(QUOTA),
      },
    });
    await cluster.waitForTables(1);
  });
  after(async () => cluster?.stop());

  test('500 idle connections are closed by the idle timeout', async (t) => {
    const node = cluster.nodes[1]!;
    const pid = node.processes[0]!.pid!;
    const fdsBefore = openFds(pid);
    const { sockets, closed } = rawConnections(node.address, 500);
    await waitFor('500 connections open on the node', () => openFds(pid) >= fdsBefore + 450, { timeoutMs: 10_000 });
    const fdsOpen = openFds(pid);
    await waitFor('the node to close all 500', () => closed() === 500, { timeoutMs: 15_000 });
    await waitFor('its file descriptors back', () => openFds(pid) <= fdsBefore + 10, { timeoutMs: 5_000 });
    t.diagnostic(`node file descriptors: ${fdsBefore} -> ${fdsOpen} with 500 idle connections -> ${openFds(pid)} after the idle timeout`);
    for (const s of sockets) s.destroy();
  });

  test('one connection over the per-host limit is refused at once', async () => {
    const [first] = cluster.nodes;
    const pid = first!.processes[0]!.pid!;
    const fdsBefore = openFds(pid);
    const { sockets, closed } = rawConnections(first!.address, 650);
    try {
      // Well before the idle timeout, the ones over 600 (less the cluster's own) are gone.
      await waitFor('the connections over the limit to be refused', () => closed() >= 50, { timeoutMs: 1_200 });
    } finally {
      for (const s of sockets) s.destroy();
    }
    await waitFor('the node to let go of them', () => openFds(pid) <= fdsBefore + 10);
  });

  test(`one connection's streams stop at the maximum (${MAX_STREAMS}): a call past it waits until one closes`, async (t) => {
    const session = http2Connect(`http://${cluster.nodes[1]!.address}`);
    session.on('error', () => undefined);
    const headers = { ':method': 'POST', ':path': '/kademlia.v1.Peer/Ping', 'content-type': 'application/grpc', te: 'trailers' };
    try {
      await waitFor('the server settings', () => session.remoteSettings.maxConcurrentStreams === MAX_STREAMS);
      // MAX_STREAMS streams held open (headers, no message), then Pings on the same connection.
      const idle = Array.from({ length: MAX_STREAMS }, () => session.request(headers, { endStream: false }));
      const answered: number[] = [];
      const pings = Array.from({ length: 4 }, (_, i) => {
        const stream = session.request(headers, { endStream: false });
        stream.on('response', () => answered.push(i));
        stream.end(Buffer.from([0, 0, 0, 0, 0])); // one empty PingRequest
        return stream;
      });
      for (const s of [...idle, ...pings]) s.on('error', () => undefined);
      // A control Ping on a connection of its own is answered at once ...
      const control = ownConnection(cluster.nodes[1]!.address);
      await unary(control, control.Ping, {}, 2_000);
      control.close();
      // ... while the Pings past the maximum are not: the server opens no stream past it.
      const windowEnd = Date.now() + 500;
      await waitFor('the end of the observation window', () => {
        assert.deepEqual(answered, [], 'a stream past the maximum was served');
        return Date.now() >= windowEnd;
      });
      for (const s of idle) s.close(http2.NGHTTP2_CANCEL);
      await waitFor('the Pings to be answered once the idle streams closed', () => answered.length === pings.length);
      t.diagnostic(
        `${MAX_STREAMS} idle streams open: 0 of ${pings.length} further Pings answered in 500 ms; all ${answered.length} once they closed`,
      );
    } finally {
      session.destroy();
    }
  });

  test('a flooding client gets RESOURCE_EXHAUSTED with retry-after-ms; another client keeps its latency', async (t) => {
    const node = cluster.nodes[0]!;
    assert.ok((await node.client.put('steady', 'value')).acknowledged >= 1);
    const before = await getLatencies(node, ['steady'], 60);
    const flooder = spawn(process.execPath, [FLOOD_SCRIPT, 'calls', node.address, '600'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    flooder.stdout.on('data', (d: Buffer) => (output += d.toString()));
    const exited = once(flooder, 'exit');
    const during: number[] = [];
    try {
      await waitFor('the flooder to be throttled', () => output.startsWith('throttled'));
      // Three seconds of the flood: its refusals, the closing of its connection, its reconnections
      // and the penalty that meets them, not just the first burst.
      const started = performance.now();
      while (performance.now() - started < FLOOD_WINDOW_MS) during.push(...(await getLatencies(node, ['steady'], 10)));
    } finally {
      flooder.kill('SIGTERM');
    }
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, 'the flood process failed');
    const {
      served,
      exhausted,
      dropped,
      retryAfterMs: retryAfter,
    } = JSON.parse(output.slice('throttled\n'.length)) as { served: number; exhausted: number; dropped: number; retryAfterMs: number };
    t.diagnostic(
      `flooder: ${served} served, ${exhausted} RESOURCE_EXHAUSTED, ${dropped} lost with its connection, retry-after-ms ${retryAfter}; other client's Get p50 ${p50(before)} ms before, ${p50(during)} ms during (${during.length} Gets in ${FLOOD_WINDOW_MS} ms; ${(p50(during) / p50(before)).toFixed(2)}x)`,
    );
    assert.ok(Number.isInteger(retryAfter) && retryAfter > 0, `retry-after-ms trailer: ${retryAfter}`);
    // Loose: the flooder shares this machine's two cores with the node and this client (on another
    // machine it would not); what is measured here is 1.0x to 1.3x.
    assert.ok(p50(during) <= 3 * p50(before) + 2, `Get p50 went from ${p50(before)} to ${p50(during)} ms`);
  });

  test(`a storing peer is stopped at its quota (${QUOTA} records)`, async () => {
    const node = cluster.nodes[1]!;
    const peer = ownConnection(node.address);
    try {
      const outcomes: string[] = [];
      for (let i = 0; i < QUOTA + 10; i++) {
        try {
          await unary(peer, peer.Store, { record: signedWireRecord({ key: `quota-${i}`, value: 'x' }) }, 5_000);
          outcomes.push('stored');
        } catch (err) {
          const e = err as grpc.ServiceError;
          assert.equal(e.code, grpc.status.RESOURCE_EXHAUSTED);
          assert.match(e.details, /quota/);
          outcomes.push('refused');
        }
      }
      assert.equal(outcomes.filter((o) => o === 'stored').length, QUOTA);
      assert.equal(outcomes.slice(QUOTA).filter((o) => o === 'stored').length, 0);
      // The node still takes a legitimate Put (its own copy, and its peer's, are not that storer's).
      const put = await cluster.nodes[0]!.client.put('after-quota', 'fine');
      assert.equal(put.acknowledged, 2);
      assert.equal(Buffer.from((await node.client.get('after-quota')).value).toString(), 'fine');
    } finally {
      peer.close();
    }
  });
});
