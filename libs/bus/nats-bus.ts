/**
 * The bus over a real nats-server. Each actor is a NATS micro service (`kad-<actor>`, metadata
 * `node`), so `$SRV.PING|INFO|STATS` discover it with standard NATS tooling. Endpoint callbacks
 * hand messages to the actor's mailbox in arrival order; the mailbox bounds concurrency.
 */
import { connect } from '@nats-io/transport-node';
import { RequestError, TimeoutError, type NatsConnection } from '@nats-io/nats-core';
import { ServiceErrorCodeHeader, ServiceErrorHeader, Svcm, type ServiceMsg } from '@nats-io/services';
import { ErrorCode, KadError, asKadError } from '../runtime/kad-error.js';
import type { Bus, ServiceHandle, ServiceSpec } from './bus.js';
import { fromServiceError, serviceErrorCode } from './service-error.js';
import { serviceNameFor } from './subjects.js';

const SERVICE_VERSION = '0.1.0';

export interface NatsBusOptions {
  readonly servers: string | string[];
  /** Connection name shown by nats-server (`kad:<node>:<actors>`). */
  readonly name: string;
}

export class NatsBus implements Bus {
  private constructor(private readonly nc: NatsConnection) {}

  static async connect(options: NatsBusOptions): Promise<NatsBus> {
    const nc = await connect({
      servers: options.servers,
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      // nats.js otherwise builds two Error objects (stack traces) per request to decorate a
      // possible timeout; toKadError says which subject failed, so they are not needed.
      noAsyncTraces: true,
    });
    return new NatsBus(nc);
  }

  async request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    let msg;
    try {
      msg = await this.nc.request(subject, data, { timeout: timeoutMs });
    } catch (err) {
      throw toKadError(err, subject, timeoutMs);
    }
    const code = msg.headers?.get(ServiceErrorCodeHeader);
    if (code) throw fromServiceError(Number(code), msg.headers?.get(ServiceErrorHeader) ?? 'actor error');
    return msg.data;
  }

  publish(subject: string, data: Uint8Array): void {
    if (!this.nc.isClosed()) this.nc.publish(subject, data);
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
          endpoint.handler(msg.data).then(
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

function toKadError(err: unknown, subject: string, timeoutMs: number): KadError {
  if (err instanceof RequestError && err.isNoResponders()) {
    return new KadError(ErrorCode.Unavailable, `no actor answers on ${subject}`, { cause: err });
  }
  if (err instanceof TimeoutError || (err instanceof Error && err.cause instanceof TimeoutError)) {
    return new KadError(ErrorCode.DeadlineExceeded, `no reply on ${subject} within ${timeoutMs} ms`, { cause: err });
  }
  return new KadError(ErrorCode.Unavailable, `bus request on ${subject} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
