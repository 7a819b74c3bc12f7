/**
 * The lookup-coordinator actor alone on a MemoryBus with the test's clock and timers: the
 * routing table (the lookup's seeds), storage (this node's copy) and the transport (every peer's
 * answer) are stubs that record what they are asked. What is checked is the Get and Put paths of
 * dht-operations.ts: when a Get is answered locally, how a lookup runs on the peers' answers and
 * what it returns (first value, quorum, not found), read-repair and caching, where a Put stores
 * its record, what it counts, and how it outbids a newer version a replica holds.
 *
 * The actor also starts its maintenance (maintenance.ts, tested elsewhere). It is kept quiet by
 * the stubs, not by any change to it: the routing-table stub gives contacts only to a lookup's
 * seed request (`lookup: true`), so membership sees an empty table and no bootstrap node, and
 * its refresh targets and storage's due records are empty.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { ActorClient } from '../../libs/bus/index.js';
import { ErrorCode, type KadError } from '../../libs/errors/index.js';
import {
  checkRecord,
  commonPrefixLength,
  compareRecords,
  DEFAULT_CONFIG,
  idEquals,
  idToHex,
  recordIdOf,
  type Contact,
  type KadRecord,
} from '../../libs/kademlia/index.js';
import { SigningKey, verifyEd25519 } from '../../libs/identity/index.js';
import { dht } from '../../libs/client/node.js';
import type { FindValueReply, PeerRef, StoreOutcome, StoreReply, v1 } from '../../libs/proto/index.js';
import type { SettingValues } from '../../libs/runtime/index.js';
import { LookupCoordinatorActor } from '../../services/lookup-coordinator/lookup-coordinator-actor.js';
import { routingTableHandlers, serveStub, storageHandlers, transportHandlers, type StubActor } from '../testkit/actor-stubs.js';
import { actorTestSetup, ManualClock, contactWith, idSharing, isSettled, settle } from '../testkit/actor-harness.js';
import { signedRecord } from '../testkit/records.js';

const NODE = 'lc-under-test';
const RPC_TIMEOUT_MS = 100;
const K = 4;
const KEY = 'the-key';
const RECORD_ID = recordIdOf(new TextEncoder().encode(KEY));

/** How one peer answers, through the transport stub; a verb with no answer scripted is never answered. */
interface PeerScript {
  /** The record it holds, or the contacts it knows closer (the transport names the responder). */
  readonly findValue?: () => Partial<Omit<FindValueReply, 'responder'>>;
  readonly findNode?: () => Contact[];
  readonly store?: (record: KadRecord) => StoreOutcome;
}

interface Harness {
  readonly self: Contact;
  readonly clock: ManualClock;
  readonly actors: ActorClient;
  readonly transport: StubActor<'transport'>;
  readonly storage: StubActor<'storage'>;
  /** What the routing table gives a lookup to start from. */
  seeds: Contact[];
  /** This node's own copy, as storage holds it. */
  local: KadRecord | undefined;
  /** How storage answers this node's own Put of a record. */
  storagePut: (record: KadRecord) => StoreReply;
  /** Scripts `peer`'s answers. */
  peer(contact: Contact, script: PeerScript): Contact;
  /** A record of KEY signed by another publisher (by `signer`), created `offsetMs` from now. */
  record(value: string, offsetMs?: number, signer?: SigningKey): KadRecord;
}

