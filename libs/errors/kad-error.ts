/**
 * The one error type that crosses actor and process boundaries. Its code is a closed set that
 * maps one-to-one onto gRPC status codes (services/transport/grpc-status.ts) and onto NATS
 * service-error codes (libs/bus/service-error.ts).
 */
export const ErrorCode = {
  InvalidArgument: 'invalid-argument',
  FailedPrecondition: 'failed-precondition',
  ResourceExhausted: 'resource-exhausted',
  Unavailable: 'unavailable',
  DeadlineExceeded: 'deadline-exceeded',
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface KadErrorOptions extends ErrorOptions {
  /** RESOURCE_EXHAUSTED from a rate limit: when the caller may try again (the gRPC trailer
   * `retry-after-ms`). */
  readonly retryAfterMs?: number;
}

export class KadError extends Error {
  override readonly name = 'KadError';
  readonly retryAfterMs: number | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: KadErrorOptions,
  ) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

export const invalidArgument = (message: string): KadError => new KadError(ErrorCode.InvalidArgument, message);
export const failedPrecondition = (message: string): KadError => new KadError(ErrorCode.FailedPrecondition, message);
export const resourceExhausted = (message: string, retryAfterMs?: number): KadError =>
  new KadError(ErrorCode.ResourceExhausted, message, retryAfterMs === undefined ? undefined : { retryAfterMs });
export const unavailable = (message: string, cause?: unknown): KadError =>
  new KadError(ErrorCode.Unavailable, message, cause === undefined ? undefined : { cause });

/** Any thrown value as a KadError: KadErrors pass through, everything else is internal. */
export function asKadError(err: unknown): KadError {
  if (err instanceof KadError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new KadError(ErrorCode.Internal, message, { cause: err });
}
