/**
 * Seeing inside a cluster: a 3-node cluster over a real nats-server (node-2 split into four
 * actor processes), every process with its HTTP port, scraped by a real Prometheus. After Puts
 * and Gets, PromQL over Prometheus's HTTP API returns the client, peer RPC, lookup,
 * routing-table and storage series with the values the workload implies, and the split node's
 * four processes each report their own. Readiness follows the self-audit: the split node's
 * storage actor killed makes it not ready (/readyz 503, gRPC health NOT_SERVING), and ready
 * again once the actor is back; a node that cannot reach its bootstrap node is not ready and
 * stays alive.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { ACTORS } from '../../libs/bus/index.js';
import { killOnExit, stopChild } from '../../libs/runtime/index.js';
import { freePorts } from '../../harness/free-port.js';
import { healthStatus } from '../../harness/grpc-probe.js';
import { KAD_CLI, ProcessCluster, type ProcessNode } from '../../harness/process-cluster.js';
import { Prometheus, prometheusUnavailable } from '../testkit/prometheus.js';
import { waitFor } from '../../harness/wait-for.js';

const PUTS = 10;
const GETS = 10;

interface Readyz {
  readonly ready: boolean;
  readonly checks: { name: string; ok: boolean; detail: string }[];
}

async function readyz(address: string): Promise<{ status: number; body: Readyz }> {
  const res = await fetch(`http://${address}/readyz`, { signal: AbortSignal.timeout(2_000) });
  return { status: res.status, body: (await res.json()) as Readyz };
}

describe('observability: metrics scraped by Prometheus, readiness from the self-audit', { skip: prometheusUnavailable() }, () => {
  let cluster: ProcessCluster;
  let prometheus: Prometheus;
  let node0: ProcessNode;
  let node1: ProcessNode;
  let split: ProcessNode;

  before(async () => {
    cluster = await ProcessCluster.start({ nodes: 3, split: [2], http: true });
    [node0, node1, split] = cluster.nodes as [ProcessNode, ProcessNode, ProcessNode];
    await cluster.waitForTables(2);
    prometheus = await Prometheus.start([{ job: 'kad', targets: cluster.nodes.flatMap((n) => n.httpAddresses) }]);
  });

  after(async () => {
    await prometheus?.stop();
    await cluster?.stop();
  });

  test('the HTTP port: /healthz, /readyz, /metrics; other paths and methods refused', async () => {
    const http = node0.httpAddresses[0]!;
    assert.equal((await fetch(`http://${http}/healthz`)).status, 200);
    const ready = await readyz(http);
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.deepEqual(
      ready.body.checks.map((c) => c.name),
      ['bus', 'routing-table', 'storage', 'lookup-coordinator', 'joined'],
    );
    const metrics = await fetch(`http://${http}/metrics`);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(await metrics.text(), /^kad_routing_table_contacts\{node="node-0",actor="node"\} 2$/m);
    assert.equal((await fetch(`http://${http}/nothing-here`)).status, 404);
    assert.equal((await fetch(`http://${http}/metrics`, { method: 'POST', body: 'x' })).status, 405);
  });

  test('Prometheus sees the client, RPC, lookup, routing-table and storage series the workload implies', async () => {
    for (let i = 0; i < PUTS; i++) assert.equal((await node0.client.put(`obs-${i}`, `value ${i}`)).acknowledged, 3);
    for (let i = 0; i < GETS; i++) assert.equal((await node1.client.get(`obs-${i % PUTS}`)).found, true);

    const eventually = (what: string, promql: string, ok: (value: number) => boolean) =>
      waitFor(
        what,
        async () => {
          const value = await prometheus.scalar(promql);
          return value !== undefined && ok(value) ? value : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );

    await eventually(
      `${PUTS} Puts through node-0`,
      'sum(kad_client_requests_total{node="node-0",method="put",status="OK"})',
      (v) => v === PUTS,
    );
    await eventually(
      `${GETS} Gets through node-1`,
      'sum(kad_client_requests_total{node="node-1",method="get",status="OK"})',
      (v) => v === GETS,
    );
    await eventually(
      'client latency histograms',
      'sum(kad_client_request_duration_seconds_count{node="node-0",method="put"})',
      (v) => v === PUTS,
    );
    // Every Put stores on the two other nodes (k = 20 > 3: every node is a replica).
    const stores = await eventually(
      'outbound Stores from node-0',
      'sum(kad_peer_rpcs_total{node="node-0",direction="outbound",method="Store",status="OK"})',
      (v) => v >= 2 * PUTS,
    );
    await eventually(
      'inbound Stores on node-1 and node-2',
      'sum(kad_peer_rpcs_total{node=~"node-1|node-2",direction="inbound",method="Store",status="OK"})',
      (v) => v >= stores,
    );
    await eventually('peer RPC latency histograms', 'sum(kad_peer_rpc_duration_seconds_count{direction="outbound"})', (v) => v > 0);
    await eventually('node lookups on node-0 (one per Put)', 'sum(kad_lookups_total{node="node-0",kind="node"})', (v) => v >= PUTS);
    await eventually('lookup rounds observed', 'sum(kad_lookup_rounds_count{node="node-0"})', (v) => v >= PUTS);
    for (const node of ['node-0', 'node-1', 'node-2']) {
      await eventually(`${node}'s table holds the two others`, `sum(kad_routing_table_contacts{node="${node}"})`, (v) => v === 2);
      await eventually(`${node} holds every record`, `sum(kad_records{node="${node}"})`, (v) => v === PUTS);
    }
    await eventually('bus requests counted', 'sum(kad_bus_requests_total{node="node-0",target="storage"})', (v) => v > 0);
    await eventually('mailbox depth reported', 'count(kad_mailbox_depth{node="node-0"})', (v) => v === ACTORS.length);

    // The split node: four processes, each scraped, each labelled with its actor.
    const processes = await waitFor(
      "the split node's four processes scraped",
      async () => {
        const samples = await prometheus.query('process_start_time_seconds{node="node-2"}');
        return samples.length === ACTORS.length ? samples : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    assert.deepEqual(processes.map((s) => s.metric['actor']).sort(), [...ACTORS].sort());
    assert.equal(await prometheus.scalar('count(up{job="kad"} == 1)'), cluster.nodes.flatMap((n) => n.httpAddresses).length);
    assert.equal(
      (await prometheus.query('kad_records{node="node-2"}'))[0]?.metric['actor'],
      'storage',
      'records come from the storage process',
    );
  });

  test('a split node whose storage actor dies is not ready (/readyz, gRPC health), and ready again once it is back', async () => {
    const transportHttp = split.httpAddresses[ACTORS.indexOf('transport')]!;
    assert.equal((await readyz(transportHttp)).status, 200);
    await cluster.killActor(split, 'storage');
    const down = await waitFor(
      'the split node to report not ready',
      async () => {
        const r = await readyz(transportHttp);
        return r.status === 503 ? r.body : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    assert.equal(down.checks.find((c) => c.name === 'storage')?.ok, false, JSON.stringify(down.checks));
    await waitFor('gRPC health NOT_SERVING', async () => (await healthStatus(split.address)) === 'NOT_SERVING', {
      timeoutMs: 15_000,
      intervalMs: 200,
    });
    cluster.restartActor(split, 'storage');
    await waitFor('the split node ready again', async () => (await readyz(transportHttp)).status === 200, {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    await waitFor('gRPC health SERVING again', async () => (await healthStatus(split.address)) === 'SERVING', {
      timeoutMs: 15_000,
      intervalMs: 200,
    });
  });

  test('a node that cannot reach its bootstrap node is not ready, and stays alive', async () => {
    const [grpcPort, httpPort, nobody] = await freePorts(3);
    const address = `127.0.0.1:${grpcPort}`;
    const http = `127.0.0.1:${httpPort}`;
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('KAD_')));
    const child = killOnExit(
      spawn(process.execPath, [KAD_CLI, 'node'], {
        env: {
          ...inherited,
          KAD_NODE: 'lonely',
          KAD_LISTEN: address,
          KAD_BOOTSTRAP: `127.0.0.1:${nobody}`,
          KAD_NATS_URL: cluster.natsUrl,
          KAD_HTTP_LISTEN: http,
          KAD_LOG_LEVEL: 'warn',
        },
        stdio: 'ignore',
      }),
    );
    try {
      const body = await waitFor(
        'the lonely node to answer /readyz',
        async () => {
          const r = await readyz(http);
          return r.status === 503 ? r.body : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 200 },
      );
      const joined = body.checks.find((c) => c.name === 'joined');
      assert.equal(joined?.ok, false);
      assert.match(joined?.detail ?? '', /empty/);
      assert.equal(await healthStatus(address), 'NOT_SERVING');
      assert.equal((await fetch(`http://${http}/healthz`)).status, 200, 'alive');
      assert.equal(child.exitCode, null, 'still running');
    } finally {
      await stopChild(child);
    }
  });
});
