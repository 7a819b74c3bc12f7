/**
 * One iterative lookup over the simulated network on a virtual clock: drives the real Lookup
 * state machine (libs/kademlia/lookup.ts) the way services/lookup-coordinator/lookup-runner.ts
 * does, with the network replaced by a queue of RPC completions.
 *
 * - Seeds: the source's RoutingTable.closest(target, k).
 * - A FIND_NODE to a live node completes after a latency drawn from the LatencyModel with the
 *   responder's findNodeAnswer (libs/kademlia/contact.ts: its closest k + 1 minus the requester,
 *   the rule inbound-handlers.ts answers by). A dead node never answers: the RPC fails rpcTimeoutMs after it was sent.
 * - FIND_VALUE (holdsValue given): a responder holding the value ends the lookup at once.
 * - With `updates`, every node changes its table as the real protocol would (ProtocolUpdates);
 *   RPCs still in flight when the lookup ends are applied too (the peer did get the request).
 *
 * Rounds are the lookup's critical-path depth: an RPC sent when the lookup starts has depth 1,
 * one sent right after handling an answer or a timeout of an RPC of depth d has depth d + 1, and
 * the lookup's rounds are the depth of the RPC whose completion ended it (for a deadline: the
 * deepest RPC sent). With equal latencies and no timeouts this is the lock-step round count of
 * research/sim/kad_hops_sim.py.
 */
import { type KademliaConfig, findNodeAnswer, type NodeId, Lookup, ValueLookup } from '../../libs/kademlia/index.js';
import type { LatencyModel } from './latency-model.js';
import type { ProtocolUpdates } from './protocol-updates.js';
import type { SimNetwork } from './sim-network.js';
import type { TableCache } from './table-cache.js';

export type LookupParameters = Pick<KademliaConfig, 'k' | 'alpha' | 'rpcTimeoutMs' | 'lookupTimeoutMs'>;

export interface SimLookupInput {
  readonly network: SimNetwork;
  readonly tables: TableCache;
  readonly latency: LatencyModel;
  readonly params: LookupParameters;
  readonly source: number;
  readonly target: NodeId;
  readonly startMs: number;
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

interface Completion {
  readonly atMs: number;
  readonly seq: number;
  readonly peer: number;
  readonly answers: boolean;
  readonly depth: number;
}

/** Removes and returns the earliest completion (ties: the one sent first). At most alpha wait. */
function takeEarliest(queue: Completion[]): Completion | undefined {
  let best = -1;
  queue.forEach((c, i) => {
    const b = queue[best];
    if (!b || c.atMs < b.atMs || (c.atMs === b.atMs && c.seq < b.seq)) best = i;
  });
  return best < 0 ? undefined : queue.splice(best, 1)[0];
}

export function runSimLookup(input: SimLookupInput): SimLookupResult {
  const { network, tables, latency, params, source, target, startMs, updates } = input;
  const selfId = network.id(source);
  const deadlineMs = startMs + params.lookupTimeoutMs;
  const lookup = new Lookup(
    { target, k: params.k, alpha: params.alpha, selfId, rpcTimeoutMs: params.rpcTimeoutMs, deadlineMs },
    tables.get(source).closest(target, params.k),
    startMs,
  );
  // The FIND_VALUE stop rule is the core's (ValueLookup): the first holder that answers ends it.
  const session = new ValueLookup<number>(lookup, input.holdsValue ? 1 : 0);
  const queue: Completion[] = [];
  let now = startMs;
  let depth = 0;
  let deepest = 0;
  let seq = 0;
  let rpcs = 0;
  let timeouts = 0;

  const finish = (closest: number[], reason: SimLookupResult['reason'], rounds: number, foundAt?: number): SimLookupResult => {
    if (updates) {
      for (const c of queue) {
        if (c.answers) {
          updates.seen(c.peer, source, c.atMs);
          updates.seen(source, c.peer, c.atMs);
        } else updates.failed(source, c.peer, c.atMs);
      }
    }
    const base = { closest, reason, rpcs, timeouts, rounds, endMs: now, durationMs: now - startMs };
    return foundAt === undefined ? base : { ...base, foundAt };
  };

  for (;;) {
    const step = session.next(now);
    if (step.kind === 'found') return finish([], 'found', depth, session.values[0]!.value);
    if (step.kind === 'finished') {
      const closest = step.closest.map((c) => resolve(network, c.id));
      return finish(closest, step.reason, step.reason === 'deadline' ? deepest : depth);
    }
    if (step.kind === 'query') {
      for (const peer of step.peers) {
        const node = resolve(network, peer.id);
        const answers = network.isAlive(node);
        rpcs++;
        deepest = Math.max(deepest, depth + 1);
        queue.push({ atMs: now + (answers ? latency.sample() : params.rpcTimeoutMs), seq: seq++, peer: node, answers, depth: depth + 1 });
      }
    }
    const completion = takeEarliest(queue);
    if (!completion) throw new Error('unreachable: the lookup waits with no RPC in flight');
    if (completion.atMs >= deadlineMs) {
      queue.push(completion);
      now = deadlineMs;
      continue;
    }
    now = completion.atMs;
    depth = completion.depth;
    const peer = { id: network.id(completion.peer), address: '' };
    if (!completion.answers) {
      timeouts++;
      updates?.failed(source, completion.peer, now);
      session.onFailure(peer, now);
      continue;
    }
    updates?.seen(completion.peer, source, now);
    updates?.seen(source, completion.peer, now);
    if (input.holdsValue?.(completion.peer, now)) session.onValue(peer, completion.peer, now);
    else session.onCloser(peer, findNodeAnswer(tables.get(completion.peer).closest(target, params.k + 1), params.k, selfId), now);
  }
}

function resolve(network: SimNetwork, id: NodeId): number {
  const node = network.indexOf(id);
  if (node === undefined) throw new Error('a lookup was handed an id no simulated node has');
  return node;
}
