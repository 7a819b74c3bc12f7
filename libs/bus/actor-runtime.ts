/**
 * How an actor meets the bus. `serveActor` turns a typed handler object into the actor's
 * endpoints (decode, mailbox, handle, encode); `ActorClient` sends typed requests and events to
 * any actor of a node. Both derive subjects and message types from PROTOCOL, so no subject
 * string or codec call is written anywhere else.
 */
import { decode, encode, type MessageIn, type MessageOut } from '../proto/index.js';
import { asKadError, invalidArgument } from '../errors/index.js';
import { NO_TELEMETRY, type Telemetry, formatTraceparent, parseTraceparent } from '../observability/index.js';
import type { Bus, ServiceHandle } from './bus.js';
import type { Mailbox } from './mailbox.js';
import {
  PROTOCOL,
  type EventVerb,
  type EventVerbOf,
  type Protocol,
  type RequestVerb,
  type RequestVerbOf,
  type VerbOf,
} from './protocol.js';
import { subjectFor, type ActorName } from './subjects.js';

type Verb<A extends ActorName, V extends VerbOf<A>> = Protocol[A][V];
type RequestOf<A extends ActorName, V extends VerbOf<A>> = Verb<A, V> extends RequestVerb ? MessageOut<Verb<A, V>['request']> : never;
type ReplyOf<A extends ActorName, V extends VerbOf<A>> = Verb<A, V> extends RequestVerb ? MessageIn<Verb<A, V>['reply']> : never;
type ReplyOutOf<A extends ActorName, V extends VerbOf<A>> = Verb<A, V> extends RequestVerb ? MessageOut<Verb<A, V>['reply']> : never;
type EventOf<A extends ActorName, V extends VerbOf<A>> = Verb<A, V> extends EventVerb ? MessageOut<Verb<A, V>['event']> : never;
type EventInOf<A extends ActorName, V extends VerbOf<A>> = Verb<A, V> extends EventVerb ? MessageIn<Verb<A, V>['event']> : never;

/** One handler per verb of the actor's protocol. */
export type ActorHandlers<A extends ActorName> = {
  [V in VerbOf<A>]: Verb<A, V> extends RequestVerb
    ? (request: RequestOf<A, V>) => Promise<ReplyOf<A, V>> | ReplyOf<A, V>
    : (event: EventOf<A, V>) => Promise<void> | void;
};

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
        handler: async (data: Uint8Array, traceparent?: string) => {
          let request: unknown;
          try {
            request = decode(spec.request, data);
          } catch (err) {
            throw invalidArgument(`${subject}: malformed ${spec.request}: ${(err as Error).message}`);
          }
          const parent = tracer && traceparent !== undefined ? parseTraceparent(traceparent) : undefined;
          // A traced request: its span covers the wait in the mailbox and the handler, which
          // runs in the request's context wherever the mailbox starts it.
          const reply = parent
            ? await tracer!.span(`${actor}.${verb}`, { kind: 'server', parent }, (context) =>
                post(() => tracer!.within(context, () => handler(request as never))),
              )
            : await post(() => handler(request as never));
          return encode(spec.reply, reply as never);
        },
      };
    }
    return {
      verb,
      subject,
      handler: async (data: Uint8Array) => {
        try {
          const event = decode(spec.event, data);
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
    request: MessageIn<(Protocol[A][V] & RequestVerb)['request']>,
    timeoutMs: number,
  ): Promise<ReplyOutOf<A, V>> {
    const spec = PROTOCOL[actor][verb] as RequestVerb;
    const { metrics, tracer } = this.telemetry;
    const data = encode(spec.request, request as never);
    const subject = subjectFor(this.node, actor, verb);
    const timeout = Math.max(1, Math.ceil(timeoutMs));
    const send = (traceparent: string | undefined): Promise<Uint8Array> => this.bus.request(subject, data, timeout, traceparent);
    const started = performance.now();
    let bytes: Uint8Array;
    try {
      bytes = tracer?.current()
        ? await tracer.span(`bus ${actor}.${verb}`, { kind: 'client' }, (context) => send(context && formatTraceparent(context)))
        : await send(undefined);
    } catch (err) {
      metrics.busRequest(actor, verb, asKadError(err).code, (performance.now() - started) / 1000);
      throw err;
    }
    metrics.busRequest(actor, verb, 'ok', (performance.now() - started) / 1000);
    return decode(spec.reply, bytes) as ReplyOutOf<A, V>;
  }

  tell<A extends ActorName, V extends EventVerbOf<A>>(actor: A, verb: V, event: EventInOf<A, V>): void {
    const spec = PROTOCOL[actor][verb] as EventVerb;
    this.bus.publish(subjectFor(this.node, actor, verb), encode(spec.event, event as never));
  }
}
