/** Unit tests for libs/kademlia/id.ts: hex round trips, bits, prefixes, hashing. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  bitAt,
  commonPrefixLength,
  compareDistance,
  ID_BITS,
  idEquals,
  idFromHex,
  idToHex,
  isNodeId,
  randomId,
  randomIdWithPrefix,
  recordIdOf,
  xorDistance,
} from '../../../libs/kademlia/id.js';
import { idOf, seededRandom } from './helpers.js';

describe('id', () => {
  test('isNodeId accepts exactly 32-byte Uint8Arrays', () => {
    assert.equal(isNodeId(new Uint8Array(32)), true);
    assert.equal(isNodeId(Buffer.alloc(32)), true);
    assert.equal(isNodeId(new Uint8Array(31)), false);
    assert.equal(isNodeId(new Uint8Array(33)), false);
    assert.equal(isNodeId('00'.repeat(32)), false);
    assert.equal(isNodeId(undefined), false);
    assert.equal(isNodeId(new Array(32).fill(0)), false);
  });

  test('recordIdOf is SHA-256', () => {
    const abc = new TextEncoder().encode('abc');
    assert.equal(idToHex(recordIdOf(abc)), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('hex round trip, and bad hex is a RangeError', () => {
    const id = randomId(seededRandom(1).bytes);
    assert.ok(idEquals(idFromHex(idToHex(id)), id));
    assert.ok(idEquals(idFromHex('AB'.repeat(32)), idFromHex('ab'.repeat(32))));
    for (const bad of ['', 'ab', '0'.repeat(63), '0'.repeat(65), 'g'.repeat(64), ' ' + '0'.repeat(63)]) {
      assert.throws(() => idFromHex(bad), RangeError, bad);
    }
  });

  test('randomId rejects a short random source', () => {
    assert.throws(() => randomId(() => new Uint8Array(8)), RangeError);
  });

  test('bitAt counts from the most significant bit', () => {
    const id = idOf(0b1010_0000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    assert.equal(bitAt(id, 0), 1);
    assert.equal(bitAt(id, 1), 0);
    assert.equal(bitAt(id, 2), 1);
    assert.equal(bitAt(id, 255), 1);
    assert.equal(bitAt(id, 254), 0);
    assert.throws(() => bitAt(id, 256), RangeError);
    assert.throws(() => bitAt(id, -1), RangeError);
  });

  test('commonPrefixLength', () => {
    assert.equal(commonPrefixLength(idOf(), idOf()), ID_BITS);
    assert.equal(commonPrefixLength(idOf(0x80), idOf()), 0);
    assert.equal(commonPrefixLength(idOf(0x01), idOf()), 7);
    assert.equal(commonPrefixLength(idOf(0, 0x10), idOf()), 11);
  });

  test('xorDistance and compareDistance', () => {
    assert.ok(idEquals(xorDistance(idOf(0xf0, 1), idOf(0x0f, 1)), idOf(0xff)));
    assert.ok(compareDistance(idOf(), idOf(1), idOf(2)) < 0);
    assert.ok(compareDistance(idOf(), idOf(2), idOf(1)) > 0);
    assert.equal(compareDistance(idOf(), idOf(3), idOf(3)), 0);
    assert.ok(compareDistance(idOf(0x80), idOf(0xff), idOf(0x01)) < 0);
  });

  test('randomIdWithPrefix keeps exactly depth leading bits', () => {
    const random = seededRandom(7);
    const prefix = randomId(random.bytes);
    for (const depth of [0, 1, 7, 8, 9, 100, 255, 256]) {
      for (let i = 0; i < 20; i++) {
        const id = randomIdWithPrefix(prefix, depth, random.bytes);
        assert.ok(commonPrefixLength(id, prefix) >= depth, `depth ${depth}`);
      }
    }
    assert.throws(() => randomIdWithPrefix(prefix, 257, random.bytes), RangeError);
    // The bits past depth do vary.
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) seen.add(commonPrefixLength(randomIdWithPrefix(prefix, 3, random.bytes), prefix));
    assert.ok(seen.size > 1);
  });
});
