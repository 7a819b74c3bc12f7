/**
 * The transport actor alone on a MemoryBus with the test's clock: the routing table and storage
 * are stubs that record what they are told. Peers are what the transport's job makes them:
 * hand-written Peer services on 127.0.0.1 (test/testkit/fake-peer.ts), each answering as the
 * test says. What is checked is what the transport decides itself: a store request fanned out to
 * several peers with one outcome each, which replies it believes (a proof of id, the id
 * expected, contacts cut to k, a record of the id asked for), what it reports to the routing
 * table and how often (contact-reports.ts, on the test's clock), and answering an inbound
 * FIND_NODE from the routing table's view without a bus round trip.
 *
 * gRPC runs on real timers, so these tests mock none; the clock the actor reads is still the
 * test's, and only moves when the test says.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ActorClient, MemoryBus } from '../../libs/bus/index.js';
import { ErrorCode, type KadError } from '../../libs/errors/index.js';
import { closestContacts, idToHex, MAX_K, recordIdOf, type Contact } from '../../libs/kademlia/index.js';
import {
  contactToWire,
  kademliaPackage,
  recordToWire,
  unary,
  type PeerClient,
  type PeerHandlers,
  type v1,
} from '../../libs/proto/index.js';
import { DEFAULT_NETWORK } from '../../libs/runtime/index.js';
import { TransportActor } from '../../services/transport/transport-actor.js';
import { freePorts } from '../../harness/free-port.js';
import { routingTableHandlers, serveStub, storageHandlers, type StubActor } from '../testkit/actor-stubs.js';
import { ManualClock, idSharing, settle, testContext } from '../testkit/actor-harness.js';
import { FakePeerIdentity, quietPeerHandlers, servePeer } from '../testkit/fake-peer.js';
import { signedRecord } from '../testkit/records.js';

const NODE = 'transport-under-test';
const K = 4;

interface Harness {
  readonly self: Contact;
  readonly address: string;
  readonly clock: ManualClock;
  readonly actors: ActorClient;
  readonly bus: MemoryBus;
  readonly routing: StubActor<'routing-table'>;
  /** What the routing-table stub answers `closest` with. */
  closest: Contact[];
  /** A Peer service at a fresh loopback address, answering with `handlers`. */
  peer(handlers: (identity: FakePeerIdentity) => Partial<PeerHandlers>): Promise<FakePeerIdentity>;
  /** A loopback address nothing listens on. */
  nowhere(): Promise<string>;
  /** A Peer client to this transport, closed when the test ends. */
  client(): PeerClient;
}

async function start(t: TestContext): Promise<Harness> {
  const bus = new MemoryBus();
  const clock = new ManualClock();
  const [port] = await freePorts(1);
  const address = `127.0.0.1:${port}`;
  const ctx = testContext({ bus, clock, node: NODE, settings: { k: String(K), listen: address } });
  const state: Pick<Harness, 'closest'> = { closest: [] };
  const routing = await serveStub(
    bus,
    NODE,
    'routing-table',
    routingTableHandlers(ctx.identity.id, { closest: () => ({ contacts: state.closest }) }),
  );
  await serveStub(bus, NODE, 'storage', storageHandlers());
  const actor = await TransportActor.start(ctx);
  const servers: grpc.Server[] = [];
  const clients: PeerClient[] = [];
  t.after(async () => {
    for (const client of clients) client.close();
    await actor.stop();
    for (const server of servers) server.forceShutdown();
    await bus.close();
  });
  return Object.assign(state, {
    self: { id: ctx.identity.id, address },
    address,
    clock,
    actors: new ActorClient(bus, NODE),
    bus,
    routing,
    peer: async (handlers: (identity: FakePeerIdentity) => Partial<PeerHandlers>) => {
      const [peerPort] = await freePorts(1);
      const identity = new FakePeerIdentity(`127.0.0.1:${peerPort}`);
      servers.push(await servePeer(identity.address, { ...quietPeerHandlers(identity), ...handlers(identity) }));
      return identity;
    },
    nowhere: async () => `127.0.0.1:${(await freePorts(1))[0]}`,
    client: () => {
      const client = new (kademliaPackage().Peer)(address, grpc.credentials.createInsecure());
      clients.push(client);
      return client;
    },
  });
}

const hex = (id: Uint8Array): string => idToHex(id);
/** A fake peer as the actors name it: its id and address. */
const contactOf = (peer: FakePeerIdentity): Contact => ({ id: peer.id, address: peer.address });
const codeOf = (code: string) => (err: KadError) => err.code === code;
/** What the routing-table stub was told about the peer at `address`. */
const reports = (h: Harness, verb: 'seen' | 'failed', address: string) =>
  h.routing.asked(verb).filter((event) => event.contact.address === address);

