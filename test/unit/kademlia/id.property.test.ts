/** Properties of the XOR metric (paper §2.1) and of the id helpers, checked with fast-check. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  bitAt,
  commonPrefixLength,
  compareDistance,
  compareIds,
  idEquals,
  idFromHex,
  idToHex,
  randomIdWithPrefix,
  xorDistance,
} from '../../../libs/kademlia/id.js';
import { fcOptions, idBigInt } from './helpers.js';

const anyId = fc.uint8Array({ minLength: 32, maxLength: 32 });
const ZERO = new Uint8Array(32);

describe('XOR metric laws', () => {
  test('d(a, a) = 0 and d(a, b) > 0 when a != b', () => {
    fc.assert(
      fc.property(anyId, anyId, (a, b) => {
        assert.ok(idEquals(xorDistance(a, a), ZERO));
        assert.equal(idEquals(xorDistance(a, b), ZERO), idEquals(a, b));
      }),
      fcOptions(300),
    );
  });

  test('symmetry: d(a, b) = d(b, a)', () => {
    fc.assert(
      fc.property(anyId, anyId, (a, b) => idEquals(xorDistance(a, b), xorDistance(b, a))),
      fcOptions(300),
    );
  });

  test('d(a, b) xor d(b, c) = d(a, c), hence the triangle inequality', () => {
    fc.assert(
      fc.property(anyId, anyId, anyId, (a, b, c) => {
        assert.ok(idEquals(xorDistance(xorDistance(a, b), xorDistance(b, c)), xorDistance(a, c)));
        const ab = idBigInt(xorDistance(a, b));
        const bc = idBigInt(xorDistance(b, c));
        assert.ok(idBigInt(xorDistance(a, c)) <= ab + bc);
      }),
      fcOptions(300),
    );
  });

  test('unidirectionality: for a and distance delta exactly one b has d(a, b) = delta', () => {
    fc.assert(
      fc.property(anyId, anyId, anyId, (a, b, c) => {
        assert.equal(idEquals(xorDistance(a, b), xorDistance(a, c)), idEquals(b, c));
        const delta = xorDistance(a, b);
        assert.ok(idEquals(xorDistance(a, delta), b));
      }),
      fcOptions(300),
    );
  });

  test('compareDistance agrees with xorDistance read as an integer', () => {
    fc.assert(
      fc.property(anyId, anyId, anyId, (t, a, b) => {
        const da = idBigInt(xorDistance(t, a));
        const db = idBigInt(xorDistance(t, b));
        const sign = Math.sign(compareDistance(t, a, b));
        assert.equal(sign, da < db ? -1 : da > db ? 1 : 0);
        assert.equal(Math.sign(compareIds(xorDistance(t, a), xorDistance(t, b))), sign);
      }),
      fcOptions(300),
    );
  });

  test('commonPrefixLength is the number of leading zero bits of the distance', () => {
    fc.assert(
      fc.property(anyId, anyId, (a, b) => {
        const d = idBigInt(xorDistance(a, b));
        const expected = d === 0n ? 256 : 256 - d.toString(2).length;
        assert.equal(commonPrefixLength(a, b), expected);
        for (let i = 0; i < expected; i++) assert.equal(bitAt(a, i), bitAt(b, i));
        if (expected < 256) assert.notEqual(bitAt(a, expected), bitAt(b, expected));
      }),
      fcOptions(200),
    );
  });

  test('hex round trip', () => {
    fc.assert(
      fc.property(anyId, (a) => idEquals(idFromHex(idToHex(a)), a)),
      fcOptions(200),
    );
  });

  test('randomIdWithPrefix keeps the prefix', () => {
    fc.assert(
      fc.property(anyId, anyId, fc.integer({ min: 0, max: 256 }), (prefix, noise, depth) => {
        const id = randomIdWithPrefix(prefix, depth, () => Uint8Array.from(noise));
        assert.ok(commonPrefixLength(id, prefix) >= depth);
        if (depth < 256) {
          // Bits past the prefix come from the random source.
          for (let i = depth; i < 256; i++) assert.equal(bitAt(id, i), bitAt(noise, i));
        }
      }),
      fcOptions(200),
    );
  });
});
