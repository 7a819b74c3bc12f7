/**
 * The V8 and Node flags every node process runs with, wherever it is started: `npx kad` (the
 * shebang of services/cli/kad.ts), the supervisor's child, the Docker image's ENTRYPOINT, and the
 * tests' and benchmark's clusters. Their checks compare against this list.
 *
 * - `--max-semi-space-size=2`: a 2 MiB young generation per semi-space instead of V8's 16. A node's
 *   garbage is short-lived messages, which a small young generation collects as well; measured
 *   here with 10 nodes after 150 Puts and 960 Gets, RSS per node went from 102 to 85 MiB.
 * - `--v8-pool-size=1`: one V8 platform worker thread instead of four (about 4 MiB less per
 *   process; a node is one busy thread).
 */
export const NODE_PROCESS_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--v8-pool-size=1'];
