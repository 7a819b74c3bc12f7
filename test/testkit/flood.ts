/**
 * Floods a node, as a process of its own (an attacker is not the test's event loop):
 *
 * - `node flood.js fake-senders <count> <parallel> <unused-port> <node address>...`: Pings and
 *   FindNodes with made-up senders, half naming an address nobody serves, half a real node's
 *   address under an id not its own. Prints the fabricated ids (hex), one JSON array.
 * - `node flood.js calls <node address> <in flight>`: FindNodes with no sender, as fast as it can
 *   on one connection, until SIGTERM. Prints `throttled` once refused 100 times, then, at SIGTERM,
 *   `{ served, exhausted, dropped, retryAfterMs }` as JSON (dropped: calls lost with a closed
 *   connection).
 */
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { unary } from '../../libs/proto/index.js';
import { DEFAULT_NETWORK } from '../../libs/runtime/index.js';
import { rawPeerClient } from '../../harness/grpc-probe.js';
import { runBounded } from '../../harness/workload.js';

const [mode, ...args] = process.argv.slice(2);

async function fakeSenders([countArg, parallelArg, unusedArg, ...nodes]: string[]): Promise<void> {
  const unused = Number(unusedArg);
  const peers = nodes.map((address) => rawPeerClient(address));
  const ids: string[] = [];
  await runBounded(Number(countArg), Number(parallelArg), async (i) => {
    const id = randomBytes(32);
    ids.push(id.toString('hex'));
    const sender = { id, address: i % 2 === 0 ? `127.0.0.1:${unused + (i % 7)}` : nodes[i % nodes.length]! };
    const peer = peers[i % peers.length]!;
    if (i % 2 === 0) await unary(peer, peer.Ping, { sender, network: DEFAULT_NETWORK }, 5_000);
    else await unary(peer, peer.FindNode, { sender, network: DEFAULT_NETWORK, target: randomBytes(32) }, 5_000);
  });
  for (const peer of peers) peer.close();
  process.stdout.write(JSON.stringify(ids));
}

async function calls([address, inFlight]: string[]): Promise<void> {
  const peer = rawPeerClient(address!);
  let flooding = true;
  let served = 0;
  let exhausted = 0;
  let dropped = 0;
  let retryAfterMs: number | undefined;
  process.once('SIGTERM', () => (flooding = false));
  await Promise.all(
    Array.from({ length: Number(inFlight) }, async () => {
      while (flooding) {
        try {
          await unary(peer, peer.FindNode, { target: randomBytes(32) }, 5_000);
          served++;
        } catch (err) {
          const e = err as grpc.ServiceError;
          if (e.code === grpc.status.UNAVAILABLE) {
            dropped++; // the node closed the connection: grpc-js reconnects
            continue;
          }
          if (e.code !== grpc.status.RESOURCE_EXHAUSTED) throw err;
          if (++exhausted === 100) process.stdout.write('throttled\n');
          retryAfterMs ??= Number(e.metadata.get('retry-after-ms')[0]);
        }
      }
    }),
  );
  peer.close();
  process.stdout.write(JSON.stringify({ served, exhausted, dropped, retryAfterMs }));
}

if (mode === 'fake-senders') await fakeSenders(args);
else if (mode === 'calls') await calls(args);
else throw new Error(`unknown mode ${mode}`);
