/**
 * The simulated network's membership: every node that ever existed (index = creation order), its
 * id and contact, and whether it is alive. A dead node keeps its slot, so contacts to it stay
 * resolvable: it just never answers. Routing tables live in TableCache, the id order in
 * SortedIndex.
 *
 * Node ids are 256-bit, drawn from a seeded SeededRandom; the 48-bit prefix of each id is unique in the
 * network (a duplicate is redrawn), so it serves as a cheap key from a Contact back to its node.
 */
import { ID_BYTES, idEquals, type NodeId, type Contact } from '../../libs/kademlia/index.js';
import type { SeededRandom } from '../../libs/sampling/index.js';

/** The first 48 bits of an id as a number. */
export function idKey(id: NodeId): number {
  let key = 0;
  for (let i = 0; i < 6; i++) key = key * 256 + (id[i] ?? 0);
  return key;
}

/** A valid, unique "host:port" for node `index` (10.0.0.0/8 then the port, so 2^24 * 16 nodes). */
function addressOf(index: number): string {
  return `10.${(index >>> 16) & 255}.${(index >>> 8) & 255}.${index & 255}:${4000 + (index >>> 24)}`;
}

export class SimNetwork {
  private readonly contacts: Contact[] = [];
  private readonly alive: boolean[] = [];
  private readonly byKey = new Map<number, number>();
  private liveCount = 0;

  /** A network of n live nodes with ids drawn from prng. */
  static create(n: number, prng: SeededRandom): SimNetwork {
    const network = new SimNetwork();
    for (let i = 0; i < n; i++) network.addNode(prng);
    return network;
  }

  /** Adds a live node with a fresh random id; returns its index. */
  addNode(prng: SeededRandom): number {
    let id = prng.bytes(ID_BYTES);
    while (this.byKey.has(idKey(id))) id = prng.bytes(ID_BYTES);
    const index = this.contacts.length;
    this.contacts.push({ id, address: addressOf(index) });
    this.alive.push(true);
    this.byKey.set(idKey(id), index);
    this.liveCount++;
    return index;
  }

  /** A dead node never answers; its entries stay in other nodes' tables. */
  setAlive(index: number, alive: boolean): void {
    if (index < 0 || index >= this.alive.length) throw new RangeError(`no node ${index}`);
    if (this.alive[index] === alive) return;
    this.alive[index] = alive;
    this.liveCount += alive ? 1 : -1;
  }

  /** Nodes ever added, dead or alive. */
  size(): number {
    return this.contacts.length;
  }

  liveCountNow(): number {
    return this.liveCount;
  }

  liveIndices(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.alive.length; i++) if (this.alive[i]) out.push(i);
    return out;
  }

  isAlive(index: number): boolean {
    return this.alive[index] === true;
  }

  id(index: number): NodeId {
    return this.contact(index).id;
  }

  contact(index: number): Contact {
    const contact = this.contacts[index];
    if (!contact) throw new RangeError(`no node ${index}`);
    return contact;
  }

  /** The node a contact's id names, or undefined for an id no simulated node has. */
  indexOf(id: NodeId): number | undefined {
    const index = this.byKey.get(idKey(id));
    return index !== undefined && idEquals(this.id(index), id) ? index : undefined;
  }
}
