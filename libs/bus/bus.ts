/**
 * The bus: how the actors of a node talk. Two implementations with the same subjects: NatsBus (a
 * real nats-server, NATS micro services; every message is its protobuf bytes) and MemoryBus (one
 * process, no server; a message is the actors' own value, never encoded). A message carries both
 * its value and how to encode it, so each bus takes what it needs. Failures surface as KadError:
 * `unavailable` when no actor answers on a subject, `deadline-exceeded` when it does not answer
 * in time, or the code the actor replied.
 */
import type { BusTally } from './bus-tally.js';
import type { ActorName } from './subjects.js';

/** A message sent: the value (what an actor in this process gets, as it is) and how to encode
 * it (for one that is not); or bytes only (a message made outside the actor protocol). */
export type Outgoing = { readonly value: unknown; encode(): Uint8Array } | { readonly bytes: Uint8Array };
/** A message received: the value, from this process, or the bytes, from NATS. */
export type Incoming = { readonly value: unknown } | { readonly bytes: Uint8Array };

/** The bytes of a message, encoding it if it is a value. */
export function encodedOf(message: Outgoing): Uint8Array {
  return 'bytes' in message ? message.bytes : message.encode();
}

/** A message as an actor in this process receives it: as it was sent, nothing encoded. */
export function deliveredOf(message: Outgoing): Incoming {
  return 'bytes' in message ? { bytes: message.bytes } : { value: message.value };
}

/** Handles one message; returns the reply, or undefined for a publish (no reply). */
export type BusHandler = (message: Incoming, traceparent?: string) => Promise<Outgoing | undefined>;

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
  request(subject: string, message: Outgoing, timeoutMs: number, traceparent?: string): Promise<Incoming>;
  /** Fire-and-forget notification. */
  publish(subject: string, message: Outgoing): void;
  /** Serve an actor's endpoints (on NATS: one NATS micro service per actor). */
  serve(spec: ServiceSpec): Promise<ServiceHandle>;
  close(): Promise<void>;
  /** Whether messages can flow now (NATS: connected, not reconnecting). */
  readonly connected: boolean;
  /** What this process has sent, where the bus counts it. */
  readonly tally?: BusTally;
}
