import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Contact } from '../../../libs/kademlia/contact.js';
import { compareDistance } from '../../../libs/kademlia/id.js';
import type { KadRecord } from '../../../libs/kademlia/record.js';
import { unsignedRecord } from './helpers.js';
import {
  keepAfterReplicate,
  planGetRepairs,
  planPublish,
  planReplication,
  shouldHandOff,
  successorOnLeave,
} from '../../../libs/kademlia/record-placement.js';

const TARGET = new Uint8Array(32);
/** Contact i sits at XOR distance i from TARGET, so contact 1 is the closest. */
const at = (i: number): Contact => {
  const id = new Uint8Array(32);
  id[31] = i;
  return { id, address: `127.0.0.1:${7000 + i}` };
};
const version = (createdMs: number, expiresMs = 100_000): KadRecord =>
  unsignedRecord({ value: Uint8Array.of(createdMs & 0xff), createdMs, expiresMs });

test('record placement - read-repair gives the newest to stale and empty nodes among the k closest', () => {
  const answers = [
    { from: at(1), record: version(10) },
    { from: at(2), record: version(20) },
    { from: at(3), record: undefined },
    { from: at(4), record: version(20) },
  ];
  const plan = planGetRepairs({ target: TARGET, k: 3, answers, nowMs: 0, repair: true });
  assert.equal(plan.newest?.createdMs, 20);
  const repairs = plan.stores.filter((s) => s.kind === 'repair').map((s) => s.to.address);
  assert.deepEqual(repairs, [at(1).address, at(3).address]);
  for (const s of plan.stores) assert.equal(s.record.createdMs, 20);
});

test('record placement - the closest node beyond k that lacked it caches it, with its signed expiry', () => {
  const answers = [1, 2, 3, 4, 5, 6].map((i) => ({ from: at(i), record: i <= 2 ? version(5, 64_000) : undefined }));
  const plan = planGetRepairs({ target: TARGET, k: 2, answers, nowMs: 0, repair: true });
  assert.deepEqual(
    plan.stores.filter((s) => s.kind === 'repair'),
    [],
  );
  const cache = plan.stores.filter((s) => s.kind === 'cache');
  assert.equal(cache.length, 1);
  assert.equal(cache[0]!.to.address, at(3).address);
  assert.equal(cache[0]!.record.expiresMs, 64_000, 'the publisher signed the expiry: no reader can shorten it');
});

test('record placement - nothing found, nothing planned', () => {
  const plan = planGetRepairs({ target: TARGET, k: 3, answers: [{ from: at(1), record: undefined }], nowMs: 0, repair: true });
  assert.equal(plan.newest, undefined);
  assert.deepEqual(plan.stores, []);
});

test('record placement - hand-off only from a holder among the k closest to a newcomer among them', () => {
  const known = [at(2), at(3), at(4), at(5)];
  assert.equal(shouldHandOff({ recordId: TARGET, self: at(3), newcomer: at(1), known, k: 3 }), true);
  assert.equal(shouldHandOff({ recordId: TARGET, self: at(5), newcomer: at(1), known, k: 3 }), false, 'self is not among the k closest');
  assert.equal(shouldHandOff({ recordId: TARGET, self: at(2), newcomer: at(6), known, k: 3 }), false, 'newcomer is not among them');
  assert.ok(compareDistance(TARGET, at(1).id, at(2).id) < 0);
});

test('record placement - a leaving node hands each record it holds as a replica to the node that takes its place', () => {
  const known = [at(1), at(2), at(4), at(5), at(6)];
  // The k=3 closest are 1, 2, 3 (self); without self they are 1, 2, 4: node 4 takes over.
  assert.equal(successorOnLeave({ recordId: TARGET, self: at(3), known, k: 3 })?.address, at(4).address);
  assert.equal(
    successorOnLeave({ recordId: TARGET, self: at(3), known: [...known, at(3)], k: 3 })?.address,
    at(4).address,
    'self in its own list',
  );
  assert.equal(successorOnLeave({ recordId: TARGET, self: at(7), known, k: 3 }), undefined, 'not among the k closest: nothing to hand');
  assert.equal(
    successorOnLeave({ recordId: TARGET, self: at(3), known: [at(1), at(2)], k: 3 }),
    undefined,
    'every other node holds it already',
  );
});

test('record placement - a first-value Get only caches, at the closest node that lacked it', () => {
  const answers = [
    { from: at(5), record: version(5, 80_000) },
    { from: at(2), record: undefined },
    { from: at(7), record: undefined },
  ];
  const plan = planGetRepairs({ target: TARGET, k: 20, answers, nowMs: 0, repair: false });
  assert.deepEqual(
    plan.stores.map((s) => [s.kind, s.to.address, s.record.expiresMs]),
    [['cache', at(2).address, 80_000]],
  );
});

test('record placement - the reader replaces its own stale copy, even far from the key', () => {
  const answers = [
    { from: at(1), record: version(20) },
    { from: at(2), record: version(20) },
    { from: at(9), record: version(10) },
  ];
  const plan = planGetRepairs({ target: TARGET, k: 2, answers, nowMs: 0, repair: true, reader: at(9) });
  assert.deepEqual(
    plan.stores.map((s) => [s.kind, s.to.address, s.record.createdMs, s.record.expiresMs]),
    [['repair', at(9).address, 20, 100_000]],
  );
});

test('record placement - a Put goes to the k closest of the lookup and the publisher; a publisher outside them keeps its own copy', () => {
  const among = planPublish(TARGET, [at(1), at(3), at(4)], at(2), 3);
  assert.deepEqual(
    among.replicas.map((c) => c.id[31]),
    [1, 2, 3],
  );
  assert.equal(among.ownCopy, false);
  const outside = planPublish(TARGET, [at(1), at(3), at(4)], at(9), 3);
  assert.deepEqual(
    outside.replicas.map((c) => c.id[31]),
    [1, 3, 4],
  );
  assert.equal(outside.ownCopy, true);
  // A lookup that (wrongly) returned the publisher itself does not count it twice.
  assert.deepEqual(
    planPublish(TARGET, [at(2), at(1)], at(2), 3).replicas.map((c) => c.id[31]),
    [1, 2],
  );
});

test('record placement - a holder drops its copy after replicating only on the word of proven contacts', () => {
  const recordId = TARGET;
  const self = at(5);
  const publisher = at(9).id;
  const proven = [at(1), at(2), at(3)];
  const keep = (storedOn: Contact[], known: Contact[], owner = publisher): boolean =>
    keepAfterReplicate({ recordId, self, publisher: owner, storedOn, proven: known, k: 3 });
  assert.equal(keep([at(1)], proven), false, 'not among the k closest of proven contacts, and a proven one took it');
  assert.equal(keep([at(1)], proven, self.id), true, 'the publisher keeps its own copy to republish');
  assert.equal(keep([], proven), true, 'nobody acknowledged: keep it');
  assert.equal(keep([at(4)], proven), true, 'only a contact the table does not know (a sybil) took it');
  assert.equal(keep([at(1)], [at(1), at(2)]), true, 'still among the k closest of what the table knows');
});

test('record placement - re-replication goes to the k closest of the lookup answer', () => {
  const replicas = planReplication(TARGET, [at(4), at(1), at(3), at(2)], 3);
  assert.deepEqual(
    replicas.map((c) => c.address),
    [at(1), at(2), at(3)].map((c) => c.address),
  );
});
