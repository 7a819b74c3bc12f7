/**
 * Node and record identifiers: 256-bit ids, the XOR metric over them (Maymounkov & Mazières 2002,
 * "Kademlia", §2.1) and the few bit operations the routing table and lookups need.
 *
 * Deviation from the paper: ids are 256 bits (SHA-256) instead of 160 bits (SHA-1).
 */
import { sha256 } from '@noble/hashes/sha2.js';

/** Id length in bytes: SHA-256 output size. */
export const ID_BYTES = 32;
/** Id length in bits: SHA-256 output size. */
export const ID_BITS = 256;

/** A 32-byte id; node ids and record ids share the one space. */
export type NodeId = Uint8Array;

/** Source of randomness, injected so this library stays deterministic under test. */
export type RandomBytes = (n: number) => Uint8Array;

export function isNodeId(b: unknown): b is Uint8Array {
  return b instanceof Uint8Array && b.length === ID_BYTES;
}

/** A record lives at the id of its key's SHA-256 hash. */
export function recordIdOf(key: Uint8Array): NodeId {
  return sha256(key);
}

export function randomId(random: RandomBytes): NodeId {
  const bytes: Uint8Array = random(ID_BYTES);
  if (bytes.length !== ID_BYTES) throw new RangeError(`random(${ID_BYTES}) returned ${bytes.length} bytes`);
  return Uint8Array.from(bytes);
}

export function idToHex(id: NodeId): string {
  let hex = '';
  for (const byte of id) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

const HEX_ID = /^[0-9a-fA-F]{64}$/;

export function idFromHex(hex: string): NodeId {
  if (typeof hex !== 'string' || !HEX_ID.test(hex)) {
    throw new RangeError(`an id is ${ID_BYTES * 2} hex digits, got ${JSON.stringify(String(hex).slice(0, 80))}`);
  }
  const id = new Uint8Array(ID_BYTES);
  for (let i = 0; i < ID_BYTES; i++) id[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return id;
}

export function idEquals(a: NodeId, b: NodeId): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** §2.1: d(x, y) = x XOR y, read as an unsigned big-endian integer. */
export function xorDistance(a: NodeId, b: NodeId): Uint8Array {
  const d = new Uint8Array(ID_BYTES);
  for (let i = 0; i < ID_BYTES; i++) d[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return d;
}

/** Negative if a is closer to target than b, positive if farther, 0 if a and b are the same id. */
export function compareDistance(target: NodeId, a: NodeId, b: NodeId): number {
  for (let i = 0; i < ID_BYTES; i++) {
    const t = target[i] ?? 0;
    const da = (a[i] ?? 0) ^ t;
    const db = (b[i] ?? 0) ^ t;
    if (da !== db) return da - db;
  }
  return 0;
}

/** Unsigned big-endian comparison of two ids (or distances). */
export function compareIds(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < ID_BYTES; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x - y;
  }
  return 0;
}

/** Number of leading bits a and b share, 0..256. */
export function commonPrefixLength(a: NodeId, b: NodeId): number {
  for (let i = 0; i < ID_BYTES; i++) {
    const x = (a[i] ?? 0) ^ (b[i] ?? 0);
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return ID_BITS;
}

/** The XOR distance of a and b as a bit count: 256 - the leading bits they share, which is
 * floor(log2(a XOR b)) + 1 (0: the same id; 256: opposite halves of the keyspace). */
export function distanceBits(a: NodeId, b: NodeId): number {
  return ID_BITS - commonPrefixLength(a, b);
}

/** Bit i of id, counting from the most significant bit (i = 0). */
export function bitAt(id: NodeId, i: number): 0 | 1 {
  if (!Number.isInteger(i) || i < 0 || i >= ID_BITS) throw new RangeError(`bit index ${i} outside 0..${ID_BITS - 1}`);
  return (((id[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) as 0 | 1;
}

/** A random id whose first `depth` bits equal prefix's (used to refresh a bucket, §2.3). */
export function randomIdWithPrefix(prefix: NodeId, depth: number, random: RandomBytes): NodeId {
  if (!Number.isInteger(depth) || depth < 0 || depth > ID_BITS) throw new RangeError(`depth ${depth} outside 0..${ID_BITS}`);
  const id = randomId(random);
  const whole = depth >> 3;
  for (let i = 0; i < whole; i++) id[i] = prefix[i] ?? 0;
  const rest = depth & 7;
  if (rest > 0) {
    const mask = (0xff << (8 - rest)) & 0xff;
    id[whole] = ((prefix[whole] ?? 0) & mask) | ((id[whole] ?? 0) & ~mask & 0xff);
  }
  return id;
}
