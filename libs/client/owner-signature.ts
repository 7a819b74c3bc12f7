/**
 * What an owner signs for an owned record (BEP 44 mutable item), and the byte helpers the
 * signing layouts share (docs/SECURITY.md, "Records"). The client signs with these bytes and
 * checks an owned Get's answer against them; a node checks the same bytes (libs/kademlia
 * record-signature.ts builds the publisher's layout on the same helpers).
 *
 * Layouts are fixed, length-prefixed where a field is variable, and start with a domain tag, so
 * a signature made for one purpose can never be read as one for another.
 */

export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

/** `signature` is `publicKey`'s signature of `message`: false for anything malformed, never a throw. */
export type VerifySignature = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

/** What signs: a client's owner key, or a node's key (ed25519.ts SigningKey). */
export interface RecordSigner {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** The domain tag of owned records: it starts the owner's signing bytes and an owned record's id. */
export const OWNED_TAG = new TextEncoder().encode('kad-owned-v1\0');

export interface OwnerSignedFields {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly seq: number;
  readonly expiresMs: number;
}

/** What an owner signs: tag, u32 key length, key, u64 seq, u64 expiresMs, value. */
export function ownerSigningBytes(fields: OwnerSignedFields): Uint8Array {
  return concat([OWNED_TAG, u32(fields.key.length), fields.key, u64(fields.seq), u64(fields.expiresMs), fields.value]);
}

/** Big-endian u32. */
export function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

/** Big-endian u64 of a non-negative safe integer. */
export function u64(n: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
