/**
 * Properties of the lookup state machine (paper §2.3): it terminates on any network, respects
 * alpha and its deadline, never queries self, and on an ideal network finds exactly the true k
 * closest nodes.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Lookup, type LookupStep } from '../../../libs/kademlia/lookup.js';
import { RoutingTable } from '../../../libs/kademlia/routing-table.js';
import { idEquals, idToHex, randomId, type NodeId } from '../../../libs/kademlia/id.js';
import type { Contact } from '../../../libs/kademlia/contact.js';
import { bruteClosest, fcOptions, isSortedByDistance, seededRandom, shuffle } from './helpers.js';

const anyId = fc.uint8Array({ minLength: 32, maxLength: 32 });
const RPC_TIMEOUT_MS = 1000;

type Behaviour = { kind: 'reply'; delayMs: number; reply: number[] } | { kind: 'fail'; delayMs: number } | { kind: 'silent' };

const behaviourArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('reply' as const),
      delayMs: fc.integer({ min: 0, max: 1500 }),
      reply: fc.array(fc.nat(), { maxLength: 25, size: 'max' }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fail' as const), delayMs: fc.integer({ min: 0, max: 1500 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('silent' as const) }) },
);

interface Delivery {
  at: number;
  peer: Contact;
  behaviour: Behaviour;
}

describe('Lookup properties', () => {
  test('on random networks it terminates, keeps at most alpha in flight (k once stalled) and never queries self', () => {
    fc.assert(
      fc.property(
        anyId,
        fc.array(fc.tuple(anyId, behaviourArb), { minLength: 0, maxLength: 60, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 25, size: 'max' }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 30_000 }),
        (target, nodes, seedPicks, k, alpha, deadlineMs) => {
          const self = nodes[0]?.[0] ?? target;
          // Replies name nodes by index; a few extra entries are invalid or self.
          const universe: Contact[] = nodes.map(([id], i) => ({ id, address: `n${i}:7400` }));
          const extras: Contact[] = [
            { id: self, address: 'self:1' },
            { id: new Uint8Array(5), address: 'bad:1' },
            { id: target, address: 'bad address' },
          ];
          const pick = (n: number): Contact | undefined => {
            const all = universe.length + extras.length;
            return n % all < universe.length ? universe[n % all] : extras[(n % all) - universe.length];
          };
          const behaviours = new Map(nodes.map(([id, behaviour]) => [idToHex(id), behaviour]));
          const seeds = seedPicks.map(pick).filter((c): c is Contact => c !== undefined);
          const lookup = new Lookup({ target, k, alpha, selfId: self, rpcTimeoutMs: RPC_TIMEOUT_MS, deadlineMs }, seeds, 0);

          const distinctPeers = new Set(universe.map((c) => idToHex(c.id))).size;
          const bound = 3 * distinctPeers + 3;
          const queried = new Set<string>();
          const sentAt = new Map<string, number>();
          const answered = new Set<string>();
          let deliveries: Delivery[] = [];
          let now = 0;
          let step: LookupStep | undefined;
          for (let calls = 1; ; calls++) {
            assert.ok(calls <= bound, `next() called more than ${bound} times`);
            step = lookup.next(now);
            assert.ok(lookup.inFlight().length <= Math.max(alpha, k), 'at most max(alpha, k) in flight');
            if (step.kind === 'query')
              assert.ok(lookup.inFlight().length <= lookup.parallelism, 'a query never exceeds the parallelism of the moment');
            assert.ok(lookup.parallelism === alpha || lookup.parallelism === Math.max(alpha, k));
            if (step.kind === 'finished') break;
            if (step.kind === 'query') {
              assert.ok(step.peers.length > 0);
              for (const peer of step.peers) {
                const key = idToHex(peer.id);
                assert.ok(!idEquals(peer.id, self), 'self is never queried');
                assert.ok(!queried.has(key), 'a peer is queried once');
                queried.add(key);
                sentAt.set(key, now);
                const behaviour = behaviours.get(key) ?? { kind: 'silent' };
                if (behaviour.kind !== 'silent') deliveries.push({ at: now + behaviour.delayMs, peer, behaviour });
              }
              continue;
            }
            // Waiting: deliver the earliest reply, or let time run to the earliest timeout.
            const inFlight = lookup.inFlight();
            assert.ok(inFlight.length > 0, 'waiting means something is in flight');
            const nextTimeout = Math.min(...inFlight.map((c) => (sentAt.get(idToHex(c.id)) ?? 0) + RPC_TIMEOUT_MS));
            deliveries.sort((a, b) => a.at - b.at);
            const first = deliveries[0];
            if (first && first.at < nextTimeout) {
              deliveries = deliveries.slice(1);
              now = Math.max(now, first.at);
              if (first.behaviour.kind === 'reply') {
                // first.at is before every in-flight timeout, so in flight means answered in time.
                if (lookup.inFlight().some((c) => idEquals(c.id, first.peer.id))) answered.add(idToHex(first.peer.id));
                const reply = first.behaviour.reply.map(pick).filter((c): c is Contact => c !== undefined);
                lookup.onSuccess(first.peer.id, reply, now);
              } else lookup.onFailure(first.peer.id, now);
            } else now = Math.max(now, nextTimeout);
          }
          assert.equal(step.kind, 'finished');
          if (step.kind !== 'finished') return;
          assert.ok(step.closest.length <= k);
          assert.ok(isSortedByDistance(target, step.closest), 'sorted and distinct');
          for (const contact of step.closest) {
            assert.ok(!idEquals(contact.id, self));
            assert.ok(answered.has(idToHex(contact.id)), 'only peers that answered are returned');
          }
          if (step.reason === 'deadline') assert.ok(now >= deadlineMs);
          if (seeds.every((c) => idEquals(c.id, self) || c.address === 'bad address' || c.id.length !== 32)) {
            assert.deepEqual(step, { kind: 'finished', closest: [], reason: 'exhausted' });
          }
          // Finished is sticky.
          assert.equal(lookup.next(now + 1), step);
          // Stats add up.
          assert.equal(lookup.stats.queried, queried.size);
          assert.ok(lookup.stats.succeeded + lookup.stats.failed <= lookup.stats.queried);
        },
      ),
      fcOptions(300),
    );
  });
});

/** Every node knows every other one (observed in random order); replies are closest(target, k). */
function idealNetwork(n: number, k: number, seed: number) {
  const random = seededRandom(seed);
  const contacts: Contact[] = Array.from({ length: n }, (_, i) => ({ id: randomId(random.bytes), address: `node-${i}:7400` }));
  const tables = new Map<string, RoutingTable>();
  for (const self of contacts) {
    const table = new RoutingTable(self.id, { k });
    for (const other of shuffle([...contacts], random.int)) table.observe(other, 0);
    tables.set(idToHex(self.id), table);
  }
  return { contacts, tables, random };
}

