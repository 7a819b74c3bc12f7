/**
 * One lookup traced across nodes: 8 node processes over a real nats-server with k = 3, so a Get
 * through a node that holds no copy needs a lookup of more than one hop. A Get that asks for
 * `trace` returns one hop per peer RPC it sent (as many as its `peer_rpcs`), each with the peer,
 * the RPC, its round, its XOR distance to the target, its latency and its outcome; the entry
 * node recorded the client call, the bus hop to its coordinator and each outbound RPC, and every
 * node the lookup asked recorded its part (the inbound RPC and its storage access) under the same
 * trace id, carried by gRPC metadata between nodes and NATS headers between actors. An untraced
 * Get returns no trace.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { after, before, describe, test } from 'node:test';
import { kademliaPackage, unary, type v1 } from '../../libs/proto/index.js';
import type { Span } from '../../libs/observability/index.js';
import { KAD_CLI, ProcessCluster, type ProcessNode } from '../../harness/process-cluster.js';
import { waitFor } from '../../harness/wait-for.js';

const NODES = 8;
const K = 3;
const KEYS = 24;

function dhtClient(address: string): v1.DhtClient {
  return new (kademliaPackage().Dht)(address, grpc.credentials.createInsecure());
}

async function spansOf(node: ProcessNode, traceId: string): Promise<Span[]> {
  const res = await fetch(`http://${node.httpAddresses[0]}/api/traces/${traceId}`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { spans: Span[] }).spans;
}

/** What an OpenTelemetry collector received: OTLP/HTTP JSON export requests. */
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: { traceId: string; spanId: string; name: string; kind: number }[] }[];
  }[];
}

