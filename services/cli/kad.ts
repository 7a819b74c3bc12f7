#!/usr/bin/env -S node --max-semi-space-size=2 --v8-pool-size=1
/**
 * `kad`: the one command-line entry point (program.ts holds the commands). Every node setting is
 * a flag and a KAD_* variable (libs/runtime/node-config.ts).
 *
 *   kad node                      the four actors in one process
 *   kad actor <name>              one actor (split mode; needs --nats-url)
 *   kad cluster --nodes N         N nodes on loopback (a private nats-server when installed)
 *   kad put <key> <value|->       store through a node (--target host:port[,host:port...])
 *   kad get <key>                 fetch through a node
 *   kad keygen <file>             a new Ed25519 client key: put/get --identity <file> own keys
 *   kad routing-table | kad stats inspect a node
 *
 * Exit codes: 0 ok, 1 other failure, 2 usage, 3 not found, 4 unreachable or deadline.
 */
import { CommanderError } from 'commander';
import { DhtError } from '../../libs/client/index.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { buildProgram } from './program.js';
import type { Outcome } from './client-commands.js';

function describe(err: unknown): string {
  if (err instanceof DhtError) {
    const where =
      err.address === undefined
        ? 'refused before sending, against the limits this client assumes (--max-value-bytes)'
        : `from ${err.address}`;
    return `${err.details} (${err.statusName}, ${where})`;
  }
  return err instanceof Error ? err.message : String(err);
}

const outcome: Outcome = { code: EXIT.ok };
buildProgram({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }, outcome)
  .parseAsync(process.argv.slice(2), { from: 'user' })
  .then(
    () => process.exit(outcome.code),
    (err: unknown) => {
      // Commander has printed its own message (a usage error, or the help or version asked for).
      if (!(err instanceof CommanderError)) process.stderr.write(`kad: ${describe(err)}\n`);
      process.exit(exitCodeOf(err));
    },
  );
