import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  HAND_OFF_BATCH_MS,
  HAND_OFF_NEWCOMERS_PER_PASS,
  MAX_WAITING_NEWCOMERS,
  MEMBERSHIP_EVERY_MS,
  MaintenanceSchedule,
  tickOf,
} from '../../../libs/kademlia/maintenance-schedule.js';
import type { Contact } from '../../../libs/kademlia/contact.js';

const TIMING = { refreshMs: 60_000, replicateMs: 40_000, republishMs: 80_000 };
const contact = (i: number): Contact => {
  const id = new Uint8Array(32);
  id[0] = i >> 8;
  id[1] = i & 0xff;
  return { id, address: `127.0.0.1:${7000 + (i % 1000)}` };
};
const kinds = (tasks: readonly { kind: string }[]): string[] => tasks.map((t) => t.kind).sort();

test('maintenance schedule - every periodic task is due at the start, then an interval after it ends', () => {
  const schedule = new MaintenanceSchedule(TIMING, 1_000);
  assert.deepEqual(kinds(schedule.due(1_000)), ['membership', 'records', 'refresh']);
  assert.deepEqual(schedule.due(1_000), [], 'running tasks are not due again');
  assert.equal(schedule.nextDueMs(), undefined, 'nothing is due while everything runs');
  schedule.done('membership', 1_500);
  schedule.done('refresh', 3_000);
  schedule.done('records', 2_000);
  assert.equal(schedule.nextDueMs(), 1_500 + MEMBERSHIP_EVERY_MS);
  assert.deepEqual(schedule.due(1_500 + MEMBERSHIP_EVERY_MS - 1), []);
  assert.deepEqual(kinds(schedule.due(1_500 + MEMBERSHIP_EVERY_MS)), ['membership']);
  // records: four times per the shorter of the replicate and republish intervals
  assert.equal(schedule.intervalOf('records'), 10_000);
  assert.equal(schedule.intervalOf('refresh'), 15_000);
  assert.deepEqual(kinds(schedule.due(2_000 + 10_000)), ['records']);
  assert.deepEqual(kinds(schedule.due(3_000 + 15_000)), ['refresh']);
});

test('maintenance schedule - a slow pass delays the next instead of piling up', () => {
  const schedule = new MaintenanceSchedule(TIMING, 0);
  schedule.due(0);
  // records ran for five of its intervals: it is due once, one interval after it ended
  assert.deepEqual(kinds(schedule.due(50_000)), [], 'still running');
  schedule.done('records', 50_000);
  assert.deepEqual(kinds(schedule.due(59_999)), []);
  assert.deepEqual(kinds(schedule.due(60_000)), ['records']);
});

test('maintenance schedule - newcomers are handed records in batches of a bounded size', () => {
  const schedule = new MaintenanceSchedule(TIMING, 0);
  schedule.due(0);
  for (const kind of ['membership', 'refresh', 'records'] as const) schedule.done(kind, 0);
  assert.equal(schedule.newcomer(contact(1), 100), true);
  assert.equal(schedule.newcomer(contact(1), 120), false, 'already waiting');
  for (let i = 2; i <= HAND_OFF_NEWCOMERS_PER_PASS + 4; i++) schedule.newcomer(contact(i), 150);
  assert.equal(schedule.nextDueMs(), 100 + HAND_OFF_BATCH_MS, 'the batch window starts at the first newcomer');
  const [first] = schedule.due(100 + HAND_OFF_BATCH_MS);
  assert.equal(first?.kind, 'hand-off');
  const batch = first?.kind === 'hand-off' ? first.newcomers : [];
  assert.equal(batch.length, HAND_OFF_NEWCOMERS_PER_PASS);
  assert.deepEqual(batch[0]?.id, contact(1).id, 'in arrival order');
  // newcomers arriving during a pass wait for the next one, due a window after the pass ends
  schedule.newcomer(contact(500), 400);
  assert.ok(!schedule.due(10_000).some((t) => t.kind === 'hand-off'), 'no second hand-off while one runs');
  schedule.done('hand-off', 10_000);
  const [second] = schedule.due(10_000 + HAND_OFF_BATCH_MS);
  assert.equal(second?.kind, 'hand-off');
  assert.equal(second?.kind === 'hand-off' ? second.newcomers.length : 0, 5, 'the four left over and the one that came during the pass');
  schedule.done('hand-off', 10_300);
  assert.ok(!schedule.due(100_000).some((t) => t.kind === 'hand-off'), 'nobody waits: no pass');
});

test('maintenance schedule - the queue of newcomers is bounded', () => {
  const schedule = new MaintenanceSchedule(TIMING, 0);
  let queued = 0;
  for (let i = 0; i < MAX_WAITING_NEWCOMERS + 50; i++) if (schedule.newcomer(contact(i), 0)) queued++;
  assert.equal(queued, MAX_WAITING_NEWCOMERS);
});

test('maintenance schedule - ticks stay within [100 ms, 60 s]', () => {
  assert.equal(tickOf(100), 100);
  assert.equal(tickOf(2_000), 500);
  assert.equal(tickOf(3_600_000), 60_000);
});
