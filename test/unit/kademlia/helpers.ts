/**
 * Test helpers for the pure Kademlia core: a seeded RandomBytes, id and contact builders, and
 * brute-force oracles to check the real code against.
 */
import { compareDistance, ID_BYTES, type NodeId, type RandomBytes } from '../../../libs/kademlia/id.js';
import type { Contact } from '../../../libs/kademlia/contact.js';
import type { KadRecord } from '../../../libs/kademlia/record.js';
import { SeededRandom } from '../../../libs/sampling/index.js';

/** The project's seeded generator as the core's `RandomBytes` and an integer draw, so tests are
 * reproducible from a seed. */
export function seededRandom(seed: number): { bytes: RandomBytes; int: (n: number) => number } {
  const random = new SeededRandom(seed);
  return { bytes: (n) => random.bytes(n), int: (n) => random.int(n) };
}

/** An id from its first bytes, the rest zero: idOf(0x80, 1) is 1000 0000 0000 0001 0...0. */
export function idOf(...leading: number[]): NodeId {
  const id = new Uint8Array(ID_BYTES);
  leading.forEach((byte, i) => (id[i] = byte));
  return id;
}

export function idBigInt(id: Uint8Array): bigint {
  let n = 0n;
  for (const byte of id) n = (n << 8n) | BigInt(byte);
  return n;
}

let port = 1;
/** A contact with a fresh valid address. */
export function contactOf(id: NodeId): Contact {
  port = (port % 65535) + 1;
  return { id, address: `10.0.0.1:${port}` };
}

/** Oracle: sort by BigInt distance. */
export function bruteClosest(target: NodeId, ids: readonly NodeId[], count: number): NodeId[] {
  const t = idBigInt(target);
  return [...ids]
    .sort((a, b) => {
      const da = idBigInt(a) ^ t;
      const db = idBigInt(b) ^ t;
      return da < db ? -1 : da > db ? 1 : 0;
    })
    .slice(0, count);
}

export function isSortedByDistance(target: NodeId, contacts: readonly Contact[]): boolean {
  for (let i = 1; i < contacts.length; i++) {
    const a = contacts[i - 1];
    const b = contacts[i];
    if (a && b && compareDistance(target, a.id, b.id) >= 0) return false;
  }
  return true;
}

export function shuffle<T>(items: T[], int: (n: number) => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** fast-check run options: a fixed seed (override with FC_SEED) so failures reproduce. */
export function fcOptions(numRuns: number): { numRuns: number; seed: number } {
  const fromEnv = Number(process.env['FC_SEED']);
  return { numRuns, seed: Number.isSafeInteger(fromEnv) ? fromEnv : 0x6b6164 };
}

/** A record with well-formed but unsigned key and signature fields, for rules that do not look at
 * signatures (ordering, storage, placement). */
export function unsignedRecord(over: Partial<KadRecord> = {}): KadRecord {
  return {
    key: Uint8Array.of(1),
    value: Uint8Array.of(2),
    publisher: new Uint8Array(32).fill(9),
    createdMs: 0,
    logical: 0,
    expiresMs: 1e12,
    publisherKey: new Uint8Array(32),
    signature: new Uint8Array(64),
    ...over,
  };
}
