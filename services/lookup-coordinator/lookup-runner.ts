/**
 * Drives one lookup (libs/kademlia ValueLookup over Lookup: the FIND_VALUE stop rule lives
 * there) with real RPCs: sends the queries it asks for, feeds answers and failures back, and
 * wakes it for per-RPC timeouts and the whole-operation deadline. One runner per operation: the
 * "session" that owns its own timers. The timers are the one seam every actor has (libs/runtime
 * Timers): the node passes its actor context's, an actor test its manual clock's, and the
 * simulator (bench/sim) a virtual clock's, so it runs this very code.
 */
import { type Contact, type Lookup, ValueLookup } from '../../libs/kademlia/index.js';
import type { Timers } from '../../libs/runtime/index.js';

export type QueryOutcome<V> =
  { readonly kind: 'closer'; readonly contacts: readonly Contact[] } | { readonly kind: 'value'; readonly value: V };

export interface LookupResult<V> {
  /** The k closest that answered (when the lookup ran to its end). */
  readonly closest: readonly Contact[];
  /** Values returned, with the peer that held each. */
  readonly values: ReadonlyArray<{ readonly value: V; readonly from: Contact }>;
  /** Peers that answered without a value. */
  readonly answeredWithout: readonly Contact[];
  readonly reason: 'converged' | 'deadline' | 'exhausted' | 'found';
  readonly queried: number;
  /** Rounds that sent at least one RPC (the lookup's depth). */
  readonly rounds: number;
}

export interface LookupTiming {
  readonly rpcTimeoutMs: number;
  readonly deadlineMs: number;
  readonly valuesWanted?: number;
}

type Query<V> = (peer: Contact) => Promise<QueryOutcome<V>>;

/** `clock` and `timers` must be the same clock: the runner reads the one and sleeps on the other. */
export function runLookup<V>(
  lookup: Lookup,
  query: Query<V>,
  clock: () => number,
  timing: LookupTiming,
  timers: Timers,
): Promise<LookupResult<V>> {
  const session = new ValueLookup<V>(lookup, timing.valuesWanted ?? 1);
  return new Promise((resolve) => {
    let done = false;
    let queried = 0;
    let timer: unknown;
    const clearTimer = (): void => {
      timers.clear(timer);
      timer = undefined;
    };

    const finish = (closest: readonly Contact[], reason: LookupResult<V>['reason']): void => {
      done = true;
      clearTimer();
      resolve({ closest, values: session.values, answeredWithout: session.answeredWithout, reason, queried, rounds: lookup.stats.rounds });
    };

    const send = (peer: Contact): void => {
      queried++;
      query(peer).then(
        (outcome) => {
          if (done) return;
          if (outcome.kind === 'value') session.onValue(peer, outcome.value, clock());
          else session.onCloser(peer, outcome.contacts, clock());
          pump();
        },
        () => {
          if (done) return;
          session.onFailure(peer, clock());
          pump();
        },
      );
    };

    const pump = (): void => {
      if (done) return;
      clearTimer();
      const step = session.next(clock());
      if (step.kind === 'found') return finish([], 'found');
      if (step.kind === 'finished') return finish(step.closest, step.reason);
      if (step.kind === 'query') step.peers.forEach(send);
      timer = timers.set(pump, Math.max(1, Math.min(timing.rpcTimeoutMs, timing.deadlineMs - clock())));
    };

    pump();
  });
}
