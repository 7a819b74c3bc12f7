/**
 * KadError <-> NATS micro service errors (the Nats-Service-Error-Code / Nats-Service-Error
 * headers). The numeric codes follow HTTP, as NATS micro's own examples do.
 */
import { ErrorCode, KadError } from '../errors/index.js';

const TO_NUMBER: Record<ErrorCode, number> = {
  [ErrorCode.InvalidArgument]: 400,
  [ErrorCode.FailedPrecondition]: 412,
  [ErrorCode.ResourceExhausted]: 429,
  [ErrorCode.Internal]: 500,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.DeadlineExceeded]: 504,
};

export function serviceErrorCode(code: ErrorCode): number {
  return TO_NUMBER[code];
}

export function fromServiceError(code: number, description: string): KadError {
  const entry = Object.entries(TO_NUMBER).find(([, n]) => n === code);
  const kadCode = entry ? (entry[0] as ErrorCode) : ErrorCode.Internal;
  return new KadError(kadCode, description);
}
