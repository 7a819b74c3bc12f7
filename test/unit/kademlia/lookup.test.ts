/** Scenario tests for the lookup state machine, libs/kademlia/lookup.ts (paper §2.3). */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Lookup, type LookupOptions } from '../../../libs/kademlia/lookup.js';
import { ValueLookup, planRead } from '../../../libs/kademlia/value-lookup.js';
import { idEquals, idToHex, type NodeId } from '../../../libs/kademlia/id.js';
import type { Contact } from '../../../libs/kademlia/contact.js';
import { idOf } from './helpers.js';

const TARGET = idOf(); // all zeros: a contact's distance is its id
const at = (...bytes: number[]): Contact => ({ id: idOf(...bytes), address: `10.0.0.1:${(bytes[0] ?? 0) + 1}` });
const firstBytes = (contacts: readonly Contact[]): number[] => contacts.map((c) => c.id[0] ?? -1);

function options(extra: Partial<LookupOptions> = {}): LookupOptions {
  return { target: TARGET, k: 3, alpha: 2, rpcTimeoutMs: 100, deadlineMs: 10_000, ...extra };
}

function queried(step: ReturnType<Lookup['next']>): Contact[] {
  assert.equal(step.kind, 'query');
  return step.kind === 'query' ? step.peers : [];
}