function idealLookup(tables: Map<string, RoutingTable>, from: Contact, target: NodeId, k: number, alpha: number): LookupStep {
  const table = tables.get(idToHex(from.id));
  assert.ok(table);
  const options = { target, k, alpha, selfId: from.id, rpcTimeoutMs: RPC_TIMEOUT_MS, deadlineMs: 1 };
  const lookup = new Lookup(options, table.closest(target, k), 0);
  for (let calls = 0; calls < 10_000; calls++) {
    const step = lookup.next(0);
    if (step.kind === 'finished') return step;
    assert.equal(step.kind, 'query', 'replies are immediate, so the lookup never waits');
    if (step.kind !== 'query') break;
    assert.ok(step.peers.length <= lookup.parallelism);
    for (const peer of step.peers) lookup.onSuccess(peer.id, tables.get(idToHex(peer.id))?.closest(target, k) ?? [], 0);
  }
  assert.fail('the lookup did not finish');
}

describe('Lookup on an ideal network', () => {
  for (const { n, k, alpha, lookups } of [
    { n: 1000, k: 20, alpha: 3, lookups: 30 },
    { n: 200, k: 20, alpha: 3, lookups: 30 },
    { n: 600, k: 4, alpha: 2, lookups: 30 },
    { n: 200, k: 4, alpha: 2, lookups: 30 },
  ]) {
    test(`N=${n} k=${k} alpha=${alpha}: returns exactly the true k closest`, () => {
      const { contacts, tables, random } = idealNetwork(n, k, n * 31 + k);
      for (let i = 0; i < lookups; i++) {
        const from = contacts[random.int(n)];
        assert.ok(from);
        // Random targets, and every fourth one the id of an existing node.
        const target = i % 4 === 3 ? (contacts[random.int(n)]?.id ?? randomId(random.bytes)) : randomId(random.bytes);
        const step = idealLookup(tables, from, target, k, alpha);
        assert.ok(step.kind === 'finished');
        if (step.kind !== 'finished') return;
        assert.equal(step.reason, 'converged');
        const others = contacts.filter((c) => !idEquals(c.id, from.id)).map((c) => c.id);
        assert.deepEqual(
          step.closest.map((c) => idToHex(c.id)),
          bruteClosest(target, others, k).map(idToHex),
          `lookup ${i}`,
        );
      }
    });
  }
});
