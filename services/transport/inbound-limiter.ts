/**
 * Bounds what one remote host may hold at once: the inbound calls it has in flight (peer RPCs
 * and client calls alike: past the bound the call is refused at once with RESOURCE_EXHAUSTED
 * instead of piling work onto the node's actors), and, in grpc-server.ts, its open connections. Keyed by the remote IP, not the port, so one host cannot
 * sidestep it with many connections.
 */
import { resourceExhausted } from '../../libs/errors/index.js';

export class InboundLimiter {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly maxPerHost: number) {}

  /** Takes a slot for `peer` (grpc-js `call.getPeer()`, e.g. `ipv4:127.0.0.1:5000`); returns its release. */
  acquire(peer: string): () => void {
    const host = hostOf(peer);
    const count = this.inFlight.get(host) ?? 0;
    if (count >= this.maxPerHost) throw resourceExhausted(`too many calls in flight from ${host} (at most ${this.maxPerHost})`);
    this.inFlight.set(host, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(host) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(host);
      else this.inFlight.set(host, left);
    };
  }
}

/** `ipv4:1.2.3.4:5`, `ipv6:[::1]:5`, `1.2.3.4:5` -> the host part. */
export function hostOf(peer: string): string {
  const bare = peer.replace(/^ipv[46]:/, '');
  const colon = bare.lastIndexOf(':');
  return colon > 0 ? bare.slice(0, colon) : bare;
}
