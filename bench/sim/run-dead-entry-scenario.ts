/**
 * Scenario "dead entries": a fraction of the nodes is dead (chosen at random), yet every ideal
 * routing table still lists them; a dead node never answers, so each query to it costs an RPC
 * timeout. Tables stay frozen (no eviction, as in the simulation behind the 1C baselines,
 * baselines-1c.ts), so this measures the lookup algorithm against a fixed snapshot. Lookups run
 * one after another from random live sources to random targets and are scored against the true
 * k closest live nodes.
 */
import type { LatencyOptions } from './latency-model.js';
import { LatencyModel } from './latency-model.js';
import { SeededRandom } from '../../libs/sampling/index.js';
import { runSimLookup, type LookupParameters } from './run-sim-lookup.js';
import { scoreLookup, summarizeLookups, type LookupSample, type LookupSummary } from './summarize-lookups.js';
import type { SimWorld } from './create-world.js';
import { deadEntryShare } from './dead-entry-share.js';
import { trueClosest } from './true-closest.js';
import { VirtualClock } from './virtual-clock.js';

export interface DeadEntryOptions {
  readonly deadFraction: number;
  readonly lookups: number;
  readonly params: LookupParameters;
  readonly latency: LatencyOptions;
}

export async function runDeadEntryScenario(world: SimWorld, options: DeadEntryOptions): Promise<LookupSummary> {
  const { network, tables, initial } = world;
  const salt = Math.round(options.deadFraction * 1000);
  const prng = SeededRandom.derive(world.seed, 0xdead0000 + salt);
  const latency = new LatencyModel(SeededRandom.derive(world.seed, 0x1a7e0000 + salt), options.latency);
  const dead = prng.sample(0, network.size(), Math.round(options.deadFraction * network.size()));
  for (const node of dead) network.setAlive(node, false);
  try {
    const live = network.liveIndices();
    const samples: LookupSample[] = [];
    // One clock for the scenario: a lookup starts when the one before it ended.
    const clock = new VirtualClock();
    for (let i = 0; i < options.lookups; i++) {
      const source = live[prng.int(live.length)] ?? 0;
      const target = prng.bytes(32);
      const share = deadEntryShare(network, tables.get(source));
      const result = await runSimLookup({ network, tables, latency, params: options.params, source, target, clock });
      samples.push(scoreLookup(result, trueClosest(network, initial, target, options.params.k, source), options.params.k, share));
    }
    // RPCs the last lookups left in flight complete before the dead nodes come back.
    await clock.run();
    return summarizeLookups(samples);
  } finally {
    for (const node of dead) network.setAlive(node, true);
  }
}
