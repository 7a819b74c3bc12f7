/** The pure parts of peer trust: proofs, admission, IP groups, quotas, ids nearest a newcomer. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { SigningKey, verifyEd25519 } from '../../../libs/identity/ed25519.js';
import { Admission } from '../../../libs/kademlia/admission.js';
import { challengeOutcomeOf, verdictOnError } from '../../../libs/kademlia/rpc-verdict.js';
import { ErrorCode } from '../../../libs/errors/kad-error.js';
import { idToHex } from '../../../libs/kademlia/id.js';
import { ipGroupOf } from '../../../libs/kademlia/ip-group.js';
import { checkPingProof, pingProofBytes } from '../../../libs/kademlia/peer-proof.js';
import { publisherIdOf } from '../../../libs/kademlia/record-signature.js';
import { MemoryRecordStore } from '../../../libs/kademlia/record-store.js';
import { idOfRecord } from '../../../libs/kademlia/record.js';
import { RoutingTable } from '../../../libs/kademlia/routing-table.js';
import { StoreQuota } from '../../../libs/kademlia/store-quota.js';
import { RateLimiter } from '../../../services/transport/rate-limiter.js';
import { signedRecord } from '../../testkit/records.js';

describe('ping proofs', () => {
  const key = SigningKey.generate();
  const id = publisherIdOf(key.publicKey);
  const challenge = randomBytes(32);
  const proofAt = (address: string) => key.sign(pingProofBytes('kad', challenge, address));
  const base = { network: 'kad', challenge, dialled: '127.0.0.1:7400', id, publicKey: key.publicKey };

  test('a proof for the id, the challenge and the dialled address holds', () => {
    assert.equal(checkPingProof({ ...base, proof: proofAt('127.0.0.1:7400') }, verifyEd25519), undefined);
  });
  test('an id that is not the key’s, another address (a relay), another challenge or network fail', () => {
    const proof = proofAt('127.0.0.1:7400');
    assert.match(checkPingProof({ ...base, id: randomBytes(32), proof }, verifyEd25519)!, /SHA-256/);
    assert.match(checkPingProof({ ...base, proof: proofAt('127.0.0.1:9999') }, verifyEd25519)!, /does not verify/);
    assert.match(checkPingProof({ ...base, challenge: randomBytes(32), proof }, verifyEd25519)!, /does not verify/);
    assert.match(checkPingProof({ ...base, network: 'other', proof }, verifyEd25519)!, /does not verify/);
    assert.match(checkPingProof({ ...base, publicKey: new Uint8Array(0), proof }, verifyEd25519)!, /no proof/);
  });
});

describe('admission', () => {
  test('bounded challenges in flight, no second challenge while one runs, a failure waits', () => {
    const admission = new Admission({ maxProbes: 2, refusedRetryMs: 1_000, unreachableRetryMs: 100, maxRemembered: 2 });
    assert.ok(admission.begin('a', 0));
    assert.ok(!admission.begin('a', 0), 'the same candidate twice');
    assert.ok(admission.begin('b', 0));
    assert.ok(!admission.begin('c', 0), 'past maxProbes');
    admission.done('a', 'refused', 0);
    assert.ok(!admission.begin('a', 500), 'refused: not again before refusedRetryMs');
    assert.ok(admission.begin('a', 1_000));
    admission.done('b', 'proved', 0);
    assert.ok(admission.begin('b', 0), 'a proven one may be challenged again (it moved, say)');
  });
  test('one that could not be reached (restarting) is challenged again soon', () => {
    const admission = new Admission({ maxProbes: 2, refusedRetryMs: 60_000, unreachableRetryMs: 1_000, maxRemembered: 8 });
    assert.ok(admission.begin('restarting', 0));
    admission.done('restarting', 'unreachable', 0);
    assert.ok(!admission.begin('restarting', 500));
    assert.ok(admission.begin('restarting', 1_000));
  });
  test('a contact held at its address is not challenged again, unless it was restored from a snapshot and has not proved itself', () => {
    const admission = new Admission();
    assert.ok(!admission.shouldChallenge('held', true, 0), 'held and proven');
    assert.ok(admission.shouldChallenge('new', false, 0), 'not held: a candidate');
    admission.restored('old');
    assert.ok(admission.shouldChallenge('old', true, 0), 'restored: challenged when next heard from');
    admission.done('old', 'proved', 0);
    admission.proved('old');
    assert.ok(!admission.shouldChallenge('old', true, 0), 'proved to this run');
  });
});

describe('IP groups and the cap per group', () => {
  test('groups /24 and /48; loopback, private and host names are exempt', () => {
    assert.equal(ipGroupOf('198.18.3.7:7400'), '198.18.3.0/24');
    assert.equal(ipGroupOf('[2001:db8:1:2::5]:7400'), '2001:0db8:0001::/48');
    for (const exempt of ['127.0.0.1:1', '10.1.2.3:1', '172.20.0.1:1', '192.168.1.1:1', '[::1]:1', '[fd00::1]:1', 'node-1:7400']) {
      assert.equal(ipGroupOf(exempt), undefined, exempt);
    }
  });
  test('a table with maxPerIpGroup 2 takes no third contact of one /24, and any of loopback', () => {
    const table = new RoutingTable(randomBytes(32), { k: 20, maxPerIpGroup: 2 });
    const results = [1, 2, 3].map((i) => table.observe({ id: randomBytes(32), address: `198.18.0.${i}:7400` }, 0).kind);
    assert.deepEqual(results, ['inserted', 'inserted', 'ignored']);
    for (let i = 0; i < 5; i++) assert.equal(table.observe({ id: randomBytes(32), address: `127.0.0.1:${7400 + i}` }, 0).kind, 'inserted');
  });
});

describe('store quota', () => {
  test('a storer stops at its records and bytes; a release gives the room back', () => {
    const quota = new StoreQuota({ records: 2, bytes: 100 });
    assert.equal(quota.refusal('p', 10), undefined);
    quota.charge('r1', 'p', 10);
    quota.charge('r2', 'p', 10);
    assert.match(quota.refusal('p', 10)!, /quota of 2 records/);
    assert.equal(quota.refusal('q', 10), undefined, 'another storer is not charged');
    quota.release('r1');
    assert.equal(quota.refusal('p', 10), undefined);
    assert.match(quota.refusal('p', 95)!, /bytes/);
    quota.charge('r2', 'q', 10);
    assert.deepEqual(quota.usageOf('p'), { records: 0, bytes: 0 }, 're-charging a record moves it');
  });
});

describe('rate limiter', () => {
  test('a burst, then refusals with the time until a token; one that ignores them is abusive', () => {
    const rate = new RateLimiter(10, 3);
    for (let i = 0; i < 3; i++) assert.deepEqual(rate.take('1.2.3.4:5', 0), { ok: true });
    const refused = rate.take('1.2.3.4:5', 0);
    assert.ok(!refused.ok && refused.retryAfterMs === 100 && !refused.abusive);
    assert.ok(rate.take('1.2.3.4:6', 0).ok, 'another connection has its own bucket');
    assert.ok(rate.take('1.2.3.4:5', 100).ok, 'a token back after 100 ms');
    let last = rate.take('1.2.3.4:5', 100);
    for (let i = 0; i < 3; i++) last = rate.take('1.2.3.4:5', 100);
    assert.ok(!last.ok && last.abusive);
    const reconnected = rate.take('1.2.3.4:7', 100);
    assert.ok(!reconnected.ok, 'a new connection from a penalised host starts empty');
  });
});

describe('ids nearest a newcomer', () => {
  test('idsNear returns the ids with the longest common prefix first, idsAfter pages in order', () => {
    const store = new MemoryRecordStore({ maxRecords: 1_000 });
    const now = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) {
      const record = signedRecord({ key: `k${i}`, value: 'v', expiresMs: now + 60_000 });
      store.put(record, now);
      ids.push(idToHex(idOfRecord(record)));
    }
    const target = randomBytes(32).toString('hex');
    const cpl = (a: string): number => {
      let bits = 0;
      for (let i = 0; i < 256; i++) {
        const bit = (s: string) => (parseInt(s[i >> 2]!, 16) >> (3 - (i & 3))) & 1;
        if (bit(a) !== bit(target)) break;
        bits++;
      }
      return bits;
    };
    const near = store.idsNear(target, 20, now);
    const best = [...ids].sort((a, b) => cpl(b) - cpl(a));
    assert.equal(near.length, 20);
    assert.deepEqual(near.map(cpl), best.slice(0, 20).map(cpl));
    const sorted = [...ids].sort();
    assert.deepEqual(store.idsAfter('', 10, now), sorted.slice(0, 10));
    assert.deepEqual(store.idsAfter(sorted[9]!, 10, now), sorted.slice(10, 20));
  });
});

describe('failures at another address', () => {
  test('leave the contact the table holds; at its own address they count', () => {
    const table = new RoutingTable(randomBytes(32), { k: 20, maxFailures: 1 });
    const held = { id: randomBytes(32), address: '127.0.0.1:7400' };
    table.observe(held, 0);
    assert.deepEqual(table.remove(held.id, '127.0.0.1:9999'), {});
    assert.deepEqual(table.onFailure(held.id, 1, '127.0.0.1:9999'), {});
    assert.ok(table.has(held.id));
    assert.equal(table.onFailure(held.id, 2, held.address).evicted?.address, held.address);
  });
});

describe('what a failed RPC says about its contact', () => {
  test('refused: dropped at once; no answer: one failure; busy: routed around, not failing; a bad request: nothing', () => {
    assert.equal(verdictOnError(ErrorCode.FailedPrecondition), 'drop');
    assert.equal(verdictOnError(ErrorCode.Unavailable), 'failed');
    assert.equal(verdictOnError(ErrorCode.DeadlineExceeded), 'failed');
    assert.equal(verdictOnError(ErrorCode.ResourceExhausted), 'busy');
    assert.equal(verdictOnError(ErrorCode.InvalidArgument), 'none');
    assert.equal(challengeOutcomeOf(ErrorCode.FailedPrecondition), 'refused');
    assert.equal(challengeOutcomeOf(ErrorCode.DeadlineExceeded), 'unreachable');
  });
});
