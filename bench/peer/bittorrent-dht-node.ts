/**
 * One bittorrent-dht node as a child process of the benchmark (bench/peer/bittorrent-dht-cluster.ts
 * forks it): a `DHT` on UDP 127.0.0.1 that answers the parent's requests over Node IPC
 * (bench/peer/peer-protocol.ts): `put` (a BEP 44 immutable put), `get` (by hash), `stats` (the
 * routing table's size) and `stop`. Every message is validated; bad input gets an error reply.
 *
 *   node dist/bench/peer/bittorrent-dht-node.js <port> [<host:port> ...]
 *
 * Port 0 lets the kernel choose; the `ready` message says which port the socket got. With no
 * bootstrap address the node starts a network of its own (`bootstrap: false`: no public router
 * is ever asked). PEER_PORT and PEER_BOOTSTRAP (comma-separated) stand in for the arguments.
 * The node exits when its parent goes away (the IPC channel closes) or on SIGTERM / SIGINT.
 */
import DHT from 'bittorrent-dht';
import { parseRequest, type PeerChildMessage, type PeerRequest } from './peer-protocol.js';

const HOST = '127.0.0.1';
/** Records kept in memory: the library's default (1000, least recently used dropped) would drop
 * the benchmark's own records during its throughput runs; this node keeps every one, as ours do. */
const MAX_VALUES = 1_000_000;
const EXIT_GRACE_MS = 2_000;
const ADDRESS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})$/;

function fail(message: string): never {
  console.error(`bittorrent-dht-node: ${message}`);
  process.exit(2);
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`port must be an integer 0-65535, got ${JSON.stringify(raw)}`);
  return port;
}

function parseAddress(raw: string): string {
  const match = ADDRESS.exec(raw);
  const valid =
    match !== null && match.slice(1, 5).every((octet) => Number(octet) <= 255) && Number(match[5]) > 0 && Number(match[5]) <= 65_535;
  if (!valid) fail(`a bootstrap address is IPv4 host:port, got ${JSON.stringify(raw)}`);
  return raw;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

const [portArg, ...bootstrapArgs] = process.argv.slice(2);
const port = parsePort(portArg ?? process.env['PEER_PORT'] ?? '0');
const bootstrap = (bootstrapArgs.length > 0 ? bootstrapArgs : (process.env['PEER_BOOTSTRAP'] ?? '').split(','))
  .map((s) => s.trim())
  .filter((s) => s.length > 0)
  .map(parseAddress);
if (!process.send) fail('start me with child_process.fork: I answer over the IPC channel');

const dht = new DHT({ bootstrap: bootstrap.length > 0 ? bootstrap : false, host: HOST, maxValues: MAX_VALUES });
let stopping = false;
let warnings = 0;

function send(message: PeerChildMessage): void {
  if (!process.connected) return;
  try {
    process.send?.(message, undefined, undefined, (err: Error | null) => {
      if (err && !stopping) console.error(`bittorrent-dht-node: reply not sent: ${err.message}`);
    });
  } catch (err) {
    if (!stopping) console.error(`bittorrent-dht-node: reply not sent: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function errorReply(id: number | null, err: unknown): void {
  send({ kind: 'reply', id, ok: false, error: err instanceof Error ? err.message : String(err) });
}

function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  dht.destroy(() => process.exit(code));
}

function serve(request: PeerRequest): void {
  const { id } = request;
  switch (request.op) {
    case 'put': {
      const v = Buffer.from(request.value, 'base64');
      // put throws synchronously on a value it refuses; the key it returns is the value's hash.
      const key = dht.put({ v }, (err, _hash, stored) => {
        if (err) errorReply(id, err);
        else send({ kind: 'reply', id, ok: true, op: 'put', hash: key.toString('hex'), stored: stored ?? 0 });
      });
      return;
    }
    case 'get':
      dht.get(Buffer.from(request.hash, 'hex'), (err, reply) => {
        if (err) return errorReply(id, err);
        const v = isRecord(reply) ? reply['v'] : undefined;
        const found = Buffer.isBuffer(v);
        send({ kind: 'reply', id, ok: true, op: 'get', found, bytes: found ? v.length : 0 });
      });
      return;
    case 'stats':
      send({ kind: 'reply', id, ok: true, op: 'stats', nodes: dht.nodes.count() });
      return;
    case 'stop':
      send({ kind: 'reply', id, ok: true, op: 'stop' });
      stop(0);
      return;
  }
}

process.on('message', (message: unknown) => {
  if (stopping) return;
  const parsed = parseRequest(message);
  if (!('request' in parsed)) return errorReply(parsed.id, parsed.error);
  try {
    serve(parsed.request);
  } catch (err) {
    errorReply(parsed.request.id, err);
  }
});
process.on('disconnect', () => stop(0));
process.once('SIGTERM', () => stop(0));
process.once('SIGINT', () => stop(0));

dht.on('error', (err: unknown) => {
  console.error(`bittorrent-dht-node: ${err instanceof Error ? err.message : String(err)}`);
  stop(1);
});
dht.on('warning', (err: unknown) => {
  // Late or unexpected UDP replies; a few are normal, so only the first ones are logged.
  if (++warnings <= 5) console.error(`bittorrent-dht-node: warning: ${err instanceof Error ? err.message : String(err)}`);
});
// Bound in this tick, before the library's own bootstrap (next tick) sends its first query.
dht.listen(port, HOST, () => send({ kind: 'ready', port: dht.address().port, nodeId: dht.nodeId.toString('hex') }));
