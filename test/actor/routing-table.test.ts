/**
 * The routing-table actor alone on a MemoryBus, its clock and timers the test's: the transport
 * and the lookup-coordinator are stubs that record what they are sent, and the transport answers
 * pings when (and how) the test says. What is checked is the actor's decisions: who enters a
 * bucket, which contact a full bucket pings and what it does with the answer (paper §2.2), what
 * failures do (§4.1), which unproven contacts it challenges (libs/kademlia Admission), and its
 * closest / dump / refresh-targets replies.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { ActorClient, MemoryBus, subjectFor } from '../../libs/bus/index.js';
import { ErrorCode, failedPrecondition, unavailable, type KadError } from '../../libs/errors/index.js';
import { commonPrefixLength, idFromHex, idToHex, type Contact, type NodeId } from '../../libs/kademlia/index.js';
import { encode, type PeerRef, type PingReply } from '../../libs/proto/index.js';
import { RoutingTableActor } from '../../services/routing-table/routing-table-actor.js';
import { lookupCoordinatorHandlers, serveStub, transportHandlers, type StubActor } from '../testkit/actor-stubs.js';
import { actorTestSetup, ManualClock, contactWith, deferred, idSharing, settle, type Deferred } from '../testkit/actor-harness.js';

const NODE = 'rt-under-test';
const RPC_TIMEOUT_MS = 100;
/** What the actor waits for a ping's answer on the bus: the RPC timeout and BUS_SLACK_MS. */
const PING_WAIT_MS = RPC_TIMEOUT_MS + 500;

interface Harness {
  readonly self: NodeId;
  readonly bus: MemoryBus;
  readonly clock: ManualClock;
  readonly actors: ActorClient;
  readonly transport: StubActor<'transport'>;
  readonly coordinator: StubActor<'lookup-coordinator'>;
  /** The transport's answers to pings, in the order the pings came: the test settles them. */
  readonly pings: Deferred<PingReply>[];
}

/** k = 2, so a bucket is full at two contacts. */
async function start(t: TestContext): Promise<Harness> {
  const { bus, clock, ctx } = actorTestSetup(t, { node: NODE, settings: { k: '2', 'rpc-timeout-ms': String(RPC_TIMEOUT_MS) } });
  const pings: Deferred<PingReply>[] = [];
  const transport = await serveStub(
    bus,
    NODE,
    'transport',
    transportHandlers({
      ping: () => {
        const answer = deferred<PingReply>();
        pings.push(answer);
        return answer.promise;
      },
    }),
  );
  const coordinator = await serveStub(bus, NODE, 'lookup-coordinator', lookupCoordinatorHandlers());
  const actor = await RoutingTableActor.start(ctx);
  t.after(async () => {
    await actor.stop();
    await bus.close();
  });
  return { self: ctx.identity.id, bus, clock, actors: new ActorClient(bus, NODE), transport, coordinator, pings };
}

async function seen(h: Harness, contact: Contact, verified = true): Promise<void> {
  h.actors.tell('routing-table', 'seen', { contact, verified });
  await settle();
}

async function failed(h: Harness, contact: Contact, drop = false): Promise<void> {
  h.actors.tell('routing-table', 'failed', { contact, drop });
  await settle();
}

const hex = (id: NodeId): string => idToHex(id);
const hexes = (contacts: readonly Contact[]): string[] => contacts.map((c) => hex(c.id));
/** The id a ping was sent to expect, as hex (undefined: it was sent to an address alone). */
const peerHex = (peer: PeerRef): string | undefined => (peer.id ? idToHex(peer.id) : undefined);

/** The table's buckets as hex ids: contacts least recently seen first, and replacements. */
async function buckets(h: Harness): Promise<{ contacts: string[]; replacements: string[] }[]> {
  const dump = await h.actors.ask('routing-table', 'dump', {}, 1_000);
  return dump.buckets.map((b) => ({ contacts: hexes(b.contacts), replacements: hexes(b.replacements) }));
}

async function tableIds(h: Harness): Promise<string[]> {
  return (await buckets(h)).flatMap((b) => b.contacts);
}

/** Two contacts near this node (they fill its own bucket) and two in the far half (a bucket that
 * never splits once full: both near ones are closer to this node than any newcomer there). */
async function fill(h: Harness): Promise<{ near: Contact[]; far: Contact[] }> {
  const near = [contactWith(idSharing(h.self, 8, 1)), contactWith(idSharing(h.self, 9, 2))];
  const far = [contactWith(idSharing(h.self, 0, 1)), contactWith(idSharing(h.self, 0, 2))];
  for (const contact of [...near, ...far]) await seen(h, contact);
  return { near, far };
}

