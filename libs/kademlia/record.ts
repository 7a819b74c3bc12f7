/**
 * Records and the rules every node applies to them: size limits, bounds on time fields, the
 * signatures, expiry, and which of two versions of a record wins (Maymounkov & Mazières 2002,
 * "Kademlia", §2.5 <key,value> pairs; docs/SECURITY.md, "Records").
 *
 * Deviations from the paper, which stores bare values:
 * - a record carries its publisher, signed: the publisher's id is SHA-256 of the Ed25519 key that
 *   signed it, and a record whose signature does not verify is never stored or served;
 * - versions come from the publisher's hybrid logical clock (hybrid-clock.ts), so replicas
 *   converge on one version by a deterministic total order (compareRecords) that no clock can
 *   break: a replica that keeps a later version answers with it and the publisher outbids it, so
 *   no version pins a key, and one more than MAX_CLOCK_SKEW_MS past the receiver's clock is
 *   refused outright;
 * - a record may be owned by a client key (BEP 44 mutable items): it then lives at an id derived
 *   from that key, and only a higher sequence signed by the same key replaces it;
 * - a record carries its own absolute expiry, signed, at most one record lifetime ahead.
 */
import { isNodeId, idEquals, recordIdOf, type NodeId } from './id.js';
import { MAX_LOGICAL, compareVersions } from './hybrid-clock.js';
import {
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
  ownedRecordId,
  ownerSigningBytes,
  publisherIdOf,
  recordSigningBytes,
  type RecordSigner,
  type VerifySignature,
} from './record-signature.js';
// The size rules are the client package's (libs/client), which checks them before sending.
import { problem, validateKey, validateValue, type RecordLimits, type RecordProblem } from '../client/rules.js';

export {
  DEFAULT_RECORD_LIMITS,
  validateKey,
  validateOwnerKey,
  validateValue,
  type RecordLimits,
  type RecordProblem,
} from '../client/rules.js';
export type { RecordSigner } from './record-signature.js';

/** The client key that owns a record, the sequence it signed and its signature. */
export interface RecordOwner {
  readonly publicKey: Uint8Array;
  readonly seq: number;
  readonly signature: Uint8Array;
}

export interface KadRecord {
  /** The user's key; for an owned record, the key's name under its owner. */
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  /** Id of the node that published this version: SHA-256(publisherKey). */
  readonly publisher: NodeId;
  /** The version's wall part (hybrid logical clock), unix ms. */
  readonly createdMs: number;
  /** The version's logical part. */
  readonly logical: number;
  /** Absolute time after which no node serves the record. */
  readonly expiresMs: number;
  /** The publisher's Ed25519 public key. */
  readonly publisherKey: Uint8Array;
  /** The publisher's signature over recordSigningBytes. */
  readonly signature: Uint8Array;
  readonly owner?: RecordOwner | undefined;
}

/** What a receiver checks a record against: its limits and its record lifetime. */
export interface RecordRules {
  readonly limits: RecordLimits;
  /** The longest a record may live from now (KAD_EXPIRE_MS). */
  readonly expireMs: number;
}

/**
 * How far past the receiver's clock a version or creation time may lie, and an expiry past the
 * receiver's clock plus its record lifetime: 2 h, Bitcoin's bound on block times
 * (MAX_FUTURE_BLOCK_TIME). Design choice: it tolerates honest clocks an hour off either way (a
 * wrong time zone or daylight-saving setting, the common real skew), with nodes an hour apart
 * both writing and accepting each other's records. A version inside the bound cannot pin a key
 * (the publisher outbids it, hybrid-clock.ts); the bound only refuses absurd ones, such as ten
 * years ahead, and limits how far a forger can drag the network's versions ahead of real time.
 */
export const MAX_CLOCK_SKEW_MS = 2 * 60 * 60 * 1000;

/**
 * Bytes charged per record beyond key and value: publisher id and key (64), signature (64), the
 * time fields (20) and an owner part (104), rounded up to 256 for bookkeeping. A design estimate,
 * not a measurement.
 */
export const RECORD_OVERHEAD_BYTES = 256;

const isTime = (t: unknown): t is number => typeof t === 'number' && Number.isSafeInteger(t) && t >= 0;
const isBytes = (b: unknown, length: number): b is Uint8Array => b instanceof Uint8Array && b.length === length;

