/**
 * Stand-in actors for bus and actor tests: one handler set per actor with answers that change
 * nothing (each test overrides the verbs it scripts), and `serveStub`, which serves a set on a
 * bus and records every request and event it is sent, so a test can check what the actor under
 * test asked of its neighbours.
 */
import { Mailbox, serveActor, type ActorHandlers, type ActorName, type Bus, type VerbOf } from '../../libs/bus/index.js';
import type { NodeId } from '../../libs/kademlia/index.js';

export function storageHandlers(overrides: Partial<ActorHandlers<'storage'>> = {}): ActorHandlers<'storage'> {
  return {
    get: () => ({ record: undefined }),
    put: () => ({ stored: true }),
    stats: () => ({ records: 0, bytes: 0 }),
    due: () => ({ replicate: [], republish: [] }),
    ids: () => ({ ids: [] }),
    drop: () => ({ dropped: false }),
    ...overrides,
  };
}

/** An empty table; `self` answers with `selfId`, which the other actors check against their own. */
export function routingTableHandlers(
  selfId: NodeId,
  overrides: Partial<ActorHandlers<'routing-table'>> = {},
): ActorHandlers<'routing-table'> {
  return {
    self: () => ({ id: selfId }),
    closest: () => ({ contacts: [] }),
    dump: () => ({ self: undefined, buckets: [] }),
    'refresh-targets': () => ({ targets: [] }),
    seen: () => undefined,
    failed: () => undefined,
    ...overrides,
  };
}

/** A transport whose every peer is unreachable, except that stores fail one outcome per peer. */
export function transportHandlers(overrides: Partial<ActorHandlers<'transport'>> = {}): ActorHandlers<'transport'> {
  return {
    ping: () => Promise.reject(new Error('the stub transport reaches no peer')),
    'find-node': () => Promise.reject(new Error('the stub transport reaches no peer')),
    'find-value': () => Promise.reject(new Error('the stub transport reaches no peer')),
    store: (request) => ({ outcomes: request.peers.map(() => ({ stored: false, error: 'the stub transport reaches no peer' })) }),
    'table-view': () => undefined,
    ...overrides,
  };
}

export function lookupCoordinatorHandlers(
  overrides: Partial<ActorHandlers<'lookup-coordinator'>> = {},
): ActorHandlers<'lookup-coordinator'> {
  return {
    put: () => Promise.reject(new Error('the stub lookup-coordinator stores nothing')),
    get: () => ({ found: false }),
    'find-node': () => ({ contacts: [] }),
    'contact-added': () => undefined,
    ...overrides,
  };
}

/** What a handler of `verb` is given: the decoded request or event. */
export type MessageOf<A extends ActorName, V extends VerbOf<A>> = Parameters<ActorHandlers<A>[V]>[0];

export interface StubActor<A extends ActorName> {
  /** Every message sent to `verb`, oldest first (a request is recorded before it is answered). */
  asked<V extends VerbOf<A>>(verb: V): MessageOf<A, V>[];
  /** Errors the stub's event handlers threw (a test that scripts them wrong sees them here). */
  readonly eventErrors: unknown[];
  stop(): Promise<void>;
}

/**
 * Serves `handlers` as `actor` of `node` on `bus`, recording what each verb is sent. Its mailbox
 * runs everything at once, so a request a test leaves unanswered (a lost ping) holds up nothing.
 */
export async function serveStub<A extends ActorName>(bus: Bus, node: string, actor: A, handlers: ActorHandlers<A>): Promise<StubActor<A>> {
  const received = new Map<string, unknown[]>();
  const eventErrors: unknown[] = [];
  const recording = Object.fromEntries(
    Object.entries(handlers as Record<string, (message: never) => unknown>).map(([verb, handler]) => [
      verb,
      (message: never) => {
        const list = received.get(verb) ?? [];
        list.push(message);
        received.set(verb, list);
        return handler(message);
      },
    ]),
  );
  const service = await serveActor(
    bus,
    node,
    actor,
    recording as ActorHandlers<A>,
    new Mailbox(`${node}/${actor} stub`, { capacity: 4_096, concurrency: 4_096 }),
    (_verb, err) => eventErrors.push(err),
  );
  return {
    asked: <V extends VerbOf<A>>(verb: V) => [...(received.get(verb) ?? [])] as MessageOf<A, V>[],
    eventErrors,
    stop: () => service.stop(),
  };
}
