/** Unit tests for record rules (libs/kademlia/record.ts) and the store (record-store.ts). */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareRecords,
  DEFAULT_RECORD_LIMITS,
  isExpired,
  MAX_CLOCK_SKEW_MS,
  plainRecordExpiry,
  RECORD_OVERHEAD_BYTES,
  recordSize,
  validateKey,
  validateRecord,
  validateValue,
  type KadRecord,
} from '../../../libs/kademlia/record.js';
import { MemoryRecordStore } from '../../../libs/kademlia/record-store.js';
import { recordIdOf } from '../../../libs/kademlia/id.js';
import { idOf, unsignedRecord } from './helpers.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const limits = DEFAULT_RECORD_LIMITS;

function record(over: Partial<KadRecord> = {}): KadRecord {
  return unsignedRecord({ key: bytes('k'), value: bytes('v'), publisher: idOf(1), createdMs: 1000, expiresMs: 5000, ...over });
}
/** A receiver's rules: the default limits, a 10 s record lifetime. */
const rules = { limits, expireMs: 10_000 };

describe('record rules', () => {
  test('key size limits', () => {
    assert.equal(validateKey(bytes('x'), limits), undefined);
    assert.equal(validateKey(new Uint8Array(1024), limits), undefined);
    assert.deepEqual(validateKey(new Uint8Array(0), limits), { code: 'invalid-argument', message: 'key must not be empty' });
    const tooLong = validateKey(new Uint8Array(1025), limits);
    assert.equal(tooLong?.code, 'invalid-argument');
    assert.match(tooLong?.message ?? '', /1025 bytes.*1024 bytes/);
    assert.equal(validateKey('text' as unknown as Uint8Array, limits)?.code, 'invalid-argument');
  });

  test('value size limits', () => {
    assert.equal(validateValue(new Uint8Array(0), limits), undefined);
    assert.equal(validateValue(new Uint8Array(64 * 1024), limits), undefined);
    const tooBig = validateValue(new Uint8Array(64 * 1024 + 1), limits);
    assert.match(tooBig?.message ?? '', /65537 bytes.*65536 bytes/);
    assert.equal(validateValue(new Uint8Array(11), { maxKeyBytes: 1, maxValueBytes: 10 })?.code, 'invalid-argument');
  });

  test('validateRecord', () => {
    assert.equal(validateRecord(record(), rules, 2000), undefined);
    const problems: Partial<KadRecord>[] = [
      { key: new Uint8Array(0) },
      { value: new Uint8Array(limits.maxValueBytes + 1) },
      { publisher: new Uint8Array(31) },
      { createdMs: -1 },
      { createdMs: 1.5 },
      { createdMs: Number.NaN },
      { expiresMs: Number.POSITIVE_INFINITY },
      { expiresMs: 1000 },
      { expiresMs: 999 },
      { expiresMs: 2000 }, // expired at now = 2000
      { logical: -1 },
      { logical: 2 ** 32 },
      { publisherKey: new Uint8Array(31) },
      { signature: new Uint8Array(63) },
      { createdMs: 2000 + MAX_CLOCK_SKEW_MS + 1, expiresMs: 2000 + MAX_CLOCK_SKEW_MS + 5000 }, // past the receiver's clock and the skew
      { expiresMs: 2000 + 10_000 + MAX_CLOCK_SKEW_MS + 1 }, // more than a lifetime and the skew ahead
      { owner: { publicKey: new Uint8Array(31), seq: 1, signature: new Uint8Array(64) } },
      { owner: { publicKey: new Uint8Array(32), seq: -1, signature: new Uint8Array(64) } },
    ];
    for (const over of problems) {
      const problem = validateRecord(record(over), rules, 2000);
      assert.equal(problem?.code, 'invalid-argument', JSON.stringify(over));
      assert.ok((problem?.message.length ?? 0) > 0);
    }
  });

  test('plainRecordExpiry: the asked TTL, never past expireMs; none asked: expireMs', () => {
    assert.equal(plainRecordExpiry(1_000, 500, 10_000), 1_500);
    assert.equal(plainRecordExpiry(1_000, 50_000, 10_000), 11_000);
    assert.equal(plainRecordExpiry(1_000, 0, 10_000), 11_000);
  });

  test('isExpired and recordSize', () => {
    assert.equal(isExpired(record(), 4999), false);
    assert.equal(isExpired(record(), 5000), true);
    assert.equal(recordSize(record({ key: new Uint8Array(3), value: new Uint8Array(7) })), 10 + RECORD_OVERHEAD_BYTES);
  });

  test('validateRecord: the bounds themselves are accepted', () => {
    assert.equal(
      validateRecord(record({ createdMs: 2000 + MAX_CLOCK_SKEW_MS, expiresMs: 2000 + 10_000 + MAX_CLOCK_SKEW_MS }), rules, 2000),
      undefined,
    );
  });

  test('compareRecords: owned over plain, then seq, then createdMs, logical, publisher, value', () => {
    const owner = (seq: number) => ({ publicKey: new Uint8Array(32), seq, signature: new Uint8Array(64) });
    assert.ok(compareRecords(record({ owner: owner(0), createdMs: 1 }), record({ createdMs: 9 })) > 0);
    assert.ok(compareRecords(record({ owner: owner(2), createdMs: 1 }), record({ owner: owner(1), createdMs: 9 })) > 0);
    assert.ok(compareRecords(record({ createdMs: 2 }), record({ createdMs: 1, publisher: idOf(9) })) > 0);
    assert.ok(compareRecords(record({ createdMs: 2, logical: 1 }), record({ createdMs: 2, logical: 0, publisher: idOf(9) })) > 0);
    assert.ok(compareRecords(record({ publisher: idOf(2) }), record({ publisher: idOf(1), value: bytes('zzz') })) > 0);
    assert.ok(compareRecords(record({ value: bytes('b') }), record({ value: bytes('a') })) > 0);
    assert.ok(compareRecords(record({ value: bytes('ab') }), record({ value: bytes('a') })) > 0);
    assert.ok(compareRecords(record({ value: bytes('a') }), record({ value: bytes('ab') })) < 0);
    assert.equal(compareRecords(record(), record({ expiresMs: 9999 })), 0);
  });
});

