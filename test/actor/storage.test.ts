/**
 * The storage actor alone on a MemoryBus with the test's clock (it talks to no other actor, so
 * nothing is stubbed): records in and out, which version a replica keeps, what is due for
 * re-replication and republishing as the clock moves (paper §2.5, §4.1), drops, paging of ids,
 * the per-storer quota and the store's bounds, the expiry sweep on its timer, and refusals of
 * malformed or invalid requests.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { ActorClient, MemoryBus, subjectFor } from '../../libs/bus/index.js';
import { ErrorCode, type KadError } from '../../libs/errors/index.js';
import { commonPrefixLength, idFromHex, idOfRecord, idToHex, recordSize, type KadRecord, type NodeId } from '../../libs/kademlia/index.js';
import type { SigningKey } from '../../libs/identity/index.js';
import { encode } from '../../libs/proto/index.js';
import type { SettingValues } from '../../libs/runtime/index.js';
import { StorageActor } from '../../services/storage/storage-actor.js';
import { actorTestSetup, ManualClock } from '../testkit/actor-harness.js';
import { signedRecord, type RecordFields } from '../testkit/records.js';

const NODE = 'storage-under-test';
const EXPIRE_MS = 60_000;

interface Harness {
  readonly clock: ManualClock;
  readonly actors: ActorClient;
  readonly bus: MemoryBus;
  /** This node's key: records it signs are its own (it republishes them). */
  readonly key: SigningKey;
  readonly selfId: NodeId;
  /** A record created now on the test's clock, living `EXPIRE_MS` unless told otherwise. */
  record(fields: RecordFields, signer?: SigningKey): KadRecord;
  put(record: KadRecord, extra?: { quotaKey?: string; expectedSeq?: number }): Promise<{ stored: boolean; held?: KadRecord }>;
  get(record: KadRecord): Promise<KadRecord | undefined>;
}

async function start(t: TestContext, settings: SettingValues = {}): Promise<Harness> {
  const { bus, clock, ctx } = actorTestSetup(t, { node: NODE, settings: { 'expire-ms': String(EXPIRE_MS), ...settings } });
  const actor = await StorageActor.start(ctx);
  t.after(async () => {
    await actor.stop();
    await bus.close();
  });
  const actors = new ActorClient(bus, NODE);
  return {
    clock,
    actors,
    bus,
    key: ctx.identity.key,
    selfId: ctx.identity.id,
    record: (fields, signer) =>
      signedRecord({ createdMs: clock.now(), expiresMs: clock.now() + EXPIRE_MS, ...fields }, signer ?? ctx.identity.key),
    put: async (record, extra = {}) => {
      const reply = await actors.ask('storage', 'put', { record, ...extra }, 1_000);
      return reply.held ? { stored: reply.stored, held: reply.held } : { stored: reply.stored };
    },
    get: async (record) => {
      const reply = await actors.ask('storage', 'get', { recordId: idOfRecord(record) }, 1_000);
      return reply.record;
    },
  };
}

const codeOf = (code: string) => (err: KadError) => err.code === code;
const stats = (h: Harness) => h.actors.ask('storage', 'stats', {}, 1_000);

test('put, then get: the same record back, counted in stats', async (t) => {
  const h = await start(t);
  const record = h.record({ key: 'k', value: 'v1' });
  assert.deepEqual(await h.put(record), { stored: true });
  assert.deepEqual(await h.get(record), record);
  assert.deepEqual(await stats(h), { records: 1, bytes: recordSize(record) });
  assert.equal(await h.get(h.record({ key: 'another', value: 'x' })), undefined);
});

test('a losing version is refused with the version held; the winning one replaces it', async (t) => {
  const h = await start(t);
  const older = h.record({ key: 'k', value: 'old' });
  const newer = h.record({ key: 'k', value: 'new', createdMs: h.clock.now() + 10 });
  assert.deepEqual(await h.put(newer), { stored: true });
  const refused = await h.put(older);
  assert.equal(refused.stored, false);
  assert.deepEqual(refused.held, newer);
  assert.deepEqual(await h.get(older), newer, 'still the newer one');

  const newest = h.record({ key: 'k', value: 'newest', createdMs: h.clock.now() + 20 });
  assert.deepEqual(await h.put(newest), { stored: true });
  assert.deepEqual(await h.get(newer), newest);
  assert.equal((await stats(h)).records, 1);
});

