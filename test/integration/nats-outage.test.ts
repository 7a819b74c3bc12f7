/**
 * The bus goes away and comes back. With nats-server killed, a co-located node (its four actors
 * in one process, talking in process) keeps serving; a split node (four processes) fails its
 * calls with a clear status instead of hanging. Once nats-server is back on the same port, the
 * actors reconnect on their own (NATS micro re-subscribes) and the records are still there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { startNatsServer, type NatsServerProcess } from '../../libs/runtime/index.js';
import { freePorts } from '../../harness/free-port.js';
import { ProcessCluster } from '../../harness/process-cluster.js';
import { waitFor } from '../../harness/wait-for.js';

describe('NATS outage - nats-server killed and restarted under a running cluster', () => {
  let nats: NatsServerProcess;
  let port: number;
  let cluster: ProcessCluster;

  before(async () => {
    [port] = (await freePorts(1)) as [number];
    nats = await startNatsServer({ port });
    cluster = await ProcessCluster.start({ nodes: 3, natsUrl: nats.url, split: [2], env: { KAD_K: '3' } });
    await cluster.waitForTables(2);
  });
  after(async () => {
    await cluster?.stop();
    await nats?.stop();
  });

  test('co-located nodes keep serving; a split node fails with UNAVAILABLE or DEADLINE_EXCEEDED, and works again after it', async () => {
    assert.equal((await cluster.nodes[0]!.client.put('before-outage', 'kept')).acknowledged, 3);
    nats.process.kill('SIGKILL');
    await waitFor('nats-server to exit', () => nats.process.exitCode !== null || nats.process.signalCode !== null);

    const during = await cluster.nodes[1]!.client.get('before-outage', { timeoutMs: 5_000 });
    assert.equal(during.found && Buffer.from(during.value).toString(), 'kept');
    await assert.rejects(cluster.nodes[2]!.client.get('before-outage', { timeoutMs: 5_000 }), (err: grpc.ServiceError) =>
      [grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED].includes(err.code),
    );

    nats = await startNatsServer({ port });
    await waitFor(
      'the cluster to answer again',
      async () => {
        const reply = await cluster.nodes[2]!.client.get('before-outage', { timeoutMs: 2_000 });
        return reply.found && Buffer.from(reply.value).toString() === 'kept';
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    assert.equal((await cluster.nodes[2]!.client.put('after-outage', 'new')).acknowledged, 3);
    assert.equal(Buffer.from((await cluster.nodes[0]!.client.get('after-outage')).value).toString(), 'new');
  });
});
