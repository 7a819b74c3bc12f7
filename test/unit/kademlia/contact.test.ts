/** Unit tests for libs/kademlia/contact.ts: address validation and distance ordering. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { closestContacts, isValidAddress, sortByDistance, type Contact } from '../../../libs/kademlia/contact.js';
import { idOf } from './helpers.js';

describe('isValidAddress', () => {
  test('accepts host names, IPv4 and bracketed IPv6 with a port', () => {
    for (const ok of [
      'localhost:7400',
      'node-1.kad.svc.cluster.local:1',
      'a:65535',
      '127.0.0.1:7400',
      '0.0.0.0:80',
      '255.255.255.255:1',
      '[::1]:7400',
      '[::]:7400',
      '[2001:db8::8a2e:370:7334]:443',
      '[1:2:3:4:5:6:7:8]:1',
      '[::ffff:192.0.2.1]:9',
      'x'.repeat(63) + '.' + 'y'.repeat(63) + ':1',
    ]) {
      assert.equal(isValidAddress(ok), true, ok);
    }
  });

  test('rejects everything else', () => {
    for (const bad of [
      '',
      'localhost',
      'localhost:',
      ':7400',
      'localhost:0',
      'localhost:65536',
      'localhost:07400',
      'localhost:-1',
      'localhost:7400 ',
      'local host:1',
      'under_score:1',
      '-leading:1',
      'trailing-:1',
      'a..b:1',
      '256.0.0.1:1',
      '1.2.3:1',
      '::1:7400',
      '[::1:7400',
      '[1:2:3:4:5:6:7:8:9]:1',
      '[1::2::3]:1',
      '[g::1]:1',
      '[::1]',
      'x'.repeat(64) + ':1',
      ('a'.repeat(60) + '.').repeat(5) + 'a:1',
      'http://host:1',
    ]) {
      assert.equal(isValidAddress(bad), false, bad);
    }
    assert.equal(isValidAddress(42 as unknown as string), false);
  });
});

describe('distance ordering', () => {
  const c = (byte: number, address = `h:${byte + 1}`): Contact => ({ id: idOf(byte), address });

  test('sortByDistance sorts closest first, keeps the first of duplicates, copies', () => {
    const input = [c(7), c(1), c(4), c(1, 'other:1'), c(2)];
    const sorted = sortByDistance(idOf(0), input);
    assert.deepEqual(
      sorted.map((x) => x.id[0]),
      [1, 2, 4, 7],
    );
    assert.equal(sorted[0]?.address, 'h:2');
    assert.equal(input.length, 5);
    assert.equal(input[0]?.id[0], 7);
    assert.deepEqual(
      sortByDistance(idOf(6), input).map((x) => x.id[0]),
      [7, 4, 2, 1],
    );
  });

  test('closestContacts takes at most count', () => {
    const input = [c(7), c(1), c(4), c(1), c(2)];
    assert.deepEqual(
      closestContacts(idOf(0), input, 2).map((x) => x.id[0]),
      [1, 2],
    );
    assert.equal(closestContacts(idOf(0), input, 10).length, 4);
    assert.deepEqual(closestContacts(idOf(0), input, 0), []);
  });
});
