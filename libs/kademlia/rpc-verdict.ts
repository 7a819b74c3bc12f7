/**
 * What an RPC's failure says about the contact it went to: the input to the routing table's
 * eviction rule (paper §2.2: a contact that fails to respond is evicted, after several failures
 * in a row here, routing-table.ts) and to Admission's retry waits.
 *
 * - failed-precondition: it answered, and is not who it claims to be, or is of another network:
 *   it goes at once (`drop`), whatever the count;
 * - unavailable, deadline-exceeded: it did not answer: one failure more (`failed`);
 * - resource-exhausted: it answered that it is busy (its rate limit, with `retry-after-ms`): a
 *   lookup routes around it, and it is not failing (`busy`: the explicit backpressure);
 * - anything else (invalid-argument, internal): about the request, not the contact (`none`).
 *
 * A challenge Ping that fails is `refused` when the candidate answered without a valid proof
 * (failed-precondition), else `unreachable` (admission.ts waits longer after the first).
 */
import { ErrorCode } from '../errors/index.js';
import type { ChallengeOutcome } from './admission.js';

export type RpcVerdict = 'drop' | 'failed' | 'busy' | 'none';

export function verdictOnError(code: ErrorCode): RpcVerdict {
  switch (code) {
    case ErrorCode.FailedPrecondition:
      return 'drop';
    case ErrorCode.Unavailable:
    case ErrorCode.DeadlineExceeded:
      return 'failed';
    case ErrorCode.ResourceExhausted:
      return 'busy';
    case ErrorCode.InvalidArgument:
    case ErrorCode.Internal:
      return 'none';
  }
}

export function challengeOutcomeOf(code: ErrorCode): Exclude<ChallengeOutcome, 'proved'> {
  return code === ErrorCode.FailedPrecondition ? 'refused' : 'unreachable';
}
