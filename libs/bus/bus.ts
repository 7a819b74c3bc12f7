/**
 * The bus: how the actors of a node talk. Two implementations with the same subjects and the
 * same protobuf payloads: NatsBus (a real nats-server, NATS micro services) and MemoryBus (one
 * process, no server). Failures surface as KadError: `unavailable` when no actor answers on a
 * subject, `deadline-exceeded` when it does not answer in time, or the code the actor replied.
 */
import type { BusTally } from './bus-tally.js';
import type { ActorName } from './subjects.js';

/** Handles one message; returns the reply bytes, or undefined for a publish (no reply). */
export type BusHandler = (data: Uint8Array, traceparent?: string) => Promise<Uint8Array | undefined>;

export interface EndpointSpec {
  readonly verb: string;
  readonly subject: string;
  readonly handler: BusHandler;
}

export interface ServiceSpec {
  readonly node: string;
  readonly actor: ActorName;
  readonly endpoints: readonly EndpointSpec[];
}

export interface ServiceHandle {
  stop(): Promise<void>;
}

export interface Bus {
  /** Request/reply with a deadline; rejects with KadError. `traceparent` (W3C trace context)
   * travels as a NATS header, and reaches the handler. */
  request(subject: string, data: Uint8Array, timeoutMs: number, traceparent?: string): Promise<Uint8Array>;
  /** Fire-and-forget notification. */
  publish(subject: string, data: Uint8Array): void;
  /** Serve an actor's endpoints (on NATS: one NATS micro service per actor). */
  serve(spec: ServiceSpec): Promise<ServiceHandle>;
  close(): Promise<void>;
  /** Whether messages can flow now (NATS: connected, not reconnecting). */
  readonly connected: boolean;
  /** What this process has sent, where the bus counts it. */
  readonly tally?: BusTally;
}
