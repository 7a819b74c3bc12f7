import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mailbox } from '../../../libs/bus/mailbox.js';
import { ErrorCode, KadError } from '../../../libs/errors/kad-error.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('mailbox - concurrency 1 runs messages one at a time, in arrival order', async () => {
  const box = new Mailbox('t', { capacity: 10, concurrency: 1 });
  const log: string[] = [];
  let active = 0;
  const gate = deferred();
  const work = (name: string) => async () => {
    active++;
    assert.equal(active, 1, 'two messages ran at once');
    log.push(`start ${name}`);
    if (name === 'a') await gate.promise;
    log.push(`end ${name}`);
    active--;
    return name;
  };
  const results = [box.post(work('a')), box.post(work('b')), box.post(work('c'))];
  await Promise.resolve();
  assert.deepEqual(log, ['start a']);
  gate.resolve();
  assert.deepEqual(await Promise.all(results), ['a', 'b', 'c']);
  assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
});

test('mailbox - a full mailbox refuses at once with resource-exhausted', async () => {
  const box = new Mailbox('t', { capacity: 2, concurrency: 1 });
  const gate = deferred();
  const running = box.post(() => gate.promise);
  const queued = [box.post(() => 1), box.post(() => 2)];
  await assert.rejects(
    box.post(() => 3),
    (err: KadError) => err.code === ErrorCode.ResourceExhausted && /full/.test(err.message),
  );
  gate.resolve();
  await running;
  assert.deepEqual(await Promise.all(queued), [1, 2]);
  assert.equal(await box.post(() => 4), 4, 'accepts again once drained');
});

test('mailbox - a failing message rejects its sender only', async () => {
  const box = new Mailbox('t', { capacity: 4, concurrency: 2 });
  const failing = box.post(() => {
    throw new Error('boom');
  });
  const fine = box.post(async () => 'ok');
  await assert.rejects(failing, /boom/);
  assert.equal(await fine, 'ok');
  assert.equal(box.depth, 0);
});
