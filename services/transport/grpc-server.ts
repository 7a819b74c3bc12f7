/**
 * The node's gRPC server, with the HTTP/2 limits every remote is held to (docs/SECURITY.md):
 * concurrent streams per connection, an idle timeout, server keepalive pings (a connection that
 * does not answer one is closed), and open connections per remote host. The listening socket is
 * this module's own: it counts connections per host and refuses one over the bound before any
 * byte of HTTP/2 or TLS is spent on it, then hands the rest to grpc-js (a connection injector).
 */
import * as grpc from '@grpc/grpc-js';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { splitAddress } from '../../libs/kademlia/index.js';
import { serverOptions } from '../../libs/proto/index.js';
import type { Logger, PeerLimits } from '../../libs/runtime/index.js';
import { InboundLimiter } from './inbound-limiter.js';

/** A connection's answer to a keepalive ping may take this long. */
const KEEPALIVE_TIMEOUT_MS = 20_000;

export interface GrpcServer {
  readonly server: grpc.Server;
  readonly port: number;
  /** Closes the connection of `remote` (`ip:port`, as grpc-js' call.getPeer() says). */
  disconnect(remote: string): void;
  stop(graceMs: number): Promise<void>;
}

export function grpcServerOptions(maxMessageBytes: number, limits: PeerLimits): grpc.ServerOptions {
  return {
    ...serverOptions(maxMessageBytes),
    'grpc.max_concurrent_streams': limits.maxStreamsPerConnection,
    'grpc.max_connection_idle_ms': limits.idleTimeoutMs,
    'grpc.keepalive_time_ms': limits.keepaliveMs,
    'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
  };
}

export async function startGrpcServer(options: {
  readonly listen: string;
  readonly credentials: grpc.ServerCredentials;
  readonly maxMessageBytes: number;
  readonly limits: PeerLimits;
  readonly log: Logger;
}): Promise<GrpcServer> {
  const { limits, log } = options;
  const server = new grpc.Server(grpcServerOptions(options.maxMessageBytes, limits));
  const injector = server.createConnectionInjector(options.credentials);
  const perHost = new InboundLimiter(limits.maxConnectionsPerHost);
  const open = new Map<string, Socket>();
  let refusedSince = 0;
  const listener: NetServer = createServer({ noDelay: true }, (socket) => {
    // The key grpc-js' call.getPeer() gives the same connection.
    const remote = `${socket.remoteAddress ?? 'unknown'}:${socket.remotePort}`;
    let release: () => void;
    try {
      release = perHost.acquire(remote);
    } catch {
      if (refusedSince++ % 100 === 0)
        log.warn(
          { host: socket.remoteAddress, max: limits.maxConnectionsPerHost, refused: refusedSince },
          'refused a connection: too many from this host',
        );
      socket.destroy();
      return;
    }
    open.set(remote, socket);
    socket.once('close', () => {
      open.delete(remote);
      release();
    });
    socket.on('error', () => undefined);
    injector.injectConnection(socket);
    // HTTP/2 sessions without calls are closed (GOAWAY) by grpc-js' idle timeout; a socket with
    // no traffic at all for twice as long (a stalled TLS handshake, a client that answers
    // nothing) is destroyed. Set after the injection, which resets the socket's timeout.
    socket.setTimeout(2 * limits.idleTimeoutMs, () => socket.destroy());
  });
  const { host, port: portText } = splitAddress(options.listen);
  const port = Number(portText);
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen({ host, port }, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  const address = listener.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  return {
    server,
    port: bound,
    disconnect: (remote) => {
      const socket = open.get(remote);
      if (!socket) return;
      log.warn({ remote }, 'closed the connection of a remote that ignores retry-after-ms');
      socket.destroy();
    },
    stop: async (graceMs) => {
      listener.close();
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      injector.destroy();
      for (const socket of open.values()) socket.destroy();
    },
  };
}