const farBucket = async (h: Harness) => {
  const bucket = (await buckets(h)).find((b) => b.contacts.some((id) => commonPrefixLength(idFromHex(id), h.self) === 0));
  assert.ok(bucket, 'a bucket of the far half');
  return bucket;
};

test('a proven contact enters a bucket, is announced to the lookup-coordinator and reaches the transport view', async (t) => {
  const h = await start(t);
  const contact = contactWith(idSharing(h.self, 3, 7));
  await seen(h, contact);
  assert.deepEqual(await tableIds(h), [idToHex(contact.id)]);
  assert.deepEqual(hexes(h.coordinator.asked('contact-added').map((e) => e.contact)), [idToHex(contact.id)]);
  const dump = await h.actors.ask('routing-table', 'dump', {}, 1_000);
  assert.equal(hex(dump.self!.id), idToHex(h.self));
  // The view goes out at most every 100 ms: the one sent at start was empty.
  const viewsBefore = h.transport.asked('table-view').length;
  await h.clock.advance(100);
  const views = h.transport.asked('table-view');
  assert.equal(views.length, viewsBefore + 1);
  assert.deepEqual(hexes(views.at(-1)!.contacts), [idToHex(contact.id)]);
  // Seen again: the same contact is refreshed, not added twice, and not announced again.
  await seen(h, contact);
  assert.deepEqual(await tableIds(h), [idToHex(contact.id)]);
  assert.equal(h.coordinator.asked('contact-added').length, 1);
});

test('a known id at another address is not believed: the entry keeps the address that answered', async (t) => {
  const h = await start(t);
  const contact = contactWith(idSharing(h.self, 3, 7));
  await seen(h, contact);
  await seen(h, { id: contact.id, address: '127.0.0.1:1' });
  const dump = await h.actors.ask('routing-table', 'dump', {}, 1_000);
  assert.deepEqual(
    dump.buckets.flatMap((b) => b.contacts.map((c) => c.address)),
    [contact.address],
  );
});

test('an unproven contact is challenged through the transport, once at a time, and never admitted on its word', async (t) => {
  const h = await start(t);
  const candidate = contactWith(idSharing(h.self, 5, 1));
  await seen(h, candidate, false);
  assert.equal(h.transport.asked('ping').length, 1);
  assert.equal(peerHex(h.transport.asked('ping')[0]!.peer), idToHex(candidate.id));
  assert.equal(h.transport.asked('ping')[0]!.peer.address, candidate.address);
  assert.equal(h.transport.asked('ping')[0]!.timeoutMs, RPC_TIMEOUT_MS);
  // Heard from again while its challenge is out: no second challenge.
  await seen(h, candidate, false);
  assert.equal(h.transport.asked('ping').length, 1);
  // It proves its id: the transport reports it seen, verified; the answer itself admits nobody.
  h.pings[0]!.resolve({ responder: candidate });
  await settle();
  assert.deepEqual(await tableIds(h), []);
  assert.equal(h.coordinator.asked('contact-added').length, 0);
});

test('a contact held at the address it claims is not challenged again; at another address it is', async (t) => {
  const h = await start(t);
  const contact = contactWith(idSharing(h.self, 5, 1));
  await seen(h, contact);
  await seen(h, contact, false);
  assert.equal(h.transport.asked('ping').length, 0);
  await seen(h, { id: contact.id, address: '127.0.0.1:2' }, false);
  assert.equal(h.transport.asked('ping').length, 1);
  assert.equal(h.transport.asked('ping')[0]!.peer.address, '127.0.0.1:2');
});

test('a candidate that could not prove its id waits a minute for another challenge; one not reached, a second', async (t) => {
  const h = await start(t);
  const impostor = contactWith(idSharing(h.self, 5, 1));
  const away = contactWith(idSharing(h.self, 6, 2));
  await seen(h, impostor, false);
  await seen(h, away, false);
  assert.equal(h.pings.length, 2);
  h.pings[0]!.reject(failedPrecondition('did not prove its id'));
  h.pings[1]!.reject(unavailable('connection refused'));
  await settle();
  const challenged = (contact: Contact): number => h.transport.asked('ping').filter((p) => peerHex(p.peer) === idToHex(contact.id)).length;

  await h.clock.advance(999);
  await seen(h, impostor, false);
  await seen(h, away, false);
  assert.deepEqual([challenged(impostor), challenged(away)], [1, 1]);

  await h.clock.advance(1);
  await seen(h, impostor, false);
  await seen(h, away, false);
  assert.deepEqual([challenged(impostor), challenged(away)], [1, 2], 'the unreachable one is challenged again after 1 s');

  await h.clock.advance(59_000);
  await seen(h, impostor, false);
  assert.equal(challenged(impostor), 2, 'the refused one after 60 s');
});

