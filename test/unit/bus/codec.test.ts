/** The bus codec: actor messages round-trip through protobuf; malformed bytes throw. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode, encode } from '../../../libs/proto/codec.js';

test('codec - bus messages round-trip through protobuf', () => {
  const message = { contacts: [{ id: Buffer.alloc(32, 7), address: '127.0.0.1:7400' }] };
  const decoded = decode('ClosestResponse', encode('ClosestResponse', message));
  assert.equal(decoded.contacts.length, 1);
  assert.deepEqual(Buffer.from(decoded.contacts[0]!.id), Buffer.alloc(32, 7));
  assert.equal(decoded.contacts[0]!.address, '127.0.0.1:7400');
  assert.throws(() => decode('ClosestResponse', Uint8Array.from([0x0a, 0xff, 0xff, 0xff])));
});
