/** The share of a routing table's entries that point at dead simulated nodes. */
import type { RoutingTable } from '../../libs/kademlia/index.js';
import type { SimNetwork } from './sim-network.js';

export function deadEntryShare(network: SimNetwork, table: RoutingTable): number {
  const contacts = table.contacts();
  if (contacts.length === 0) return 0;
  let dead = 0;
  for (const contact of contacts) {
    const node = network.indexOf(contact.id);
    if (node === undefined || !network.isAlive(node)) dead++;
  }
  return dead / contacts.length;
}
