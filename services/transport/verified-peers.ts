/**
 * The peers that proved their id to this node (a challenge Ping it sent, libs/kademlia
 * peer-proof.ts), with the address they proved it at: what the transport consults to tell the
 * routing table whether a contact it heard from is proven. Bounded, least recently proven out.
 */
import { BoundedMap, idToHex, type NodeId } from '../../libs/kademlia/index.js';

export class VerifiedPeers {
  /** Hex id -> address. */
  private readonly peers: BoundedMap<string, string>;

  constructor(capacity: number) {
    this.peers = new BoundedMap(capacity);
  }

  add(id: NodeId, address: string): void {
    this.peers.set(idToHex(id), address);
  }

  /** True when `id` proved itself at `address`. */
  has(id: NodeId, address: string): boolean {
    return this.peers.get(idToHex(id)) === address;
  }

  forget(id: NodeId): void {
    this.peers.delete(idToHex(id));
  }
}
