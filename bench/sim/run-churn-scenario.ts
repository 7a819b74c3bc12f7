/**
 * Scenario "churn": the network starts from ideal tables with every node alive, and every table
 * change from then on is the real protocol's (ProtocolUpdates: observe on requests and answers,
 * ping of a full bucket's least-recently-seen contact, onFailure on timeouts).
 *
 * 1. Publish: `records` Put operations from random live nodes: a FIND_NODE lookup for the
 *    record id, then a STORE of the record to the k closest nodes found (the publisher included
 *    when it is among them), each validated and kept by a real MemoryRecordStore.
 * 2. Then `epochs` times, `epochMs` of virtual time apart:
 *    - a fraction `rate` of the live nodes leaves for good: they stop answering, their records
 *      go with them, and the other tables still list them until timeouts evict them;
 *    - as many fresh nodes join, one by one, as the lookup-coordinator does: ping one random live
 *      bootstrap node, then a lookup of the joiner's own id (paper §2.3). No bucket refresh
 *      (the project does not run one on join yet);
 *    - lookups / epochs measured FIND_NODE lookups from random live nodes (joiners included) to
 *      random targets, scored against the true k closest live nodes;
 *    - one FIND_VALUE Get of every record from a random live node (no republish, no hand-off).
 */
import {
  type KademliaConfig,
  closestContacts,
  recordIdOf,
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
  type KadRecord,
  RoutingTable,
} from '../../libs/kademlia/index.js';
import type { SimWorld } from './create-world.js';
import { deadEntryShare } from './dead-entry-share.js';
import { LatencyModel, type LatencyOptions } from './latency-model.js';
import { ProtocolUpdates, type ProtocolUpdateStats } from './protocol-updates.js';
import { SeededRandom } from '../../libs/sampling/index.js';
import { RecordHolders } from './record-holders.js';
import { runSimLookup, type LookupParameters, type SimLookupResult } from './run-sim-lookup.js';
import { SortedIndex } from './sorted-index.js';
import { scoreLookup, summarizeLookups, type LookupSample, type LookupSummary } from './summarize-lookups.js';
import { trueClosest } from './true-closest.js';
import { VirtualClock } from './virtual-clock.js';

export interface ChurnOptions {
  readonly epochs: number;
  /** Share of the live nodes replaced in each epoch. */
  readonly rate: number;
  readonly epochMs: number;
  readonly lookups: number;
  readonly records: number;
  readonly params: LookupParameters;
  readonly latency: LatencyOptions;
  readonly recordRules: Pick<KademliaConfig, 'expireMs' | 'limits' | 'maxRecords'>;
}

export interface ChurnEpoch {
  readonly epoch: number;
  readonly left: number;
  readonly joined: number;
  readonly live: number;
  /** Measured lookups of this epoch. */
  readonly lookups: LookupSummary;
  /** Gets that found their record. */
  readonly recordsFound: number;
}

export interface ChurnResult {
  readonly lookups: LookupSummary;
  readonly epochs: ChurnEpoch[];
  readonly joins: number;
  /** Mean RPCs of a joiner's self-lookup. */
  readonly joinRpcsMean: number;
  /** STOREs accepted per published record, mean. */
  readonly storedCopiesMean: number;
  readonly recordsPublished: number;
  readonly recordsFoundLastEpoch: number;
  readonly updates: ProtocolUpdateStats;
}

