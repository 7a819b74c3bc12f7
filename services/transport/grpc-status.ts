/**
 * Domain errors <-> gRPC status, in one place. A client sees INVALID_ARGUMENT,
 * FAILED_PRECONDITION, RESOURCE_EXHAUSTED, UNAVAILABLE, DEADLINE_EXCEEDED or INTERNAL with the
 * actor's message.
 */
import { status, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { ErrorCode, KadError, asKadError } from '../../libs/runtime/kad-error.js';

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
  return { code: TO_STATUS[kad.code], details: kad.message };
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
    case status.RESOURCE_EXHAUSTED:
      return new KadError(ErrorCode.ResourceExhausted, `${what}: ${details}`);
    case status.DEADLINE_EXCEEDED:
      return new KadError(ErrorCode.DeadlineExceeded, `${what}: ${details}`);
    default:
      return new KadError(ErrorCode.Unavailable, `${what}: ${details}`);
  }
}
