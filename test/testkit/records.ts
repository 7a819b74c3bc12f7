/**
 * Records as a peer would send them: signed with a key of the test's own (a node identity the
 * test holds), in wire form, or deliberately broken one field at a time.
 */
import { SigningKey } from '../../libs/identity/index.js';
import { signRecord, type KadRecord } from '../../libs/kademlia/index.js';
import { recordToWire, type v1 } from '../../libs/proto/index.js';

export interface RecordFields {
  readonly key: string | Uint8Array;
  readonly value: string | Uint8Array;
  readonly createdMs?: number;
  readonly logical?: number;
  readonly expiresMs?: number;
}

const bytes = (b: string | Uint8Array): Uint8Array => (typeof b === 'string' ? new TextEncoder().encode(b) : b);

/** A record signed by `signer` (a fresh key by default), created now, living a minute. */
export function signedRecord(fields: RecordFields, signer: SigningKey = SigningKey.generate()): KadRecord {
  const now = Date.now();
  return signRecord(
    {
      key: bytes(fields.key),
      value: bytes(fields.value),
      createdMs: fields.createdMs ?? now,
      logical: fields.logical ?? 0,
      expiresMs: fields.expiresMs ?? now + 60_000,
    },
    signer,
  );
}

export function signedWireRecord(fields: RecordFields, signer?: SigningKey): v1.Record {
  return recordToWire(signedRecord(fields, signer));
}