describe('MemoryRecordStore', () => {
  test('stores, replaces only with newer versions, and is idempotent', () => {
    const store = new MemoryRecordStore({ maxRecords: 10 });
    const id = recordIdOf(bytes('k'));
    assert.deepEqual(store.put(record({ createdMs: 2000 }), 0), { kind: 'stored' });
    assert.deepEqual(store.put(record({ createdMs: 1000 }), 0), { kind: 'refused', reason: 'newer', held: record({ createdMs: 2000 }) });
    assert.equal(store.get(id, 0)?.createdMs, 2000);
    assert.deepEqual(store.put(record({ createdMs: 2000 }), 0), { kind: 'stored' });
    assert.deepEqual(store.put(record({ createdMs: 3000, value: bytes('new') }), 0), { kind: 'stored' });
    assert.deepEqual(store.get(id, 0)?.value, bytes('new'));
    assert.equal(store.size(), 1);
    assert.equal(store.bytes(), 1 + 3 + RECORD_OVERHEAD_BYTES);
  });

  test('an equal version extends the expiry', () => {
    const store = new MemoryRecordStore({ maxRecords: 10 });
    const id = recordIdOf(bytes('k'));
    store.put(record({ expiresMs: 5000 }), 0);
    assert.deepEqual(store.put(record({ expiresMs: 9000 }), 0), { kind: 'stored' });
    assert.equal(store.get(id, 0)?.expiresMs, 9000);
    assert.deepEqual(store.put(record({ expiresMs: 6000 }), 0), { kind: 'stored' });
    assert.equal(store.get(id, 0)?.expiresMs, 9000);
  });

  test('never serves expired records; deleteExpired drops and returns them', () => {
    const store = new MemoryRecordStore({ maxRecords: 10 });
    store.put(record({ key: bytes('a'), expiresMs: 5000 }), 0);
    store.put(record({ key: bytes('b'), expiresMs: 8000 }), 0);
    assert.ok(store.get(recordIdOf(bytes('a')), 4999));
    assert.equal(store.get(recordIdOf(bytes('a')), 5000), undefined);
    const expired = store.deleteExpired(6000);
    assert.deepEqual(
      expired.map((r) => r.key),
      [bytes('a')],
    );
    assert.equal(store.size(), 1);
    assert.equal(store.bytes(), recordSize(record({ key: bytes('b') })));
    // An expired held version does not block an older one.
    store.put(record({ key: bytes('c'), createdMs: 3000, expiresMs: 7000 }), 0);
    assert.deepEqual(store.put(record({ key: bytes('c'), createdMs: 1000, expiresMs: 9000 }), 7000), { kind: 'stored' });
  });

  test('full: a new key at maxRecords, after dropping expired records', () => {
    const store = new MemoryRecordStore({ maxRecords: 2 });
    store.put(record({ key: bytes('a'), expiresMs: 5000 }), 0);
    store.put(record({ key: bytes('b'), expiresMs: 9000 }), 0);
    assert.deepEqual(store.put(record({ key: bytes('c') }), 1000), { kind: 'full' });
    // Updating a held key is still fine.
    assert.deepEqual(store.put(record({ key: bytes('b'), createdMs: 2000, expiresMs: 9000 }), 1000), { kind: 'stored' });
    // Once 'a' expired there is room.
    assert.deepEqual(store.put(record({ key: bytes('c'), expiresMs: 9000 }), 5000), { kind: 'stored' });
    assert.equal(store.size(), 2);
  });

  test('full: over maxBytes', () => {
    const one = recordSize(record());
    const store = new MemoryRecordStore({ maxRecords: 100, maxBytes: 2 * one });
    assert.deepEqual(store.put(record({ key: bytes('a') }), 0), { kind: 'stored' });
    assert.deepEqual(store.put(record({ key: bytes('b') }), 0), { kind: 'stored' });
    assert.deepEqual(store.put(record({ key: bytes('c') }), 0), { kind: 'full' });
    assert.deepEqual(store.put(record({ key: bytes('b'), createdMs: 2000, value: bytes('longer') }), 0), { kind: 'full' });
    assert.equal(store.bytes(), 2 * one);
  });

  test('delete and entries', () => {
    const store = new MemoryRecordStore({ maxRecords: 10 });
    store.put(record({ key: bytes('a') }), 0);
    store.put(record({ key: bytes('b') }), 0);
    assert.equal(store.delete(recordIdOf(bytes('a'))), true);
    assert.equal(store.delete(recordIdOf(bytes('a'))), false);
    const entries = [...store.entries()];
    assert.equal(entries.length, 1);
    assert.equal(typeof entries[0]?.[0], 'string');
    assert.deepEqual(entries[0]?.[1].key, bytes('b'));
    assert.equal(store.bytes(), recordSize(record({ key: bytes('b') })));
  });
});
