/**
 * A token bucket per remote (libtorrent's per-node rate limit): each connection may make
 * `ratePerSecond` calls a second, `burst` at once. Over it, a call is refused with how long until
 * a token is back: RESOURCE_EXHAUSTED with the `retry-after-ms` trailer, which this project's
 * lookups read as "busy, route around it", never as a failure that evicts the peer.
 *
 * Keyed by connection (the remote ip:port grpc-js reports), which no caller can forge; one host
 * holds at most KAD_MAX_CONNECTIONS_PER_HOST connections (grpc-server.ts), which bounds what it
 * may make of many. Bounded memory: past `maxRemotes` the least recently used bucket goes.
 */
export class RateLimiter {
  /** Remote -> tokens left and when they were counted, least recently used first. */
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly maxRemotes = 16_384,
  ) {}

  /** Takes a token for `remote`: 0 when the call may go on, else the ms until one is back. */
  take(remote: string, nowMs: number): number {
    if (this.ratePerSecond <= 0) return 0;
    const bucket = this.buckets.get(remote);
    let tokens = this.burst;
    if (bucket) {
      this.buckets.delete(remote);
      tokens = Math.min(this.burst, bucket.tokens + ((nowMs - bucket.atMs) * this.ratePerSecond) / 1000);
    } else if (this.buckets.size >= this.maxRemotes) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (tokens < 1) {
      this.buckets.set(remote, { tokens, atMs: nowMs });
      return Math.ceil(((1 - tokens) * 1000) / this.ratePerSecond);
    }
    this.buckets.set(remote, { tokens: tokens - 1, atMs: nowMs });
    return 0;
  }
}