describe('Lookup', () => {
  test('no seeds: finished exhausted with nothing at the first next()', () => {
    const lookup = new Lookup(options(), [], 0);
    assert.deepEqual(lookup.next(0), { kind: 'finished', closest: [], reason: 'exhausted' });
    assert.ok(lookup.isFinished());
  });

  test('issues the alpha closest first, then waits, then refills', () => {
    const lookup = new Lookup(options({ k: 5 }), [at(9), at(3), at(7), at(1), at(5)], 0);
    assert.deepEqual(firstBytes(queried(lookup.next(0))), [1, 3]);
    assert.deepEqual(lookup.next(1), { kind: 'waiting' });
    assert.equal(lookup.inFlight().length, 2);
    lookup.onSuccess(idOf(1), [], 2);
    assert.deepEqual(firstBytes(queried(lookup.next(2))), [5]);
    assert.deepEqual(lookup.stats, { queried: 3, succeeded: 1, failed: 0, rounds: 2 });
  });

  test('the final round (§2.3): after alpha answers with nobody closer, the rest of the k closest go at once', () => {
    const lookup = new Lookup(options({ k: 6, alpha: 2 }), [at(1), at(2), at(3), at(4), at(5), at(6)], 0);
    assert.deepEqual(firstBytes(queried(lookup.next(0))), [1, 2]);
    lookup.onSuccess(idOf(1), [at(7)], 1); // nobody closer than 1
    assert.equal(lookup.parallelism, 2);
    assert.deepEqual(firstBytes(queried(lookup.next(1))), [3]);
    lookup.onSuccess(idOf(2), [], 2); // the second such answer in a row: stalled
    assert.equal(lookup.parallelism, 6);
    assert.deepEqual(firstBytes(queried(lookup.next(2))), [4, 5, 6]);
    // An answer with a closer node ends the stall: alpha again, the new closest first.
    lookup.onSuccess(idOf(4), [at(0)], 3);
    assert.equal(lookup.parallelism, 2);
    assert.deepEqual(lookup.next(3), { kind: 'waiting' });
  });

  test('replies add closer candidates, which are queried next', () => {
    const lookup = new Lookup(options({ k: 2, alpha: 1 }), [at(0x40)], 0);
    queried(lookup.next(0));
    lookup.onSuccess(idOf(0x40), [at(0x20), at(0x30), at(0x50)], 1);
    assert.deepEqual(firstBytes(queried(lookup.next(1))), [0x20]);
    lookup.onSuccess(idOf(0x20), [at(0x10)], 2);
    assert.deepEqual(firstBytes(queried(lookup.next(2))), [0x10]);
    lookup.onSuccess(idOf(0x10), [], 3);
    // The 2 closest (0x10, 0x20) answered: converged, 0x30/0x40/0x50 never matter.
    const done = lookup.next(3);
    assert.deepEqual(done.kind === 'finished' && [done.reason, firstBytes(done.closest)], ['converged', [0x10, 0x20]]);
    assert.equal(lookup.stats.queried, 3);
  });

  test('strict termination: peers beyond the k closest are never queried', () => {
    const lookup = new Lookup(options({ k: 2, alpha: 5 }), [at(1), at(2), at(3), at(4), at(5)], 0);
    assert.deepEqual(firstBytes(queried(lookup.next(0))), [1, 2]);
    lookup.onSuccess(idOf(1), [], 1);
    lookup.onSuccess(idOf(2), [], 1);
    const done = lookup.next(1);
    assert.ok(done.kind === 'finished' && done.reason === 'converged');
    assert.deepEqual(firstBytes(done.closest), [1, 2]);
  });

  test('a failure lets the next candidate into the window', () => {
    const lookup = new Lookup(options({ k: 2, alpha: 2 }), [at(1), at(2), at(3)], 0);
    queried(lookup.next(0));
    lookup.onFailure(idOf(1), 1);
    assert.deepEqual(firstBytes(queried(lookup.next(1))), [3]);
    lookup.onSuccess(idOf(2), [], 2);
    lookup.onSuccess(idOf(3), [], 2);
    const done = lookup.next(2);
    assert.ok(done.kind === 'finished' && done.reason === 'converged');
    assert.deepEqual(firstBytes(done.closest), [2, 3]);
    assert.equal(lookup.stats.failed, 1);
  });

  test('an RPC older than rpcTimeoutMs fails; its late reply is ignored', () => {
    const lookup = new Lookup(options({ k: 2, alpha: 1 }), [at(1), at(2)], 0);
    queried(lookup.next(0));
    assert.deepEqual(lookup.next(99), { kind: 'waiting' });
    assert.deepEqual(firstBytes(queried(lookup.next(100))), [2]);
    assert.equal(lookup.stats.failed, 1);
    lookup.onSuccess(idOf(1), [at(0, 1)], 150); // too late: not in flight any more
    lookup.onSuccess(idOf(2), [], 150);
    const done = lookup.next(150);
    assert.ok(done.kind === 'finished' && done.reason === 'converged');
    assert.deepEqual(firstBytes(done.closest), [2]);
    assert.equal(lookup.stats.succeeded, 1);
  });

  test('every peer failing ends exhausted', () => {
    const lookup = new Lookup(options(), [at(1), at(2)], 0);
    queried(lookup.next(0));
    lookup.onFailure(idOf(1), 1);
    lookup.onFailure(idOf(2), 1);
    assert.deepEqual(lookup.next(1), { kind: 'finished', closest: [], reason: 'exhausted' });
  });

  test('the deadline returns the closest peers that answered so far', () => {
    const lookup = new Lookup(options({ k: 3, alpha: 1, deadlineMs: 50 }), [at(5)], 0);
    queried(lookup.next(0));
    lookup.onSuccess(idOf(5), [at(1), at(2), at(3)], 10);
    queried(lookup.next(10));
    const done = lookup.next(50);
    assert.deepEqual(done.kind === 'finished' && [done.reason, firstBytes(done.closest)], ['deadline', [5]]);
    assert.equal(lookup.inFlight().length, 1, 'the caller can still cancel what is in flight');
    // Finished is sticky; later reports change nothing.
    lookup.onSuccess(idOf(1), [], 60);
    assert.equal(lookup.next(60), done);
  });

  test('self is never queried nor returned, from seeds or replies', () => {
    const self = idOf(2);
    const lookup = new Lookup(options({ k: 3, alpha: 3, selfId: self }), [at(2), at(4)], 0);
    assert.deepEqual(firstBytes(queried(lookup.next(0))), [4]);
    lookup.onSuccess(idOf(4), [at(2), at(1)], 1);
    assert.deepEqual(firstBytes(queried(lookup.next(1))), [1]);
    lookup.onSuccess(idOf(1), [at(2)], 2);
    const done = lookup.next(2);
    assert.ok(done.kind === 'finished' && done.closest.every((c) => !idEquals(c.id, self)));
  });

  test('replies: only the first maxContactsPerReply count; invalid and duplicate contacts are dropped', () => {
    const lookup = new Lookup(options({ k: 10, alpha: 10, maxContactsPerReply: 4 }), [at(9)], 0);
    queried(lookup.next(0));
    const bad: Contact[] = [
      { id: new Uint8Array(31), address: 'h:1' },
      { id: idOf(1), address: 'not an address' },
      at(9),
      at(8),
      at(7), // past maxContactsPerReply
    ];
    lookup.onSuccess(idOf(9), bad, 1);
    assert.deepEqual(firstBytes(queried(lookup.next(1))), [8]);
  });

  test('unknown peers and duplicate reports are ignored', () => {
    const lookup = new Lookup(options({ k: 1, alpha: 1 }), [at(1)], 0);
    lookup.onSuccess(idOf(1), [], 0); // not in flight yet
    lookup.onSuccess(idOf(7), [], 0);
    lookup.onFailure(new Uint8Array(3) as NodeId, 0);
    queried(lookup.next(0));
    lookup.onSuccess(idOf(1), [], 1);
    lookup.onFailure(idOf(1), 1);
    const done = lookup.next(1);
    assert.ok(done.kind === 'finished' && done.reason === 'converged');
    assert.deepEqual(
      done.closest.map((c) => idToHex(c.id)),
      [idToHex(idOf(1))],
    );
    assert.deepEqual(lookup.stats, { queried: 1, succeeded: 1, failed: 0, rounds: 1 });
  });

  test('rejects bad options', () => {
    assert.throws(() => new Lookup(options({ k: 0 }), [], 0), RangeError);
    assert.throws(() => new Lookup(options({ alpha: 0 }), [], 0), RangeError);
    assert.throws(() => new Lookup(options({ target: new Uint8Array(4) }), [], 0), RangeError);
  });
});