export async function runChurnScenario(world: SimWorld, options: ChurnOptions): Promise<ChurnResult> {
  const { network, tables } = world;
  const { params } = options;
  const prng = SeededRandom.derive(world.seed, 0xc4c40000);
  const latency = new LatencyModel(SeededRandom.derive(world.seed, 0xc4c41a7e), options.latency);
  const updates = new ProtocolUpdates(network, tables);
  const holders = new RecordHolders(options.recordRules, options.recordRules.maxRecords);
  // One clock for the scenario: RPCs a lookup leaves in flight complete, and update tables, while
  // what follows it runs.
  const clock = new VirtualClock();
  const lookup = (source: number, target: Uint8Array, holdsValue?: (node: number, nowMs: number) => boolean): Promise<SimLookupResult> =>
    runSimLookup({ network, tables, latency, params, source, target, clock, updates, holdsValue });
  const randomLive = (): number => {
    const live = network.liveIndices();
    return live[prng.int(live.length)] ?? 0;
  };

  // 1. Publish.
  const published: KadRecord[] = [];
  let storedCopies = 0;
  for (let r = 0; r < options.records; r++) {
    const source = randomLive();
    const key = new TextEncoder().encode(`sim-record-${r}`);
    const recordId = recordIdOf(key);
    const found = (await lookup(source, recordId)).closest.map((node) => network.contact(node));
    const record: KadRecord = {
      key,
      value: prng.bytes(64),
      publisher: network.id(source),
      createdMs: clock.now(),
      logical: 0,
      expiresMs: clock.now() + options.recordRules.expireMs,
      // Not signed: the simulation models routing and replication, not signatures.
      publisherKey: new Uint8Array(PUBLIC_KEY_BYTES),
      signature: new Uint8Array(SIGNATURE_BYTES),
    };
    for (const holder of closestContacts(recordId, [network.contact(source), ...found], params.k)) {
      const node = network.indexOf(holder.id);
      if (node === undefined) continue;
      if (node !== source) {
        await clock.advance(latency.sample());
        updates.seen(node, source, clock.now());
        updates.seen(source, node, clock.now());
      }
      if (holders.store(node, record, clock.now())) storedCopies++;
    }
    published.push(record);
  }

  // 2. Epochs.
  const epochs: ChurnEpoch[] = [];
  const all: LookupSample[] = [];
  let joins = 0;
  let joinRpcs = 0;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    await clock.advance(options.epochMs);
    const live = network.liveIndices();
    const count = Math.round(options.rate * live.length);
    for (const position of prng.sample(0, live.length, count)) {
      const node = live[position] ?? 0;
      network.setAlive(node, false);
      tables.drop(node);
      holders.drop(node);
    }
    const remaining = network.liveIndices();
    for (let j = 0; j < count; j++) {
      const joiner = network.addNode(prng);
      tables.adopt(joiner, new RoutingTable(network.id(joiner), { k: params.k }));
      const bootstrap = remaining[prng.int(remaining.length)] ?? 0;
      await clock.advance(latency.sample());
      updates.seen(bootstrap, joiner, clock.now());
      updates.seen(joiner, bootstrap, clock.now());
      joinRpcs += (await lookup(joiner, network.id(joiner))).rpcs;
      joins++;
    }

    const oracle = new SortedIndex(network);
    const samples: LookupSample[] = [];
    const perEpoch = Math.floor(options.lookups / options.epochs) + (epoch <= options.lookups % options.epochs ? 1 : 0);
    for (let i = 0; i < perEpoch; i++) {
      const source = randomLive();
      const target = prng.bytes(32);
      const share = deadEntryShare(network, tables.get(source));
      const result = await lookup(source, target);
      samples.push(scoreLookup(result, trueClosest(network, oracle, target, params.k, source), params.k, share));
    }
    let recordsFound = 0;
    for (const record of published) {
      const source = randomLive();
      const recordId = recordIdOf(record.key);
      if (holders.holds(source, recordId, clock.now())) recordsFound++;
      else if ((await lookup(source, recordId, (node, nowMs) => holders.holds(node, recordId, nowMs))).reason === 'found') recordsFound++;
    }
    all.push(...samples);
    epochs.push({ epoch, left: count, joined: count, live: network.liveCountNow(), lookups: summarizeLookups(samples), recordsFound });
  }
  await clock.run();

  return {
    lookups: summarizeLookups(all),
    epochs,
    joins,
    joinRpcsMean: joins === 0 ? 0 : joinRpcs / joins,
    storedCopiesMean: published.length === 0 ? 0 : storedCopies / published.length,
    recordsPublished: published.length,
    recordsFoundLastEpoch: epochs.at(-1)?.recordsFound ?? published.length,
    updates: { ...updates.stats },
  };
}