test('a store request goes to every peer named, with one outcome each, in order: stored, kept another version, unreachable', async (t) => {
  const h = await start(t);
  const record = signedRecord({ key: 'k', value: 'v', createdMs: h.clock.now(), expiresMs: h.clock.now() + 60_000 });
  const held = signedRecord({ key: 'k', value: 'newer', createdMs: h.clock.now() + 1, expiresMs: h.clock.now() + 60_000 });
  const received: v1.StoreRequest__Output[] = [];
  const storing = await h.peer((me) => ({
    Store: (call, cb) => {
      received.push(call.request);
      cb(null, { responder: me.contact(), stored: true });
    },
  }));
  const keeping = await h.peer((me) => ({
    Store: (call, cb) => {
      received.push(call.request);
      cb(null, { responder: me.contact(), stored: false, held: recordToWire(held) });
    },
  }));
  const down = { id: idSharing(h.self.id, 3, 1), address: await h.nowhere() };
  const peers = [contactOf(storing), contactOf(keeping), down];
  const reply = await h.actors.ask('transport', 'store', { peers, record, timeoutMs: 2_000 }, 3_000);

  assert.equal(reply.outcomes.length, 3);
  const [first, second, third] = reply.outcomes;
  assert.deepEqual([first!.stored, hex(first!.responder!.id), first!.error], [true, idToHex(storing.id), undefined]);
  assert.deepEqual([second!.stored, new TextDecoder().decode(second!.held!.value)], [false, 'newer']);
  assert.equal(third!.stored, false);
  assert.equal(third!.responder, undefined);
  assert.match(third!.error ?? '', /./, 'why the call failed');
  // One Store at each live peer, naming this node as its sender, on this network.
  assert.equal(received.length, 2);
  for (const request of received) {
    assert.deepEqual([hex(request.sender!.id), request.sender!.address, request.network], [idToHex(h.self.id), h.address, DEFAULT_NETWORK]);
    assert.equal(new TextDecoder().decode(request.record!.value), 'v');
  }
  // The routing table hears of each: the two that answered (unproven: never challenged), the one that did not.
  await settle();
  assert.deepEqual(
    [storing.address, keeping.address].map((a) => reports(h, 'seen', a).map((e) => e.verified)),
    [[false], [false]],
  );
  assert.deepEqual(
    reports(h, 'failed', down.address).map((e) => [hex(e.contact.id), e.drop]),
    [[idToHex(down.id), false]],
  );
});

test('a store naming more than MAX_K peers is refused before any call', async (t) => {
  const h = await start(t);
  const record = signedRecord({ key: 'k', value: 'v', createdMs: h.clock.now(), expiresMs: h.clock.now() + 60_000 });
  const peers = Array.from({ length: MAX_K + 1 }, (_, i) => ({
    id: idSharing(h.self.id, 2, i),
    address: `127.0.0.1:${i + 1}`,
  }));
  await assert.rejects(h.actors.ask('transport', 'store', { peers, record, timeoutMs: 100 }, 1_000), codeOf(ErrorCode.InvalidArgument));
  await settle();
  assert.equal(h.routing.asked('failed').length, 0, 'nobody was called');
});

test('ping: a peer that proves its id is reported seen, proven; one that cannot is refused and dropped', async (t) => {
  const h = await start(t);
  const honest = await h.peer(() => ({}));
  const reply = await h.actors.ask('transport', 'ping', { peer: contactOf(honest), timeoutMs: 2_000 }, 3_000);
  assert.equal(hex(reply.responder.id), idToHex(honest.id));
  await settle();
  assert.deepEqual(
    reports(h, 'seen', honest.address).map((e) => e.verified),
    [true],
  );

  // An impostor claims an id that is not the hash of its key: its proof cannot hold.
  const [port] = await freePorts(1);
  const impostor = new FakePeerIdentity(`127.0.0.1:${port}`, idSharing(h.self.id, 1, 9));
  const server = await servePeer(impostor.address, quietPeerHandlers(impostor));
  t.after(() => server.forceShutdown());
  await assert.rejects(
    h.actors.ask('transport', 'ping', { peer: contactOf(impostor), timeoutMs: 2_000 }, 3_000),
    codeOf(ErrorCode.FailedPrecondition),
  );
  await settle();
  assert.deepEqual(
    reports(h, 'failed', impostor.address).map((e) => e.drop),
    [true],
  );
  assert.equal(reports(h, 'seen', impostor.address).length, 0);
});

test('a contact is reported seen at most once a second on the actor’s clock, and at once when the news changes', async (t) => {
  const h = await start(t);
  const peer = await h.peer(() => ({}));
  const findNode = () => h.actors.ask('transport', 'find-node', { peer: contactOf(peer), target: h.self.id, timeoutMs: 2_000 }, 3_000);
  const seen = async () => {
    await settle();
    return reports(h, 'seen', peer.address).map((e) => e.verified);
  };
  await findNode();
  assert.deepEqual(await seen(), [false], 'answered, never challenged: unproven');
  await findNode();
  assert.deepEqual(await seen(), [false], 'the same news a moment later is not sent');
  await h.actors.ask('transport', 'ping', { peer: contactOf(peer), timeoutMs: 2_000 }, 3_000);
  assert.deepEqual(await seen(), [false, true], 'proven now: new news, sent at once');
  await h.clock.advance(999);
  await findNode();
  assert.deepEqual(await seen(), [false, true]);
  await h.clock.advance(1);
  await findNode();
  assert.deepEqual(await seen(), [false, true, true], 'a second on');
});

