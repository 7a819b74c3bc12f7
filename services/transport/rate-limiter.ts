/**
 * A token bucket per remote (libtorrent's per-node rate limit): each connection may make
 * `ratePerSecond` calls a second, `burst` at once. Over it, a call is refused with how long until
 * a token is back: RESOURCE_EXHAUSTED with the `retry-after-ms` trailer, which this project's
 * lookups read as "busy, route around it", never as a failure that evicts the peer.
 *
 * A remote whose refusals outrun its accepted calls by `burst` (each accepted call takes one
 * refusal off the count; one that waits as told is refused about once per call) ignores the
 * trailer: it is
 * `abusive`, the server closes its connection, and for `penaltyMs` every new connection from its
 * host starts with an empty bucket, so reconnecting buys nothing.
 *
 * Keyed by connection (`ip:port`, as grpc-js reports the remote), which no caller can forge; one
 * host holds at most KAD_MAX_CONNECTIONS_PER_HOST connections (grpc-server.ts). Bounded memory:
 * past `maxRemotes` the least recently used entry goes.
 */
import { BoundedMap } from '../../libs/kademlia/index.js';
import { hostOf } from './inbound-limiter.js';

export type RateVerdict = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number; readonly abusive: boolean };

const OK: RateVerdict = { ok: true };

export class RateLimiter {
  /** Remote -> tokens left, when they were counted, refusals not yet paid off. */
  private readonly buckets: BoundedMap<string, { tokens: number; atMs: number; refused: number }>;
  /** Host -> until when its new connections start with no tokens. */
  private readonly penalties: BoundedMap<string, number>;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly penaltyMs = 10_000,
    maxRemotes = 16_384,
  ) {
    this.buckets = new BoundedMap(maxRemotes);
    this.penalties = new BoundedMap(maxRemotes);
  }

  take(remote: string, nowMs: number): RateVerdict {
    if (this.ratePerSecond <= 0) return OK;
    const bucket = this.buckets.get(remote) ?? this.fresh(remote, nowMs);
    const tokens = Math.min(this.burst, bucket.tokens + ((nowMs - bucket.atMs) * this.ratePerSecond) / 1000);
    if (tokens >= 1) {
      this.buckets.set(remote, { tokens: tokens - 1, atMs: nowMs, refused: Math.max(0, bucket.refused - 1) });
      return OK;
    }
    const refused = bucket.refused + 1;
    this.buckets.set(remote, { tokens, atMs: nowMs, refused });
    const abusive = refused >= this.burst;
    if (abusive) this.penalties.set(hostOf(remote), nowMs + this.penaltyMs);
    return { ok: false, retryAfterMs: Math.ceil(((1 - tokens) * 1000) / this.ratePerSecond), abusive };
  }

  private fresh(remote: string, nowMs: number): { tokens: number; atMs: number; refused: number } {
    const host = hostOf(remote);
    const until = this.penalties.get(host);
    if (until !== undefined && until <= nowMs) this.penalties.delete(host);
    return { tokens: until !== undefined && until > nowMs ? 0 : this.burst, atMs: nowMs, refused: 0 };
  }
}
