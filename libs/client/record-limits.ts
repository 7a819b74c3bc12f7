/**
 * The size rules a node applies to a key and a value from outside, with the messages it refuses
 * them with. A node checks every Put and record against them (libs/kademlia record.ts); the
 * client checks the same rules before sending (local-checks.ts), so a call that cannot succeed
 * costs no round trip and fails with the same message either side of the wire.
 */
import { PUBLIC_KEY_BYTES } from './owner-signature.js';

export interface RecordLimits {
  maxKeyBytes: number;
  maxValueBytes: number;
}

/** Design choice: keys are short names; values fit one gRPC message with room to spare. */
export const DEFAULT_RECORD_LIMITS: RecordLimits = { maxKeyBytes: 1024, maxValueBytes: 64 * 1024 };

export type RecordProblem = { code: 'invalid-argument'; message: string };

export const problem = (message: string): RecordProblem => ({ code: 'invalid-argument', message });

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

/** A Get's optional owner key: absent, or a 32-byte Ed25519 public key. */
export function validateOwnerKey(owner: Uint8Array | null | undefined): RecordProblem | undefined {
  const length = owner?.length ?? 0;
  return length === 0 || length === PUBLIC_KEY_BYTES
    ? undefined
    : problem(`owner must be a ${PUBLIC_KEY_BYTES}-byte Ed25519 public key, got ${length} bytes`);
}
