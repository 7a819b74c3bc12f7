/**
 * `npm run sim`'s flags (bench/sim/parse-sim-args.ts, over node:util parseArgs): the defaults,
 * every flag, and the refusals, each naming the flag: an unknown flag, a missing value, a bad one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SIM_ARGS, parseSimArgs } from '../../../bench/sim/parse-sim-args.js';

test('no flags: the defaults', () => {
  assert.deepEqual(parseSimArgs([]), DEFAULT_SIM_ARGS);
  assert.deepEqual(DEFAULT_SIM_ARGS.nodes, [1_000, 10_000, 100_000]);
});

test('every flag sets its field; a repeated flag takes its last value; --flag=value works too', () => {
  const args = parseSimArgs([
    ...['--nodes', '1_000,2000', '--lookups', '5', '--seed', '0', '--out', '/tmp/sim', '--k', '8', '--alpha', '2'],
    ...['--churn-rate', '0.05', '--heavy-churn-rate', '0', '--churn-epochs', '2', '--records', '0', '--table-budget-mib', '64'],
    '--seed=7',
  ]);
  assert.deepEqual(args, {
    nodes: [1_000, 2_000],
    lookups: 5,
    seed: 7,
    out: '/tmp/sim',
    k: 8,
    alpha: 2,
    churnRate: 0.05,
    heavyChurnRate: 0,
    churnEpochs: 2,
    records: 0,
    tableBudgetMib: 64,
  });
});

test('an unknown flag is refused by name', () => {
  assert.throws(() => parseSimArgs(['--bogus', '3']), { name: 'RangeError', message: 'unknown flag "--bogus"' });
  assert.throws(() => parseSimArgs(['-k', '3']), { message: 'unknown flag "-k"' });
  assert.throws(() => parseSimArgs(['--seed', '1', 'stray']), { message: 'unknown flag "stray"' });
});

test('a flag without its value is refused', () => {
  assert.throws(() => parseSimArgs(['--lookups', '5', '--seed']), { name: 'RangeError', message: '--seed needs a value' });
});

test('a bad value is refused with the flag and the value', () => {
  assert.throws(() => parseSimArgs(['--lookups', '0']), { name: 'RangeError', message: '--lookups must be an integer >= 1, got "0"' });
  assert.throws(() => parseSimArgs(['--nodes', '1000,1']), { message: '--nodes must be an integer >= 2, got "1"' });
  assert.throws(() => parseSimArgs(['--seed', '-1']), { message: '--seed must be an integer >= 0, got "-1"' });
  assert.throws(() => parseSimArgs(['--k', '2.5']), { message: '--k must be an integer >= 1, got "2.5"' });
  assert.throws(() => parseSimArgs(['--churn-rate', '1']), { message: '--churn-rate must be in [0, 1), got "1"' });
  assert.throws(() => parseSimArgs(['--heavy-churn-rate', 'lots']), { message: '--heavy-churn-rate must be in [0, 1), got "lots"' });
});