test('the same version again is stored and keeps the later expiry; a compare-and-swap on a seq not held is refused', async (t) => {
  const h = await start(t);
  const createdMs = h.clock.now();
  const first = h.record({ key: 'k', value: 'v', createdMs, expiresMs: createdMs + 20_000 });
  const later = h.record({ key: 'k', value: 'v', createdMs, expiresMs: createdMs + 40_000 });
  assert.deepEqual(await h.put(first), { stored: true });
  assert.deepEqual(await h.put(later), { stored: true });
  assert.equal((await h.get(first))?.expiresMs, createdMs + 40_000);
  assert.deepEqual(await h.put(first), { stored: true }, 'idempotent');
  assert.equal((await h.get(first))?.expiresMs, createdMs + 40_000, 'the earlier expiry does not win back');

  const cas = await h.put(h.record({ key: 'k', value: 'w', createdMs: createdMs + 5 }), { expectedSeq: 1 });
  assert.equal(cas.stored, false);
  assert.deepEqual(cas.held, later);
});

test('due: re-replication once per interval, skipping a record stored again meanwhile; republishing only this node’s own', async (t) => {
  const h = await start(t);
  const own = h.record({ key: 'own', value: 'a' });
  const theirs = signedRecord({ key: 'theirs', value: 'b', createdMs: h.clock.now(), expiresMs: h.clock.now() + EXPIRE_MS });
  const restored = h.record({ key: 'restored', value: 'c' });
  for (const record of [own, theirs, restored]) await h.put(record);
  const due = async (limit = 0) => {
    const reply = await h.actors.ask('storage', 'due', { selfId: h.selfId, replicateMs: 1_000, republishMs: 3_000, limit }, 1_000);
    return {
      replicate: reply.replicate.map((id) => idToHex(id)).sort(),
      republish: reply.republish.map((id) => idToHex(id)),
    };
  };
  const hexOf = (record: KadRecord): string => idToHex(idOfRecord(record));

  assert.deepEqual(await due(), { replicate: [], republish: [] }, 'nothing is due when just stored');
  await h.clock.advance(500);
  await h.put(restored); // a STORE of it arrived: its sender replicated it (§4.1)
  await h.clock.advance(500);
  assert.deepEqual(await due(), { replicate: [hexOf(own), hexOf(theirs)].sort(), republish: [] });
  assert.deepEqual(await due(), { replicate: [], republish: [] }, 'marked done');
  await h.clock.advance(500);
  assert.deepEqual(await due(), { replicate: [hexOf(restored)], republish: [] });

  await h.clock.advance(2_000);
  const atRepublish = await due();
  assert.deepEqual(atRepublish.republish.sort(), [hexOf(own), hexOf(restored)].sort(), 'the records this node signed');
  assert.deepEqual(atRepublish.replicate, [hexOf(own), hexOf(restored), hexOf(theirs)].sort());

  await h.clock.advance(1_000);
  const limited = await due(1);
  assert.equal(limited.replicate.length, 1, 'at most limit ids per list');
});

test('drop: the record goes, once', async (t) => {
  const h = await start(t);
  const record = h.record({ key: 'k', value: 'v' });
  await h.put(record);
  const drop = () => h.actors.ask('storage', 'drop', { recordId: idOfRecord(record) }, 1_000);
  assert.deepEqual(await drop(), { dropped: true });
  assert.equal(await h.get(record), undefined);
  assert.deepEqual(await stats(h), { records: 0, bytes: 0 });
  assert.deepEqual(await drop(), { dropped: false });
});

test('ids: pages in id order after a cursor; near a target, the longest shared prefix first', async (t) => {
  const h = await start(t);
  const records = Array.from({ length: 5 }, (_, i) => h.record({ key: `key-${i}`, value: 'v' }));
  for (const record of records) await h.put(record);
  const all = records.map((r) => idToHex(idOfRecord(r))).sort();
  const page = async (after: string, limit: number): Promise<string[]> =>
    (await h.actors.ask('storage', 'ids', { after: after === '' ? undefined : idFromHex(after), limit }, 1_000)).ids.map((id) =>
      idToHex(id),
    );
  const first = await page('', 2);
  const second = await page(first.at(-1)!, 2);
  const third = await page(second.at(-1)!, 2);
  assert.deepEqual([first, second, third], [all.slice(0, 2), all.slice(2, 4), all.slice(4)]);
  assert.deepEqual(await page(third.at(-1)!, 2), []);

  const target = idOfRecord(records[3]!);
  const near = (await h.actors.ask('storage', 'ids', { near: target, limit: 5 }, 1_000)).ids;
  assert.equal(idToHex(near[0]!), idToHex(target));
  const shared = near.map((id) => commonPrefixLength(id, target));
  assert.deepEqual(
    shared,
    [...shared].sort((a, b) => b - a),
  );
  assert.equal(near.length, 5);
});

