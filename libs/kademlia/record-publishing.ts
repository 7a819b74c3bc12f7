/**
 * How a publisher makes the records it stores (paper §2.3, §2.5; BEP 44 for owned records), as
 * pure functions: the lookup-coordinator signs what these return and sends it.
 *
 * - A plain Put's record: versioned by the publisher's hybrid clock, living the TTL asked for,
 *   clamped to KAD_EXPIRE_MS (none asked: KAD_EXPIRE_MS).
 * - An owned Put's record: the owner's fields as the owner signed them (key, value, sequence,
 *   expiry); the publisher only versions it.
 * - A lifetime shorter than the Put's own time budget is refused: the record would expire before
 *   the Put that stores it ends.
 * - Store rounds: when replicas answer with a verified version that wins, a plain record is
 *   stored again, re-versioned above it with the same lifetime, at most MAX_STORE_ROUNDS rounds
 *   in all; an owned record is not (its sequence is its owner's), and such an answer refuses it:
 *   a stale sequence, or a failed compare-and-swap (BEP 44 errors 302 and 301).
 * - Republish: a plain record gets a fresh expiry, an owned one goes as its owner signed it
 *   (only the owner can extend it).
 */
import { compareRecords, plainRecordExpiry, type KadRecord, type RecordOwner } from './record.js';
import type { Version } from './hybrid-clock.js';

/** What the publisher signs: a record without its publisher's signature. */
export type RecordFields = Omit<KadRecord, 'publisher' | 'publisherKey' | 'signature'>;

/** Store rounds of one plain Put at most: the first, and again above a newer version a replica
 * answered with (twice, in case two Puts race). */
export const MAX_STORE_ROUNDS = 3;

export function plainRecordFields(key: Uint8Array, value: Uint8Array, version: Version, ttlMs: number, expireMs: number): RecordFields {
  return { key, value, createdMs: version.wallMs, logical: version.logical, expiresMs: plainRecordExpiry(version.wallMs, ttlMs, expireMs) };
}

export function ownedRecordFields(
  key: Uint8Array,
  value: Uint8Array,
  version: Version,
  expiresMs: number,
  owner: RecordOwner,
): RecordFields {
  return { key, value, createdMs: version.wallMs, logical: version.logical, expiresMs, owner };
}

/** Why a record that lives `lifetimeMs` cannot be stored by a Put that may take `budgetMs`. */
export function lifetimeProblem(lifetimeMs: number, budgetMs: number, field: string): string | undefined {
  return lifetimeMs < budgetMs
    ? `${field} leaves the record ${lifetimeMs} ms to live, less than this Put may take (${budgetMs} ms: its deadline, at most KAD_LOOKUP_TIMEOUT_MS + 2 x KAD_RPC_TIMEOUT_MS)`
    : undefined;
}

/** The versions replicas kept instead that win over the one sent. */
export function newerHeld(sent: KadRecord, refusals: readonly KadRecord[]): KadRecord[] {
  return refusals.filter((held) => compareRecords(held, sent) > 0);
}

/** Whether a Put stores again after `round` (1-based): a plain record that lost to a newer held
 * version, with rounds and time left. */
export function storeAgain(options: {
  readonly versioned: boolean;
  readonly newer: number;
  readonly round: number;
  readonly timeLeft: boolean;
}): boolean {
  return options.versioned && options.newer > 0 && options.round < MAX_STORE_ROUNDS && options.timeLeft;
}

/** The record stored again above a newer held version: the same value and lifetime, the new version. */
export function reversioned(record: RecordFields, version: Version): RecordFields {
  const { key, value, owner } = record;
  return {
    key,
    value,
    createdMs: version.wallMs,
    logical: version.logical,
    expiresMs: version.wallMs + (record.expiresMs - record.createdMs),
    ...(owner ? { owner } : {}),
  };
}

/** The publisher's republish: the fields to sign again with a fresh expiry, or undefined for an
 * owned record, which goes as its owner signed it. */
export function republishFields(record: KadRecord, nowMs: number, expireMs: number): RecordFields | undefined {
  if (record.owner) return undefined;
  const { key, value, createdMs, logical } = record;
  return { key, value, createdMs, logical, expiresMs: nowMs + expireMs };
}

/** Why an owned Put fails, given the verified versions replicas kept instead: a failed
 * compare-and-swap, or a sequence at or below the one held. Undefined when nothing refuses it. */
export function ownedPutRefusal(record: KadRecord, refusals: readonly KadRecord[], expectedSeq: number | undefined): string | undefined {
  const seq = record.owner?.seq ?? 0;
  for (const held of refusals) {
    const heldSeq = held.owner?.seq;
    if (expectedSeq !== undefined && heldSeq !== expectedSeq)
      return `compare-and-swap failed: expected sequence ${expectedSeq}, a replica holds ${heldSeq ?? 'a record that is not owned'}`;
    if (heldSeq !== undefined)
      return heldSeq === seq
        ? `sequence ${seq} is held already with another value: only a higher sequence replaces it`
        : `sequence ${seq} is stale: a replica holds sequence ${heldSeq}`;
  }
  return undefined;
}
