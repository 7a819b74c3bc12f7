/**
 * Who holds which record, asked from outside: each node's id from Admin.Stats, and a
 * FIND_VALUE with no sender (a client call: it never enters the node's routing table).
 */
import { closestContacts, type Contact, idEquals, recordIdOf } from '../../libs/kademlia/index.js';
import { bytesOf, unary, type PeerClient, type v1 } from '../../libs/proto/index.js';
import { rawPeerClient } from '../../harness/grpc-probe.js';
import { waitFor } from '../../harness/wait-for.js';
import type { ProcessNode } from '../../harness/process-cluster.js';

export interface Census {
  /** Live nodes as contacts (their real ids). */
  readonly contacts: Contact[];
  /** Does the node at `address` hold the record for `key`? */
  holds(address: string, key: string): Promise<boolean>;
  /** The k closest live nodes to the key. */
  closest(key: string, k: number): Contact[];
  close(): void;
}

export async function takeCensus(nodes: readonly ProcessNode[]): Promise<Census> {
  const contacts = await Promise.all(
    nodes.map(async (node) => {
      const stats = await node.client.stats({ timeoutMs: 5_000 });
      return { id: Uint8Array.from(bytesOf(stats.self?.id)), address: node.address };
    }),
  );
  const peers = new Map<string, PeerClient>(nodes.map((n) => [n.address, rawPeerClient(n.address)]));
  return {
    contacts,
    async holds(address, key) {
      const peer = peers.get(address);
      if (!peer) throw new Error(`no node at ${address}`);
      const reply = await unary<v1.FindValueRequest, v1.FindValueResponse__Output>(
        peer,
        peer.FindValue,
        { recordId: Buffer.from(recordIdOf(Buffer.from(key))) },
        5_000,
      );
      return reply.record !== undefined && Buffer.from(reply.record.key).toString() === key;
    },
    closest(key, k) {
      return closestContacts(recordIdOf(Buffer.from(key)), contacts, k);
    },
    close() {
      for (const peer of peers.values()) peer.close();
    },
  };
}

/** Waits until the node at `address` holds every one of `keys`; a timeout names the missing. */
export async function waitForHolding(
  census: Census,
  address: string,
  keys: readonly string[],
  what: string,
  options: { timeoutMs: number; intervalMs: number },
): Promise<void> {
  await waitFor(
    what,
    async () => {
      const held = await Promise.all(keys.map((key) => census.holds(address, key)));
      const missing = keys.filter((_, i) => !held[i]);
      if (missing.length === 0) return true;
      throw new Error(`missing ${missing.join(', ')}`);
    },
    options,
  );
}

export function isAmong(contact: Contact, list: readonly Contact[]): boolean {
  return list.some((c) => idEquals(c.id, contact.id));
}