test('find-node: a responder with another id than the one expected is refused and dropped', async (t) => {
  const h = await start(t);
  const someoneElse = new FakePeerIdentity('127.0.0.1:1');
  const liar = await h.peer(() => ({
    FindNode: (_call, cb) => cb(null, { responder: { id: Buffer.from(someoneElse.id), address: '127.0.0.1:1' }, closer: [] }),
  }));
  await assert.rejects(
    h.actors.ask('transport', 'find-node', { peer: contactOf(liar), target: h.self.id, timeoutMs: 2_000 }, 3_000),
    codeOf(ErrorCode.FailedPrecondition),
  );
  await settle();
  assert.deepEqual(
    reports(h, 'failed', liar.address).map((e) => [hex(e.contact.id), e.drop]),
    [[idToHex(liar.id), true]],
  );
});

test('find-node: at most k contacts of a reply are passed on, and malformed ones never', async (t) => {
  const h = await start(t);
  const valid: Contact[] = Array.from({ length: K + 2 }, (_, i) => ({
    id: idSharing(h.self.id, 4, i),
    address: `127.0.0.1:${30_000 + i}`,
  }));
  const malformed = [
    { id: Buffer.alloc(5), address: '127.0.0.1:1' },
    { id: Buffer.from(idSharing(h.self.id, 4, 99)), address: 'no port' },
  ];
  const generous = await h.peer((me) => ({
    FindNode: (_call, cb) =>
      cb(null, { responder: me.contact(), closer: [contactToWire(valid[0]!), ...malformed, ...valid.slice(1).map(contactToWire)] }),
  }));
  const reply = await h.actors.ask('transport', 'find-node', { peer: contactOf(generous), target: h.self.id, timeoutMs: 2_000 }, 3_000);
  assert.equal(hex(reply.responder.id), idToHex(generous.id));
  assert.ok(reply.closer.length <= K, `at most k, got ${reply.closer.length}`);
  const sent = new Set(valid.map((c) => `${hex(c.id)}@${c.address}`));
  assert.ok(reply.closer.length > 0);
  for (const contact of reply.closer) assert.ok(sent.has(`${hex(contact.id)}@${contact.address}`), 'only valid contacts it sent');
});

test('find-value: a record of another id than the one asked for is refused, and its sender counted as failed', async (t) => {
  const h = await start(t);
  const wrong = signedRecord({ key: 'other', value: 'v', createdMs: h.clock.now(), expiresMs: h.clock.now() + 60_000 });
  const right = signedRecord({ key: 'asked', value: 'v', createdMs: h.clock.now(), expiresMs: h.clock.now() + 60_000 });
  const serve = (record: typeof wrong) =>
    h.peer((me) => ({ FindValue: (_call, cb) => cb(null, { responder: me.contact(), record: recordToWire(record), closer: [] }) }));
  const [bad, good] = [await serve(wrong), await serve(right)];
  const recordId = recordIdOf(new TextEncoder().encode('asked'));
  await assert.rejects(
    h.actors.ask('transport', 'find-value', { peer: contactOf(bad), recordId, timeoutMs: 2_000 }, 3_000),
    codeOf(ErrorCode.Unavailable),
  );
  await settle();
  assert.deepEqual(
    reports(h, 'failed', bad.address).map((e) => e.drop),
    [false],
  );
  const reply = await h.actors.ask('transport', 'find-value', { peer: contactOf(good), recordId, timeoutMs: 2_000 }, 3_000);
  assert.equal(new TextDecoder().decode(reply.record!.value), 'v');
});

test('an inbound FIND_NODE is answered from the routing table’s view once it has one, without asking the routing table', async (t) => {
  const h = await start(t);
  const client = h.client();
  const target = idSharing(h.self.id, 0, 1);
  const findNode = () =>
    unary<v1.FindNodeRequest, v1.FindNodeResponse__Output>(
      client,
      client.FindNode,
      { target: Buffer.from(target), network: DEFAULT_NETWORK },
      2_000,
    );

  // No view yet: the routing table is asked (k + 1, so k remain without the requester).
  const asked = Array.from({ length: 2 }, (_, i) => ({ id: idSharing(h.self.id, 3, i), address: `127.0.0.1:${31_000 + i}` }));
  h.closest = asked;
  const before = await findNode();
  assert.deepEqual(
    before.closer.map((c) => c.address),
    asked.map((c) => c.address),
  );
  assert.deepEqual(
    h.routing.asked('closest').map((r) => [hex(r.target), r.count]),
    [[idToHex(target), K + 1]],
  );

  const view = Array.from({ length: 2 * K }, (_, i) => ({ id: idSharing(h.self.id, i % 3, i), address: `127.0.0.1:${32_000 + i}` }));
  h.actors.tell('transport', 'table-view', { contacts: view });
  await settle();
  const after = await findNode();
  assert.deepEqual(
    after.closer.map((c) => c.address),
    closestContacts(target, view, K).map((c) => c.address),
  );
  assert.equal(h.routing.asked('closest').length, 1, 'not asked again');
});
