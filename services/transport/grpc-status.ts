/**
 * Domain errors <-> gRPC status, in one place. A client sees INVALID_ARGUMENT,
 * FAILED_PRECONDITION, RESOURCE_EXHAUSTED, UNAVAILABLE, DEADLINE_EXCEEDED or INTERNAL with the
 * actor's message. A rate limit's RESOURCE_EXHAUSTED carries the trailer `retry-after-ms`.
 */

import { Metadata, status, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { ErrorCode, KadError, asKadError } from '../../libs/errors/index.js';
import { RETRY_AFTER_TRAILER, parseRetryAfterMs } from '../../libs/client/node.js';

const TO_STATUS: Record<ErrorCode, status> = {
  [ErrorCode.InvalidArgument]: status.INVALID_ARGUMENT,
  [ErrorCode.FailedPrecondition]: status.FAILED_PRECONDITION,
  [ErrorCode.ResourceExhausted]: status.RESOURCE_EXHAUSTED,
  [ErrorCode.Unavailable]: status.UNAVAILABLE,
  [ErrorCode.DeadlineExceeded]: status.DEADLINE_EXCEEDED,
  [ErrorCode.Internal]: status.INTERNAL,
};

export function toGrpcStatus(err: unknown): Partial<StatusObject> {
  const kad = asKadError(err);
  if (kad.retryAfterMs === undefined) return { code: TO_STATUS[kad.code], details: kad.message };
  const metadata = new Metadata();
  metadata.set(RETRY_AFTER_TRAILER, String(kad.retryAfterMs));
  return { code: TO_STATUS[kad.code], details: kad.message, metadata };
}

/** A gRPC status code's name (`OK`, `UNAVAILABLE`, ...): the `status` label of the RPC metrics. */
export function statusName(code: number | undefined): string {
  return (code !== undefined && status[code]) || 'UNKNOWN';
}

/** The `retry-after-ms` trailer of a failed call, if it has a sane one. */
export function retryAfterMsOf(err: unknown): number | undefined {
  const metadata = (err as Partial<ServiceError>).metadata;
  return metadata instanceof Metadata ? parseRetryAfterMs(metadata.get(RETRY_AFTER_TRAILER)[0]) : undefined;
}

/** A failed outbound call as a KadError: the peer's own status when it gave one. */
export function fromGrpcError(err: unknown, what: string): KadError {
  const e = err as Partial<ServiceError>;
  const details = e.details ?? (err instanceof Error ? err.message : String(err));
  switch (e.code) {
    case status.INVALID_ARGUMENT:
      return new KadError(ErrorCode.InvalidArgument, `${what}: ${details}`);
    case status.FAILED_PRECONDITION:
      return new KadError(ErrorCode.FailedPrecondition, `${what}: ${details}`);
    case status.RESOURCE_EXHAUSTED: {
      const retryAfterMs = retryAfterMsOf(err);
      return new KadError(ErrorCode.ResourceExhausted, `${what}: ${details}`, retryAfterMs === undefined ? undefined : { retryAfterMs });
    }
    case status.DEADLINE_EXCEEDED:
      return new KadError(ErrorCode.DeadlineExceeded, `${what}: ${details}`);
    default:
      return new KadError(ErrorCode.Unavailable, `${what}: ${details}`);
  }
}
