/**
 * The NATS bus against a real nats-server: actors are NATS micro services that standard
 * tooling discovers ($SRV.PING / INFO / STATS), errors travel as service errors, and a
 * subject nobody serves fails fast with `unavailable`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { ActorClient, serveActor, LocalFirstBus, Mailbox, NatsBus } from '../../libs/bus/index.js';
import { ErrorCode, KadError, resourceExhausted } from '../../libs/errors/index.js';
import { startNatsServer, type NatsServerProcess } from '../../libs/runtime/index.js';
import { storageHandlers } from '../testkit/actor-stubs.js';
import { signedRecord } from '../testkit/records.js';

let nats: NatsServerProcess;
before(async () => {
  nats = await startNatsServer();
});
after(async () => nats?.stop());

test('nats bus - actors are discoverable NATS micro services with their node in metadata', async () => {
  const bus = await NatsBus.connect({ servers: nats.url, name: 'test' });
  const service = await serveActor(
    bus,
    'disc-1',
    'storage',
    storageHandlers({ put: () => Promise.reject(resourceExhausted('full up')), stats: () => ({ records: 5, bytes: 9 }) }),
    new Mailbox('disc-1/storage', { capacity: 8, concurrency: 1 }),
    () => undefined,
  );
  const nc = await connect({ servers: nats.url });
  try {
    const info = await nc.request('$SRV.INFO.kad-storage', new Uint8Array(0), { timeout: 2_000 });
    const parsed = info.json<{ name: string; metadata: Record<string, string>; endpoints: { subject: string }[] }>();
    assert.equal(parsed.name, 'kad-storage');
    assert.equal(parsed.metadata['node'], 'disc-1');
    assert.deepEqual(parsed.endpoints.map((e) => e.subject).sort(), [
      'kad.disc-1.storage.drop',
      'kad.disc-1.storage.due',
      'kad.disc-1.storage.get',
      'kad.disc-1.storage.ids',
      'kad.disc-1.storage.put',
      'kad.disc-1.storage.stats',
    ]);

    const actors = new ActorClient(bus, 'disc-1');
    assert.deepEqual(await actors.ask('storage', 'stats', {}, 2_000), { records: 5, bytes: 9 });
    await assert.rejects(
      actors.ask('storage', 'put', { record: signedRecord({ key: 'nats-bus', value: 'v' }) }, 2_000),
      (err: KadError) => err.code === ErrorCode.ResourceExhausted && err.message === 'full up',
    );

    // No responders: `unavailable` at once (waiting for the deadline would be deadline-exceeded).
    await assert.rejects(
      new ActorClient(bus, 'nobody').ask('storage', 'stats', {}, 5_000),
      (err: KadError) => err.code === ErrorCode.Unavailable,
    );
  } finally {
    await nc.close();
    await service.stop();
    await bus.close();
  }
});

test('local-first bus - messages between co-located actors never reach nats-server; from outside the actor is discovered and answers', async () => {
  const bus = new LocalFirstBus(await NatsBus.connect({ servers: nats.url, name: 'local-first' }));
  const service = await serveActor(
    bus,
    'lf-1',
    'storage',
    storageHandlers({ stats: () => ({ records: 7, bytes: 1 }) }),
    new Mailbox('lf-1/storage', { capacity: 8, concurrency: 1 }),
    () => undefined,
  );
  const watcher = await connect({ servers: nats.url });
  const onNats: string[] = [];
  const watch = watcher.subscribe('kad.lf-1.>', { callback: (_err, msg) => void onNats.push(msg.subject) });
  await watcher.flush();
  try {
    const inProcess = new ActorClient(bus, 'lf-1');
    for (let i = 0; i < 10; i++) assert.deepEqual(await inProcess.ask('storage', 'stats', {}, 2_000), { records: 7, bytes: 1 });

    const outsider = await NatsBus.connect({ servers: nats.url, name: 'outsider' });
    try {
      assert.deepEqual(await new ActorClient(outsider, 'lf-1').ask('storage', 'stats', {}, 2_000), { records: 7, bytes: 1 });
    } finally {
      await outsider.close();
    }
    const info = await watcher.request('$SRV.INFO.kad-storage', new Uint8Array(0), { timeout: 2_000 });
    assert.equal(info.json<{ metadata: Record<string, string> }>().metadata['node'], 'lf-1');
    await watcher.flush();
    // Only the outsider's request crossed nats-server.
    assert.deepEqual(onNats, ['kad.lf-1.storage.stats']);
  } finally {
    watch.unsubscribe();
    await watcher.close();
    await service.stop();
    await bus.close();
  }
});
