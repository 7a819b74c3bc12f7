/**
 * One iterative lookup over the simulated network: the node's own lookup runner
 * (services/lookup-coordinator/lookup-runner.ts `runLookup`, over the core's Lookup and
 * ValueLookup) on the simulator's VirtualClock, with the network replaced by RPCs that the clock
 * completes at virtual times.
 *
 * - Seeds: the source's RoutingTable.closest(target, k).
 * - A FIND_NODE to a live node completes after a latency drawn from the LatencyModel with the
 *   responder's findNodeAnswer (libs/kademlia/contact.ts: its closest k + 1 minus the requester,
 *   the rule inbound-handlers.ts answers by). A dead node never answers: the RPC fails
 *   rpcTimeoutMs after it was sent, as the transport's deadline does.
 * - FIND_VALUE (holdsValue given): a responder holding the value answers with it, which ends the
 *   lookup (the runner's stop rule, valuesWanted 1).
 * - With `updates`, every node changes its table as the real protocol would (ProtocolUpdates), at
 *   each RPC's completion time; RPCs still in flight when the lookup ends complete later on the
 *   same clock, and are applied then (the peer did get the request).
 *
 * Rounds are the lookup's critical-path depth: an RPC sent when the lookup starts has depth 1,
 * one sent right after handling an answer or a timeout of an RPC of depth d has depth d + 1, and
 * the lookup's rounds are the depth of the RPC whose completion ended it (for a deadline: the
 * deepest RPC sent). With equal latencies and no timeouts this is the lock-step round count of
 * the simulation behind the 1C baselines (baselines-1c.ts). (The runner's own `rounds`, calls
 * to `next` that sent RPCs, counts every answer that freed a slot, so it is not reported.)
 */
import { type Contact, type KademliaConfig, findNodeAnswer, type NodeId, Lookup } from '../../libs/kademlia/index.js';
import { type QueryOutcome, runLookup } from '../../services/lookup-coordinator/lookup-runner.js';
import type { LatencyModel } from './latency-model.js';
import type { ProtocolUpdates } from './protocol-updates.js';
import type { SimNetwork } from './sim-network.js';
import type { TableCache } from './table-cache.js';
import type { VirtualClock } from './virtual-clock.js';

export type LookupParameters = Pick<KademliaConfig, 'k' | 'alpha' | 'rpcTimeoutMs' | 'lookupTimeoutMs'>;

export interface SimLookupInput {
  readonly network: SimNetwork;
  readonly tables: TableCache;
  readonly latency: LatencyModel;
  readonly params: LookupParameters;
  readonly source: number;
  readonly target: NodeId;
  /** The lookup starts at its current time; the caller runs no other driver on it meanwhile. */
  readonly clock: VirtualClock;
  readonly updates?: ProtocolUpdates | undefined;
  /** FIND_VALUE: true when `node` holds the value sought. */
  readonly holdsValue?: ((node: number, nowMs: number) => boolean) | undefined;
}

export interface SimLookupResult {
  /** Node indices, closest to the target first. */
  readonly closest: number[];
  readonly reason: 'converged' | 'deadline' | 'exhausted' | 'found';
  /** The node that returned the value (FIND_VALUE). */
  readonly foundAt?: number;
  readonly rpcs: number;
  readonly timeouts: number;
  readonly rounds: number;
  readonly endMs: number;
  readonly durationMs: number;
}

/** What a simulated RPC to a dead node fails with (one instance: its stack says nothing). */
const RPC_TIMEOUT = new Error('simulated RPC timed out');

export async function runSimLookup(input: SimLookupInput): Promise<SimLookupResult> {
  const { network, tables, latency, params, source, target, clock, updates, holdsValue } = input;
  const selfId = network.id(source);
  const startMs = clock.now();
  const deadlineMs = startMs + params.lookupTimeoutMs;
  const lookup = new Lookup(
    { target, k: params.k, alpha: params.alpha, selfId, rpcTimeoutMs: params.rpcTimeoutMs, deadlineMs },
    tables.get(source).closest(target, params.k),
    startMs,
  );
  let ended = false;
  // Depth of the RPC whose completion the runner is handling: what it sends now is one deeper. A
  // timer wake-up keeps the depth of the completion that armed it (every completion re-arms it).
  let depth = 0;
  let deepest = 0;
  let timeouts = 0;

  const query = (peer: Contact): Promise<QueryOutcome<number>> => {
    const node = resolve(network, peer.id);
    const answers = network.isAlive(node);
    const rpcDepth = depth + 1;
    deepest = Math.max(deepest, rpcDepth);
    return clock.settleAfter(answers ? latency.sample() : params.rpcTimeoutMs, (): QueryOutcome<number> => {
      const now = clock.now();
      if (!ended) depth = rpcDepth;
      if (!answers) {
        if (!ended) timeouts++;
        updates?.failed(source, node, now);
        throw RPC_TIMEOUT;
      }
      updates?.seen(node, source, now);
      updates?.seen(source, node, now);
      // The runner drops an answer that comes after the end: no table is read (or built) for it.
      if (ended) return { kind: 'closer', contacts: [] };
      if (holdsValue?.(node, now)) return { kind: 'value', value: node };
      return { kind: 'closer', contacts: findNodeAnswer(tables.get(node).closest(target, params.k + 1), params.k, selfId) };
    });
  };

  const timing = { rpcTimeoutMs: params.rpcTimeoutMs, deadlineMs, valuesWanted: holdsValue ? 1 : 0 };
  const result = await clock.runUntilSettled(runLookup(lookup, query, clock.now, timing, clock.timers));
  ended = true;
  const endMs = clock.now();
  const base = {
    closest: result.closest.map((c) => resolve(network, c.id)),
    reason: result.reason,
    rpcs: result.queried,
    timeouts,
    rounds: result.reason === 'deadline' ? deepest : depth,
    endMs,
    durationMs: endMs - startMs,
  };
  const foundAt = result.values[0]?.value;
  return foundAt === undefined ? base : { ...base, foundAt };
}

function resolve(network: SimNetwork, id: NodeId): number {
  const node = network.indexOf(id);
  if (node === undefined) throw new Error('a lookup was handed an id no simulated node has');
  return node;
}
