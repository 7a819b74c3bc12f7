/**
 * What the client refuses before sending: the checks a node makes of a Put or Get
 * (record-limits.ts, the very functions a node runs), with the same messages, so a call that
 * cannot succeed costs no round trip and fails the same way either side of the wire.
 */
import { DEFAULT_RECORD_LIMITS, validateKey, validateOwnerKey, validateValue, type RecordLimits } from './record-limits.js';
import { InvalidArgumentError } from './dht-errors.js';

export { DEFAULT_RECORD_LIMITS, type RecordLimits };

/** Keys and values as bytes: a string is its UTF-8 encoding. */
export type Bytes = Uint8Array | string;

/** A copy: a retry sends what the caller passed, even if the caller has changed it since. */
export function toBytes(data: Bytes): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return Buffer.from(data);
  throw new InvalidArgumentError(`keys and values are a Uint8Array or a string, got ${typeof data}`);
}

/** `limits` false: nothing is checked here (the node still checks). */
export function checkPut(key: Uint8Array, value: Uint8Array, limits: RecordLimits | false): void {
  if (limits === false) return;
  const problem = validateKey(key, limits) ?? validateValue(value, limits);
  if (problem) throw new InvalidArgumentError(problem.message);
}

export function checkGet(key: Uint8Array, owner: Uint8Array | undefined, limits: RecordLimits | false): void {
  if (limits === false) return;
  const problem = validateKey(key, limits) ?? validateOwnerKey(owner);
  if (problem) throw new InvalidArgumentError(problem.message);
}
