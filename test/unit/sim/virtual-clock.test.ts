/**
 * The simulator's virtual clock (bench/sim/virtual-clock.ts): events run earliest first and, at
 * equal times, in scheduling order; a cleared timer never runs; the promise jobs an event queues
 * run before the next event; and the node's lookup runner sleeps on its timers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lookup } from '../../../libs/kademlia/index.js';
import { runLookup, type QueryOutcome } from '../../../services/lookup-coordinator/lookup-runner.js';
import { VirtualClock } from '../../../bench/sim/virtual-clock.js';
import { contactOf, idOf } from '../kademlia/helpers.js';

test('events run earliest first, each at its own time', async () => {
  const clock = new VirtualClock(100);
  const ran: string[] = [];
  const note = (name: string) => () => ran.push(`${name}@${clock.now()}`);
  clock.at(130, note('c'));
  clock.at(110, note('a'));
  clock.timers.set(note('b'), 20);
  await clock.run();
  assert.deepEqual(ran, ['a@110', 'b@120', 'c@130']);
  assert.equal(clock.pending(), 0);
});

test('ties run in scheduling order, events added at the current time after those already due', async () => {
  const clock = new VirtualClock();
  const ran: string[] = [];
  clock.at(5, () => {
    ran.push('first');
    clock.at(5, () => ran.push('added while running'));
  });
  clock.at(5, () => ran.push('second'));
  clock.at(5, () => ran.push('third'));
  await clock.run();
  assert.deepEqual(ran, ['first', 'second', 'third', 'added while running']);
});

test('a cleared timer never runs; clearing twice or after it ran changes nothing', async () => {
  const clock = new VirtualClock();
  const ran: string[] = [];
  const cleared = clock.timers.set(() => ran.push('cleared'), 10);
  const kept = clock.timers.set(() => ran.push('kept'), 20);
  assert.equal(clock.pending(), 2);
  clock.timers.clear(cleared);
  clock.timers.clear(cleared);
  assert.equal(clock.pending(), 1);
  await clock.run();
  clock.timers.clear(kept);
  assert.deepEqual(ran, ['kept']);
  assert.equal(clock.pending(), 0);
  assert.equal(clock.now(), 20, 'a cleared timer does not move the clock');
});

test('what an answer sets off, however many awaits deep, happens before the next event', async () => {
  const clock = new VirtualClock();
  const ran: string[] = [];
  const rpc = clock.settleAfter(10, () => 'answer');
  clock.at(20, () => ran.push(`later event@${clock.now()}`));
  const reaction = (async () => {
    const answer = await rpc;
    await Promise.resolve();
    await null;
    ran.push(`${answer}@${clock.now()}`);
    // Scheduled by the reaction at 10, due before the event at 20.
    clock.timers.set(() => ran.push(`follow-up@${clock.now()}`), 5);
  })();
  await clock.run();
  await reaction;
  assert.deepEqual(ran, ['answer@10', 'follow-up@15', 'later event@20']);
});

test('an outcome that throws rejects its promise at its completion time', async () => {
  const clock = new VirtualClock();
  const failed = clock.settleAfter(2_000, () => {
    throw new Error('timed out');
  });
  await assert.rejects(clock.runUntilSettled(failed), /timed out/);
  assert.equal(clock.now(), 2_000);
});

test('runUntilSettled stops at the settling event; runUntil stops at its time', async () => {
  const clock = new VirtualClock();
  const ran: number[] = [];
  for (const t of [10, 20, 30]) clock.at(t, () => ran.push(t));
  assert.equal(await clock.runUntilSettled(clock.settleAfter(15, () => 'x')), 'x');
  assert.deepEqual(ran, [10]);
  assert.equal(clock.now(), 15);
  await clock.runUntil(25);
  assert.deepEqual(ran, [10, 20]);
  assert.equal(clock.now(), 25);
  assert.equal(clock.pending(), 1);
  assert.throws(() => clock.at(24, () => undefined), RangeError);
  await assert.rejects(clock.runUntilSettled(new Promise(() => undefined)), /waits on nothing/);
  assert.deepEqual(ran, [10, 20, 30], 'it ran what there was before giving up');
});

test('the lookup runner sleeps on the virtual timers: an unanswered RPC times out at rpcTimeoutMs', async () => {
  const clock = new VirtualClock(1_000);
  const target = idOf(0x80);
  const lookup = new Lookup(
    { target, k: 20, alpha: 3, rpcTimeoutMs: 300, deadlineMs: 1_000 + 5_000 },
    [contactOf(idOf(0x81))],
    clock.now(),
  );
  const asked: number[] = [];
  const neverAnswers = (): Promise<QueryOutcome<never>> => {
    asked.push(clock.now());
    return new Promise(() => undefined);
  };
  const running = runLookup(lookup, neverAnswers, clock.now, { rpcTimeoutMs: 300, deadlineMs: 6_000, valuesWanted: 0 }, clock.timers);
  const result = await clock.runUntilSettled(running);
  assert.deepEqual(asked, [1_000]);
  assert.equal(result.reason, 'exhausted');
  assert.equal(clock.now(), 1_300, 'woken by its per-RPC timer, not by the deadline');
  assert.equal(clock.pending(), 0, 'the runner cleared its timer when it finished');
});