/**
 * The latest expiry a receiver accepts at nowMs: one record lifetime ahead, plus the clock skew
 * it tolerates.
 */
function latestExpiryMs(rules: RecordRules, nowMs: number): number {
  return nowMs + rules.expireMs + MAX_CLOCK_SKEW_MS;
}

/** An expiry that has passed, or lies beyond latestExpiryMs. */
function expiryProblem(expiresMs: number, rules: RecordRules, nowMs: number): RecordProblem | undefined {
  if (expiresMs <= nowMs) return problem(`record expired at ${expiresMs} (now ${nowMs})`);
  if (expiresMs > latestExpiryMs(rules, nowMs)) {
    return problem(
      `expiresMs ${expiresMs} is more than the record lifetime (${rules.expireMs} ms) and ${MAX_CLOCK_SKEW_MS} ms past this node's clock (${nowMs})`,
    );
  }
  return undefined;
}

/** Shape, sizes and time bounds of a record from anywhere; the signatures are verifyRecord's. */
export function validateRecord(record: KadRecord, rules: RecordRules, nowMs: number): RecordProblem | undefined {
  const keyProblem = validateKey(record.key, rules.limits);
  if (keyProblem) return keyProblem;
  const valueProblem = validateValue(record.value, rules.limits);
  if (valueProblem) return valueProblem;
  if (!isNodeId(record.publisher)) return problem('publisher must be a 32-byte node id');
  if (!isBytes(record.publisherKey, PUBLIC_KEY_BYTES))
    return problem(`publisher_key must be a ${PUBLIC_KEY_BYTES}-byte Ed25519 public key`);
  if (!isBytes(record.signature, SIGNATURE_BYTES)) return problem(`signature must be ${SIGNATURE_BYTES} bytes`);
  if (!isTime(record.createdMs)) return problem(`createdMs must be a non-negative integer, got ${record.createdMs}`);
  if (!Number.isInteger(record.logical) || record.logical < 0 || record.logical > MAX_LOGICAL) {
    return problem(`logical must be an integer in 0..${MAX_LOGICAL}, got ${record.logical}`);
  }
  if (!isTime(record.expiresMs)) return problem(`expiresMs must be a non-negative integer, got ${record.expiresMs}`);
  if (record.createdMs > nowMs + MAX_CLOCK_SKEW_MS) {
    return problem(`createdMs ${record.createdMs} is more than ${MAX_CLOCK_SKEW_MS} ms past this node's clock (${nowMs})`);
  }
  if (record.expiresMs <= record.createdMs) {
    return problem(`expiresMs (${record.expiresMs}) must be after createdMs (${record.createdMs})`);
  }
  const expiry = expiryProblem(record.expiresMs, rules, nowMs);
  if (expiry) return expiry;
  const owner = record.owner;
  if (owner) {
    if (!isBytes(owner.publicKey, PUBLIC_KEY_BYTES)) return problem(`owner public_key must be ${PUBLIC_KEY_BYTES} bytes`);
    if (!isBytes(owner.signature, SIGNATURE_BYTES)) return problem(`owner signature must be ${SIGNATURE_BYTES} bytes`);
    if (!isTime(owner.seq)) return problem(`owner seq must be a non-negative integer, got ${owner.seq}`);
  }
  return undefined;
}

/** The publisher id matches its key, and every signature on the record verifies. */
export function verifyRecord(record: KadRecord, verify: VerifySignature): RecordProblem | undefined {
  if (!idEquals(publisherIdOf(record.publisherKey), record.publisher)) {
    return problem('publisher is not the SHA-256 of publisher_key');
  }
  const owner = record.owner;
  if (owner && !verify(owner.publicKey, ownerSigningBytes({ ...record, seq: owner.seq }), owner.signature)) {
    return problem("the owner's signature does not verify");
  }
  if (!verify(record.publisherKey, recordSigningBytes(record), record.signature)) {
    return problem("the publisher's signature does not verify");
  }
  return undefined;
}

/** validateRecord, then verifyRecord: what every receiver runs on a record from outside. */
export function checkRecord(record: KadRecord, rules: RecordRules, nowMs: number, verify: VerifySignature): RecordProblem | undefined {
  return validateRecord(record, rules, nowMs) ?? verifyRecord(record, verify);
}

