/**
 * The iterative node lookup (Maymounkov & Mazières 2002, "Kademlia", §2.3) as a pure state
 * machine in the style of rust-libp2p's ClosestPeersIter: the caller asks `next(nowMs)` what to
 * do, sends the FIND_NODE RPCs it is told to, and reports each answer with `onSuccess` or
 * `onFailure`. The machine never does I/O and never reads a clock.
 *
 * Termination is the strict one of §2.3: the lookup ends once the k closest candidates that have
 * not failed have all answered. Candidates beyond the k closest are never queried.
 *
 * The final round of §2.3: "if a round of FIND_NODEs fails to return a node any closer than the
 * closest already seen, the initiator resends the FIND_NODE to all of the k closest nodes it has
 * not already queried". A round here is alpha answers: after alpha answers in a row that bring
 * nobody closer than the closest candidate seen, the lookup is stalled (rust-libp2p's
 * ClosestPeersIter has the same state) and may have up to k RPCs in flight, so the rest of the k
 * closest are asked at once rather than alpha at a time; an answer with a closer node ends the
 * stall. Where every node already knows the k closest (a small network, a settled
 * neighbourhood), a lookup is then two rounds, not k / alpha.
 *
 * Deviations from the paper:
 * - An RPC that outlives rpcTimeoutMs counts as failed (§2.3 leaves timeouts to the caller), and
 *   the whole lookup has an absolute deadline after which it returns what it has.
 */
import { isValidAddress, type Contact } from './contact.js';
import { compareDistance, idEquals, idToHex, isNodeId, type NodeId } from './id.js';

export interface LookupOptions {
  target: NodeId;
  /** Result size and width of the termination window (§2.3). */
  k: number;
  /** RPCs in flight at most (§2.3). */
  alpha: number;
  /** Never queried, never returned. */
  selfId?: NodeId;
  /** An RPC in flight this long counts as failed. */
  rpcTimeoutMs: number;
  /** Absolute, on the same clock as nowMs. */
  deadlineMs: number;
  /** Contacts read from one reply at most; default k. */
  maxContactsPerReply?: number;
}

export type LookupStep =
  | { kind: 'query'; peers: Contact[] }
  | { kind: 'waiting' }
  | { kind: 'finished'; closest: Contact[]; reason: 'converged' | 'deadline' | 'exhausted' };

export interface LookupStats {
  /** RPCs issued. */
  queried: number;
  succeeded: number;
  /** Failed or timed out. */
  failed: number;
  /** `next` calls that issued at least one RPC. */
  rounds: number;
}

type PeerState = 'not-contacted' | 'in-flight' | 'succeeded' | 'failed';

interface Candidate {
  readonly contact: Contact;
  state: PeerState;
  sentAtMs: number;
}

export class Lookup {
  readonly stats: LookupStats = { queried: 0, succeeded: 0, failed: 0, rounds: 0 };
  private readonly target: NodeId;
  private readonly k: number;
  private readonly alpha: number;
  private readonly selfId: NodeId | undefined;
  private readonly rpcTimeoutMs: number;
  private readonly deadlineMs: number;
  private readonly maxContactsPerReply: number;
  /** Closest to target first. */
  private readonly candidates: Candidate[] = [];
  private readonly byId = new Map<string, Candidate>();
  private finished: Extract<LookupStep, { kind: 'finished' }> | undefined;
  /** Answers in a row that brought nobody closer than the closest candidate seen. */
  private answersWithoutProgress = 0;

  constructor(options: LookupOptions, seeds: readonly Contact[], _nowMs: number) {
    if (!isNodeId(options.target)) throw new RangeError('target must be a 32-byte id');
    if (!Number.isSafeInteger(options.k) || options.k < 1) throw new RangeError(`k must be an integer >= 1, got ${options.k}`);
    if (!Number.isSafeInteger(options.alpha) || options.alpha < 1) {
      throw new RangeError(`alpha must be an integer >= 1, got ${options.alpha}`);
    }
    this.target = options.target;
    this.k = options.k;
    this.alpha = options.alpha;
    this.selfId = options.selfId;
    this.rpcTimeoutMs = options.rpcTimeoutMs;
    this.deadlineMs = options.deadlineMs;
    this.maxContactsPerReply = Math.max(0, options.maxContactsPerReply ?? options.k);
    for (const seed of seeds) this.addCandidate(seed);
  }

