import assert from 'node:assert/strict';
import { test } from 'node:test';
import { every, type Timers } from '../../../libs/runtime/system.js';

/** Timers a test fires by hand: `fire()` runs every timer armed so far, once. */
function handTimers(): Timers & { fire(): void; armed(): number } {
  let pending = new Map<object, () => void>();
  return {
    set: (callback) => {
      const handle = {};
      pending.set(handle, callback);
      return handle;
    },
    clear: (handle) => void pending.delete(handle as object),
    fire: () => {
      const due = pending;
      pending = new Map();
      for (const callback of due.values()) callback();
    },
    armed: () => pending.size,
  };
}

test('every - calls back once per period, on the timers it is given, until stopped', () => {
  const timers = handTimers();
  let calls = 0;
  const stop = every(timers, 1_000, () => calls++);
  assert.equal(calls, 0, 'not at once');
  timers.fire();
  timers.fire();
  assert.equal(calls, 2);
  assert.equal(timers.armed(), 1, 'one timer armed at a time');
  stop();
  assert.equal(timers.armed(), 0);
  timers.fire();
  assert.equal(calls, 2, 'nothing after stop');
});

test('every - a callback that throws does not end the interval', () => {
  const timers = handTimers();
  let calls = 0;
  every(timers, 1_000, () => {
    calls++;
    throw new Error('boom');
  });
  assert.throws(() => timers.fire(), /boom/);
  assert.equal(timers.armed(), 1, 'armed again before the callback ran');
  assert.throws(() => timers.fire(), /boom/);
  assert.equal(calls, 2);
});
