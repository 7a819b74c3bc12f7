/**
 * What the transport tells the routing table about the peers it hears from: `seen` (with whether
 * the contact proved its id here) and `failed`. Every inbound call and every reply is news of its
 * peer, but the table learns nothing new from a second "seen" of the same contact a moment later,
 * so a contact is reported seen at most once per `everyMs`. A change of news is reported at
 * once: proven after unproven, and seen after a failure. Failures are all reported: they are
 * rare, and the table counts them (§4.1: a contact that fails 5 RPCs in a row goes), so
 * coalescing them would leave a dead contact in lookups for seconds longer.
 */
import type { ActorClient } from '../../libs/bus/index.js';
import { BoundedMap, contactKey, type Contact } from '../../libs/kademlia/index.js';
import type { VerifiedPeers } from './verified-peers.js';

type News = 'seen' | 'seen-proven';

export class ContactReports {
  /** `id@address` -> the last news sent, and when. */
  private readonly last: BoundedMap<string, { readonly news: News; readonly atMs: number }>;

  constructor(
    private readonly actors: ActorClient,
    private readonly verified: VerifiedPeers,
    private readonly clock: () => number,
    private readonly everyMs: number,
    capacity = 4_096,
  ) {
    this.last = new BoundedMap(capacity);
  }

  /** `contact` answered or called; proven when it proved its id at that address. */
  seen(contact: Contact, proven = this.verified.has(contact.id, contact.address)): void {
    if (this.fresh(contact, proven ? 'seen-proven' : 'seen')) this.actors.tell('routing-table', 'seen', { contact, verified: proven });
  }

  /** A call to `contact` failed; `drop`: it is not who it claimed to be (it goes at once). */
  failed(contact: Contact, drop = false): void {
    this.last.delete(contactKey(contact));
    this.actors.tell('routing-table', 'failed', { contact, drop });
  }

  /** Whether this news is worth sending now (and if so, notes it as sent). */
  private fresh(contact: Contact, news: News): boolean {
    const key = contactKey(contact);
    const now = this.clock();
    const last = this.last.get(key);
    if (last && last.news === news && now - last.atMs < this.everyMs) return false;
    this.last.set(key, { news, atMs: now });
    return true;
  }
}
