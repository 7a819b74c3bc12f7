/**
 * The peers that proved their id to this node (a challenge Ping it sent, libs/kademlia
 * peer-proof.ts), with the address they proved it at: what the transport consults to tell the
 * routing table whether a contact it heard from is proven. Bounded, least recently proven out.
 */
import { idToHex, type NodeId } from '../../libs/kademlia/id.js';

export class VerifiedPeers {
  /** Hex id -> address. */
  private readonly peers = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  add(id: NodeId, address: string): void {
    const key = idToHex(id);
    this.peers.delete(key);
    if (this.peers.size >= this.capacity) {
      const oldest = this.peers.keys().next().value;
      if (oldest !== undefined) this.peers.delete(oldest);
    }
    this.peers.set(key, address);
  }

  /** True when `id` proved itself at `address`. */
  has(id: NodeId, address: string): boolean {
    return this.peers.get(idToHex(id)) === address;
  }

  forget(id: NodeId): void {
    this.peers.delete(idToHex(id));
  }
}
