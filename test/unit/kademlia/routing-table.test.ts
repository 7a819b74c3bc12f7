/** Scenario tests for libs/kademlia/routing-table.ts (paper §2.2, §2.4, §4.1, §4.2). */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { RoutingTable } from '../../../libs/kademlia/routing-table.js';
import { idEquals, idToHex, type NodeId } from '../../../libs/kademlia/id.js';
import type { Contact } from '../../../libs/kademlia/contact.js';
import { idOf } from './helpers.js';

const SELF = idOf(); // all zeros
const at = (id: NodeId, port = 1): Contact => ({ id, address: `10.0.0.1:${port}` });
const hexes = (contacts: readonly Contact[]): string[] => contacts.map((c) => idToHex(c.id));

/** self = 0, k = 2; a and b fill the far half (first bit 1). */
function fullFarBucket(options: { maxFailures?: number; replacementCacheSize?: number } = {}) {
  const table = new RoutingTable(SELF, { k: 2, ...options });
  const a = at(idOf(0x80, 1));
  const b = at(idOf(0x80, 2));
  assert.deepEqual(table.observe(a, 1), { kind: 'inserted' });
  assert.deepEqual(table.observe(b, 2), { kind: 'inserted' });
  return { table, a, b };
}

describe('RoutingTable', () => {
  test('ignores self and invalid contacts', () => {
    const table = new RoutingTable(SELF, { k: 2 });
    assert.deepEqual(table.observe(at(idOf()), 0), { kind: 'ignored', reason: 'self' });
    assert.deepEqual(table.observe({ id: new Uint8Array(31), address: 'h:1' }, 0), { kind: 'ignored', reason: 'invalid' });
    assert.deepEqual(table.observe({ id: idOf(1), address: 'no-port' }, 0), { kind: 'ignored', reason: 'invalid' });
    assert.equal(table.size(), 0);
  });

  test('rejects bad options', () => {
    assert.throws(() => new RoutingTable(SELF, { k: 0 }), RangeError);
    assert.throws(() => new RoutingTable(new Uint8Array(3), { k: 2 }), RangeError);
    assert.throws(() => new RoutingTable(SELF, { k: 2, maxFailures: 0 }), RangeError);
  });

  test('observing a known contact moves it to the most-recently-seen end', () => {
    const { table, a, b } = fullFarBucket();
    assert.deepEqual(table.observe(a, 3), { kind: 'updated' });
    const bucket = table.buckets().find((x) => x.contacts.length > 0);
    assert.deepEqual(hexes(bucket?.contacts ?? []), hexes([b, a]));
    assert.equal(table.size(), 2);
  });

  test('a known id claimed from another address is ignored: the entry cannot be hijacked', () => {
    const { table, a, b } = fullFarBucket();
    assert.deepEqual(table.observe({ id: a.id, address: 'attacker:9' }, 3), { kind: 'ignored', reason: 'address-conflict' });
    assert.equal(table.get(a.id)?.address, a.address);
    const bucket = table.buckets().find((x) => x.contacts.length > 0);
    assert.deepEqual(hexes(bucket?.contacts ?? []), hexes([a, b]), 'not refreshed either');
    // Once the real entry is gone, the id may come back at its new address.
    table.remove(a.id);
    assert.deepEqual(table.observe({ id: a.id, address: 'moved:9' }, 4), { kind: 'inserted' });
    assert.equal(table.get(a.id)?.address, 'moved:9');
  });

  test('a full bucket that cannot split returns pending with its least-recently-seen contact', () => {
    const { table, a } = fullFarBucket();
    const c = at(idOf(0x80, 3));
    const result = table.observe(c, 3);
    assert.equal(result.kind, 'pending');
    assert.ok(result.kind === 'pending' && idEquals(result.ping.id, a.id));
    assert.equal(table.has(c.id), false);
    // Another newcomer while that ping is out: it waits too, and no second ping is asked for.
    const again = table.observe(at(idOf(0x80, 4)), 4);
    assert.equal(again.kind, 'queued');
    const far = table.buckets().find((x) => x.contacts.length > 0);
    assert.deepEqual(hexes(far?.replacements ?? []), hexes([c, at(idOf(0x80, 4))]));
  });

  test('one ping per full bucket: none while it is out, another once it is answered or lost (pendingPingMs)', () => {
    const { table, a, b } = fullFarBucket();
    assert.ok(table.observe(at(idOf(0x80, 3)), 10).kind === 'pending');
    assert.equal(table.observe(at(idOf(0x80, 4)), 11).kind, 'queued');
    table.onPingResult(a.id, true, 12);
    const next = table.observe(at(idOf(0x80, 5)), 13);
    assert.ok(next.kind === 'pending' && idEquals(next.ping.id, b.id), 'answered: the new LRS is pinged');
    // That answer never comes: once pendingPingMs has passed the bucket pings again.
    const short = new RoutingTable(SELF, { k: 2, pendingPingMs: 100 });
    short.observe(a, 1);
    short.observe(b, 2);
    assert.equal(short.observe(at(idOf(0x80, 3)), 3).kind, 'pending');
    assert.equal(short.observe(at(idOf(0x80, 4)), 102).kind, 'queued');
    assert.equal(short.observe(at(idOf(0x80, 5)), 103).kind, 'pending');
    // The pinged contact evicted meanwhile (its RPCs failed): the next newcomer pings the new LRS.
    short.remove(a.id);
    const after = short.observe(at(idOf(0x80, 6)), 104);
    assert.ok(after.kind === 'pending' && !idEquals(after.ping.id, a.id));
  });

  test('ping alive keeps the LRS (now most recent); the newcomer waits as a replacement', () => {
    const { table, a, b } = fullFarBucket();
    const c = at(idOf(0x80, 3));
    table.observe(c, 3);
    assert.deepEqual(table.onPingResult(a.id, true, 4), {});
    assert.ok(table.has(a.id) && table.has(b.id) && !table.has(c.id));
    const bucket = table.buckets().find((x) => x.contacts.length > 0);
    assert.deepEqual(hexes(bucket?.contacts ?? []), hexes([b, a]));
    assert.deepEqual(hexes(bucket?.replacements ?? []), hexes([c]));
    const next = table.observe(at(idOf(0x80, 5)), 5);
    assert.ok(next.kind === 'pending' && idEquals(next.ping.id, b.id));
  });

  test('ping dead evicts the LRS and promotes the most recent replacement', () => {
    const { table, a, b } = fullFarBucket();
    const c = at(idOf(0x80, 3));
    const d = at(idOf(0x80, 4));
    table.observe(c, 3);
    table.observe(d, 4);
    const change = table.onPingResult(a.id, false, 5);
    assert.ok(change.evicted && idEquals(change.evicted.id, a.id));
    assert.ok(change.promoted && idEquals(change.promoted.id, d.id));
    const bucket = table.buckets().find((x) => x.contacts.length > 0);
    assert.deepEqual(hexes(bucket?.contacts ?? []), hexes([b, d]));
    assert.deepEqual(hexes(bucket?.replacements ?? []), hexes([c]));
    // A ping result for a contact no longer in the table changes nothing.
    assert.deepEqual(table.onPingResult(a.id, false, 6), {});
  });

  test('the replacement cache is bounded, keeps the most recent, dedups by id', () => {
    const { table } = fullFarBucket({ replacementCacheSize: 2 });
    const [c, d, e] = [3, 4, 5].map((n) => at(idOf(0x80, n)));
    for (const x of [c, d, e, d]) if (x) table.observe(x, 3);
    const bucket = table.buckets().find((x) => x.contacts.length > 0);
    assert.deepEqual(hexes(bucket?.replacements ?? []), hexes([e, d].filter((x): x is Contact => !!x)));
  });

  test('failures: eviction after maxFailures with no replacement waiting; success resets the count', () => {
    const { table, a, b } = fullFarBucket({ maxFailures: 3 });
    assert.deepEqual(table.onFailure(a.id, 1), {});
    assert.deepEqual(table.onFailure(a.id, 2), {});
    table.observe(a, 3); // heard from a: the count restarts
    assert.deepEqual(table.onFailure(a.id, 4), {});
    assert.deepEqual(table.onFailure(a.id, 5), {});
    const change = table.onFailure(a.id, 6);
    assert.ok(change.evicted && idEquals(change.evicted.id, a.id));
    assert.equal(change.promoted, undefined);
    assert.ok(!table.has(a.id) && table.has(b.id));
    assert.deepEqual(table.onFailure(a.id, 7), {});
  });

  test('failures: instant eviction when a replacement is waiting', () => {
    const { table, a } = fullFarBucket({ maxFailures: 5 });
    const c = at(idOf(0x80, 3));
    table.observe(c, 3);
    const change = table.onFailure(a.id, 4);
    assert.ok(change.evicted && idEquals(change.evicted.id, a.id));
    assert.ok(change.promoted && idEquals(change.promoted.id, c.id));
    assert.ok(table.has(c.id));
  });

  test('remove evicts and promotes; removes a waiting replacement too', () => {
    const { table, a, b } = fullFarBucket();
    const c = at(idOf(0x80, 3));
    const d = at(idOf(0x80, 4));
    table.observe(c, 3);
    table.observe(d, 4);
    assert.deepEqual(table.remove(c.id), {});
    const change = table.remove(b.id);
    assert.ok(change.evicted && idEquals(change.evicted.id, b.id));
    assert.ok(change.promoted && idEquals(change.promoted.id, d.id));
    const bucket = table.buckets().find((x) => x.contacts.length > 0);
    assert.deepEqual(hexes(bucket?.contacts ?? []), hexes([a, d]));
    assert.deepEqual(bucket?.replacements, []);
  });

  test('the bucket holding self splits (§2.4)', () => {
    const table = new RoutingTable(SELF, { k: 2 });
    // Ids at growing closeness to self: 1xxx, 01xx, 001x, ...
    for (let i = 0; i < 8; i++) {
      assert.equal(table.observe(at(idOf(0x80 >> i), i + 1), i).kind, 'inserted', `bit ${i}`);
      assert.equal(table.observe(at(idOf(0x80 >> i, 1), i + 100), i).kind, 'inserted', `bit ${i}`);
    }
    assert.equal(table.size(), 16);
    const buckets = table.buckets();
    // One bucket per depth 1..7 away from self; the one holding self (0000000x) has the 0x01s.
    assert.deepEqual(
      buckets.map((b) => b.depth),
      [7, 7, 6, 5, 4, 3, 2, 1],
    );
    assert.deepEqual(
      buckets.map((b) => b.contacts.length),
      [2, 2, 2, 2, 2, 2, 2, 2],
    );
    // One more contact next to self splits its bucket again.
    assert.equal(table.observe(at(idOf(0, 1)), 9).kind, 'inserted');
    assert.deepEqual(
      table.buckets().map((b) => b.depth),
      [8, 8, 7, 6, 5, 4, 3, 2, 1],
    );
  });

  test('§4.2: a full bucket away from self splits when the newcomer is among the k closest to self', () => {
    const table = new RoutingTable(SELF, { k: 2 });
    table.observe(at(idOf(0xfe)), 1);
    table.observe(at(idOf(0xfd)), 2);
    // Farther from self than both known contacts: the far bucket stays full.
    assert.equal(table.observe(at(idOf(0xff)), 3).kind, 'pending');
    // Closer to self than both: splits the far bucket.
    assert.equal(table.observe(at(idOf(0x80, 1)), 4).kind, 'inserted');
    assert.equal(table.size(), 3);
    assert.deepEqual(
      table.buckets().map((b) => [b.depth, b.prefix[0], b.contacts.length]),
      [
        [1, 0x00, 0],
        [2, 0x80, 1],
        [2, 0xc0, 2],
      ],
    );
    // Once two contacts closer to self are known, the rule no longer applies.
    assert.equal(table.observe(at(idOf(0x80, 2)), 5).kind, 'inserted');
    assert.equal(table.observe(at(idOf(0x80, 3)), 6).kind, 'pending');
  });

  test('a split lets a waiting replacement into the half with room', () => {
    const table = new RoutingTable(SELF, { k: 2 });
    for (const byte of [0xc0, 0xc1, 0x01, 0x02]) assert.equal(table.observe(at(idOf(byte)), 1).kind, 'inserted');
    // Two contacts are closer to self than 0xa0, and 1xxx is full: 0xa0 waits.
    assert.equal(table.observe(at(idOf(0xa0)), 2).kind, 'pending');
    table.remove(idOf(0x01));
    table.remove(idOf(0x02));
    // Now 0x90 is among the k closest to self: 1xxx splits, 10xx takes 0xa0 from the cache.
    assert.equal(table.observe(at(idOf(0x90)), 3).kind, 'inserted');
    assert.ok(table.has(idOf(0xa0)) && table.has(idOf(0x90)));
    assert.equal(table.size(), 4);
    assert.ok(table.buckets().every((b) => b.replacements.length === 0));
  });

  test('closest is sorted, distinct, bounded and never holds self', () => {
    const table = new RoutingTable(SELF, { k: 3 });
    for (let i = 1; i < 200; i++) table.observe(at(idOf(i, i)), i);
    const target = idOf(0x42);
    const closest = table.closest(target, 5);
    assert.equal(closest.length, 5);
    assert.equal(closest[0]?.id[0], 0x42);
    assert.equal(table.closest(target, 0).length, 0);
    assert.equal(table.closest(target, 10_000).length, table.size());
  });

  test('lastTouchedMs follows observes and touch; bucketsNotSeenSince lists stale buckets', () => {
    const table = new RoutingTable(SELF, { k: 1 });
    table.observe(at(idOf(0x80)), 100);
    table.observe(at(idOf(0x40)), 200);
    // Buckets: 0xxx (holds self and 0x40), 1xxx (holds 0x80, untouched by the split).
    assert.deepEqual(
      table.buckets().map((b) => [b.prefix[0], b.lastTouchedMs]),
      [
        [0x00, 200],
        [0x80, 100],
      ],
    );
    assert.deepEqual(
      table.bucketsNotSeenSince(150).map((b) => b.prefix[0]),
      [0x80],
    );
    table.touch(idOf(0xc0), 300);
    assert.deepEqual(
      table.bucketsNotSeenSince(250).map((b) => b.prefix[0]),
      [0x00],
    );
    assert.deepEqual(table.bucketsNotSeenSince(200), []);
  });

  test('§2.3: a joining node refreshes one range per distance, out to its closest contact', () => {
    const table = new RoutingTable(SELF, { k: 20 });
    assert.deepEqual(table.joinRefreshRanges(), [], 'nothing to refresh with an empty table');
    // One bucket holds both contacts (k = 20), but they sit at two distances and the closest
    // shares two bits with self (0x20 = 0010...): three ranges, 1xxx, 01xx and 001x.
    table.observe(at(idOf(0x80)), 1);
    table.observe(at(idOf(0x20)), 2);
    assert.equal(table.buckets().length, 1);
    assert.deepEqual(
      table.joinRefreshRanges().map((r) => [r.prefix[0], r.depth]),
      [
        [0x80, 1],
        [0x40, 2],
        [0x20, 3],
      ],
    );
  });

  test('contacts are copied on insert', () => {
    const table = new RoutingTable(SELF, { k: 2 });
    const id = idOf(0x80);
    table.observe(at(id), 1);
    id[0] = 0x40;
    assert.ok(table.has(idOf(0x80)));
  });
});