test('quota: a storer past its records is refused; others, this node itself and re-stores are not; a drop gives room back', async (t) => {
  const h = await start(t, { 'peer-quota-records': '2' });
  const [a, b, c] = ['a', 'b', 'c'].map((key) => h.record({ key, value: 'v' }));
  assert.equal((await h.put(a!, { quotaKey: 'peer A' })).stored, true);
  assert.equal((await h.put(b!, { quotaKey: 'peer A' })).stored, true);
  await assert.rejects(h.put(c!, { quotaKey: 'peer A' }), codeOf(ErrorCode.ResourceExhausted));
  assert.equal(await h.get(c!), undefined);
  assert.equal((await h.put(a!, { quotaKey: 'peer A' })).stored, true, 'a record held already is not new');
  assert.equal((await h.put(c!, { quotaKey: 'peer B' })).stored, true);
  assert.equal((await h.put(h.record({ key: 'd', value: 'v' }))).stored, true, 'this node is never limited');

  await h.actors.ask('storage', 'drop', { recordId: idOfRecord(b!) }, 1_000);
  assert.equal((await h.put(h.record({ key: 'e', value: 'v' }), { quotaKey: 'peer A' })).stored, true);
});

test('a full store refuses new records with resource-exhausted, and still takes a new version of one it holds', async (t) => {
  const h = await start(t, { 'max-records': '2' });
  await h.put(h.record({ key: 'a', value: 'v' }));
  await h.put(h.record({ key: 'b', value: 'v' }));
  await assert.rejects(h.put(h.record({ key: 'c', value: 'v' })), codeOf(ErrorCode.ResourceExhausted));
  assert.equal((await h.put(h.record({ key: 'a', value: 'w', createdMs: h.clock.now() + 1 }))).stored, true);
});

test('expired records are not served, and the sweep on the storage timer drops them and frees their storer’s quota', async (t) => {
  const h = await start(t, { 'peer-quota-records': '1' });
  const short = h.record({ key: 'short', value: 'v', expiresMs: h.clock.now() + 1_000 });
  await h.put(short, { quotaKey: 'peer A' });
  await h.clock.advance(1_000);
  assert.equal(await h.get(short), undefined, 'expired: never served');
  assert.equal((await stats(h)).records, 1, 'still held until the sweep');
  // The sweep runs every tenth of the record lifetime (6 s here).
  await h.clock.advance(5_000);
  assert.equal((await stats(h)).records, 0);
  assert.equal((await h.put(h.record({ key: 'next', value: 'v' }), { quotaKey: 'peer A' })).stored, true);
});

test('a record that fails its checks is refused with invalid-argument, and so is a malformed request', async (t) => {
  const h = await start(t);
  const good = h.record({ key: 'k', value: 'v' });
  const forged = { ...good, value: new TextEncoder().encode('forged') };
  await assert.rejects(h.put(forged), codeOf(ErrorCode.InvalidArgument), 'the signature does not cover this value');
  const expired = h.record({ key: 'k', value: 'v', expiresMs: h.clock.now() });
  await assert.rejects(h.put(expired), codeOf(ErrorCode.InvalidArgument));
  const ahead = h.record({
    key: 'k',
    value: 'v',
    createdMs: h.clock.now() + 3 * 60 * 60 * 1000,
    expiresMs: h.clock.now() + 4 * 60 * 60 * 1000,
  });
  await assert.rejects(h.put(ahead), codeOf(ErrorCode.InvalidArgument), 'created more than 2 h past this node’s clock');
  // Malformed messages as they would come from NATS: refused by the codec before the actor sees them.
  const sent = (verb: 'put' | 'get' | 'drop', bytes: Uint8Array) => h.bus.request(subjectFor(NODE, 'storage', verb), { bytes }, 1_000);
  await assert.rejects(sent('put', encode('StoragePutRequest', {})), codeOf(ErrorCode.InvalidArgument), 'no record');
  await assert.rejects(sent('get', encode('StorageGetRequest', { recordId: new Uint8Array(5) })), codeOf(ErrorCode.InvalidArgument));
  await assert.rejects(sent('drop', encode('StorageDropRequest', { recordId: new Uint8Array(0) })), codeOf(ErrorCode.InvalidArgument));
  // Bytes that are no StoragePutRequest at all (field 1 says 5 bytes follow; one does).
  await assert.rejects(
    sent('put', Uint8Array.of(0x0a, 0x05, 0x01)),
    (err: KadError) => err.code === ErrorCode.InvalidArgument && /malformed StoragePutRequest/.test(err.message),
  );
  assert.deepEqual(await stats(h), { records: 0, bytes: 0 }, 'nothing was stored');
});
