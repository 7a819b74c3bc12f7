/** The membership state machine (libs/kademlia/membership.ts, paper §2.3's join). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Membership } from '../../../libs/kademlia/membership.js';

const REFRESH_MS = 60_000;

describe('Membership', () => {
  test('join: ping the bootstrap nodes, look up our own id, refresh every bucket; then one more self lookup', () => {
    const m = new Membership({ refreshMs: REFRESH_MS });
    assert.deepEqual(m.next(0, 0), { kind: 'ping-bootstrap' });
    assert.deepEqual(m.next(1, 0), { kind: 'idle' }, 'nothing new while an action is out');
    assert.deepEqual(m.onBootstrapPinged(1), { kind: 'look-up-self' });
    assert.deepEqual(m.onSelfLookedUp(5), { kind: 'refresh-all-buckets' });
    assert.equal(m.joined, false);
    assert.deepEqual(m.onRefreshed(), { kind: 'idle', joinEnded: true });
    assert.equal(m.joined, true);
    // Nodes that joined at the same moment were in nobody's table: look again at the next tick.
    assert.deepEqual(m.next(2_000, 5), { kind: 'look-up-self' });
    assert.deepEqual(m.onSelfLookedUp(6), { kind: 'idle' });
    assert.deepEqual(m.next(4_000, 6), { kind: 'idle' });
  });

  test('no bootstrap answered and an empty table: not joined, tried again at the next tick', () => {
    const m = new Membership({ refreshMs: REFRESH_MS });
    m.next(0, 0);
    assert.deepEqual(m.onBootstrapPinged(0), { kind: 'idle', joinEnded: false });
    assert.deepEqual(m.next(2_000, 0), { kind: 'ping-bootstrap' });
  });

  test('a restored table joins through its contacts when no bootstrap node answers', () => {
    const m = new Membership({ refreshMs: REFRESH_MS });
    m.next(0, 4);
    assert.deepEqual(m.onBootstrapPinged(0), { kind: 'look-up-self' });
    assert.deepEqual(m.onSelfLookedUp(0), { kind: 'idle', joinEnded: false }, 'nobody answered the lookup either');
    assert.deepEqual(m.next(2_000, 4), { kind: 'ping-bootstrap' });
  });

  test('a joined node whose table ran empty joins again; one still holding contacts re-bootstraps every refreshMs', () => {
    const m = new Membership({ refreshMs: REFRESH_MS });
    m.next(0, 0);
    m.onBootstrapPinged(1);
    m.onSelfLookedUp(3);
    m.onRefreshed();
    m.next(2_000, 3);
    m.onSelfLookedUp(3);
    assert.deepEqual(m.next(REFRESH_MS - 1, 3), { kind: 'idle' });
    assert.deepEqual(m.next(REFRESH_MS, 3), { kind: 'ping-bootstrap' }, 're-bootstrap');
    assert.deepEqual(m.onBootstrapPinged(1), { kind: 'look-up-self' });
    assert.deepEqual(m.onSelfLookedUp(3), { kind: 'idle' });
    assert.equal(m.joined, true);
    assert.deepEqual(m.next(REFRESH_MS + 2_000, 0), { kind: 'ping-bootstrap' }, 'an empty table: join again');
    assert.equal(m.joined, false);
  });

  test('a failed action is retried at the next tick, from where it belongs', () => {
    const m = new Membership({ refreshMs: REFRESH_MS });
    m.next(0, 0);
    m.onBootstrapPinged(1);
    m.onFailed(); // the self lookup threw
    assert.equal(m.joined, false);
    assert.deepEqual(m.next(2_000, 1), { kind: 'ping-bootstrap' });
  });
});
