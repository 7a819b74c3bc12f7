/**
 * The cluster benchmark's flags and summaries: defaults, the warm-up that may be 0, bad values
 * refused with the flag's name, split mode's default sizes, the side-by-side peer (--peer), and
 * latency percentiles.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latencyStats } from '../../../bench/latency-stats.js';
import { BenchArgsError, parseBenchArgs } from '../../../bench/parse-bench-args.js';

test('defaults: 8 and 32 nodes, split only at 8, a warm-up of 50 Gets per node', () => {
  const args = parseBenchArgs([]);
  assert.deepEqual(args.nodes, [8, 32]);
  assert.deepEqual(args.splitNodes, [8]);
  assert.equal(args.splitNodesDefaulted, true);
  assert.equal(args.warmupPerNode, 50);
  assert.equal(args.ops, 300);
  assert.deepEqual(args.inFlight, [16, 64]);
});

test('--warmup-per-node 0 turns the warm-up off; negative or fractional values are refused', () => {
  assert.equal(parseBenchArgs(['--warmup-per-node', '0']).warmupPerNode, 0);
  assert.throws(
    () => parseBenchArgs(['--warmup-per-node=-1']),
    (err: unknown) => err instanceof BenchArgsError && /--warmup-per-node/.test(err.message),
  );
  // node:util reads a bare -1 as a flag: that too is a BenchArgsError (usage), not a crash.
  assert.throws(() => parseBenchArgs(['--warmup-per-node', '-1']), BenchArgsError);
  assert.throws(() => parseBenchArgs(['--no-such-flag']), BenchArgsError);
  assert.throws(() => parseBenchArgs(['--warmup-per-node', '2.5']), BenchArgsError);
  assert.throws(
    () => parseBenchArgs(['--ops', '0']),
    (err: unknown) => err instanceof BenchArgsError && /--ops/.test(err.message),
  );
});

test('split mode with no size at or below 8 is refused unless --split-nodes names one', () => {
  assert.throws(() => parseBenchArgs(['--nodes', '32', '--modes', 'split']), BenchArgsError);
  assert.deepEqual(parseBenchArgs(['--nodes', '32', '--modes', 'split', '--split-nodes', '32']).splitNodes, [32]);
  assert.deepEqual(parseBenchArgs(['--nodes', '32', '--modes', 'co-located']).modes, ['co-located']);
  assert.throws(() => parseBenchArgs(['--modes', 'sideways']), BenchArgsError);
  assert.deepEqual(parseBenchArgs(['--modes', 'co-located,co-located-tls']).modes, ['co-located', 'co-located-tls']);
});

test('--peer: bittorrent-dht by default, none turns it off, anything else is refused', () => {
  assert.equal(parseBenchArgs([]).peer, 'bittorrent-dht');
  assert.equal(parseBenchArgs(['--peer', 'bittorrent-dht']).peer, 'bittorrent-dht');
  assert.equal(parseBenchArgs(['--peer', 'none']).peer, 'none');
  assert.throws(
    () => parseBenchArgs(['--peer', 'libp2p']),
    (err: unknown) => err instanceof BenchArgsError && /--peer/.test(err.message),
  );
  assert.throws(() => parseBenchArgs(['--peer']), BenchArgsError);
});

test('latency stats: percentiles of the samples, errors counted apart, NaN when empty', () => {
  const samples = Array.from({ length: 100 }, (_, i) => i + 1);
  const stats = latencyStats(samples, 3);
  assert.equal(stats.n, 100);
  assert.equal(stats.errors, 3);
  assert.ok(stats.p50 >= 50 && stats.p50 <= 51, `p50 ${stats.p50}`);
  assert.ok(stats.p99 >= 99 && stats.p99 <= 100, `p99 ${stats.p99}`);
  assert.ok(stats.p50 <= stats.p95 && stats.p95 <= stats.p99);
  assert.ok(Number.isNaN(latencyStats([]).p50));
});