test('a full bucket pings its least recently seen contact, one ping at a time, and parks the newcomers', async (t) => {
  const h = await start(t);
  const { far } = await fill(h);
  const newcomers = [contactWith(idSharing(h.self, 0, 3)), contactWith(idSharing(h.self, 0, 4))];
  await seen(h, newcomers[0]!);
  const pings = h.transport.asked('ping');
  assert.equal(pings.length, 1);
  assert.equal(peerHex(pings[0]!.peer), idToHex(far[0]!.id), 'the least recently seen of the full bucket');
  await seen(h, newcomers[1]!);
  assert.equal(h.transport.asked('ping').length, 1, 'the bucket has its ping out already');
  const bucket = await farBucket(h);
  assert.deepEqual(
    bucket.contacts,
    far.map((c) => idToHex(c.id)),
  );
  assert.deepEqual(
    bucket.replacements,
    newcomers.map((c) => idToHex(c.id)),
  );
  assert.equal(h.coordinator.asked('contact-added').length, 4, 'only the four that entered were announced');
});

test('a full bucket keeps its least recently seen contact when the ping answers; the next newcomer pings the new one', async (t) => {
  const h = await start(t);
  const { far } = await fill(h);
  const newcomer = contactWith(idSharing(h.self, 0, 3));
  await seen(h, newcomer);
  h.pings[0]!.resolve({ responder: far[0]! });
  await settle();
  const bucket = await farBucket(h);
  // Kept, and now the most recently seen; the newcomer still waits.
  assert.deepEqual(bucket.contacts, [idToHex(far[1]!.id), idToHex(far[0]!.id)]);
  assert.deepEqual(bucket.replacements, [idToHex(newcomer.id)]);
  await seen(h, contactWith(idSharing(h.self, 0, 4)));
  assert.equal(h.transport.asked('ping').length, 2);
  assert.equal(peerHex(h.transport.asked('ping')[1]!.peer), idToHex(far[1]!.id));
});

test('a full bucket evicts its least recently seen contact for the newcomer when the ping fails', async (t) => {
  const h = await start(t);
  const { far } = await fill(h);
  const newcomer = contactWith(idSharing(h.self, 0, 3));
  await seen(h, newcomer);
  h.pings[0]!.reject(unavailable('connection refused'));
  await settle();
  const bucket = await farBucket(h);
  assert.deepEqual(bucket.contacts, [idToHex(far[1]!.id), idToHex(newcomer.id)]);
  assert.deepEqual(bucket.replacements, []);
  // The transport's view follows (it answers FIND_NODE from it).
  await h.clock.advance(100);
  const view = hexes(h.transport.asked('table-view').at(-1)!.contacts);
  assert.ok(view.includes(idToHex(newcomer.id)) && !view.includes(idToHex(far[0]!.id)));
  // The newcomer, promoted from the replacements, is announced like any new contact (hand-off).
  await settle();
  assert.ok(hexes(h.coordinator.asked('contact-added').map((e) => e.contact)).includes(idToHex(newcomer.id)));
});

test('a full bucket evicts its least recently seen contact when the ping is never answered', async (t) => {
  const h = await start(t);
  const { far } = await fill(h);
  const newcomer = contactWith(idSharing(h.self, 0, 3));
  await seen(h, newcomer);
  assert.equal(h.pings.length, 1);
  await h.clock.advance(PING_WAIT_MS - 1);
  assert.deepEqual(
    (await farBucket(h)).contacts,
    far.map((c) => idToHex(c.id)),
    'still waiting for the answer',
  );
  await h.clock.advance(1);
  assert.deepEqual((await farBucket(h)).contacts, [idToHex(far[1]!.id), idToHex(newcomer.id)]);
});

