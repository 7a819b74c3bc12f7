import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActorClient, serveActor } from '../../../libs/bus/actor-runtime.js';
import { Mailbox } from '../../../libs/bus/mailbox.js';
import { MemoryBus } from '../../../libs/bus/memory-bus.js';
import { subjectFor } from '../../../libs/bus/subjects.js';
import { decode, encode } from '../../../libs/proto/codec.js';
import { ErrorCode, KadError, invalidArgument } from '../../../libs/runtime/kad-error.js';
import { storageHandlers } from '../../testkit/actor-stubs.js';

const MAILBOX = { capacity: 8, concurrency: 1 };

test('codec - bus messages round-trip through protobuf', () => {
  const message = { contacts: [{ id: Buffer.alloc(32, 7), address: '127.0.0.1:7400' }] };
  const decoded = decode('ClosestResponse', encode('ClosestResponse', message));
  assert.equal(decoded.contacts.length, 1);
  assert.deepEqual(Buffer.from(decoded.contacts[0]!.id), Buffer.alloc(32, 7));
  assert.equal(decoded.contacts[0]!.address, '127.0.0.1:7400');
  assert.throws(() => decode('ClosestResponse', Uint8Array.from([0x0a, 0xff, 0xff, 0xff])));
});

test('memory bus - typed request/reply and events through serveActor', async () => {
  const bus = new MemoryBus();
  const service = await serveActor(
    bus,
    'n1',
    'storage',
    storageHandlers({
      put: () => {
        throw invalidArgument('value too large');
      },
      stats: () => ({ records: 3, bytes: 42 }),
    }),
    new Mailbox('n1/storage', MAILBOX),
    () => undefined,
  );
  const actors = new ActorClient(bus, 'n1');
  assert.deepEqual(await actors.ask('storage', 'stats', {}, 1_000), { records: 3, bytes: 42 });
  await assert.rejects(actors.ask('storage', 'put', { record: null }, 1_000), (err: KadError) => err.code === ErrorCode.InvalidArgument && err.message === 'value too large');
  await service.stop();
  await assert.rejects(actors.ask('storage', 'stats', {}, 1_000), (err: KadError) => err.code === ErrorCode.Unavailable);
  await bus.close();
});

test('memory bus - a malformed payload is invalid-argument; a silent actor is deadline-exceeded', async () => {
  const bus = new MemoryBus();
  await serveActor(
    bus,
    'n1',
    'storage',
    storageHandlers({ get: () => new Promise(() => undefined) }),
    new Mailbox('n1/storage', MAILBOX),
    () => undefined,
  );
  await assert.rejects(bus.request(subjectFor('n1', 'storage', 'put'), Uint8Array.from([0x0a, 0xff]), 500), (err: KadError) => err.code === ErrorCode.InvalidArgument);
  const actors = new ActorClient(bus, 'n1');
  await assert.rejects(actors.ask('storage', 'get', { recordId: Buffer.alloc(32) }, 50), (err: KadError) => err.code === ErrorCode.DeadlineExceeded);
  await bus.close();
});
