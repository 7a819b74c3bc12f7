/**
 * `kad`'s exit codes, and which failure gets which. The codes are a fixed contract (README.md,
 * "The CLI"): scripts depend on them.
 */
import { CommanderError } from 'commander';
import { status } from '@grpc/grpc-js';
import { DhtError } from '../../libs/client/index.js';
import { ConfigError } from '../../libs/errors/index.js';

export const EXIT = {
  /** Found, stored, or the command ran. */
  ok: 0,
  /** Any other failure: the node refused the call (bad input, a stale sequence), or it failed. */
  failure: 1,
  /** A usage error: an unknown command or flag, a bad flag value, a missing argument. Nothing was sent. */
  usage: 2,
  /** `kad get`: no node holds the key. */
  notFound: 3,
  /** No node could be reached (UNAVAILABLE), or the deadline passed (DEADLINE_EXCEEDED). */
  unreachable: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** For `kad --help`. */
export const EXIT_CODES_HELP = `exit codes:
  0  found, stored, or done
  1  any other failure (the node refused the call, e.g. bad input or a stale sequence)
  2  usage error: unknown command or flag, bad flag value, extra argument (nothing is sent)
  3  not found (kad get)
  4  no node could be reached, or the deadline (--timeout-ms) passed`;

/** The exit code a command that threw `err` ends with. */
export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (err instanceof ConfigError) return EXIT.usage;
  if (err instanceof DhtError)
    return err.code === status.UNAVAILABLE || err.code === status.DEADLINE_EXCEEDED ? EXIT.unreachable : EXIT.failure;
  return EXIT.failure;
}