describe('ValueLookup (FIND_VALUE, §2.3)', () => {
  test('halts at the first value; later answers change nothing', () => {
    const session = new ValueLookup<string>(new Lookup(options({ k: 3, alpha: 3 }), [at(1), at(2), at(3)], 0), 1);
    assert.deepEqual(firstBytes(queried(session.next(0) as ReturnType<Lookup['next']>)), [1, 2, 3]);
    session.onCloser(at(1), [at(4)], 1);
    session.onValue(at(2), 'v', 2);
    assert.deepEqual(session.next(2), { kind: 'found', values: 1 });
    session.onValue(at(3), 'late', 3);
    assert.deepEqual(
      session.values.map((v) => v.value),
      ['v'],
    );
    assert.deepEqual(firstBytes(session.answeredWithout), [1]);
  });

  test('a quorum reads on until `wanted` peers returned a value; wanted 0 never stops on one', () => {
    const quorum = new ValueLookup<string>(new Lookup(options({ k: 3, alpha: 3 }), [at(1), at(2), at(3)], 0), 2);
    quorum.next(0);
    quorum.onValue(at(1), 'a', 1);
    assert.equal(quorum.next(1).kind, 'waiting');
    quorum.onValue(at(2), 'b', 2);
    assert.deepEqual(quorum.next(2), { kind: 'found', values: 2 });

    const findNode = new ValueLookup<string>(new Lookup(options({ k: 1, alpha: 1 }), [at(1)], 0), 0);
    findNode.next(0);
    findNode.onValue(at(1), 'ignored as a stop', 1);
    const done = findNode.next(1);
    assert.ok(done.kind === 'finished' && done.reason === 'converged');
  });
});

test('read plan - a quorum of 1..k, the local copy counting as one', () => {
  assert.deepEqual(planRead(0, 20, true), { quorum: 1, answerLocally: true, valuesWanted: 0 });
  assert.deepEqual(planRead(1, 20, false), { quorum: 1, answerLocally: false, valuesWanted: 1 });
  assert.deepEqual(planRead(3, 20, true), { quorum: 3, answerLocally: false, valuesWanted: 2 });
  assert.deepEqual(planRead(99, 20, false), { quorum: 20, answerLocally: false, valuesWanted: 20 });
});
