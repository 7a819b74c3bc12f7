/**
 * What a record's signatures cover, and how they are checked (docs/SECURITY.md, "Records").
 *
 * - The publisher (the node that accepted the client's Put) signs every field of the record:
 *   key, version (createdMs, logical), expiry, its own public key, the owner part if any, and
 *   the value. Its id is bound to that key: publisher = SHA-256(publisherKey).
 * - An owned record (BEP 44 mutable item) is also signed by the client's key, over the key's
 *   name, the sequence, the expiry and the value; the record lives at an id derived from the
 *   owner's key and the name, so nobody else can write there.
 *
 * Byte layouts are fixed, length-prefixed where a field is variable, and start with a domain tag,
 * so a signature made for one purpose can never be read as one for another. The signature scheme
 * (Ed25519) is passed in: the core stays free of I/O and of any one crypto library.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { NodeId } from './id.js';
// The owner's layout and the byte helpers are the client package's (libs/client), which signs
// owned Puts and checks owned Gets with them.
import { OWNED_TAG, concat, u32, u64 } from '../client/rules.js';

export {
  OWNED_TAG,
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
  concat,
  ownerSigningBytes,
  u32,
  type OwnerSignedFields,
  type RecordSigner,
  type VerifySignature,
} from '../client/rules.js';

const RECORD_TAG = new TextEncoder().encode('kad-record-v1\0');

/** A publisher's id is the SHA-256 of its public key (S/Kademlia's static binding). */
export function publisherIdOf(publicKey: Uint8Array): NodeId {
  return sha256(publicKey);
}

/** Where an owned record lives: SHA-256 of the owned tag, the owner's key and the key's name. */
export function ownedRecordId(ownerKey: Uint8Array, key: Uint8Array): NodeId {
  return sha256(concat([OWNED_TAG, ownerKey, key]));
}

export interface PublisherSignedFields {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly createdMs: number;
  readonly logical: number;
  readonly expiresMs: number;
  readonly publisherKey: Uint8Array;
  readonly owner?: { readonly publicKey: Uint8Array; readonly seq: number; readonly signature: Uint8Array } | undefined;
}

/**
 * What a publisher signs: tag, u32 key length, key, u64 createdMs, u32 logical, u64 expiresMs,
 * publisher key, then 0, or 1 and the owner's key, u64 seq and signature; then the value.
 */
export function recordSigningBytes(fields: PublisherSignedFields): Uint8Array {
  const owner = fields.owner;
  return concat([
    RECORD_TAG,
    u32(fields.key.length),
    fields.key,
    u64(fields.createdMs),
    u32(fields.logical),
    u64(fields.expiresMs),
    fields.publisherKey,
    ...(owner ? [Uint8Array.of(1), owner.publicKey, u64(owner.seq), owner.signature] : [Uint8Array.of(0)]),
    fields.value,
  ]);
}
