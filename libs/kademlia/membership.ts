/**
 * A node's membership of the network as a pure state machine (paper §2.3, "to join the
 * network"): the driver asks `next(nowMs, tableSize)` what to do at each tick, carries it out,
 * and reports the outcome. No I/O, no clock of its own.
 *
 * - Join: ping the bootstrap nodes; with one that answered, or contacts already in the table (a
 *   restored snapshot), look up our own id; with neighbours found, refresh every bucket; joined.
 *   Otherwise try again at the next tick.
 * - Once joined, one more lookup of our own id at the next tick: §2.3's join assumes one joiner
 *   at a time, and nodes that joined at the same moment were in nobody's table during the first.
 * - Rejoin: a joined node whose table ran empty joins again.
 * - Re-bootstrap: a joined node pings its bootstrap nodes again every `refreshMs` and looks up
 *   its own id when one answers, so two parts of a network that lost each other (a healed
 *   partition, a group formed while its bootstrap node was down) merge again.
 */

export type MembershipAction =
  | { readonly kind: 'ping-bootstrap' }
  | { readonly kind: 'look-up-self' }
  | { readonly kind: 'refresh-all-buckets' }
  /** Nothing to do; `joinEnded` when a join attempt just ended: true joined, false not (yet). */
  | { readonly kind: 'idle'; readonly joinEnded?: boolean };

export interface MembershipOptions {
  /** How often a joined node pings its bootstrap nodes again (KAD_REFRESH_MS). */
  readonly refreshMs: number;
}

type Phase =
  | 'outside' // not joined: the next tick starts a join
  | 'join-pinging'
  | 'join-looking-up'
  | 'join-refreshing'
  | 'joined-new' // joined; the second lookup of our own id is due
  | 'joined-looking-up-again'
  | 'joined'
  | 'rebootstrap-pinging'
  | 'rebootstrap-looking-up';

export class Membership {
  private phase: Phase = 'outside';
  private lastBootstrapPingMs = Number.NEGATIVE_INFINITY;
  private tableSize = 0;

  constructor(private readonly options: MembershipOptions) {}

  get joined(): boolean {
    return this.phase.startsWith('joined') || this.phase.startsWith('rebootstrap');
  }

  /** A tick: what to do now, given how many contacts the routing table holds. */
  next(nowMs: number, tableSize: number): MembershipAction {
    this.tableSize = tableSize;
    if ((this.phase === 'joined' || this.phase === 'joined-new') && tableSize === 0) this.phase = 'outside';
    switch (this.phase) {
      case 'outside':
        return this.pingBootstrap(nowMs, 'join-pinging');
      case 'joined-new':
        this.phase = 'joined-looking-up-again';
        return { kind: 'look-up-self' };
      case 'joined':
        if (nowMs - this.lastBootstrapPingMs >= this.options.refreshMs) return this.pingBootstrap(nowMs, 'rebootstrap-pinging');
        return { kind: 'idle' };
      default:
        // An action is still being carried out: nothing new until it is reported.
        return { kind: 'idle' };
    }
  }

  /** The bootstrap ping finished: `reached` bootstrap nodes answered. */
  onBootstrapPinged(reached: number): MembershipAction {
    if (this.phase === 'join-pinging') {
      if (reached === 0 && this.tableSize === 0) return this.settle('outside', false);
      this.phase = 'join-looking-up';
      return { kind: 'look-up-self' };
    }
    if (this.phase === 'rebootstrap-pinging') {
      if (reached === 0) return this.settle('joined');
      this.phase = 'rebootstrap-looking-up';
      return { kind: 'look-up-self' };
    }
    return { kind: 'idle' };
  }

  /** The lookup of our own id finished with `found` neighbours. */
  onSelfLookedUp(found: number): MembershipAction {
    if (this.phase === 'join-looking-up') {
      if (found === 0) return this.settle('outside', false);
      this.phase = 'join-refreshing';
      return { kind: 'refresh-all-buckets' };
    }
    if (this.phase === 'joined-looking-up-again' || this.phase === 'rebootstrap-looking-up') return this.settle('joined');
    return { kind: 'idle' };
  }

  /** Every bucket was refreshed: the join is complete. */
  onRefreshed(): MembershipAction {
    return this.phase === 'join-refreshing' ? this.settle('joined-new', true) : { kind: 'idle' };
  }

  /** The action failed (a bus error, a stop): back to where the next tick retries it. */
  onFailed(): void {
    this.phase = this.joined ? 'joined' : 'outside';
  }

  private pingBootstrap(nowMs: number, phase: Phase): MembershipAction {
    this.lastBootstrapPingMs = nowMs;
    this.phase = phase;
    return { kind: 'ping-bootstrap' };
  }

  private settle(phase: Phase, joinEnded?: boolean): MembershipAction {
    this.phase = phase;
    return joinEnded === undefined ? { kind: 'idle' } : { kind: 'idle', joinEnded };
  }
}