async function start(t: TestContext, settings: SettingValues = {}): Promise<Harness> {
  const { bus, clock, ctx } = actorTestSetup(t, {
    node: NODE,
    settings: { k: String(K), 'rpc-timeout-ms': String(RPC_TIMEOUT_MS), 'lookup-timeout-ms': '1000', ...settings },
  });
  const scripts = new Map<string, { readonly contact: Contact; readonly script: PeerScript }>();
  const scriptOf = (peer: PeerRef): PeerScript => scripts.get(peer.address)?.script ?? {};
  /** A scripted peer answers as the contact it was scripted as. */
  const responderAt = (peer: PeerRef): Contact => scripts.get(peer.address)!.contact;
  const never = new Promise<never>(() => undefined);
  // What the stubs answer from: the test sets it, before or after the actor starts.
  const state: Pick<Harness, 'seeds' | 'local' | 'storagePut'> = { seeds: [], local: undefined, storagePut: () => ({ stored: true }) };
  await serveStub(
    bus,
    NODE,
    'routing-table',
    routingTableHandlers(ctx.identity.id, {
      // Only a lookup's seed request gets contacts: maintenance's table-size probe sees an empty table.
      closest: (request) => ({ contacts: request.lookup ? state.seeds : [] }),
    }),
  );
  const storage = await serveStub(
    bus,
    NODE,
    'storage',
    storageHandlers({
      get: () => ({ record: state.local }),
      put: (request) => state.storagePut(request.record),
    }),
  );
  const transport = await serveStub(
    bus,
    NODE,
    'transport',
    transportHandlers({
      'find-value': (request) => {
        const answer = scriptOf(request.peer).findValue;
        return answer ? { responder: responderAt(request.peer), closer: [], ...answer() } : never;
      },
      'find-node': (request) => {
        const answer = scriptOf(request.peer).findNode;
        return answer ? { responder: responderAt(request.peer), closer: answer() } : never;
      },
      store: (request) => ({
        outcomes: request.peers.map((peer) => scriptOf(peer).store?.(request.record) ?? { stored: false, error: 'no answer scripted' }),
      }),
    }),
  );
  const actor = await LookupCoordinatorActor.start(ctx);
  t.after(async () => {
    await actor.stop();
    await bus.close();
  });
  await settle();
  const other = SigningKey.generate();
  return Object.assign(state, {
    self: { id: ctx.identity.id, address: ctx.config.advertise },
    clock,
    actors: new ActorClient(bus, NODE),
    transport,
    storage,
    peer: (contact: Contact, script: PeerScript) => {
      scripts.set(contact.address, { contact, script });
      return contact;
    },
    record: (value: string, offsetMs = 0, signer = other) =>
      signedRecord({ key: KEY, value, createdMs: clock.now() + offsetMs, expiresMs: clock.now() + 60_000 }, signer),
  });
}

/** A client's Get of KEY (every field as gRPC decodes it: unset ones at their defaults). */
const get = (h: Harness, request: Partial<v1.GetRequest__Output> = {}, localChecked = false) =>
  h.actors.ask(
    'lookup-coordinator',
    'get',
    { request: dht.GetRequest.fromPartial({ key: Buffer.from(KEY), ...request }), timeoutMs: 0, localChecked },
    5_000,
  );
/** A client's plain Put of KEY. */
const put = (h: Harness, value: string) =>
  h.actors.ask(
    'lookup-coordinator',
    'put',
    { request: dht.PutRequest.fromPartial({ key: Buffer.from(KEY), value: Buffer.from(value) }), timeoutMs: 0 },
    5_000,
  );

const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);
const addresses = (peers: readonly PeerRef[]): string[] => peers.map((p) => p.address);
const holds = (record: KadRecord) => () => ({ record });
const closer =
  (...contacts: Contact[]) =>
  () => ({ closer: contacts });
const stored = (): StoreOutcome => ({ stored: true });
const peerNear = (bits: number, salt: number): Contact => contactWith(idSharing(RECORD_ID, bits, salt));

test('a Get this node holds a copy for is answered from storage, with no lookup', async (t) => {
  const h = await start(t);
  h.local = h.record('local');
  h.seeds = [h.peer(peerNear(4, 1), { findValue: closer() })];
  const reply = await get(h);
  assert.equal(reply.found, true);
  assert.equal(text(reply.value), 'local');
  assert.deepEqual([reply.peerRpcs, reply.lookupRounds], [0, 0]);
  assert.equal(h.transport.asked('find-value').length, 0);
  assert.equal(idToHex(h.storage.asked('get')[0]!.recordId), idToHex(RECORD_ID));
});

test('a Get storage misses runs a lookup on the peers’ answers, returns the value and caches it at the closest peer without it', async (t) => {
  const h = await start(t);
  const remote = h.record('remote');
  const c = h.peer(peerNear(20, 3), { findValue: holds(remote) });
  const a = h.peer(peerNear(10, 1), { findValue: closer(c), store: stored });
  const b = h.peer(peerNear(8, 2), { findValue: closer() });
  h.seeds = [a, b];
  const reply = await get(h);
  assert.equal(reply.found, true);
  assert.equal(text(reply.value), 'remote');
  assert.equal(reply.peerRpcs, 3);
  const asked = h.transport.asked('find-value');
  assert.deepEqual(addresses(asked.map((r) => r.peer)).sort(), [a, b, c].map((p) => p.address).sort());
  assert.ok(asked.every((r) => idToHex(r.recordId) === idToHex(RECORD_ID)));
  assert.ok(asked.every((r) => r.timeoutMs === RPC_TIMEOUT_MS));
  // After the answer: one cached copy, at `a`, the closest that answered without the value (§2.3).
  await settle();
  const stores = h.transport.asked('store');
  assert.equal(stores.length, 1);
  assert.deepEqual(addresses(stores[0]!.peers), [a.address]);
  assert.equal(text(stores[0]!.record.value), 'remote');
  assert.equal(h.storage.asked('put').length, 0, 'a first-value Get keeps no copy here');
});

