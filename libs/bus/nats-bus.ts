/**
 * The bus over a real nats-server. Each actor is a NATS micro service (`kad-<actor>`, metadata
 * `node`), so `$SRV.PING|INFO|STATS` discover it with standard NATS tooling. Endpoint callbacks
 * hand messages to the actor's mailbox in arrival order; the mailbox bounds concurrency.
 *
 * Authentication (docs/SECURITY.md, "The bus"): credentials in the URL (`nats://user:pass@host`,
 * `nats://token@host`; nats.js itself ignores them), a .creds file (user JWT + nkey seed), a CA
 * for TLS, and a per-node inbox prefix (`_INBOX_<node>`) so a server's permissions can confine
 * each node to `kad.<node>.>` and its own inboxes.
 */
import { readFileSync } from 'node:fs';
import { connect } from '@nats-io/transport-node';
import {
  RequestError,
  TimeoutError,
  credsAuthenticator,
  headers,
  type ConnectionOptions,
  type MsgHdrs,
  type NatsConnection,
} from '@nats-io/nats-core';
import { TRACEPARENT } from '../observability/index.js';
import { ServiceErrorCodeHeader, ServiceErrorHeader, Svcm, type ServiceMsg } from '@nats-io/services';
import { ErrorCode, KadError, asKadError, ConfigError, readSettingFile } from '../errors/index.js';
import { encodedOf, type Bus, type Incoming, type Outgoing, type ServiceHandle, type ServiceSpec } from './bus.js';
import { fromServiceError, serviceErrorCode } from './service-error.js';
import { serviceNameFor } from './subjects.js';

export { inboxPrefixFor } from './subjects.js';

const SERVICE_VERSION = '0.1.0';

export interface NatsBusOptions {
  /** URLs, each possibly with credentials (`nats://user:pass@host:port`, `nats://token@host`). */
  readonly servers: string | string[];
  /** Connection name shown by nats-server (`kad:<node>:<actors>`). */
  readonly name: string;
  /** A NATS .creds file (user JWT and nkey seed); re-read on every reconnect. */
  readonly credsFile?: string | undefined;
  /** A PEM CA bundle: the connection uses TLS and trusts this CA. */
  readonly tlsCaFile?: string | undefined;
  /** Subject prefix of this connection's reply inboxes (inboxPrefixFor(node)); default `_INBOX`. */
  readonly inboxPrefix?: string | undefined;
}

export class NatsBus implements Bus {
  private up = true;

