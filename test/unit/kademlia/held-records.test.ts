import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeldRecords } from '../../../libs/kademlia/held-records.js';
import { idOfRecord } from '../../../libs/kademlia/record.js';
import { unsignedRecord } from './helpers.js';

const SELF = new Uint8Array(32).fill(7);
const held = (): HeldRecords => new HeldRecords({ maxRecords: 100, maxBytes: 1 << 20 }, { records: 2, bytes: 1 << 20 });
const record = (i: number, createdMs = 10, expiresMs = 100_000) =>
  unsignedRecord({ key: Uint8Array.of(i), createdMs, expiresMs, publisher: new Uint8Array(32).fill(9) });

test('held records - a peer is stopped at its quota; a new version of a record it stored costs nothing more', () => {
  const store = held();
  assert.equal(store.put(record(1), 'peer-a', 0).kind, 'stored');
  assert.equal(store.put(record(2), 'peer-a', 0).kind, 'stored');
  const over = store.put(record(3), 'peer-a', 0);
  assert.equal(over.kind, 'over-quota');
  assert.equal(store.put(record(1, 20), 'peer-a', 0).kind, 'stored', 'a newer version of a held record');
  assert.equal(store.put(record(3), 'peer-b', 0).kind, 'stored', "another peer's quota");
  assert.equal(store.put(record(4), '', 0).kind, 'stored', "this node's own stores have no quota");
  assert.equal(store.size(), 4);
});

test('held records - dropping or expiring a record releases its quota', () => {
  const store = held();
  store.put(record(1, 10, 100), 'peer-a', 0);
  store.put(record(2, 10, 5_000), 'peer-a', 0);
  assert.equal(store.put(record(3), 'peer-a', 0).kind, 'over-quota');
  assert.deepEqual(store.expire(200).length, 1);
  assert.equal(store.put(record(3), 'peer-a', 200).kind, 'stored', 'the expired one no longer counts');
  assert.equal(store.drop(idOfRecord(record(2))), true);
  assert.equal(store.put(record(5), 'peer-a', 200).kind, 'stored', 'the dropped one no longer counts');
});

test('held records - a losing version is refused with the one held; a STORE makes re-replication wait an interval', () => {
  const store = held();
  store.put(record(1, 50), 'peer-a', 0);
  const refused = store.put(record(1, 40), 'peer-b', 0);
  assert.equal(refused.kind, 'refused');
  assert.equal(refused.kind === 'refused' ? refused.held.createdMs : 0, 50);
  const options = { selfId: SELF, replicateMs: 1_000, republishMs: 10_000, limit: 10 };
  assert.deepEqual(store.due({ ...options, nowMs: 500 }).replicate, [], 'stored within the interval');
  assert.equal(store.due({ ...options, nowMs: 1_000 }).replicate.length, 1);
});
