/**
 * The lookup-coordinator's maintenance (maintenance.ts over libs/kademlia MaintenanceSchedule and
 * Membership) alone on a MemoryBus with the test's clock and timers: the routing table, storage
 * and the transport are stubs. The schedule is driven through a join that waits for its bootstrap
 * node, a re-bootstrap, a table that runs empty and the rejoin after it, and the hand-off to a
 * newcomer, in milliseconds of wall time: every wait is the manual clock's.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { ActorClient } from '../../libs/bus/index.js';
import { idEquals, MEMBERSHIP_EVERY_MS, HAND_OFF_BATCH_MS, type Contact, idOfRecord, type KadRecord } from '../../libs/kademlia/index.js';
import type { PeerRef } from '../../libs/proto/index.js';
import { LookupCoordinatorActor } from '../../services/lookup-coordinator/lookup-coordinator-actor.js';
import { routingTableHandlers, serveStub, storageHandlers, transportHandlers, type StubActor } from '../testkit/actor-stubs.js';
import { actorTestSetup, ManualClock, contactWith, idSharing } from '../testkit/actor-harness.js';
import { signedRecord } from '../testkit/records.js';

const NODE = 'maintenance-under-test';
const BOOTSTRAP = '127.0.0.1:19999';
const REFRESH_MS = 60_000;

interface Harness {
  readonly self: Contact;
  readonly clock: ManualClock;
  readonly actors: ActorClient;
  readonly transport: StubActor<'transport'>;
  readonly routing: StubActor<'routing-table'>;
  readonly storage: StubActor<'storage'>;
  /** The routing table's contacts, as the stub answers `closest` and `dump`. */
  table: Contact[];
  /** Whether the bootstrap node answers a ping. */
  bootstrapUp: boolean;
  /** The records the stub storage holds. */
  held: KadRecord[];
}

/** The node a lookup's FIND_NODE reached: the contact it was sent to (lookups name the id). */
function responderAt(peer: PeerRef): Contact {
  if (!peer.id) throw new Error(`a find-node to ${peer.address} without the id expected there`);
  return { id: peer.id, address: peer.address };
}

async function start(t: TestContext): Promise<Harness> {
  const { bus, clock, ctx } = actorTestSetup(t, {
    node: NODE,
    settings: { k: '3', 'rpc-timeout-ms': '100', 'lookup-timeout-ms': '1000', 'refresh-ms': String(REFRESH_MS), bootstrap: BOOTSTRAP },
  });
  const self = { id: ctx.identity.id, address: ctx.config.advertise };
  const bootstrapNode = contactWith(idSharing(self.id, 1, 1));
  const state = { table: [] as Contact[], bootstrapUp: false, held: [] as KadRecord[] };
  const routing = await serveStub(
    bus,
    NODE,
    'routing-table',
    routingTableHandlers(self.id, {
      closest: (request) => ({ contacts: state.table.slice(0, request.count || 3) }),
      dump: () => ({ self: undefined, buckets: [{ depth: 0, prefix: new Uint8Array(0), contacts: state.table, replacements: [] }] }),
      'refresh-targets': (request) => ({ targets: request.all ? [idSharing(self.id, 2, 7)] : [] }),
    }),
  );
  const storage = await serveStub(
    bus,
    NODE,
    'storage',
    storageHandlers({
      ids: (request) => ({ ids: request.near !== undefined ? state.held.map((r) => idOfRecord(r)) : [] }),
      get: (request) => {
        const record = state.held.find((r) => idEquals(idOfRecord(r), request.recordId));
        return { record };
      },
    }),
  );
  const transport = await serveStub(
    bus,
    NODE,
    'transport',
    transportHandlers({
      ping: async (request) => {
        if (request.peer.address !== BOOTSTRAP || !state.bootstrapUp) throw new Error('unreachable');
        // The transport reports a node that answered to the routing table; the stub table takes it.
        if (!state.table.some((c) => idEquals(c.id, bootstrapNode.id))) state.table.push(bootstrapNode);
        return { responder: bootstrapNode };
      },
      'find-node': (request) => ({ responder: responderAt(request.peer), closer: state.table }),
      store: (request) => ({ outcomes: request.peers.map(() => ({ stored: true })) }),
    }),
  );
  const actor = await LookupCoordinatorActor.start(ctx);
  t.after(async () => {
    await actor.stop();
    await bus.close();
  });
  const harness: Harness = {
    self,
    clock,
    actors: new ActorClient(bus, NODE),
    transport,
    routing,
    storage,
    get table() {
      return state.table;
    },
    set table(contacts) {
      state.table = contacts;
    },
    get bootstrapUp() {
      return state.bootstrapUp;
    },
    set bootstrapUp(up) {
      state.bootstrapUp = up;
    },
    get held() {
      return state.held;
    },
    set held(records) {
      state.held = records;
    },
  };
  await clock.advance(0);
  return harness;
}

