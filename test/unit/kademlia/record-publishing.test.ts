import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_STORE_ROUNDS,
  lifetimeProblem,
  newerHeld,
  ownedPutRefusal,
  ownedRecordFields,
  plainRecordFields,
  republishFields,
  reversioned,
  storeAgain,
} from '../../../libs/kademlia/record-publishing.js';
import { unsignedRecord } from './helpers.js';

const key = Uint8Array.of(1);
const value = Uint8Array.of(2);
const owner = { publicKey: new Uint8Array(32).fill(3), seq: 5, signature: new Uint8Array(64) };

test('record publishing - a plain record lives the TTL asked for, clamped to KAD_EXPIRE_MS', () => {
  const version = { wallMs: 1_000, logical: 2 };
  assert.equal(plainRecordFields(key, value, version, 500, 10_000).expiresMs, 1_500);
  assert.equal(plainRecordFields(key, value, version, 50_000, 10_000).expiresMs, 11_000, 'clamped');
  assert.equal(plainRecordFields(key, value, version, 0, 10_000).expiresMs, 11_000, 'none asked');
  assert.deepEqual(plainRecordFields(key, value, version, 0, 10_000).logical, 2);
  const owned = ownedRecordFields(key, value, version, 7_777, owner);
  assert.equal(owned.expiresMs, 7_777, "an owned record keeps its owner's expiry");
  assert.equal(owned.owner, owner);
});

test('record publishing - a lifetime shorter than the Put may take is refused', () => {
  assert.match(lifetimeProblem(999, 1_000, 'ttl_ms') ?? '', /^ttl_ms leaves the record 999 ms to live/);
  assert.equal(lifetimeProblem(1_000, 1_000, 'ttl_ms'), undefined);
});

test('record publishing - a plain Put stores again above a newer held version, with the same lifetime, a bounded number of rounds', () => {
  const sent = unsignedRecord({ createdMs: 100, expiresMs: 600 });
  const older = unsignedRecord({ createdMs: 50 });
  const newer = unsignedRecord({ createdMs: 200 });
  assert.deepEqual(newerHeld(sent, [older, newer]), [newer]);
  assert.equal(storeAgain({ versioned: true, newer: 1, round: 1, timeLeft: true }), true);
  assert.equal(storeAgain({ versioned: false, newer: 1, round: 1, timeLeft: true }), false, 'owned: its sequence is its owner’s');
  assert.equal(storeAgain({ versioned: true, newer: 0, round: 1, timeLeft: true }), false);
  assert.equal(storeAgain({ versioned: true, newer: 1, round: MAX_STORE_ROUNDS, timeLeft: true }), false);
  assert.equal(storeAgain({ versioned: true, newer: 1, round: 1, timeLeft: false }), false);
  const again = reversioned(sent, { wallMs: 201, logical: 0 });
  assert.deepEqual([again.createdMs, again.logical, again.expiresMs], [201, 0, 701]);
});

test('record publishing - a republish refreshes a plain record’s expiry and leaves an owned one as signed', () => {
  const plain = unsignedRecord({ createdMs: 100, logical: 3, expiresMs: 600 });
  const fields = republishFields(plain, 5_000, 10_000);
  assert.deepEqual([fields?.createdMs, fields?.logical, fields?.expiresMs], [100, 3, 15_000]);
  assert.equal(republishFields(unsignedRecord({ owner }), 5_000, 10_000), undefined);
});

test('record publishing - an owned Put is refused by a held sequence or a failed compare-and-swap', () => {
  const put = unsignedRecord({ owner });
  assert.equal(ownedPutRefusal(put, [], undefined), undefined);
  assert.match(
    ownedPutRefusal(put, [unsignedRecord({ owner: { ...owner, seq: 9 } })], undefined) ?? '',
    /sequence 5 is stale: a replica holds sequence 9/,
  );
  assert.match(ownedPutRefusal(put, [unsignedRecord({ owner })], undefined) ?? '', /held already/);
  assert.match(
    ownedPutRefusal(put, [unsignedRecord({ owner: { ...owner, seq: 4 } })], 3) ?? '',
    /compare-and-swap failed: expected sequence 3/,
  );
});
