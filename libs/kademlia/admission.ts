/**
 * Which unproven contacts a routing table challenges, and when (go-libp2p-kad-dht's rule: a peer
 * enters the table after a successful query of our own, never on its word). A contact that names
 * itself as a sender, or answers a lookup without having proved its id, is only a candidate: the
 * node sends it a challenge Ping (peer-proof.ts) and admits it if the proof holds.
 *
 * Bounded against floods of made-up senders: at most `maxProbes` challenges in flight (the rest
 * are not challenged now; a real node is heard from again), and the memory of failures holds
 * `maxRemembered` entries. A candidate that answered and could not prove its id (another id, a
 * bad proof, another network) is not challenged again for `refusedRetryMs`; one that could not be
 * reached only for `unreachableRetryMs`, since a node that was restarting is back within a second
 * and calls again (a rolling restart must not lock its nodes out of each other's tables).
 * A contact the table already holds at the address named is not challenged again, unless it was
 * restored from the last run's snapshot and has not proved its id to this run yet: that one is
 * challenged when next heard from, so a contact that is no longer who it was goes.
 * Pure: the caller sends the Pings and reports how they went.
 */
import { BoundedMap } from './bounded-map.js';

export interface AdmissionOptions {
  readonly maxProbes: number;
  readonly refusedRetryMs: number;
  readonly unreachableRetryMs: number;
  readonly maxRemembered: number;
}

export const DEFAULT_ADMISSION: AdmissionOptions = {
  maxProbes: 16,
  refusedRetryMs: 60_000,
  unreachableRetryMs: 1_000,
  maxRemembered: 4_096,
};

/** How a challenge went: proved, answered without a valid proof, or not reached at all. */
export type ChallengeOutcome = 'proved' | 'refused' | 'unreachable';

export class Admission {
  private readonly probing = new Set<string>();
  /** Contacts restored from a snapshot that have not proved their id to this run. */
  private readonly restoredUnproven = new Set<string>();
  /** Candidate -> when it may be challenged again. */
  private readonly failedUntil: BoundedMap<string, number>;

  constructor(private readonly options: AdmissionOptions = DEFAULT_ADMISSION) {
    this.failedUntil = new BoundedMap(options.maxRemembered);
  }

  /** A contact restored from the snapshot (`key`: its id and address), in the table unproven. */
  restored(key: string): void {
    this.restoredUnproven.add(key);
  }

  /** The contact proved its id to this run. */
  proved(key: string): void {
    this.restoredUnproven.delete(key);
  }

  /** True when an unproven candidate should be challenged now: not when the table holds it at
   * that address already (`held`) and it has proved itself to this run, else as `begin` says. */
  shouldChallenge(key: string, held: boolean, nowMs: number): boolean {
    if (held && !this.restoredUnproven.has(key)) return false;
    return this.begin(key, nowMs);
  }

  /** True when the candidate (`key`: its id and address) should be challenged now; the caller
   * then must call `done(key, …)` once the challenge is over. */
  begin(key: string, nowMs: number): boolean {
    if (this.probing.has(key) || this.probing.size >= this.options.maxProbes) return false;
    const until = this.failedUntil.get(key);
    if (until !== undefined) {
      if (nowMs < until) return false;
      this.failedUntil.delete(key);
    }
    this.probing.add(key);
    return true;
  }

  done(key: string, outcome: ChallengeOutcome, nowMs: number): void {
    if (!this.probing.delete(key) || outcome === 'proved') return;
    this.failedUntil.set(key, nowMs + (outcome === 'refused' ? this.options.refusedRetryMs : this.options.unreachableRetryMs));
  }
}