test('a Get the transport already checked storage for goes straight to the lookup', async (t) => {
  const h = await start(t);
  h.seeds = [h.peer(peerNear(10, 1), { findValue: closer() })];
  const reply = await get(h, {}, true);
  assert.equal(reply.found, false);
  assert.equal(h.storage.asked('get').length, 0);
  assert.equal(h.transport.asked('find-value').length, 1);
});

test('a Get nobody holds a value for is not found, after asking every peer the lookup reached', async (t) => {
  const h = await start(t);
  const c = h.peer(peerNear(12, 3), { findValue: closer() });
  h.seeds = [h.peer(peerNear(10, 1), { findValue: closer(c) }), h.peer(peerNear(8, 2), { findValue: closer() })];
  const reply = await get(h);
  assert.equal(reply.found, false);
  assert.equal(reply.peerRpcs, 3);
  await settle();
  assert.equal(h.transport.asked('store').length, 0, 'nothing to repair or cache');
});

test('a quorum Get reads several versions, returns the newest, and repairs the stale holders and this node’s copy', async (t) => {
  const h = await start(t);
  const old = h.record('old');
  const newer = h.record('newer', 1_000);
  h.local = old;
  const a = h.peer(peerNear(10, 1), { findValue: holds(newer), store: stored });
  const b = h.peer(peerNear(9, 2), { findValue: holds(old), store: stored });
  const c = h.peer(peerNear(8, 3), { findValue: closer(), store: stored });
  h.seeds = [a, b, c];
  // Quorum k: this node's copy and three more wanted; two peers have one, so the lookup runs to its end.
  const reply = await get(h, { quorum: K });
  assert.equal(text(reply.value), 'newer');
  assert.equal(reply.peerRpcs, 3);
  await settle();
  const repaired = h.transport.asked('store');
  assert.deepEqual(addresses(repaired.flatMap((s) => s.peers)).sort(), [b.address, c.address].sort(), 'the stale and the empty holder');
  assert.ok(repaired.every((s) => text(s.record.value) === 'newer'));
  const own = h.storage.asked('put');
  assert.equal(own.length, 1, 'this node’s stale copy');
  assert.equal(text(own[0]!.record.value), 'newer');
});

test('a quorum Get is not answered from this node’s copy alone', async (t) => {
  const h = await start(t);
  h.local = h.record('old');
  h.seeds = [h.peer(peerNear(10, 1), { findValue: holds(h.record('newer', 1_000)), store: stored })];
  const reply = await get(h, { quorum: 2 });
  assert.equal(text(reply.value), 'newer');
  assert.equal(reply.peerRpcs, 1);
});

test('a peer that does not answer within the RPC timeout is passed over (the clock moves the lookup on)', async (t) => {
  const h = await start(t, { alpha: '1' });
  const silent = h.peer(peerNear(20, 1), {});
  const holder = h.peer(peerNear(5, 2), { findValue: holds(h.record('found anyway')) });
  h.seeds = [silent, holder];
  const pending = get(h);
  assert.equal(await isSettled(pending), false);
  assert.deepEqual(addresses(h.transport.asked('find-value').map((r) => r.peer)), [silent.address], 'alpha 1: the closest first');
  await h.clock.advance(RPC_TIMEOUT_MS - 1);
  assert.equal(h.transport.asked('find-value').length, 1, 'still within its timeout');
  await h.clock.advance(1);
  const reply = await pending;
  assert.equal(text(reply.value), 'found anyway');
  assert.deepEqual(addresses(h.transport.asked('find-value').map((r) => r.peer)), [silent.address, holder.address]);
});

