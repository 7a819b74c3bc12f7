import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReplicationSchedule } from '../../../libs/kademlia/replication-schedule.js';
import type { KadRecord } from '../../../libs/kademlia/record.js';
import { unsignedRecord } from './helpers.js';

const SELF = new Uint8Array(32).fill(1);
const OTHER = new Uint8Array(32).fill(2);
const record = (publisher: Uint8Array, expiresMs = 1e12): KadRecord => unsignedRecord({ publisher, expiresMs });
const options = (nowMs: number) => ({ selfId: SELF, nowMs, replicateMs: 1_000, republishMs: 5_000, limit: 100 });

test('replication schedule - a record is re-replicated once per interval after its last STORE', () => {
  const schedule = new ReplicationSchedule();
  const records: [string, KadRecord][] = [['a', record(OTHER)]];
  schedule.noteStored('a', 0);
  assert.deepEqual(schedule.due(records, options(999)).replicate, []);
  assert.deepEqual(schedule.due(records, options(1_000)).replicate, ['a']);
  assert.deepEqual(schedule.due(records, options(1_500)).replicate, [], 'marked as done at 1000');
  assert.deepEqual(schedule.due(records, options(2_000)).replicate, ['a']);
});

test('replication schedule - a STORE within the interval skips this holder (§4.1)', () => {
  const schedule = new ReplicationSchedule();
  const records: [string, KadRecord][] = [['a', record(OTHER)]];
  schedule.noteStored('a', 0);
  schedule.noteStored('a', 900);
  assert.deepEqual(schedule.due(records, options(1_500)).replicate, []);
  assert.deepEqual(schedule.due(records, options(1_900)).replicate, ['a']);
});

test('replication schedule - only the publisher republishes, once per republish interval', () => {
  const schedule = new ReplicationSchedule();
  const records: [string, KadRecord][] = [
    ['own', record(SELF)],
    ['theirs', record(OTHER)],
  ];
  schedule.noteStored('own', 0);
  schedule.noteStored('theirs', 0);
  assert.deepEqual(schedule.due(records, options(4_999)).republish, []);
  assert.deepEqual(schedule.due(records, options(5_000)).republish, ['own']);
  assert.deepEqual(schedule.due(records, options(9_000)).republish, []);
  assert.deepEqual(schedule.due(records, options(10_000)).republish, ['own']);
});

test('replication schedule - expired records are never due; limit bounds each list', () => {
  const schedule = new ReplicationSchedule();
  const records: [string, KadRecord][] = [
    ['old', record(SELF, 10)],
    ...Array.from({ length: 5 }, (_, i): [string, KadRecord] => [`r${i}`, record(SELF)]),
  ];
  for (const [id] of records) schedule.noteStored(id, 0);
  const due = schedule.due(records, { ...options(20_000), limit: 3 });
  assert.equal(due.replicate.length, 3);
  assert.equal(due.republish.length, 3);
  assert.ok(!due.replicate.includes('old') && !due.republish.includes('old'));
});
