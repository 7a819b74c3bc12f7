/**
 * The floor on this machine, measured in the same run as the cluster: a bare gRPC unary round
 * trip (Peer.Ping with no sender, which a node answers without any bus message), to node-0 every
 * time and to a random node each time, and a bare NATS request/reply (a plain responder on the
 * cluster's nats-server), one call at a time, after a warm-up, with 100-byte NATS payloads.
 */
import { connect } from '@nats-io/transport-node';
import { unary } from '../libs/proto/index.js';
import type { ClientTlsOptions } from '../libs/client/index.js';
import { rawPeerClient } from '../harness/grpc-probe.js';
import type { FloorResult, LatencyStats } from './cluster-result.js';
import { CallTimes } from './latency-stats.js';
import { SeededRandom } from '../libs/sampling/index.js';

const WARMUP = 50;
const CALL_TIMEOUT_MS = 5_000;
const FLOOR_SUBJECT = 'bench.floor.echo';

/** `nodeAddresses[0]` is node-0; `seed` chooses the random nodes; `warmup` untimed calls before each. */
export async function measureFloor(
  nodeAddresses: readonly string[],
  natsUrl: string,
  ops: number,
  seed = 1,
  warmup = WARMUP,
  tls?: ClientTlsOptions,
): Promise<FloorResult> {
  const clients = nodeAddresses.map((address) => rawPeerClient(address, tls));
  try {
    const [first] = clients;
    if (!first) throw new Error('no nodes to ping');
    const random = new SeededRandom(seed);
    const ping = (client: typeof first): Promise<unknown> => unary(client, client.Ping, {}, CALL_TIMEOUT_MS);
    const grpcPing = await sequential(ops, () => ping(first), warmup);
    const grpcPingSpread = await sequential(ops, () => ping(clients[random.int(clients.length)] ?? first), warmup);
    const natsRequest = await measureNatsRequest(natsUrl, ops, warmup);
    return { grpcPing, grpcPingSpread, natsRequest };
  } finally {
    for (const client of clients) client.close();
  }
}

async function measureNatsRequest(natsUrl: string, ops: number, warmup: number): Promise<LatencyStats> {
  const responder = await connect({ servers: natsUrl, name: 'bench-floor-responder' });
  const requester = await connect({ servers: natsUrl, name: 'bench-floor-requester' });
  try {
    responder.subscribe(FLOOR_SUBJECT, { callback: (err, msg) => void (err || msg.respond(msg.data)) });
    await responder.flush();
    const payload = new Uint8Array(100).fill(7);
    return await sequential(ops, () => requester.request(FLOOR_SUBJECT, payload, { timeout: CALL_TIMEOUT_MS }), warmup);
  } finally {
    await requester.close();
    await responder.close();
  }
}

/** `ops` calls one at a time after `warmup` untimed ones; failed calls are counted, not timed. */
export async function sequential(ops: number, call: () => Promise<unknown>, warmup = WARMUP): Promise<LatencyStats> {
  for (let i = 0; i < warmup; i++) await call().catch(() => undefined);
  const times = new CallTimes();
  for (let i = 0; i < ops; i++) await times.time(call);
  return times.stats();
}
