/**
 * The peer channel pool over real sockets: a channel that failed to connect backs off, and
 * `revive` (a call from that peer just arrived) makes the next call dial at once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import type { PeerClient } from '../../../libs/proto/v1.js';
import type * as v1 from '../../../libs/proto/v1.js';
import { PeerClientPool } from '../../../services/transport/peer-client-pool.js';
import { FakePeerIdentity, quietPeerHandlers, servePeer } from '../../testkit/fake-peer.js';
import { freePorts } from '../../../harness/free-port.js';

const ping = (client: PeerClient): Promise<v1.PingResponse__Output> =>
  new Promise((resolve, reject) => {
    client.Ping({ sender: null, network: '', challenge: Buffer.alloc(0) }, { deadline: Date.now() + 2_000 }, (err, reply) =>
      err || !reply ? reject(err) : resolve(reply),
    );
  });

test('a channel backing off from a peer that was down dials again once that peer calls', async () => {
  const [port] = await freePorts(1);
  const address = `127.0.0.1:${port}`;
  const pool = new PeerClientPool(8, 1 << 20, grpc.credentials.createInsecure());
  try {
    const first = pool.get(address);
    await assert.rejects(ping(first), (err: grpc.ServiceError) => err.code === grpc.status.UNAVAILABLE);
    assert.equal(first.getChannel().getConnectivityState(false), grpc.connectivityState.TRANSIENT_FAILURE);

    const identity = new FakePeerIdentity(address);
    const server = await servePeer(address, quietPeerHandlers(identity));
    try {
      // Still backing off: the same channel fails at once although the peer is up now.
      assert.equal(pool.get(address), first);
      pool.revive(address);
      const fresh = pool.get(address);
      assert.notEqual(fresh, first);
      assert.deepEqual((await ping(fresh)).responder?.id, Buffer.from(identity.id));
      // A working channel is kept.
      pool.revive(address);
      assert.equal(pool.get(address), fresh);
    } finally {
      server.forceShutdown();
    }
  } finally {
    pool.close();
  }
});
