/**
 * How an actor meets the bus. `serveActor` turns a typed handler object into the actor's
 * endpoints (decode, mailbox, handle, encode); `ActorClient` sends typed requests and events to
 * any actor of a node. Both derive subjects and message types from PROTOCOL, so no subject
 * string or codec call is written anywhere else.
 */
import { ErrorCode, KadError, asKadError, invalidArgument } from '../errors/index.js';
import { NO_TELEMETRY, type Telemetry } from '../observability/index.js';
import { formatTraceparent, parseTraceparent } from '../observability/index.js';
import type { Bus, Incoming, Outgoing, ServiceHandle } from './bus.js';
import type { Mailbox } from './mailbox.js';
import {
  PROTOCOL,
  type AnyMessageCodec,
  type EventOf,
  type EventVerb,
  type EventVerbOf,
  type ReplyOf,
  type RequestOf,
  type RequestVerb,
  type RequestVerbOf,
  type VerbOf,
} from './protocol.js';
import { subjectFor, type ActorName } from './subjects.js';

/** One handler per verb of the actor's protocol, on the actors' own types. */
export type ActorHandlers<A extends ActorName> = {
  [V in VerbOf<A>]: V extends RequestVerbOf<A>
    ? (request: RequestOf<A, V>) => Promise<ReplyOf<A, V>> | ReplyOf<A, V>
    : (event: EventOf<A, V>) => Promise<void> | void;
};

/** A value as the bus carries it: as it is in process, encoded by its codec for NATS. */
function outgoing(codec: AnyMessageCodec, value: unknown): Outgoing {
  return { value, encode: () => codec.encode(value as never) };
}

/** What arrived, as the value: as it is from this process, decoded (and checked) from NATS. */
function valueOf(codec: AnyMessageCodec, message: Incoming): unknown {
  return 'value' in message ? message.value : codec.decode(message.bytes);
}

function isRequestVerb(verb: RequestVerb | EventVerb): verb is RequestVerb {
  return 'request' in verb;
}

export async function serveActor<A extends ActorName>(
  bus: Bus,
  node: string,
  actor: A,
  handlers: ActorHandlers<A>,
  box: Mailbox,
  onEventError: (verb: string, err: unknown) => void,
  { metrics, tracer }: Telemetry = NO_TELEMETRY,
): Promise<ServiceHandle> {
  const table = PROTOCOL[actor] as Record<string, RequestVerb | EventVerb>;
  metrics.watchMailbox(actor, () => box.depth);
  const post = <T>(work: () => Promise<T> | T): Promise<T> =>
    box.post(work).catch((err: unknown) => {
      if (box.refused(err)) metrics.mailboxRejected(actor);
      throw err;
    });
  const endpoints = Object.entries(table).map(([verb, spec]) => {
    const handler = (handlers as Record<string, (message: never) => unknown>)[verb];
    if (!handler) throw new Error(`${actor} has no handler for ${verb}`);
    const subject = subjectFor(node, actor, verb);
    if (isRequestVerb(spec)) {
      return {
        verb,
        subject,
        handler: async (message: Incoming, traceparent?: string) => {
          let request: unknown;
          try {
            request = valueOf(spec.request, message);
          } catch (err) {
            throw invalidArgument(`${subject}: malformed ${spec.request.wire}: ${(err as Error).message}`);
          }
          const parent = tracer && traceparent !== undefined ? parseTraceparent(traceparent) : undefined;
          // A traced request: its span covers the wait in the mailbox and the handler, which
          // runs in the request's context wherever the mailbox starts it.
          const reply = parent
            ? await tracer!.span(`${actor}.${verb}`, { kind: 'server', parent }, (context) =>
                post(() => tracer!.within(context, () => handler(request as never))),
              )
            : await post(() => handler(request as never));
          return outgoing(spec.reply, reply);
        },
      };
    }
    return {
      verb,
      subject,
      handler: async (message: Incoming) => {
        try {
          const event = valueOf(spec.event, message);
          await post(() => handler(event as never));
        } catch (err) {
          onEventError(verb, err);
        }
        return undefined;
      },
    };
  });
  return bus.serve({ node, actor, endpoints });
}

/** Typed requests and events to the actors of one node. */
export class ActorClient {
  constructor(
    private readonly bus: Bus,
    readonly node: string,
    private readonly telemetry: Telemetry = NO_TELEMETRY,
  ) {}

  async ask<A extends ActorName, V extends RequestVerbOf<A>>(
    actor: A,
    verb: V,
    request: RequestOf<A, V>,
    timeoutMs: number,
  ): Promise<ReplyOf<A, V>> {
    const spec = PROTOCOL[actor][verb] as RequestVerb;
    const { metrics, tracer } = this.telemetry;
    const message = outgoing(spec.request, request);
    const subject = subjectFor(this.node, actor, verb);
    const timeout = Math.max(1, Math.ceil(timeoutMs));
    const send = (traceparent: string | undefined): Promise<Incoming> => this.bus.request(subject, message, timeout, traceparent);
    const started = performance.now();
    let reply: Incoming;
    try {
      reply = tracer?.current()
        ? await tracer.span(`bus ${actor}.${verb}`, { kind: 'client' }, (context) => send(context && formatTraceparent(context)))
        : await send(undefined);
    } catch (err) {
      metrics.busRequest(actor, verb, asKadError(err).code, (performance.now() - started) / 1000);
      throw err;
    }
    metrics.busRequest(actor, verb, 'ok', (performance.now() - started) / 1000);
    try {
      return valueOf(spec.reply, reply) as ReplyOf<A, V>;
    } catch (err) {
      throw new KadError(ErrorCode.Internal, `${subject}: malformed reply ${spec.reply.wire}: ${(err as Error).message}`);
    }
  }

  tell<A extends ActorName, V extends EventVerbOf<A>>(actor: A, verb: V, event: EventOf<A, V>): void {
    const spec = PROTOCOL[actor][verb] as EventVerb;
    this.bus.publish(subjectFor(this.node, actor, verb), outgoing(spec.event, event));
  }
}
