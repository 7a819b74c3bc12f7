/**
 * One suite, every bus: the in-process MemoryBus, the NatsBus over a real nats-server, and the
 * LocalFirstBus both ways (the actor in the same process, delivered in process; and in another
 * "process", a second connection, delivered over NATS). Each must give the same answers: typed
 * replies, the actor's error codes, invalid-argument for a malformed payload, deadline-exceeded
 * for a silent actor, unavailable at once when nobody serves the subject, resource-exhausted
 * from a full mailbox, and events delivered in order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ActorClient,
  serveActor,
  type ActorHandlers,
  type Bus,
  type ServiceHandle,
  LocalFirstBus,
  Mailbox,
  MemoryBus,
  NatsBus,
  subjectFor,
} from '../../libs/bus/index.js';
import { ErrorCode, invalidArgument, resourceExhausted, type KadError } from '../../libs/errors/index.js';
import { startNatsServer, type NatsServerProcess } from '../../libs/runtime/index.js';
import { storageHandlers } from '../testkit/actor-stubs.js';
import { signedRecord } from '../testkit/records.js';
import { waitFor } from '../../harness/wait-for.js';

let nats: NatsServerProcess;
before(async () => {
  nats = await startNatsServer();
});
after(async () => nats?.stop());

/** Where the actor is served, and where the asking side sends from. */
interface Pair {
  readonly server: Bus;
  readonly client: Bus;
  close(): Promise<void>;
}

const connectNats = (name: string): Promise<NatsBus> => NatsBus.connect({ servers: nats.url, name });

const PAIRS: Record<string, () => Promise<Pair>> = {
  'memory bus': async () => {
    const bus = new MemoryBus();
    return { server: bus, client: bus, close: () => bus.close() };
  },
  'nats bus': async () => {
    const [server, client] = [await connectNats('contract-server'), await connectNats('contract-client')];
    return { server, client, close: async () => void (await Promise.all([server.close(), client.close()])) };
  },
  'local-first bus, same process': async () => {
    const bus = new LocalFirstBus(await connectNats('contract-local'));
    return { server: bus, client: bus, close: () => bus.close() };
  },
  'local-first bus, across processes': async () => {
    const [server, client] = [new LocalFirstBus(await connectNats('contract-a')), new LocalFirstBus(await connectNats('contract-b'))];
    return { server, client, close: async () => void (await Promise.all([server.close(), client.close()])) };
  },
};

let nodeCount = 0;

for (const [name, makePair] of Object.entries(PAIRS)) {
  describe(`bus contract - ${name}`, () => {
    let pair: Pair;
    before(async () => {
      pair = await makePair();
    });
    after(async () => pair?.close());

    /** A storage stand-in on a node of its own (so cases never share subjects). */
    const serve = async (
      handlers: Partial<ActorHandlers<'storage'>>,
      capacity = 8,
    ): Promise<{ node: string; actors: ActorClient; service: ServiceHandle }> => {
      const node = `contract-${++nodeCount}`;
      const service = await serveActor(
        pair.server,
        node,
        'storage',
        storageHandlers(handlers),
        new Mailbox(`${node}/storage`, { capacity, concurrency: 1 }),
        () => undefined,
      );
      return { node, actors: new ActorClient(pair.client, node), service };
    };

    test('typed replies and the actor error codes, messages intact', async () => {
      const { actors, service } = await serve({
        stats: () => ({ records: 3, bytes: 42 }),
        put: () => {
          throw invalidArgument('value too large');
        },
        drop: () => Promise.reject(resourceExhausted('full up')),
      });
      assert.deepEqual(await actors.ask('storage', 'stats', {}, 2_000), { records: 3, bytes: 42 });
      await assert.rejects(
        actors.ask('storage', 'put', { record: signedRecord({ key: 'contract', value: 'v' }) }, 2_000),
        (err: KadError) => err.code === ErrorCode.InvalidArgument && err.message === 'value too large',
      );
      await assert.rejects(
        actors.ask('storage', 'drop', { recordId: new Uint8Array(32) }, 2_000),
        (err: KadError) => err.code === ErrorCode.ResourceExhausted && err.message === 'full up',
      );
      await service.stop();
    });

    test('a malformed payload is invalid-argument; a silent actor is deadline-exceeded', async () => {
      const { node, actors, service } = await serve({ get: () => new Promise(() => undefined) });
      await assert.rejects(
        pair.client.request(subjectFor(node, 'storage', 'put'), { bytes: Uint8Array.from([0x0a, 0xff]) }, 2_000),
        (err: KadError) => err.code === ErrorCode.InvalidArgument,
      );
      await assert.rejects(
        actors.ask('storage', 'get', { recordId: new Uint8Array(32) }, 100),
        (err: KadError) => err.code === ErrorCode.DeadlineExceeded,
      );
      await service.stop();
    });

    test('nobody serving the subject is unavailable at once, not a deadline; so is a stopped actor', async () => {
      // Unavailable, not deadline-exceeded: the bus knew nobody answers, and did not wait 10 s.
      await assert.rejects(
        new ActorClient(pair.client, 'nobody-here').ask('storage', 'stats', {}, 10_000),
        (err: KadError) => err.code === ErrorCode.Unavailable,
      );
      const { actors, service } = await serve({});
      await actors.ask('storage', 'stats', {}, 2_000);
      await service.stop();
      await assert.rejects(actors.ask('storage', 'stats', {}, 10_000), (err: KadError) => err.code === ErrorCode.Unavailable);
    });

    test('a full mailbox refuses with resource-exhausted at once', async () => {
      let open = (): void => undefined;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let running = 0;
      const { actors, service } = await serve({ get: async () => (running++, await gate, { record: undefined }) }, 2);
      // One running and two waiting fill it; the fourth is refused.
      const held = [0, 1, 2].map(() => actors.ask('storage', 'get', { recordId: new Uint8Array(32) }, 5_000));
      await waitFor('the first request to run', () => running === 1);
      await assert.rejects(
        actors.ask('storage', 'get', { recordId: new Uint8Array(32) }, 5_000),
        (err: KadError) => err.code === ErrorCode.ResourceExhausted,
      );
      open();
      assert.equal((await Promise.all(held)).length, 3);
      await service.stop();
    });

    test('events arrive, in the order sent', async () => {
      const node = `contract-${++nodeCount}`;
      const seen: number[] = [];
      const service = await serveActor(
        pair.server,
        node,
        'lookup-coordinator',
        {
          put: () => ({ acknowledged: 0 }),
          get: () => ({ found: false }),
          'find-node': () => ({ contacts: [] }),
          'contact-added': (event) => void seen.push(event.contact.id[0] ?? -1),
        },
        new Mailbox(`${node}/lookup-coordinator`, { capacity: 64, concurrency: 1 }),
        () => undefined,
      );
      const actors = new ActorClient(pair.client, node);
      for (let i = 0; i < 20; i++)
        actors.tell('lookup-coordinator', 'contact-added', { contact: { id: new Uint8Array(32).fill(i), address: '127.0.0.1:1' } });
      await waitFor('20 events to arrive', () => seen.length === 20);
      assert.deepEqual(
        seen,
        Array.from({ length: 20 }, (_, i) => i),
      );
      await service.stop();
    });
  });
}
