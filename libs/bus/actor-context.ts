/**
 * What every actor is built from (the "components"): the bus, the node's configuration, its
 * identity (the key it signs with and the id bound to it), a logger bound to node and actor, the
 * clock, timers and randomness it passes to the core, what it counts (metrics) and the node's readiness.
 */
import type { ActorClient } from './actor-runtime.js';
import type { Bus } from './bus.js';
import { idEquals, idToHex, type NodeId, type RandomBytes } from '../kademlia/index.js';
import { delay, type Logger, type NodeConfig, type Timers } from '../runtime/index.js';
import type { NodeIdentity } from '../identity/index.js';
import type { NodeMetrics, Readiness, Tracer } from '../observability/index.js';

export interface ActorContext {
  readonly bus: Bus;
  readonly config: NodeConfig;
  readonly identity: NodeIdentity;
  readonly log: Logger;
  readonly clock: () => number;
  /** Every timer an actor arms (systemTimers; a manual clock's in actor tests). */
  readonly timers: Timers;
  readonly random: RandomBytes;
  /** NO_METRICS when the HTTP port is off. */
  readonly metrics: NodeMetrics;
  /** Spans of traced operations (recorded only while a trace is active). */
  readonly tracer: Tracer;
  /** The self-audit's verdict (services/node/readiness-audit.ts); gRPC health follows it. */
  readonly readiness: Readiness;
}

export interface RunningActor {
  /** Called on every actor of a stopping process before any of them stops: the last moment
   * the node can still reach its peers (a graceful leave). */
  leave?(): Promise<void>;
  stop(): Promise<void>;
}

/** Bus requests between actors of one node that need no lookup: a short fixed deadline. */
export const LOCAL_REQUEST_TIMEOUT_MS = 2_000;

/**
 * A bus request that carries its own deadline (an RPC's timeout_ms, an operation's budget)
 * waits this much longer, so the actor's own answer (a result or a timeout) arrives first.
 */
export const BUS_SLACK_MS = 500;

/**
 * Waits until the routing-table actor answers, so actors of a split node can start in any order,
 * and checks that it holds the same identity as this process (a split node's actors share it
 * through their data dir); gives up when `signal` aborts.
 */
export async function waitForRoutingTable(actors: ActorClient, identity: NodeIdentity, log: Logger, signal: AbortSignal): Promise<NodeId> {
  for (let attempt = 0; ; attempt++) {
    let id: NodeId;
    try {
      const reply = await actors.ask('routing-table', 'self', {}, LOCAL_REQUEST_TIMEOUT_MS);
      id = reply.id;
    } catch (err) {
      if (signal.aborted) throw err;
      if (attempt % 10 === 0) log.info({ err: (err as Error).message }, 'waiting for the routing-table actor');
      await delay(Math.min(100 * 2 ** Math.min(attempt, 4), 1_000));
      continue;
    }
    if (!idEquals(id, identity.id)) {
      throw new Error(
        `the routing-table actor runs as node id ${idToHex(id)}, this process as ${idToHex(identity.id)}: the actors of a split node must share one data dir (KAD_DATA_DIR)`,
      );
    }
    return id;
  }
}