const pings = (h: Harness): number => h.transport.asked('ping').filter((p) => p.peer.address === BOOTSTRAP).length;
const selfLookups = (h: Harness): number => h.transport.asked('find-node').filter((f) => idEquals(f.target, h.self.id)).length;
const fullRefreshes = (h: Harness): number => h.routing.asked('refresh-targets').filter((r) => r.all).length;

test('maintenance - a join waits for its bootstrap node, then looks up its own id and refreshes every bucket', async (t) => {
  const h = await start(t);
  assert.equal(pings(h), 1, 'the first membership tick pings the bootstrap node at once');
  assert.equal(selfLookups(h), 0, 'nobody answered and the table is empty: no lookup');
  await h.clock.advance(MEMBERSHIP_EVERY_MS - 1);
  assert.equal(pings(h), 1, 'not again before the next tick');
  await h.clock.advance(1);
  assert.equal(pings(h), 2, 'tried again at the next tick');
  h.bootstrapUp = true;
  await h.clock.advance(MEMBERSHIP_EVERY_MS);
  assert.equal(pings(h), 3);
  assert.equal(selfLookups(h), 1, 'the bootstrap node answered: a lookup of our own id');
  assert.equal(fullRefreshes(h), 1, 'neighbours found: every bucket refreshed, the join is complete');
  await h.clock.advance(MEMBERSHIP_EVERY_MS);
  assert.equal(selfLookups(h), 2, 'one more lookup of our own id at the next tick (nodes that joined at the same moment)');
  assert.equal(pings(h), 3, 'joined: no ping until the re-bootstrap is due');
  await h.clock.advance(MEMBERSHIP_EVERY_MS * 3);
  assert.equal(selfLookups(h), 2, 'joined and idle');
});

test('maintenance - a joined node pings its bootstrap node again every KAD_REFRESH_MS, and rejoins when its table runs empty', async (t) => {
  const h = await start(t);
  h.bootstrapUp = true;
  await h.clock.advance(MEMBERSHIP_EVERY_MS);
  assert.equal(fullRefreshes(h), 1, 'joined');
  const joinedPings = pings(h);
  await h.clock.advance(REFRESH_MS - 2 * MEMBERSHIP_EVERY_MS);
  assert.equal(pings(h), joinedPings, 'no re-bootstrap before KAD_REFRESH_MS');
  await h.clock.advance(2 * MEMBERSHIP_EVERY_MS);
  assert.equal(pings(h), joinedPings + 1, 're-bootstrap: the bootstrap node pinged again');
  const lookupsBefore = selfLookups(h);
  assert.ok(lookupsBefore >= 3, 'and a lookup of our own id after it answered');
  // Every contact is lost (a partition evicted them all), and the bootstrap node is down.
  h.table = [];
  h.bootstrapUp = false;
  const pingsBefore = pings(h);
  await h.clock.advance(MEMBERSHIP_EVERY_MS);
  assert.equal(pings(h), pingsBefore + 1, 'the empty table is noticed at the next tick: a rejoin pings the bootstrap node');
  await h.clock.advance(MEMBERSHIP_EVERY_MS);
  assert.equal(pings(h), pingsBefore + 2, 'and keeps trying every tick');
  h.bootstrapUp = true;
  await h.clock.advance(MEMBERSHIP_EVERY_MS);
  assert.equal(fullRefreshes(h), 2, 'the rejoin completes like a join: every bucket refreshed again');
});

test('maintenance - newcomers are handed the records they are now among the k closest for, in one batch', async (t) => {
  const h = await start(t);
  h.bootstrapUp = true;
  await h.clock.advance(MEMBERSHIP_EVERY_MS);
  const record = signedRecord({ key: 'handed', value: 'v' });
  const recordId = idOfRecord(record);
  h.held = [record];
  const nearPasses = (): number => h.storage.asked('ids').filter((r) => r.near !== undefined).length;
  const handed = (): string[] => h.transport.asked('store').flatMap((s) => s.peers.map((p) => p.address));
  const first = contactWith(idSharing(recordId, 200, 3));
  const second = contactWith(idSharing(recordId, 201, 4));
  // (each `advance(0)` lets the event arrive before the clock moves)
  h.actors.tell('lookup-coordinator', 'contact-added', { contact: first });
  await h.clock.advance(0);
  await h.clock.advance(HAND_OFF_BATCH_MS / 2);
  h.actors.tell('lookup-coordinator', 'contact-added', { contact: second });
  await h.clock.advance(0);
  await h.clock.advance(HAND_OFF_BATCH_MS / 2 - 1);
  assert.equal(nearPasses(), 0, 'the batch window, opened by the first newcomer, is still open');
  await h.clock.advance(1);
  assert.equal(nearPasses(), 2, 'one pass serves both newcomers: the records near each');
  assert.deepEqual(handed().sort(), [first.address, second.address].sort(), 'each got the record it is now among the k closest for');
  h.actors.tell('lookup-coordinator', 'contact-added', { contact: first });
  await h.clock.advance(0);
  await h.clock.advance(HAND_OFF_BATCH_MS);
  assert.equal(nearPasses(), 3, 'a contact added again is a newcomer again (it was evicted meanwhile)');
});