/** checkRecord for a record a peer hands over as the one of `recordId` (a FIND_VALUE answer, a
 * replica's "I hold a newer one"): it must also be of that id, or it is not believed. */
export function checkRecordOf(
  recordId: NodeId,
  record: KadRecord,
  rules: RecordRules,
  nowMs: number,
  verify: VerifySignature,
): RecordProblem | undefined {
  if (!idEquals(idOfRecord(record), recordId)) return problem('the record is not of the id asked for');
  return checkRecord(record, rules, nowMs, verify);
}

/** A record's id: SHA-256 of the key, or, given the owner's key, of that key and the name. */
export function recordIdFor(key: Uint8Array, ownerKey: Uint8Array | undefined): NodeId {
  return ownerKey ? ownedRecordId(ownerKey, key) : recordIdOf(key);
}

export function idOfRecord(record: Pick<KadRecord, 'key' | 'owner'>): NodeId {
  return recordIdFor(record.key, record.owner?.publicKey);
}

/** The record with `signer` as its publisher: its id, its key and its signature over every field. */
export function signRecord(fields: Omit<KadRecord, 'publisher' | 'publisherKey' | 'signature'>, signer: RecordSigner): KadRecord {
  const unsigned = { ...fields, publisherKey: signer.publicKey };
  return { ...unsigned, publisher: publisherIdOf(signer.publicKey), signature: signer.sign(recordSigningBytes(unsigned)) };
}

/** Lexicographic byte order; a proper prefix sorts first. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x - y;
  }
  return a.length - b.length;
}

const versionOf = (r: KadRecord) => ({ wallMs: r.createdMs, logical: r.logical });

/**
 * Positive if a is the newer version: an owned record over a plain one, then the higher owner
 * seq, then the later version (createdMs, logical), then the larger publisher id, then the larger
 * value. A total order on those fields; 0 only when they are all equal.
 */
export function compareRecords(a: KadRecord, b: KadRecord): number {
  if (Boolean(a.owner) !== Boolean(b.owner)) return a.owner ? 1 : -1;
  if (a.owner && b.owner && a.owner.seq !== b.owner.seq) return a.owner.seq > b.owner.seq ? 1 : -1;
  return (
    compareVersions(versionOf(a), versionOf(b)) ||
    Math.sign(compareBytes(a.publisher, b.publisher)) ||
    Math.sign(compareBytes(a.value, b.value))
  );
}

/**
 * Why a held version keeps its place against an incoming one:
 * - 'newer': the held one wins (compareRecords), or, both owned, it has the same seq with another
 *   value (only a higher seq replaces an owned record, BEP 44);
 * - 'cas': the Put asked for a compare-and-swap on a seq that is not the one held.
 */
export type Refusal = 'newer' | 'cas';

/**
 * Whether `incoming` may replace `held` at a replica: 'replace', 'same' (the same item: the
 * later expiry of the two is kept), or the refusal.
 */
export function storeDecision(incoming: KadRecord, held: KadRecord | undefined, expectedSeq?: number): 'replace' | 'same' | Refusal {
  if (!held) return 'replace';
  if (expectedSeq !== undefined && held.owner?.seq !== expectedSeq) return 'cas';
  if (incoming.owner && held.owner && incoming.owner.seq === held.owner.seq) {
    return compareBytes(incoming.value, held.value) === 0 ? 'same' : 'newer';
  }
  const order = compareRecords(incoming, held);
  if (order < 0) return 'newer';
  return order === 0 ? 'same' : 'replace';
}

/**
 * The expiry of a plain record published at `createdMs` (§2.5: a record lives `expireMs`
 * unless republished): the client's TTL when it asked for one, never longer than `expireMs`.
 */
export function plainRecordExpiry(createdMs: number, requestedTtlMs: number, expireMs: number): number {
  return createdMs + (requestedTtlMs > 0 ? Math.min(requestedTtlMs, expireMs) : expireMs);
}

export function isExpired(record: KadRecord, nowMs: number): boolean {
  return record.expiresMs <= nowMs;
}

/** Bytes a store charges for the record. */
export function recordSize(record: KadRecord): number {
  return record.key.length + record.value.length + RECORD_OVERHEAD_BYTES;
}
