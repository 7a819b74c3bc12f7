/**
 * The client's errors: one class per gRPC status a caller acts on, each carrying the status
 * (`code`, the number `@grpc/grpc-js` names in `status`), the node's message (`details`), the
 * address that answered, and the trailers. A key that is not found is not an error
 * (`found: false`).
 *
 * | class | status | the client retries it |
 * | --- | --- | --- |
 * | InvalidArgumentError | INVALID_ARGUMENT (also refused locally, before sending) | no |
 * | FailedPreconditionError | FAILED_PRECONDITION (a stale sequence, a failed compare-and-swap) | no |
 * | ResourceExhaustedError | RESOURCE_EXHAUSTED (`retryAfterMs` when a rate limiter said when) | with `retryAfterMs` only |
 * | UnavailableError | UNAVAILABLE (no connection, or the node cannot serve) | yes, on the next address |
 * | DeadlineExceededError | DEADLINE_EXCEEDED (the call's deadline passed) | no |
 * | CancelledError | CANCELLED (the caller's AbortSignal fired) | no |
 * | RecordVerificationError | DATA_LOSS (an owned record whose signature does not verify) | no |
 * | DhtError | any other status | no |
 */
import { Metadata, status } from '@grpc/grpc-js';
import { RETRY_AFTER_TRAILER, parseRetryAfterMs } from './retry-after.js';

export interface DhtErrorOptions {
  /** The node address the call went to (undefined: refused before sending). */
  readonly address?: string | undefined;
  readonly metadata?: Metadata | undefined;
  readonly cause?: unknown;
}

export class DhtError extends Error {
  override readonly name: string = 'DhtError';
  readonly address: string | undefined;
  readonly metadata: Metadata;

  constructor(
    /** The gRPC status code. */
    readonly code: status,
    /** The node's message (or the client's, for a call refused or failed locally). */
    readonly details: string,
    options: DhtErrorOptions = {},
  ) {
    super(details, options.cause === undefined ? undefined : { cause: options.cause });
    this.address = options.address;
    this.metadata = options.metadata ?? new Metadata();
  }

  /** The status's name, as in the gRPC spec: `UNAVAILABLE`, `NOT_FOUND`, ... */
  get statusName(): string {
    return status[this.code] ?? `STATUS_${this.code}`;
  }
}

export class InvalidArgumentError extends DhtError {
  override readonly name: string = 'InvalidArgumentError';
  constructor(details: string, options?: DhtErrorOptions) {
    super(status.INVALID_ARGUMENT, details, options);
  }
}

export class FailedPreconditionError extends DhtError {
  override readonly name: string = 'FailedPreconditionError';
  constructor(details: string, options?: DhtErrorOptions) {
    super(status.FAILED_PRECONDITION, details, options);
  }
}

export class ResourceExhaustedError extends DhtError {
  override readonly name: string = 'ResourceExhaustedError';
  /** When the node's rate limiter allows the next call (its `retry-after-ms` trailer); undefined
   * for other limits (a message or quota too large), which waiting does not lift. */
  readonly retryAfterMs: number | undefined;
  constructor(details: string, options?: DhtErrorOptions) {
    super(status.RESOURCE_EXHAUSTED, details, options);
    this.retryAfterMs = parseRetryAfterMs(this.metadata.get(RETRY_AFTER_TRAILER)[0]);
  }
}

export class UnavailableError extends DhtError {
  override readonly name: string = 'UnavailableError';
  constructor(details: string, options?: DhtErrorOptions) {
    super(status.UNAVAILABLE, details, options);
  }
}

export class DeadlineExceededError extends DhtError {
  override readonly name: string = 'DeadlineExceededError';
  constructor(details: string, options?: DhtErrorOptions) {
    super(status.DEADLINE_EXCEEDED, details, options);
  }
}

export class CancelledError extends DhtError {
  override readonly name: string = 'CancelledError';
  constructor(details: string, options?: DhtErrorOptions) {
    super(status.CANCELLED, details, options);
  }
}

export class RecordVerificationError extends DhtError {
  override readonly name: string = 'RecordVerificationError';
  constructor(details: string, options?: DhtErrorOptions) {
    super(status.DATA_LOSS, details, options);
  }
}

/** What grpc-js rejects a call with (a ServiceError), as far as this module reads it. */
interface StatusLike {
  readonly code?: unknown;
  readonly details?: unknown;
  readonly metadata?: unknown;
  readonly message?: unknown;
}

/** Any failure of a call as the DhtError of its status; a DhtError passes through. */
export function dhtErrorOf(err: unknown, address?: string): DhtError {
  if (err instanceof DhtError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as StatusLike;
  const details = typeof e.details === 'string' ? e.details : typeof e.message === 'string' ? e.message : String(err);
  const options: DhtErrorOptions = { address, cause: err, metadata: e.metadata instanceof Metadata ? e.metadata : undefined };
  const code = typeof e.code === 'number' && status[e.code] !== undefined ? (e.code as status) : status.UNKNOWN;
  switch (code) {
    case status.INVALID_ARGUMENT:
      return new InvalidArgumentError(details, options);
    case status.FAILED_PRECONDITION:
      return new FailedPreconditionError(details, options);
    case status.RESOURCE_EXHAUSTED:
      return new ResourceExhaustedError(details, options);
    case status.UNAVAILABLE:
      return new UnavailableError(details, options);
    case status.DEADLINE_EXCEEDED:
      return new DeadlineExceededError(details, options);
    case status.CANCELLED:
      return new CancelledError(details, options);
    case status.DATA_LOSS:
      return new RecordVerificationError(details, options);
    default:
      return new DhtError(code, details, options);
  }
}
