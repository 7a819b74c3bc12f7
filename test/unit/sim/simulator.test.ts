/**
 * The large-scale simulator (bench/sim) at a small size: ideal tables hold every contact offered,
 * the oracle agrees with brute force, lookups (the node's lookup runner on the virtual clock)
 * over ideal tables return exactly the true k closest, FIND_VALUE ends at a holder, a deadline
 * ends a lookup on time, dead entries cost RPCs but not success, rebuilt tables are identical,
 * and a run is a function of its seed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../../../libs/kademlia/config.js';
import { compareDistance, idToHex } from '../../../libs/kademlia/id.js';
import { buildIdealTable } from '../../../bench/sim/build-ideal-table.js';
import { createWorld } from '../../../bench/sim/create-world.js';
import { DEFAULT_LATENCY, LatencyModel } from '../../../bench/sim/latency-model.js';
import { SeededRandom } from '../../../libs/sampling/index.js';
import { runChurnScenario } from '../../../bench/sim/run-churn-scenario.js';
import { runDeadEntryScenario } from '../../../bench/sim/run-dead-entry-scenario.js';
import { runSimLookup, type LookupParameters } from '../../../bench/sim/run-sim-lookup.js';
import { TableCache } from '../../../bench/sim/table-cache.js';
import { trueClosest } from '../../../bench/sim/true-closest.js';
import { VirtualClock } from '../../../bench/sim/virtual-clock.js';

const N = 500;
const K = DEFAULT_CONFIG.k;
const PARAMS: LookupParameters = { k: K, alpha: DEFAULT_CONFIG.alpha, rpcTimeoutMs: 2_000, lookupTimeoutMs: 10_000 };

test('ideal tables accept every contact offered, at most k per sibling subtree', () => {
  const world = createWorld(N, 7, K, N);
  const prng = new SeededRandom(1);
  for (let node = 0; node < N; node += 25) {
    const { table, offered } = buildIdealTable(world.network, world.initial, node, K, prng);
    assert.equal(table.size(), offered);
    for (const bucket of table.buckets()) assert.ok(bucket.contacts.length <= K);
  }
});

test('the oracle agrees with sorting every live node by distance', () => {
  const world = createWorld(N, 7, K, N);
  const prng = new SeededRandom(2);
  for (const node of prng.sample(0, N, 150)) world.network.setAlive(node, false);
  for (let i = 0; i < 20; i++) {
    const target = prng.bytes(32);
    const brute = world.network
      .liveIndices()
      .sort((a, b) => compareDistance(target, world.network.id(a), world.network.id(b)))
      .slice(0, K);
    assert.deepEqual(trueClosest(world.network, world.initial, target, K), brute);
  }
});

test('with ideal tables every lookup returns exactly the true k closest', async () => {
  const world = createWorld(N, 3, K, N);
  const prng = new SeededRandom(3);
  const latency = new LatencyModel(new SeededRandom(4), DEFAULT_LATENCY);
  const clock = new VirtualClock();
  for (let i = 0; i < 60; i++) {
    const source = prng.int(N);
    const target = prng.bytes(32);
    const startMs = clock.now();
    const result = await runSimLookup({ network: world.network, tables: world.tables, latency, params: PARAMS, source, target, clock });
    assert.equal(result.endMs, clock.now());
    assert.ok(result.durationMs > 0 && result.endMs === startMs + result.durationMs);
    assert.equal(result.reason, 'converged');
    assert.equal(result.timeouts, 0);
    assert.deepEqual(result.closest, trueClosest(world.network, world.initial, target, K, source));
    assert.ok(result.rounds >= 1 && result.rounds <= result.rpcs);
  }
});

test('FIND_VALUE ends at the holder; a deadline shorter than an answer ends the lookup at the deadline', async () => {
  const world = createWorld(N, 3, K, N);
  const latency = new LatencyModel(new SeededRandom(5), DEFAULT_LATENCY);
  const clock = new VirtualClock();
  const target = new SeededRandom(6).bytes(32);
  const source = 0;
  const holder = trueClosest(world.network, world.initial, target, K, source)[0];
  assert.ok(holder !== undefined);
  const input = { network: world.network, tables: world.tables, latency, params: PARAMS, source, target, clock };
  const found = await runSimLookup({ ...input, holdsValue: (node) => node === holder });
  assert.equal(found.reason, 'found');
  assert.equal(found.foundAt, holder);
  assert.ok(found.rpcs < 40);

  const startMs = clock.now();
  // Every answer takes at least minLatencyMs (5 ms): none comes within 3 ms.
  const late = await runSimLookup({ ...input, params: { ...PARAMS, lookupTimeoutMs: 3 } });
  assert.equal(late.reason, 'deadline');
  assert.equal(late.endMs, startMs + 3);
  assert.deepEqual(late.closest, []);
  assert.equal(late.rounds, 1);
  await clock.run();
  assert.equal(clock.pending(), 0);
});

test('30% dead entries add RPCs and timeouts but every lookup still finds the closest live node', async () => {
  const world = createWorld(N, 5, K, N);
  const ideal = await runDeadEntryScenario(world, { deadFraction: 0, lookups: 40, params: PARAMS, latency: DEFAULT_LATENCY });
  const dead = await runDeadEntryScenario(world, {
    deadFraction: 0.3,
    lookups: 40,
    params: { ...PARAMS, lookupTimeoutMs: 1e9 },
    latency: DEFAULT_LATENCY,
  });
  assert.equal(ideal.successRate, 1);
  assert.equal(ideal.exactRate, 1);
  assert.equal(dead.successRate, 1);
  assert.ok(dead.timeoutsMean > 0);
  assert.ok(dead.rpcs.mean > ideal.rpcs.mean);
  assert.ok(Math.abs(dead.deadEntryShare - 0.3) < 0.1);
  assert.equal(world.network.liveCountNow(), N, 'the scenario revives its dead nodes');
});

test('a run is a function of its seed', async () => {
  const run = (seed: number): Promise<unknown> =>
    runDeadEntryScenario(createWorld(N, seed, K, N), { deadFraction: 0.3, lookups: 20, params: PARAMS, latency: DEFAULT_LATENCY });
  assert.deepEqual(await run(11), await run(11));
  assert.notDeepEqual(await run(11), await run(12));
});

test('a table evicted from the cache is rebuilt identically', () => {
  const world = createWorld(N, 9, K, N);
  const tables = new TableCache(world.network, world.initial, K, 9, 1);
  const contactsOf = (node: number): string[] =>
    tables
      .get(node)
      .contacts()
      .map((c) => idToHex(c.id));
  const first = contactsOf(4);
  contactsOf(5);
  assert.deepEqual(contactsOf(4), first);
  assert.equal(tables.stats.rebuilt, 1);
});

test('churn: joiners become findable and published records survive one epoch', async () => {
  const world = createWorld(300, 13, K, 1_000);
  const result = await runChurnScenario(world, {
    epochs: 1,
    rate: 0.1,
    epochMs: 600_000,
    lookups: 20,
    records: 5,
    params: PARAMS,
    latency: DEFAULT_LATENCY,
    recordRules: DEFAULT_CONFIG,
  });
  assert.equal(result.joins, 30);
  assert.equal(result.lookups.successRate, 1);
  assert.equal(result.recordsFoundLastEpoch, 5);
  assert.equal(result.storedCopiesMean, K);
  assert.equal(world.network.liveCountNow(), 300);
});
