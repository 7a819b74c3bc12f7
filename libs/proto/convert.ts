/**
 * Wire <-> domain: the only place that turns protobuf shapes into the core's Contact and
 * KadRecord, validating lengths and formats on the way in. Anything that fails is rejected here,
 * before it can reach a routing table or a store.
 */
import { ID_BYTES, isNodeId, type NodeId, isValidAddress, type Contact, type KadRecord } from '../kademlia/index.js';
import { invalidArgument } from '../errors/index.js';
import type * as v1 from './v1.js';

/** Wire bytes as a plain Uint8Array view (the generated code hands out Buffers). */
export function bytesOf(b: Uint8Array | null | undefined): Uint8Array {
  return b ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(0);
}

export function contactToWire(contact: Contact): v1.Contact {
  return { id: Buffer.from(contact.id), address: contact.address };
}

/** A valid contact, or undefined (wrong id length, bad address, absent). */
export function contactFromWire(wire: v1.Contact__Output | null | undefined): Contact | undefined {
  if (!wire) return undefined;
  const id = bytesOf(wire.id);
  if (!isNodeId(id) || !isValidAddress(wire.address)) return undefined;
  return { id: Uint8Array.from(id), address: wire.address };
}

/** A list of contacts from a peer: invalid entries dropped, at most `limit` kept. */
export function contactsFromWire(wire: readonly v1.Contact__Output[], limit: number): { contacts: Contact[]; dropped: number } {
  const contacts: Contact[] = [];
  for (const entry of wire.slice(0, limit)) {
    const contact = contactFromWire(entry);
    if (contact) contacts.push(contact);
  }
  return { contacts, dropped: wire.length - contacts.length };
}

/** A 32-byte id from the wire, or an invalid-argument error naming the field. */
export function idFromWire(bytes: Uint8Array | null | undefined, field: string): NodeId {
  const id = bytesOf(bytes);
  const length = id.length;
  if (!isNodeId(id)) throw invalidArgument(`${field} must be ${ID_BYTES} bytes, got ${length}`);
  return Uint8Array.from(id);
}

export function recordToWire(record: KadRecord): v1.Record {
  const owner = record.owner;
  return {
    key: Buffer.from(record.key),
    value: Buffer.from(record.value),
    publisher: Buffer.from(record.publisher),
    createdMs: record.createdMs,
    logical: record.logical,
    expiresMs: record.expiresMs,
    publisherKey: Buffer.from(record.publisherKey),
    signature: Buffer.from(record.signature),
    owner: owner ? { publicKey: Buffer.from(owner.publicKey), seq: owner.seq, signature: Buffer.from(owner.signature) } : null,
  };
}

/** The record's fields as the core's type; content rules and signatures are checkRecord's. */
export function recordFromWire(wire: v1.Record__Output | null | undefined): KadRecord {
  if (!wire) throw invalidArgument('record is missing');
  const owner = wire.owner;
  return {
    key: Uint8Array.from(bytesOf(wire.key)),
    value: Uint8Array.from(bytesOf(wire.value)),
    publisher: Uint8Array.from(bytesOf(wire.publisher)),
    createdMs: wire.createdMs,
    logical: wire.logical,
    expiresMs: wire.expiresMs,
    publisherKey: Uint8Array.from(bytesOf(wire.publisherKey)),
    signature: Uint8Array.from(bytesOf(wire.signature)),
    owner: owner
      ? { publicKey: Uint8Array.from(bytesOf(owner.publicKey)), seq: owner.seq, signature: Uint8Array.from(bytesOf(owner.signature)) }
      : undefined,
  };
}

/** A Get's answer carrying `record`. */
export function foundRecord(record: v1.Record): v1.GetResponse {
  return {
    found: true,
    value: record.value ?? Buffer.alloc(0),
    createdMs: record.createdMs ?? 0,
    publisher: record.publisher ?? Buffer.alloc(0),
    expiresMs: record.expiresMs ?? 0,
    seq: record.owner?.seq ?? 0,
    owner: record.owner?.publicKey ?? Buffer.alloc(0),
    signature: record.owner?.signature ?? Buffer.alloc(0),
  };
}