/** A stand-in OTLP/HTTP collector on loopback: keeps every export request it is sent. */
async function startCollector(): Promise<{ server: Server; url: string; received: OtlpExport[] }> {
  const received: OtlpExport[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces' && req.headers['content-type'] === 'application/json') {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${address.port}`, received };
}

describe('tracing: a Get traced across the nodes its lookup touches', () => {
  let cluster: ProcessCluster;
  let collector: Awaited<ReturnType<typeof startCollector>>;

  before(async () => {
    collector = await startCollector();
    cluster = await ProcessCluster.start({
      nodes: NODES,
      http: true,
      env: { KAD_K: String(K), KAD_ALPHA: '2', KAD_OTLP_ENDPOINT: collector.url },
    });
    await cluster.waitForTables(K);
    for (let i = 0; i < KEYS; i++) assert.ok((await cluster.nodes[0]!.client.put(`traced-${i}`, `value ${i}`)).acknowledged >= 1);
  });

  after(async () => {
    await cluster?.stop();
    collector?.server.close();
  });

  test('the hops of a multi-hop Get match its peer RPCs, and every node asked recorded its part', async () => {
    // A key and a reader whose lookup takes more than one RPC (the reader holds no copy).
    let found: { reader: ProcessNode; key: string; reply: v1.GetResponse__Output } | undefined;
    for (const reader of cluster.nodes) {
      const client = dhtClient(reader.address);
      try {
        for (let i = 0; i < KEYS && !found; i++) {
          const reply = await unary<v1.GetRequest, v1.GetResponse__Output>(
            client,
            client.Get,
            { key: Buffer.from(`traced-${i}`), trace: true },
            10_000,
          );
          if (reply.found && reply.peerRpcs >= 2) found = { reader, key: `traced-${i}`, reply };
        }
      } finally {
        client.close();
      }
      if (found) break;
    }
    assert.ok(found, 'some Get needed a lookup of at least two RPCs');
    const { reader, key, reply } = found;
    assert.equal(Buffer.from(reply.value).toString(), `value ${key.slice('traced-'.length)}`);
    assert.equal(reply.hops.length, reply.peerRpcs, 'one hop per peer RPC');
    assert.match(reply.traceId, /^[0-9a-f]{32}$/);
    const addresses = new Set(cluster.nodes.map((n) => n.address));
    for (const hop of reply.hops) {
      assert.equal(hop.rpc, 'FindValue');
      assert.ok(hop.peer && addresses.has(hop.peer.address), `hop to ${hop.peer?.address}`);
      assert.ok(hop.round >= 1 && hop.round <= reply.lookupRounds, `round ${hop.round} of ${reply.lookupRounds}`);
      assert.ok(hop.distanceBits >= 0 && hop.distanceBits <= 256);
      assert.ok(hop.latencyMs >= 0);
      assert.match(hop.outcome, /^(value|closer \d+|no answer yet when the lookup ended)$/);
    }
    assert.ok(reply.hops.some((h) => h.outcome === 'value'));

    // The entry node: the client call, the bus hop to its coordinator, one client span per RPC.
    // (An RPC still in flight when the Get answered ends its span later.)
    const entry = await waitFor(
      'the entry node to record the call and every RPC',
      async () => {
        const spans = await spansOf(reader, reply.traceId);
        const rpcs = spans.filter((s) => s.name === 'Peer/FindValue' && s.kind === 'client').length;
        return spans.some((s) => s.name === 'Dht/Get') && rpcs === reply.hops.length ? spans : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    assert.ok(
      entry.some((s) => s.name === 'bus lookup-coordinator.get' && s.kind === 'client'),
      entry.map((s) => s.name).join(', '),
    );
    assert.ok(entry.some((s) => s.name === 'lookup-coordinator.get' && s.kind === 'server'));

    // Every node asked: the inbound FindValue and its storage access, under the same trace.
    for (const hop of reply.hops) {
      const peer = cluster.nodes.find((n) => n.address === hop.peer!.address)!;
      const spans = await waitFor(
        `${peer.name} to record its part`,
        async () => {
          const recorded = await spansOf(peer, reply.traceId);
          return recorded.some((s) => s.name === 'Peer/FindValue' && s.kind === 'server') ? recorded : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 100 },
      );
      assert.ok(
        spans.some((s) => s.name === 'storage.get'),
        `${peer.name} records its storage access: ${spans.map((s) => s.name).join(', ')}`,
      );
    }

    // With KAD_OTLP_ENDPOINT set, every node exported its part to the collector (OTLP/HTTP JSON).
    const touched = new Set([reader.name, ...reply.hops.map((h) => cluster.nodes.find((n) => n.address === h.peer!.address)!.name)]);
    await waitFor(
      'every node the lookup touched to export its spans',
      () => {
        const nodes = new Set<string>();
        for (const request of collector.received) {
          for (const rs of request.resourceSpans) {
            const node = rs.resource.attributes.find((a) => a.key === 'kad.node')?.value.stringValue;
            if (node && rs.scopeSpans.some((ss) => ss.spans.some((sp) => sp.traceId === reply.traceId && /^[0-9a-f]{16}$/.test(sp.spanId))))
              nodes.add(node);
          }
        }
        return [...touched].every((n) => nodes.has(n));
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
  });

  test('kad get --trace prints every hop of a lookup Get, as many as its peer RPCs', async () => {
    const run = promisify(execFile);
    // A reader and a key that take the network (not answered from the reader's own copy).
    for (const reader of cluster.nodes) {
      for (let i = 0; i < KEYS; i++) {
        const { stdout } = await run(process.execPath, [KAD_CLI, 'get', `traced-${i}`, '--trace', '--json', '--target', reader.address]);
        const json = JSON.parse(stdout) as {
          found: boolean;
          trace: {
            traceId: string;
            peerRpcs: number;
            lookupRounds: number;
            hops: { round: number; rpc: string; peer: { address: string }; distanceBits: number; outcome: string }[];
          };
        };
        if (json.trace.peerRpcs < 2) continue;
        assert.equal(json.found, true);
        assert.equal(json.trace.hops.length, json.trace.peerRpcs, 'one hop per peer RPC');
        assert.match(json.trace.traceId, /^[0-9a-f]{32}$/);
        // And as text, on stderr (stdout keeps the value's bytes).
        const text = await run(process.execPath, [KAD_CLI, 'get', `traced-${i}`, '--trace', '--target', reader.address]);
        assert.equal(text.stdout, `value ${i}`);
        const lines = text.stderr.trim().split('\n');
        const header = /^trace [0-9a-f]{32}: (\d+) peer RPCs in (\d+) rounds/.exec(lines[0]!);
        assert.ok(header, lines[0]);
        assert.equal(lines.length - 1, Number(header[1]), text.stderr);
        for (const hop of lines.slice(1))
          assert.match(hop, /^ {2}round \d+ {2}FindValue +127\.0\.0\.1:\d+ +[0-9a-f]{12} {2}distance +\d+ bits +\d+\.\d ms {2}\S/);
        return;
      }
    }
    assert.fail('no Get took a lookup of two RPCs or more');
  });

  test('an untraced Get returns no trace, and no spans are recorded for it', async () => {
    const reader = cluster.nodes[NODES - 1]!;
    const before = ((await (await fetch(`http://${reader.httpAddresses[0]}/api/traces`)).json()) as { traces: string[] }).traces;
    const client = dhtClient(reader.address);
    try {
      const reply = await unary<v1.GetRequest, v1.GetResponse__Output>(client, client.Get, { key: Buffer.from('traced-1') }, 10_000);
      assert.equal(reply.found, true);
      assert.deepEqual(reply.hops, []);
      assert.equal(reply.traceId, '');
    } finally {
      client.close();
    }
    const afterwards = ((await (await fetch(`http://${reader.httpAddresses[0]}/api/traces`)).json()) as { traces: string[] }).traces;
    assert.deepEqual(afterwards, before);
  });
});