  /** What to do now; see the module comment. */
  next(nowMs: number): LookupStep {
    if (this.finished) return this.finished;
    for (const candidate of this.candidates) {
      if (candidate.state === 'in-flight' && candidate.sentAtMs + this.rpcTimeoutMs <= nowMs) {
        candidate.state = 'failed';
        this.stats.failed += 1;
      }
    }
    if (nowMs >= this.deadlineMs) return this.finish('deadline');

    const window = this.window();
    if (window.length === 0) return this.finish('exhausted');
    if (window.every((candidate) => candidate.state === 'succeeded')) return this.finish('converged');

    let inFlight = this.candidates.filter((candidate) => candidate.state === 'in-flight').length;
    const parallelism = this.parallelism;
    const peers: Contact[] = [];
    for (const candidate of window) {
      if (inFlight >= parallelism) break;
      if (candidate.state !== 'not-contacted') continue;
      candidate.state = 'in-flight';
      candidate.sentAtMs = nowMs;
      inFlight += 1;
      peers.push(candidate.contact);
    }
    if (peers.length > 0) {
      this.stats.queried += peers.length;
      this.stats.rounds += 1;
      return { kind: 'query', peers };
    }
    // The window holds a candidate that has not succeeded and none can be issued: one is in flight.
    return { kind: 'waiting' };
  }

  /** `peerId` answered FIND_NODE with `closer`. */
  onSuccess(peerId: NodeId, closer: readonly Contact[], _nowMs: number): void {
    if (this.finished) return;
    const candidate = this.find(peerId);
    if (!candidate || candidate.state !== 'in-flight') return;
    candidate.state = 'succeeded';
    this.stats.succeeded += 1;
    const closestBefore = this.candidates[0];
    for (const contact of closer.slice(0, this.maxContactsPerReply)) this.addCandidate(contact);
    this.answersWithoutProgress = this.candidates[0] === closestBefore ? this.answersWithoutProgress + 1 : 0;
  }

  /** RPCs allowed in flight now: alpha, or k once stalled (the final round, module comment). */
  get parallelism(): number {
    return this.answersWithoutProgress >= this.alpha ? Math.max(this.alpha, this.k) : this.alpha;
  }

  /** The RPC to `peerId` failed. */
  onFailure(peerId: NodeId, _nowMs: number): void {
    if (this.finished) return;
    const candidate = this.find(peerId);
    if (!candidate || candidate.state !== 'in-flight') return;
    candidate.state = 'failed';
    this.stats.failed += 1;
  }

  isFinished(): boolean {
    return this.finished !== undefined;
  }

  /** Peers with an RPC outstanding (for the caller to cancel once finished). */
  inFlight(): Contact[] {
    return this.candidates.filter((candidate) => candidate.state === 'in-flight').map((candidate) => candidate.contact);
  }

  /** The k closest candidates that have not failed. */
  private window(): Candidate[] {
    const window: Candidate[] = [];
    for (const candidate of this.candidates) {
      if (window.length >= this.k) break;
      if (candidate.state !== 'failed') window.push(candidate);
    }
    return window;
  }

  private finish(reason: 'converged' | 'deadline' | 'exhausted'): LookupStep {
    const closest = this.candidates
      .filter((candidate) => candidate.state === 'succeeded')
      .slice(0, this.k)
      .map((candidate) => candidate.contact);
    this.finished = { kind: 'finished', closest, reason };
    return this.finished;
  }

  private find(id: NodeId): Candidate | undefined {
    return isNodeId(id) ? this.byId.get(idToHex(id)) : undefined;
  }

  private addCandidate(contact: Contact): void {
    if (!isNodeId(contact.id) || !isValidAddress(contact.address)) return;
    if (this.selfId && idEquals(contact.id, this.selfId)) return;
    const key = idToHex(contact.id);
    if (this.byId.has(key)) return;
    const candidate: Candidate = {
      contact: { id: Uint8Array.from(contact.id), address: contact.address },
      state: 'not-contacted',
      sentAtMs: 0,
    };
    this.byId.set(key, candidate);
    // Binary search for the first candidate farther from target than the newcomer.
    let lo = 0;
    let hi = this.candidates.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = this.candidates[mid];
      if (other && compareDistance(this.target, other.contact.id, contact.id) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.candidates.splice(lo, 0, candidate);
  }
}
