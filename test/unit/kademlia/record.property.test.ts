/** Properties of compareRecords (a total order) and of the store (keeps the newest, any order). */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareRecords, recordSize, type KadRecord } from '../../../libs/kademlia/record.js';
import { MemoryRecordStore } from '../../../libs/kademlia/record-store.js';
import { recordIdOf } from '../../../libs/kademlia/id.js';
import { fcOptions } from './helpers.js';

const KEY = new TextEncoder().encode('key');

/** Small domains so that ties on createdMs and publisher are common. */
const versionArb: fc.Arbitrary<KadRecord> = fc.record({
  key: fc.constant(KEY),
  value: fc.uint8Array({ maxLength: 3, max: 2 }),
  publisher: fc.constantFrom(...[1, 2, 3].map((b) => new Uint8Array(32).fill(b))),
  createdMs: fc.integer({ min: 0, max: 3 }),
  logical: fc.integer({ min: 0, max: 1 }),
  expiresMs: fc.constant(1_000_000),
  publisherKey: fc.constant(new Uint8Array(32)),
  signature: fc.constant(new Uint8Array(64)),
});

const sign = (n: number): number => Math.sign(n);
const sameFields = (a: KadRecord, b: KadRecord): boolean =>
  a.createdMs === b.createdMs &&
  a.logical === b.logical &&
  Buffer.compare(a.publisher, b.publisher) === 0 &&
  Buffer.compare(a.value, b.value) === 0;

describe('compareRecords is a total order', () => {
  test('reflexive zero only on equal fields; antisymmetric', () => {
    fc.assert(
      fc.property(versionArb, versionArb, (a, b) => {
        assert.equal(compareRecords(a, a), 0);
        assert.equal(sign(compareRecords(a, b)) + sign(compareRecords(b, a)), 0);
        assert.equal(compareRecords(a, b) === 0, sameFields(a, b));
      }),
      fcOptions(500),
    );
  });

  test('transitive', () => {
    fc.assert(
      fc.property(versionArb, versionArb, versionArb, (a, b, c) => {
        if (compareRecords(a, b) >= 0 && compareRecords(b, c) >= 0) assert.ok(compareRecords(a, c) >= 0);
        if (compareRecords(a, b) > 0 && compareRecords(b, c) > 0) assert.ok(compareRecords(a, c) > 0);
      }),
      fcOptions(1000),
    );
  });
});

describe('MemoryRecordStore properties', () => {
  test('keeps the newest version whatever the arrival order', () => {
    fc.assert(
      fc.property(fc.array(versionArb, { minLength: 1, maxLength: 12 }), fc.func(fc.integer()), (versions, order) => {
        const newest = versions.reduce((a, b) => (compareRecords(b, a) > 0 ? b : a));
        const arrivals = [...versions].sort((a, b) => order(a) - order(b));
        const store = new MemoryRecordStore({ maxRecords: 1 });
        for (const version of arrivals) {
          const outcome = store.put(version, 0);
          assert.notEqual(outcome.kind, 'full');
        }
        const held = store.get(recordIdOf(KEY), 0);
        assert.ok(held && compareRecords(held, newest) === 0);
        assert.equal(store.size(), 1);
        assert.equal(store.bytes(), recordSize(held));
      }),
      fcOptions(300),
    );
  });
});