  private constructor(private readonly nc: NatsConnection) {
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') this.up = false;
        else if (status.type === 'reconnect') this.up = true;
      }
    })().catch(() => undefined);
  }

  get connected(): boolean {
    return this.up && !this.nc.isClosed();
  }

  /** Throws ConfigError for bad credentials settings, and a one-line Error when NATS refuses. */
  static async connect(options: NatsBusOptions): Promise<NatsBus> {
    const connectOptions = natsConnectOptions(options);
    let nc: NatsConnection;
    try {
      nc = await connect({
        ...connectOptions,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        // nats.js otherwise builds two Error objects (stack traces) per request to decorate a
        // possible timeout; toKadError says which subject failed, so they are not needed.
        noAsyncTraces: true,
      });
    } catch (err) {
      const servers = connectOptions.servers.join(',');
      throw new Error(`cannot connect to NATS at ${servers}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return new NatsBus(nc);
  }

  async request(subject: string, message: Outgoing, timeoutMs: number, traceparent?: string): Promise<Incoming> {
    let msg;
    try {
      const data = encodedOf(message);
      let traced: MsgHdrs | undefined;
      if (traceparent !== undefined) {
        traced = headers();
        traced.set(TRACEPARENT, traceparent);
      }
      msg = await this.nc.request(subject, data, traced ? { timeout: timeoutMs, headers: traced } : { timeout: timeoutMs });
    } catch (err) {
      throw toKadError(err, subject, timeoutMs);
    }
    const code = msg.headers?.get(ServiceErrorCodeHeader);
    if (code) throw fromServiceError(Number(code), msg.headers?.get(ServiceErrorHeader) ?? 'actor error');
    return { bytes: msg.data };
  }

  publish(subject: string, message: Outgoing): void {
    if (!this.nc.isClosed()) this.nc.publish(subject, encodedOf(message));
  }

  async serve(spec: ServiceSpec): Promise<ServiceHandle> {
    const service = await new Svcm(this.nc).add({
      name: serviceNameFor(spec.actor),
      version: SERVICE_VERSION,
      description: `Kademlia ${spec.actor} actor of node ${spec.node}`,
      metadata: { node: spec.node, actor: spec.actor },
    });
    for (const endpoint of spec.endpoints) {
      service.addEndpoint(endpoint.verb, {
        subject: endpoint.subject,
        handler: (err: Error | null, msg: ServiceMsg) => {
          if (err) return;
          // The reply is encoded inside the chain, so an encoding failure is answered as an error too.
          endpoint
            .handler({ bytes: msg.data }, msg.headers?.get(TRACEPARENT) || undefined)
            .then((reply) => (reply === undefined ? undefined : encodedOf(reply)))
            .then(
              (reply) => {
                if (reply !== undefined && msg.reply) msg.respond(reply);
              },
              (error: unknown) => {
                const kad = asKadError(error);
                if (msg.reply) msg.respondError(serviceErrorCode(kad.code), kad.message);
              },
            );
        },
      });
    }
    // A subscription the server's permissions refuse stops the service (the refusal arrives
    // before the flush's PONG): fail now, not serve nothing while looking up.
    await this.nc.flush();
    if (service.isStopped) {
      const reason = await service.stopped;
      throw new KadError(
        ErrorCode.Unavailable,
        `NATS refused the ${spec.actor} service of node ${spec.node}: ${reason instanceof Error ? reason.message : 'stopped'}`,
      );
    }
    return { stop: async () => void (await service.stop()) };
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
  }

  /** Resolves when the connection closes for good (used by processes to exit). */
  closed(): Promise<void | Error> {
    return this.nc.closed();
  }
}

/** One NATS URL split into the bare URL nats.js connects to and the credentials it carried. */
export interface NatsUrlParts {
  readonly url: string;
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
}

// The userinfo ends at the last `@` before the first `/` (as URL parsers split it).
const USERINFO = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)?([^/]*)@(.*)$/s;

/** `nats://user:pass@host:port` -> user, pass; `nats://token@host` -> token; percent-escapes decoded. */
export function parseNatsUrl(raw: string): NatsUrlParts {
  const match = USERINFO.exec(raw.trim());
  if (!match) return { url: raw.trim() };
  const [, scheme = '', userinfo = '', rest = ''] = match;
  const url = `${scheme}${rest}`;
  if (rest === '') throw new ConfigError(`NATS URL ${redactNatsUrl(raw)} has no host after the credentials`);
  const decode = (part: string, what: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new ConfigError(`NATS URL ${redactNatsUrl(raw)}: the ${what} has a bad %-escape`);
    }
  };
  const colon = userinfo.indexOf(':');
  if (colon < 0) {
    if (userinfo === '') throw new ConfigError(`NATS URL ${redactNatsUrl(raw)} has an empty token before @`);
    return { url, token: decode(userinfo, 'token') };
  }
  const user = decode(userinfo.slice(0, colon), 'user');
  if (user === '') throw new ConfigError(`NATS URL ${redactNatsUrl(raw)} has a password but no user`);
  return { url, user, pass: decode(userinfo.slice(colon + 1), 'password') };
}

/** The URL as it may be logged: a password or token is replaced by `***`. */
export function redactNatsUrl(raw: string): string {
  const match = USERINFO.exec(raw.trim());
  if (!match) return raw.trim();
  const [, scheme = '', userinfo = '', rest = ''] = match;
  const colon = userinfo.indexOf(':');
  return `${scheme}${colon < 0 ? '***' : `${userinfo.slice(0, colon)}:***`}@${rest}`;
}

/** Every URL of a list, redacted, comma-separated (for logs and messages). */
export function redactNatsUrls(urls: string | readonly string[]): string {
  return (typeof urls === 'string' ? urls.split(',') : urls).map(redactNatsUrl).join(',');
}

const CREDS_BLOCK = /-{3,}[^\n]*-{3,}\n\s*(\S+)\s*\n\s*-{3,}[^\n]*-{3,}/g;

/** The options nats.js connects with: bare server URLs, credentials from the URLs, a creds file
 * or none, TLS with a CA, the inbox prefix. Exported for the container healthcheck. */
export function natsConnectOptions(options: NatsBusOptions): ConnectionOptions & { servers: string[] } {
  const parts = (typeof options.servers === 'string' ? options.servers.split(',') : options.servers)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(parseNatsUrl);
  if (parts.length === 0) throw new ConfigError('--nats-url: no NATS URL given');
  const withAuth = parts.filter((p) => p.user !== undefined || p.token !== undefined);
  const first = withAuth[0];
  if (first && withAuth.some((p) => p.user !== first.user || p.pass !== first.pass || p.token !== first.token)) {
    throw new ConfigError('--nats-url: every URL that carries credentials must carry the same ones (one connection, one identity)');
  }
  const result: ConnectionOptions & { servers: string[] } = { servers: parts.map((p) => p.url), name: options.name };
  if (first?.user !== undefined) Object.assign(result, { user: first.user, pass: first.pass ?? '' });
  if (first?.token !== undefined) result.token = first.token;
  if (options.credsFile !== undefined) {
    if (first) throw new ConfigError('--nats-creds and credentials in --nats-url exclude each other: use one');
    const file = options.credsFile;
    let creds = readSettingFile(file, 'NATS credentials file', 'nats-creds').toString('utf8');
    if ([...creds.matchAll(CREDS_BLOCK)].length < 2) {
      throw new ConfigError(`--nats-creds: ${JSON.stringify(file)} is not a NATS .creds file (a user JWT block and an nkey seed block)`);
    }
    // Re-read on every (re)connect, so a rotated file is picked up; the last good one otherwise.
    result.authenticator = credsAuthenticator(() => {
      try {
        creds = readFileSync(file, 'utf8');
      } catch {
        // keep the last good content
      }
      return new TextEncoder().encode(creds);
    });
  }
  if (options.tlsCaFile !== undefined) {
    const pem = readSettingFile(options.tlsCaFile, 'NATS TLS CA bundle', 'nats-tls-ca').toString('utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----'))
      throw new ConfigError(`--nats-tls-ca: ${JSON.stringify(options.tlsCaFile)} holds no PEM certificate`);
    result.tls = { caFile: options.tlsCaFile };
  }
  if (options.inboxPrefix !== undefined) result.inboxPrefix = options.inboxPrefix;
  return result;
}

function toKadError(err: unknown, subject: string, timeoutMs: number): KadError {
  if (err instanceof RequestError && err.isNoResponders()) {
    return new KadError(ErrorCode.Unavailable, `no actor answers on ${subject}`, { cause: err });
  }
  if (err instanceof TimeoutError || (err instanceof Error && err.cause instanceof TimeoutError)) {
    return new KadError(ErrorCode.DeadlineExceeded, `no reply on ${subject} within ${timeoutMs} ms`, { cause: err });
  }
  return new KadError(ErrorCode.Unavailable, `bus request on ${subject} failed: ${err instanceof Error ? err.message : String(err)}`, {
    cause: err,
  });
}
