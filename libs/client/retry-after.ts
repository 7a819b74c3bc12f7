/**
 * The rate limiter's "try again later": a RESOURCE_EXHAUSTED status with the trailer
 * `retry-after-ms` (milliseconds, a decimal integer). The node writes it
 * (services/transport/grpc-status.ts) and clients read it (this package): a client retries a
 * RESOURCE_EXHAUSTED only when it carries this trailer.
 */

export const RETRY_AFTER_TRAILER = 'retry-after-ms';

/** The longest wait a trailer may ask for; a larger (or malformed) one is ignored. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/** A trailer's value as milliseconds, if it is a sane one. */
export function parseRetryAfterMs(raw: unknown): number | undefined {
  const ms = typeof raw === 'string' && /^[0-9]+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(ms) && ms >= 0 && ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
}