test('failed RPCs: a contact goes at once when a replacement waits, else after five in a row, or at once when dropped', async (t) => {
  const h = await start(t);
  const { near, far } = await fill(h);
  // A newcomer waits in the far bucket (its ping unanswered): one failure of a contact there
  // makes room for it.
  const newcomer = contactWith(idSharing(h.self, 0, 3));
  await seen(h, newcomer);
  await failed(h, far[1]!);
  assert.deepEqual((await farBucket(h)).contacts, [idToHex(far[0]!.id), idToHex(newcomer.id)]);

  for (let i = 0; i < 4; i++) await failed(h, near[0]!);
  assert.ok((await tableIds(h)).includes(idToHex(near[0]!.id)), 'four failures are not enough');
  await failed(h, near[0]!);
  assert.ok(!(await tableIds(h)).includes(idToHex(near[0]!.id)), 'the fifth evicts');

  await failed(h, near[1]!, true);
  assert.ok(!(await tableIds(h)).includes(idToHex(near[1]!.id)), 'dropped at once');
});

test('a failure reported at another address than the entry is not the entry’s', async (t) => {
  const h = await start(t);
  const { far } = await fill(h);
  for (let i = 0; i < 5; i++) await failed(h, { id: far[0]!.id, address: '127.0.0.1:3' });
  await failed(h, { id: far[1]!.id, address: '127.0.0.1:4' }, true);
  assert.deepEqual(
    (await farBucket(h)).contacts,
    far.map((c) => idToHex(c.id)),
  );
});

test('closest: the contacts nearest the target, nearest first, at most count; more than 4k is refused', async (t) => {
  const h = await start(t);
  const { near, far } = await fill(h);
  const reply = await h.actors.ask('routing-table', 'closest', { target: h.self, count: 3 }, 1_000);
  // near[1] shares 9 bits with this node, near[0] 8, the far ones none.
  assert.deepEqual(hexes(reply.contacts).slice(0, 2), [idToHex(near[1]!.id), idToHex(near[0]!.id)]);
  assert.equal(reply.contacts.length, 3);
  assert.ok(far.some((c) => idToHex(c.id) === hex(reply.contacts[2]!.id)));
  const all = await h.actors.ask('routing-table', 'closest', { target: h.self, count: 0 }, 1_000);
  assert.equal(all.contacts.length, 2, 'count 0 is k');
  await assert.rejects(
    h.actors.ask('routing-table', 'closest', { target: h.self, count: 9 }, 1_000),
    (err: KadError) => err.code === ErrorCode.InvalidArgument,
  );
  // A malformed target, as it would come from NATS: refused by the codec before the actor sees it.
  await assert.rejects(
    h.bus.request(
      subjectFor(NODE, 'routing-table', 'closest'),
      { bytes: encode('ClosestRequest', { target: new Uint8Array(5), count: 1 }) },
      1_000,
    ),
    (err: KadError) => err.code === ErrorCode.InvalidArgument,
  );
});

test('refresh-targets: one id in each bucket not looked up for idleMs; a lookup marks its bucket; `all` gives the join ranges', async (t) => {
  const h = await start(t);
  await fill(h);
  const bucketCount = (await buckets(h)).length;
  assert.equal(bucketCount, 2, 'this node’s half and the far half');
  await h.clock.advance(10_000);
  const idle = await h.actors.ask('routing-table', 'refresh-targets', { idleMs: 5_000 }, 1_000);
  assert.equal(idle.targets.length, 2);
  assert.deepEqual(idle.targets.map((target) => commonPrefixLength(target, h.self) === 0).sort(), [false, true]);

  // A lookup into the far half starts there: that bucket is fresh again.
  await h.actors.ask('routing-table', 'closest', { target: idSharing(h.self, 0, 99), count: 2, lookup: true }, 1_000);
  const after = await h.actors.ask('routing-table', 'refresh-targets', { idleMs: 5_000 }, 1_000);
  assert.equal(after.targets.length, 1);
  assert.ok(commonPrefixLength(after.targets[0]!, h.self) > 0, 'the remaining target is in this node’s half');
  // A count-only closest (no lookup) marks nothing.
  await h.clock.advance(10_000);
  await h.actors.ask('routing-table', 'closest', { target: idSharing(h.self, 0, 99), count: 2 }, 1_000);
  assert.equal((await h.actors.ask('routing-table', 'refresh-targets', { idleMs: 5_000 }, 1_000)).targets.length, 2);

  // §2.3 join: one range per distance out to the closest contact (it shares 9 bits with us).
  const join = await h.actors.ask('routing-table', 'refresh-targets', { idleMs: 0, all: true }, 1_000);
  assert.deepEqual(
    join.targets.map((target) => commonPrefixLength(target, h.self)),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
});

test('self answers this node’s id', async (t) => {
  const h = await start(t);
  const reply = await h.actors.ask('routing-table', 'self', {}, 1_000);
  assert.equal(hex(reply.id), idToHex(h.self));
});
