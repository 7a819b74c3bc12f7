/**
 * The in-process bus: the same subjects as NATS, delivered within one process, each message as
 * the value it was sent as (nothing is encoded). The embedded default for a laptop (`kad node`
 * with no NATS URL), the local half of LocalFirstBus, and many nodes in one process. Requests
 * and publishes are delivered asynchronously, like a network.
 */
import { ErrorCode, KadError, asKadError } from '../errors/index.js';
import { deliveredOf, type Bus, type BusHandler, type Incoming, type Outgoing, type ServiceHandle, type ServiceSpec } from './bus.js';

export class MemoryBus implements Bus {
  private readonly handlers = new Map<string, BusHandler>();
  private closed = false;

  /** Whether an actor in this process answers on `subject`. */
  serves(subject: string): boolean {
    return !this.closed && this.handlers.has(subject);
  }

  async request(subject: string, message: Outgoing, timeoutMs: number, traceparent?: string): Promise<Incoming> {
    await Promise.resolve();
    const handler = this.handlers.get(subject);
    if (this.closed || !handler) throw new KadError(ErrorCode.Unavailable, `no actor answers on ${subject}`);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new KadError(ErrorCode.DeadlineExceeded, `no reply on ${subject} within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      const reply = await Promise.race([
        handler(deliveredOf(message), traceparent).catch((err: unknown) => Promise.reject(asKadError(err))),
        deadline,
      ]);
      if (reply === undefined) throw new KadError(ErrorCode.Internal, `${subject} sent no reply`);
      return deliveredOf(reply);
    } finally {
      clearTimeout(timer);
    }
  }

  publish(subject: string, message: Outgoing): void {
    const handler = this.handlers.get(subject);
    if (this.closed || !handler) return;
    const delivered = deliveredOf(message);
    queueMicrotask(() => {
      handler(delivered).catch(() => undefined);
    });
  }

  async serve(spec: ServiceSpec): Promise<ServiceHandle> {
    for (const endpoint of spec.endpoints) {
      if (this.handlers.has(endpoint.subject)) throw new Error(`${endpoint.subject} is already served on this bus`);
    }
    for (const endpoint of spec.endpoints) this.handlers.set(endpoint.subject, endpoint.handler);
    return {
      stop: async () => {
        for (const endpoint of spec.endpoints) {
          if (this.handlers.get(endpoint.subject) === endpoint.handler) this.handlers.delete(endpoint.subject);
        }
      },
    };
  }

  get connected(): boolean {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
  }
}
