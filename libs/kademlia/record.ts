/**
 * Records and the rules every node applies to them: size limits, validity, expiry, and which of
 * two versions of a record wins (Maymounkov & Mazières 2002, "Kademlia", §2.5 <key,value> pairs).
 *
 * Deviation from the paper: the paper stores bare values; here a record carries its publisher
 * and creation time so that replicas converge on one version by a deterministic total order
 * (compareRecords), and its own absolute expiry time.
 */
import { isNodeId, type NodeId } from './id.js';

export interface KadRecord {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  /** Id of the node that published this version. */
  readonly publisher: NodeId;
  readonly createdMs: number;
  /** Absolute time after which no node serves the record. */
  readonly expiresMs: number;
}

export interface RecordLimits {
  maxKeyBytes: number;
  maxValueBytes: number;
}

/** Design choice: keys are short names; values fit one gRPC message with room to spare. */
export const DEFAULT_RECORD_LIMITS: RecordLimits = { maxKeyBytes: 1024, maxValueBytes: 64 * 1024 };

/**
 * Bytes charged per record beyond key and value: publisher id (32) and two 8-byte timestamps,
 * rounded up to 64 for bookkeeping. A design estimate, not a measurement.
 */
export const RECORD_OVERHEAD_BYTES = 64;

export type RecordProblem = { code: 'invalid-argument'; message: string };

const problem = (message: string): RecordProblem => ({ code: 'invalid-argument', message });

export function validateKey(key: Uint8Array, limits: RecordLimits): RecordProblem | undefined {
  if (!(key instanceof Uint8Array)) return problem('key must be bytes');
  if (key.length === 0) return problem('key must not be empty');
  if (key.length > limits.maxKeyBytes) {
    return problem(`key is ${key.length} bytes, more than the limit of ${limits.maxKeyBytes} bytes`);
  }
  return undefined;
}

export function validateValue(value: Uint8Array, limits: RecordLimits): RecordProblem | undefined {
  if (!(value instanceof Uint8Array)) return problem('value must be bytes');
  if (value.length > limits.maxValueBytes) {
    return problem(`value is ${value.length} bytes, more than the limit of ${limits.maxValueBytes} bytes`);
  }
  return undefined;
}

const isTime = (t: unknown): t is number => typeof t === 'number' && Number.isSafeInteger(t) && t >= 0;

export function validateRecord(record: KadRecord, limits: RecordLimits, nowMs: number): RecordProblem | undefined {
  const keyProblem = validateKey(record.key, limits);
  if (keyProblem) return keyProblem;
  const valueProblem = validateValue(record.value, limits);
  if (valueProblem) return valueProblem;
  if (!isNodeId(record.publisher)) return problem('publisher must be a 32-byte node id');
  if (!isTime(record.createdMs)) return problem(`createdMs must be a non-negative integer, got ${record.createdMs}`);
  if (!isTime(record.expiresMs)) return problem(`expiresMs must be a non-negative integer, got ${record.expiresMs}`);
  if (record.expiresMs <= record.createdMs) {
    return problem(`expiresMs (${record.expiresMs}) must be after createdMs (${record.createdMs})`);
  }
  if (isExpired(record, nowMs)) return problem(`record expired at ${record.expiresMs} (now ${nowMs})`);
  return undefined;
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

/**
 * Positive if a is the newer version: later createdMs, then the larger publisher id, then the
 * larger value. A total order on those fields; 0 only when they are all equal.
 */
export function compareRecords(a: KadRecord, b: KadRecord): number {
  if (a.createdMs !== b.createdMs) return a.createdMs > b.createdMs ? 1 : -1;
  return Math.sign(compareBytes(a.publisher, b.publisher)) || Math.sign(compareBytes(a.value, b.value));
}

export function isExpired(record: KadRecord, nowMs: number): boolean {
  return record.expiresMs <= nowMs;
}

/** Bytes a store charges for the record. */
export function recordSize(record: KadRecord): number {
  return record.key.length + record.value.length + RECORD_OVERHEAD_BYTES;
}
