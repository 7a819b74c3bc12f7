/** Every way a node process starts uses the same node flags: here, the CLI's shebang line. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { NODE_PROCESS_FLAGS } from '../../../libs/runtime/node-flags.js';
import { KAD_CLI } from '../../../harness/process-cluster.js';

test('node flags - `npx kad` runs with NODE_PROCESS_FLAGS (its shebang)', () => {
  const shebang = readFileSync(KAD_CLI, 'utf8').split('\n', 1)[0];
  assert.equal(shebang, `#!/usr/bin/env -S node ${NODE_PROCESS_FLAGS.join(' ')}`);
});
