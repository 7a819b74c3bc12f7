/**
 * The HTTP port of a process (KAD_HTTP_LISTEN): `/metrics` (Prometheus text format),
 * `/healthz` (liveness: the process answers), `/readyz` (readiness from the self-audit: 200 or
 * 503, with the checks as JSON), the page at `/` (keyspace-page.ts) and its data (`/api/table`,
 * `/api/key?key=`, `/api/lookups`), `/api/traces` (the ids of the traces this process recorded
 * spans for, newest first) and `/api/traces/<trace id>` (those spans). Only GET and HEAD;
 * requests are small and bounded in time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { splitAddress } from '../../libs/kademlia/index.js';
import type { NodeMetrics, Readiness, SpanLog } from '../../libs/observability/index.js';
import type { Logger } from '../../libs/runtime/index.js';
import { ErrorCode, asKadError } from '../../libs/errors/index.js';
import type { KeyspaceApi } from './keyspace-api.js';
import { KEYSPACE_PAGE } from './keyspace-page.js';

export interface HttpServerOptions {
  readonly listen: string;
  readonly node: string;
  readonly metrics: NodeMetrics;
  readonly readiness: Readiness;
  readonly spans: SpanLog;
  readonly keyspace: KeyspaceApi;
  readonly log: Logger;
}

export interface RunningHttpServer {
  /** host:port it listens on (the port the OS chose when the setting's port is 0). */
  readonly address: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

async function route(req: IncomingMessage, res: ServerResponse, options: HttpServerOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }
  const url = new URL(req.url ?? '/', 'http://kad');
  const path = url.pathname;
  const json = (body: unknown): void => send(res, 200, 'application/json', `${JSON.stringify(body)}\n`);
  switch (path) {
    case '/':
      return send(res, 200, 'text/html; charset=utf-8', KEYSPACE_PAGE);
    case '/api/table':
      return json(await options.keyspace.table());
    case '/api/key': {
      const key = url.searchParams.get('key');
      if (!key) return send(res, 400, 'text/plain; charset=utf-8', 'give the key: /api/key?key=...\n');
      return json(await options.keyspace.key(key));
    }
    case '/api/lookups':
      return json({ lookups: options.keyspace.lookups() });
    case '/metrics': {
      const registry = options.metrics.registry;
      if (!registry) return send(res, 404, 'text/plain; charset=utf-8', 'metrics are off\n');
      return send(res, 200, registry.contentType, await registry.metrics());
    }
    case '/healthz':
      return send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
    case '/readyz': {
      const { ready, checks } = options.readiness;
      return send(res, ready ? 200 : 503, 'application/json', `${JSON.stringify({ node: options.node, ready, checks })}\n`);
    }
    case '/api/traces':
      return send(res, 200, 'application/json', `${JSON.stringify({ node: options.node, traces: options.spans.recentTraces(100) })}\n`);
    default:
      if (path.startsWith('/api/traces/')) {
        const traceId = path.slice('/api/traces/'.length);
        if (!/^[0-9a-f]{32}$/.test(traceId)) return send(res, 400, 'text/plain; charset=utf-8', 'a trace id is 32 lowercase hex digits\n');
        return send(res, 200, 'application/json', `${JSON.stringify({ node: options.node, spans: options.spans.trace(traceId) })}\n`);
      }
      return send(res, 404, 'text/plain; charset=utf-8', 'not found: try /metrics, /healthz or /readyz\n');
  }
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const server: Server = createServer((req, res) => {
    route(req, res, options).catch((err: unknown) => {
      const kad = asKadError(err);
      const status =
        kad.code === ErrorCode.InvalidArgument
          ? 400
          : kad.code === ErrorCode.Unavailable || kad.code === ErrorCode.DeadlineExceeded
            ? 503
            : 500;
      if (status === 500) options.log.warn({ err: kad.message, url: req.url }, 'http request failed');
      if (!res.headersSent) send(res, status, 'text/plain; charset=utf-8', `${status === 500 ? 'internal error' : kad.message}\n`);
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 50;
  server.maxConnections = 256;
  const { host, port } = splitAddress(options.listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(port), host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const address =
    bound && typeof bound === 'object' ? `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}` : options.listen;
  options.log.info({ address }, 'http server listening');
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
