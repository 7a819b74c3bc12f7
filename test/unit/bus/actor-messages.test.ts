/**
 * The actors' message codecs (libs/proto/actor-messages.ts): every verb's value survives the trip
 * through its kademlia.bus.v1 message as the NATS path makes it, and what comes in malformed is
 * refused by the codec, before an actor could see it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROTOCOL, type AnyMessageCodec } from '../../../libs/bus/protocol.js';
import { encode } from '../../../libs/proto/codec.js';
import { ACTOR_MESSAGES as M } from '../../../libs/proto/actor-messages.js';
import type { Contact, KadRecord } from '../../../libs/kademlia/index.js';
import { SigningKey } from '../../../libs/identity/ed25519.js';
import { signRecord } from '../../../libs/kademlia/record.js';

const id = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const contact = (n: number): Contact => ({ id: id(n), address: `127.0.0.1:${7000 + n}` });
const record: KadRecord = signRecord(
  { key: Uint8Array.of(1, 2), value: Uint8Array.of(3), createdMs: 1_000, logical: 2, expiresMs: 9_000 },
  SigningKey.generate(),
);
const owned: KadRecord = { ...record, owner: { publicKey: id(9), seq: 4, signature: new Uint8Array(64).fill(1) } };

/** One value per message codec: what a round trip must give back. */
const SAMPLES: [AnyMessageCodec, unknown][] = [
  [M.selfReply, { id: id(1) }],
  [M.closestRequest, { target: id(2), count: 5, lookup: true }],
  [M.contactsReply, { contacts: [contact(1), contact(2)] }],
  [
    M.tableDump,
    { self: contact(0), buckets: [{ depth: 1, prefix: Uint8Array.of(0x80), contacts: [contact(3)], replacements: [contact(4)] }] },
  ],
  [M.refreshTargetsRequest, { idleMs: 60_000, all: true }],
  [M.refreshTargetsReply, { targets: [id(5), id(6)] }],
  [M.contactEvent, { contact: contact(7), drop: true, verified: false }],
  [M.storageGet, { recordId: id(8) }],
  [M.heldRecordReply, { record: owned }],
  [M.heldRecordReply, { record: undefined }],
  [M.storagePut, { record, quotaKey: 'peer ab', expectedSeq: 3 }],
  [M.storeReply, { stored: false, held: record }],
  [M.storageStats, { records: 3, bytes: 42 }],
  [M.dueRequest, { selfId: id(1), replicateMs: 10, republishMs: 20, limit: 7 }],
  [M.dueReply, { replicate: [id(2)], republish: [id(3)] }],
  [M.idsRequest, { limit: 9, after: id(4), near: undefined }],
  [M.idsReply, { ids: [id(5)] }],
  [M.dropReply, { dropped: true }],
  [M.findNodeRequest, { target: id(6), timeoutMs: 500 }],
  [M.contactAdded, { contact: contact(8) }],
  [M.outboundPing, { peer: { address: '127.0.0.1:9', id: undefined }, timeoutMs: 100 }],
  [M.outboundPing, { peer: { address: '127.0.0.1:9', id: id(9) }, timeoutMs: 100 }],
  [M.pingReply, { responder: contact(9) }],
  [M.outboundFindNode, { peer: contact(1), target: id(2), timeoutMs: 100 }],
  [M.findNodeReply, { responder: contact(1), closer: [contact(2)] }],
  [M.outboundFindValue, { peer: contact(1), recordId: id(3), timeoutMs: 100 }],
  [M.findValueReply, { responder: contact(1), record, closer: [] }],
  [M.outboundStore, { peers: [contact(1), contact(2)], record: owned, timeoutMs: 100, expectedSeq: 4 }],
  [
    M.outboundStoreReply,
    {
      outcomes: [
        { responder: contact(1), stored: true, held: undefined, error: undefined },
        { responder: undefined, stored: false, held: undefined, error: 'refused' },
      ],
    },
  ],
  [M.tableView, { contacts: [contact(3)] }],
];

/** Compares as plain data: Uint8Array subclasses (Buffer) and absent fields alike. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? [...v] : v)));

test('actor messages - every verb of every actor has a codec, and its values round-trip through protobuf', () => {
  const used = new Set<AnyMessageCodec>();
  for (const verbs of Object.values(PROTOCOL)) {
    for (const spec of Object.values(verbs)) for (const codec of Object.values(spec) as AnyMessageCodec[]) used.add(codec);
  }
  for (const [codec, value] of SAMPLES) {
    const decoded = codec.decode(codec.encode(value as never));
    assert.deepEqual(plain(decoded), plain(value), codec.wire);
    used.delete(codec);
  }
  const untested = [...used]
    .map((c) => c.wire)
    .filter(
      (wire) =>
        ![
          'SelfRequest',
          'DumpRequest',
          'StorageStatsRequest',
          'StorageDropRequest',
          'CoordinatorPut',
          'CoordinatorGet',
          'PutResponse',
          'GetResponse',
        ].includes(wire),
    );
  assert.deepEqual(untested, [], 'a codec without a sample');
});

test('actor messages - a malformed id, contact or record from the bus is refused by the codec', () => {
  assert.throws(() => M.closestRequest.decode(encode('ClosestRequest', { target: Uint8Array.of(1, 2, 3) })), /target must be 32 bytes/);
  assert.throws(() => M.contactEvent.decode(encode('ContactEvent', { contact: { id: id(1), address: 'no port' } })), /not a valid contact/);
  assert.throws(() => M.contactEvent.decode(encode('ContactEvent', {})), /contact is missing/);
  assert.throws(() => M.storagePut.decode(encode('StoragePutRequest', {})), /record is missing/);
  assert.throws(
    () => M.outboundPing.decode(encode('OutboundPing', { peer: { address: '127.0.0.1:1', id: Uint8Array.of(1) } })),
    /peer.id must be 32 bytes/,
  );
  assert.throws(() => M.dueReply.decode(encode('StorageDueResponse', { replicate: [Uint8Array.of(1)] })), /replicate must be 32 bytes/);
  assert.throws(() => M.coordinatorPut.decode(encode('CoordinatorPut', { timeoutMs: 1 })), /request is missing/);
  assert.throws(() => M.contactsReply.decode(Uint8Array.of(0x0a, 0xff, 0xff)), 'bytes that are not protobuf');
  // A reply's malformed contacts are left out, as a peer's would be.
  const reply = M.contactsReply.decode(
    encode('ClosestResponse', {
      contacts: [
        { id: id(1), address: '127.0.0.1:1' },
        { id: Uint8Array.of(1), address: 'x' },
      ],
    }),
  );
  assert.equal(reply.contacts.length, 1);
});
