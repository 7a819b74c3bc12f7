/** Invariants of libs/kademlia/routing-table.ts under random operation sequences (fast-check). */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RoutingTable } from '../../../libs/kademlia/routing-table.js';
import { commonPrefixLength, idEquals, idToHex, ID_BITS, type NodeId } from '../../../libs/kademlia/id.js';
import { bruteClosest, fcOptions, idBigInt, isSortedByDistance } from './helpers.js';

const anyId = fc.uint8Array({ minLength: 32, maxLength: 32 });

/** An id sharing a random number of leading bits with self, so buckets near self fill and split. */
function nearId(self: NodeId, shared: number, noise: Uint8Array): NodeId {
  const id = Uint8Array.from(noise);
  for (let i = 0; i < shared; i++) {
    const mask = 0x80 >> (i & 7);
    const byte = i >> 3;
    id[byte] = ((id[byte] ?? 0) & ~mask) | ((self[byte] ?? 0) & mask);
  }
  return id;
}

const opArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ op: fc.constant('observe' as const), who: fc.nat(), port: fc.integer({ min: 1, max: 65535 }) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('observe-self' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('observe-invalid' as const), who: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('ping' as const), who: fc.nat(), alive: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('failure' as const), who: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), who: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('touch' as const), who: fc.nat() }) },
);

function checkInvariants(table: RoutingTable, k: number, cacheSize: number, probe: NodeId): void {
  const buckets = table.buckets();
  // The buckets' ranges tile [0, 2^256) in order, without gap or overlap.
  let next = 0n;
  for (const bucket of buckets) {
    assert.ok(bucket.depth >= 0 && bucket.depth <= ID_BITS);
    assert.equal(idBigInt(bucket.prefix), next, 'ranges are contiguous');
    assert.equal(idBigInt(bucket.prefix) % (1n << BigInt(ID_BITS - bucket.depth)), 0n, 'prefix bits past depth are zero');
    next += 1n << BigInt(ID_BITS - bucket.depth);
    assert.ok(bucket.contacts.length <= k, 'at most k contacts per bucket');
    assert.ok(bucket.replacements.length <= cacheSize, 'bounded replacement cache');
    for (const contact of [...bucket.contacts, ...bucket.replacements]) {
      assert.ok(commonPrefixLength(contact.id, bucket.prefix) >= bucket.depth, 'contact in its bucket range');
      assert.ok(!idEquals(contact.id, table.selfId), 'never self');
    }
  }
  assert.equal(next, 1n << BigInt(ID_BITS), 'ranges cover the whole space');
  // Ids are distinct across contacts and replacements.
  const all = buckets.flatMap((b) => [...b.contacts, ...b.replacements]).map((c) => idToHex(c.id));
  assert.equal(new Set(all).size, all.length);
  const contacts = table.contacts();
  assert.equal(contacts.length, table.size());
  // closest() is sorted, distinct, excludes self, and matches a brute-force oracle.
  for (const target of [probe, table.selfId]) {
    const closest = table.closest(target, k);
    assert.ok(isSortedByDistance(target, closest));
    assert.deepEqual(
      closest.map((c) => idToHex(c.id)),
      bruteClosest(
        target,
        contacts.map((c) => c.id),
        k,
      ).map(idToHex),
    );
  }
}

describe('RoutingTable properties', () => {
  test('random operation sequences keep every invariant', () => {
    fc.assert(
      fc.property(
        anyId,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), anyId), { minLength: 1, maxLength: 40, size: 'max' }),
        fc.array(opArb, { maxLength: 150, size: 'max' }),
        anyId,
        (self, k, cacheSize, pool, ops, probe) => {
          const ids = pool.map(([shared, noise]) => nearId(self, shared, noise));
          const pick = (n: number): NodeId => ids[n % ids.length] ?? self;
          const table = new RoutingTable(self, { k, replacementCacheSize: cacheSize, maxFailures: 2 });
          let now = 0;
          for (const op of ops) {
            now += 1;
            switch (op.op) {
              case 'observe': {
                const result = table.observe({ id: pick(op.who), address: `h:${op.port}` }, now);
                if (idEquals(pick(op.who), self)) assert.deepEqual(result, { kind: 'ignored', reason: 'self' });
                else if (result.kind === 'pending') assert.ok(table.has(result.ping.id));
                else if (result.kind === 'queued') assert.ok(!table.has(pick(op.who)), 'a queued newcomer waits outside the bucket');
                else assert.ok(table.has(pick(op.who)));
                break;
              }
              case 'observe-self':
                assert.deepEqual(table.observe({ id: self, address: 'h:1' }, now), { kind: 'ignored', reason: 'self' });
                break;
              case 'observe-invalid':
                assert.deepEqual(table.observe({ id: pick(op.who), address: 'h:0' }, now), { kind: 'ignored', reason: 'invalid' });
                break;
              case 'ping': {
                const change = table.onPingResult(pick(op.who), op.alive, now);
                if (change.evicted) assert.ok(!table.has(change.evicted.id));
                if (change.promoted) assert.ok(table.has(change.promoted.id));
                break;
              }
              case 'failure':
                table.onFailure(pick(op.who), now);
                break;
              case 'remove':
                table.remove(pick(op.who));
                assert.ok(!table.has(pick(op.who)));
                break;
              case 'touch':
                table.touch(pick(op.who), now);
                break;
            }
            checkInvariants(table, k, cacheSize, probe);
          }
        },
      ),
      fcOptions(150),
    );
  });

  test('§4.2: with only observes, the table knows the true k closest contacts to self', () => {
    fc.assert(
      fc.property(
        anyId,
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 16 }), anyId), { minLength: 1, maxLength: 120, size: 'max' }),
        (self, k, pool) => {
          const ids = pool.map(([shared, noise]) => nearId(self, shared, noise)).filter((id) => !idEquals(id, self));
          const table = new RoutingTable(self, { k });
          ids.forEach((id, i) => table.observe({ id, address: `h:${i + 1}` }, i));
          const distinct = [...new Map(ids.map((id) => [idToHex(id), id])).values()];
          for (const id of bruteClosest(self, distinct, k)) assert.ok(table.has(id), idToHex(id));
          checkInvariants(table, k, k, self);
        },
      ),
      fcOptions(200),
    );
  });

  test('§2.3: the join refresh ranges are every distance from the far half out to the closest contact', () => {
    fc.assert(
      fc.property(anyId, fc.array(fc.tuple(fc.integer({ min: 0, max: 24 }), anyId), { maxLength: 40 }), (self, pool) => {
        const ids = pool.map(([shared, noise]) => nearId(self, shared, noise)).filter((id) => !idEquals(id, self));
        const table = new RoutingTable(self, { k: 3 });
        ids.forEach((id, i) => table.observe({ id, address: `h:${i + 1}` }, i));
        const ranges = table.joinRefreshRanges();
        const nearest = Math.max(-1, ...table.contacts().map((c) => commonPrefixLength(c.id, self)));
        assert.equal(ranges.length, nearest + 1, 'one range per distance, none while the table is empty');
        ranges.forEach((range, shared) => {
          assert.equal(range.depth, shared + 1);
          assert.equal(commonPrefixLength(range.prefix, self), shared, 'the range is the ids at exactly this distance');
          assert.equal(idBigInt(range.prefix) % (1n << BigInt(ID_BITS - range.depth)), 0n, 'prefix bits past depth are zero');
        });
      }),
      fcOptions(200),
    );
  });
});