test('a Put stores on the k closest the lookup found, this node’s copy through storage, and counts the acknowledgements', async (t) => {
  const h = await start(t);
  const c = h.peer(peerNear(12, 3), { findNode: () => [], store: () => ({ stored: false, error: 'connection refused' }) });
  const a = h.peer(peerNear(10, 1), { findNode: () => [c], store: stored });
  const b = h.peer(peerNear(8, 2), { findNode: () => [], store: stored });
  h.seeds = [a, b];
  const reply = await put(h, 'value');
  // k = 4: the three peers and this node are the replicas.
  assert.deepEqual([reply.acknowledged, reply.attempted], [3, 4], 'this node, a and b');
  assert.ok(reply.recordId, 'the record id is in the reply');
  assert.equal(idToHex(reply.recordId), idToHex(RECORD_ID));
  assert.deepEqual(addresses(h.transport.asked('find-node').map((r) => r.peer)).sort(), [a, b, c].map((p) => p.address).sort());
  const stores = h.transport.asked('store');
  assert.equal(stores.length, 1, 'every other replica in one transport request');
  assert.deepEqual(addresses(stores[0]!.peers).sort(), [a, b, c].map((p) => p.address).sort());
  const own = h.storage.asked('put');
  assert.equal(own.length, 1);
  assert.equal(own[0]!.quotaKey ?? '', '', 'this node’s own copy is charged to nobody');
  const record = own[0]!.record;
  assert.equal(text(record.value), 'value');
  assert.ok(idEquals(record.publisher, h.self.id), 'this node publishes it');
  assert.equal(checkRecord(record, DEFAULT_CONFIG, h.clock.now(), verifyEd25519), undefined, 'signed, and valid now');
  assert.deepEqual(stores[0]!.record, record, 'the same record to every replica');
});

test('a Put whose k closest do not include this node stores on them only, and keeps an uncounted copy of its own', async (t) => {
  const h = await start(t);
  // Five peers, all closer to the record than this node; the first two store it, the others time out.
  const shared = commonPrefixLength(h.self.id, RECORD_ID);
  const peers = Array.from({ length: 5 }, (_, i) =>
    h.peer(peerNear(shared + 5 - i, i + 1), { findNode: () => [], store: i < 2 ? stored : () => ({ stored: false, error: 'timeout' }) }),
  );
  h.seeds = peers;
  const reply = await put(h, 'value');
  const stores = h.transport.asked('store');
  assert.equal(stores.length, 1);
  assert.deepEqual(
    addresses(stores[0]!.peers).sort(),
    peers
      .slice(0, K)
      .map((p) => p.address)
      .sort(),
    'the farthest peer gets none',
  );
  assert.equal(h.storage.asked('put').length, 1, 'the publisher keeps its own copy');
  assert.deepEqual([reply.acknowledged, reply.attempted], [2, K], 'the own copy is not a replica');
});

test('a Put a replica answers with a newer version it holds is stored again, versioned above it', async (t) => {
  const h = await start(t);
  const held = h.record('held elsewhere', 5_000);
  let round = 0;
  const a = h.peer(peerNear(10, 1), {
    findNode: () => [],
    store: () => (++round === 1 ? { stored: false, held } : { stored: true }),
  });
  h.seeds = [a];
  const reply = await put(h, 'mine');
  const stores = h.transport.asked('store').map((s) => s.record);
  assert.equal(stores.length, 2, 'a second round');
  assert.ok(compareRecords(stores[0]!, held) < 0, 'the first version lost');
  assert.ok(compareRecords(stores[1]!, held) > 0, 'the second outbids the one held');
  assert.equal(text(stores[1]!.value), 'mine');
  assert.equal(stores[1]!.expiresMs - stores[1]!.createdMs, stores[0]!.expiresMs - stores[0]!.createdMs, 'the same lifetime');
  assert.equal(checkRecord(stores[1]!, DEFAULT_CONFIG, h.clock.now(), verifyEd25519), undefined);
  assert.deepEqual(
    h.storage.asked('put').map((p) => p.record),
    stores,
    'this node’s copy follows each round',
  );
  assert.deepEqual([reply.acknowledged, reply.attempted], [2, 2]);
});

test('a Put is not stored again for a "newer" version that does not verify', async (t) => {
  const h = await start(t);
  const held = h.record('held elsewhere', 5_000);
  const forged: KadRecord = { ...held, value: new TextEncoder().encode('forged') };
  h.seeds = [h.peer(peerNear(10, 1), { findNode: () => [], store: () => ({ stored: false, held: forged }) })];
  const reply = await put(h, 'mine');
  assert.equal(h.transport.asked('store').length, 1);
  assert.deepEqual([reply.acknowledged, reply.attempted], [1, 2], 'only this node stored it');
});

test('a Put no replica acknowledges fails with unavailable', async (t) => {
  const h = await start(t);
  h.seeds = [h.peer(peerNear(10, 1), { findNode: () => [], store: () => ({ stored: false, error: 'connection refused' }) })];
  h.storagePut = () => ({ stored: false });
  await assert.rejects(put(h, 'value'), (err: KadError) => err.code === ErrorCode.Unavailable && /connection refused/.test(err.message));
});
