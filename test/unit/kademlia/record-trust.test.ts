/**
 * The trust rules of records (record.ts, record-signature.ts, hybrid-clock.ts): versions that only
 * grow, signatures that cover every field, publisher ids bound to keys, owned records that only a
 * higher sequence of the same owner replaces. Signatures are real Ed25519 (libs/identity).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { SigningKey, verifyEd25519 } from '../../../libs/identity/ed25519.js';
import { HybridClock, compareVersions, MAX_LOGICAL, type Version } from '../../../libs/kademlia/hybrid-clock.js';
import { idEquals, recordIdOf } from '../../../libs/kademlia/id.js';
import {
  checkRecord,
  checkRecordOf,
  idOfRecord,
  signRecord,
  storeDecision,
  verifyRecord,
  type KadRecord,
} from '../../../libs/kademlia/record.js';
import { ownedRecordId, ownerSigningBytes, publisherIdOf } from '../../../libs/kademlia/record-signature.js';
import { MemoryRecordStore } from '../../../libs/kademlia/record-store.js';
import { DEFAULT_RECORD_LIMITS, MAX_CLOCK_SKEW_MS } from '../../../libs/kademlia/record.js';
import { fcOptions } from './helpers.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const NOW = 1_800_000_000_000;
const rules = { limits: DEFAULT_RECORD_LIMITS, expireMs: 3_600_000 };
const node = SigningKey.generate();
const alice = SigningKey.generate();
const mallory = SigningKey.generate();

function plain(value: string, createdMs = NOW, logical = 0, signer = node): KadRecord {
  return signRecord({ key: bytes('k'), value: bytes(value), createdMs, logical, expiresMs: createdMs + 60_000 }, signer);
}

function owned(value: string, seq: number, owner = alice, signedBy = owner): KadRecord {
  const expiresMs = NOW + 60_000;
  const signature = signedBy.sign(ownerSigningBytes({ key: bytes('k'), value: bytes(value), seq, expiresMs }));
  return signRecord(
    { key: bytes('k'), value: bytes(value), createdMs: NOW, logical: 0, expiresMs, owner: { publicKey: owner.publicKey, seq, signature } },
    node,
  );
}

describe('hybrid logical clock', () => {
  test('follows the physical clock forward, counts when it stands still or goes back', () => {
    const clock = new HybridClock();
    assert.deepEqual(clock.tick(100), { wallMs: 100, logical: 0 });
    assert.deepEqual(clock.tick(100), { wallMs: 100, logical: 1 });
    assert.deepEqual(clock.tick(50), { wallMs: 100, logical: 2 });
    assert.deepEqual(clock.tick(101), { wallMs: 101, logical: 0 });
  });

  test('a version observed from a clock an hour ahead: the next tick is later still', () => {
    const behind = new HybridClock();
    const ahead: Version = { wallMs: NOW + 3_600_000, logical: 7 };
    behind.observe(ahead);
    assert.ok(compareVersions(behind.tick(NOW), ahead) > 0);
  });

  test('the logical part never passes its uint32 bound', () => {
    const clock = new HybridClock();
    clock.observe({ wallMs: 10, logical: MAX_LOGICAL });
    assert.deepEqual(clock.tick(0), { wallMs: 11, logical: 0 });
  });

  test('property: ticks strictly increase whatever the physical clock and the versions observed', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ tick: fc.integer({ min: 0, max: 50 }) }),
            fc.record({ wallMs: fc.integer({ min: 0, max: 50 }), logical: fc.integer({ min: 0, max: 3 }) }),
          ),
          { maxLength: 60 },
        ),
        (steps) => {
          const clock = new HybridClock();
          let last: Version = { wallMs: -1, logical: 0 };
          for (const step of steps) {
            if ('tick' in step) {
              const next = clock.tick(step.tick);
              assert.ok(compareVersions(next, last) > 0);
              last = next;
            } else {
              clock.observe(step);
              if (compareVersions(step, last) > 0) last = step;
            }
          }
        },
      ),
      fcOptions(300),
    );
  });
});

describe('signed records', () => {
  test('a signed record checks; its publisher is the SHA-256 of its key', () => {
    const record = plain('v');
    assert.ok(idEquals(record.publisher, publisherIdOf(node.publicKey)));
    assert.equal(checkRecord(record, rules, NOW, verifyEd25519), undefined);
  });

  test('any field changed after signing fails verification', () => {
    const record = plain('v');
    const tampered: KadRecord[] = [
      { ...record, value: bytes('w') },
      { ...record, key: bytes('j') },
      { ...record, createdMs: record.createdMs + 1 },
      { ...record, logical: 1 },
      { ...record, expiresMs: record.expiresMs + 1 },
      { ...record, signature: Uint8Array.from(record.signature, (b, i) => (i === 0 ? b ^ 1 : b)) },
    ];
    for (const bad of tampered) assert.match(verifyRecord(bad, verifyEd25519)?.message ?? '', /signature does not verify/);
  });

  test("a publisher id that is not its key's hash is refused", () => {
    const record = plain('v');
    const problem = verifyRecord({ ...record, publisher: publisherIdOf(mallory.publicKey) }, verifyEd25519);
    assert.match(problem?.message ?? '', /publisher is not the SHA-256 of publisher_key/);
    // Re-keyed to another node's key without its private key: the signature no longer verifies.
    const rekeyed = { ...record, publisherKey: mallory.publicKey, publisher: publisherIdOf(mallory.publicKey) };
    assert.match(verifyRecord(rekeyed, verifyEd25519)?.message ?? '', /publisher's signature/);
  });

  test('far-future versions and expiries are refused; the bound holds exactly', () => {
    assert.match(
      checkRecord(plain('v', NOW + 10 * 365 * 86_400_000), rules, NOW, verifyEd25519)?.message ?? '',
      /createdMs .* past this node's clock/,
    );
    assert.match(
      checkRecord(plain('v', NOW + MAX_CLOCK_SKEW_MS + 1), rules, NOW, verifyEd25519)?.message ?? '',
      /createdMs .* past this node's clock/,
    );
    assert.equal(checkRecord(plain('v', NOW + MAX_CLOCK_SKEW_MS - 60_000), rules, NOW, verifyEd25519), undefined);
    const longLived = signRecord(
      { key: bytes('k'), value: bytes('v'), createdMs: NOW, logical: 0, expiresMs: NOW + rules.expireMs + MAX_CLOCK_SKEW_MS + 1 },
      node,
    );
    assert.match(checkRecord(longLived, rules, NOW, verifyEd25519)?.message ?? '', /expiresMs .* record lifetime/);
  });
});

describe('owned records (BEP 44 mutable items)', () => {
  test("live at SHA-256(tag, owner key, name): apart from the plain key and from another owner's", () => {
    const record = owned('v', 1);
    assert.ok(idEquals(idOfRecord(record), ownedRecordId(alice.publicKey, bytes('k'))));
    assert.ok(!idEquals(idOfRecord(record), recordIdOf(bytes('k'))));
    assert.ok(!idEquals(idOfRecord(record), ownedRecordId(mallory.publicKey, bytes('k'))));
    assert.equal(checkRecord(record, rules, NOW, verifyEd25519), undefined);
  });

  test('a signature by anyone but the owner does not verify', () => {
    assert.match(verifyRecord(owned('v', 9, alice, mallory), verifyEd25519)?.message ?? '', /owner's signature does not verify/);
  });

  test('only a higher seq replaces; an equal seq with another value and a stale seq are refused', () => {
    const held = owned('two', 2);
    assert.equal(storeDecision(owned('three', 3), held), 'replace');
    assert.equal(storeDecision(owned('one', 1), held), 'newer');
    assert.equal(storeDecision(owned('other', 2), held), 'newer');
    assert.equal(storeDecision(owned('two', 2), held), 'same');
    assert.equal(storeDecision(plain('plain', NOW + 50_000), held), 'newer', 'a plain record never replaces an owned one');
  });

  test('compare-and-swap: only on the expected seq (and always when nothing is held)', () => {
    const held = owned('two', 2);
    assert.equal(storeDecision(owned('three', 3), held, 1), 'cas');
    assert.equal(storeDecision(owned('three', 3), held, 2), 'replace');
    assert.equal(storeDecision(owned('three', 3), undefined, 7), 'replace');
  });

  test('the store answers a refusal with the version it keeps', () => {
    const store = new MemoryRecordStore({ maxRecords: 10 });
    assert.equal(store.put(owned('two', 2), NOW).kind, 'stored');
    const outcome = store.put(owned('one', 1), NOW);
    assert.equal(outcome.kind, 'refused');
    assert.equal(outcome.kind === 'refused' && outcome.held.owner?.seq, 2);
    assert.deepEqual(store.put(owned('three', 3), NOW, 1), {
      kind: 'refused',
      reason: 'cas',
      held: store.get(idOfRecord(owned('x', 1)), NOW),
    });
    assert.equal(store.put(owned('three', 3), NOW, 2).kind, 'stored');
  });
});

test('a record handed over as the one of an id is believed only when it is of that id and checks', () => {
  const record = plain('v');
  assert.equal(checkRecordOf(idOfRecord(record), record, rules, NOW, verifyEd25519), undefined);
  assert.match(checkRecordOf(recordIdOf(bytes('other')), record, rules, NOW, verifyEd25519)?.message ?? '', /not of the id asked for/);
  const forged = { ...record, value: bytes('forged') };
  assert.ok(checkRecordOf(idOfRecord(forged), forged, rules, NOW, verifyEd25519), 'of the id, but the signature fails');
});
