/**
 * The client against stand-in nodes (real gRPC servers on loopback, scripted): typed errors
 * carrying the status, over-limit input refused before sending with the node's own message,
 * failover between addresses, which failures are retried and after how long, one deadline per
 * call that every try carries, and AbortSignal.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import {
  CancelledError,
  DeadlineExceededError,
  DhtClient,
  DhtError,
  FailedPreconditionError,
  InvalidArgumentError,
  RecordVerificationError,
  ResourceExhaustedError,
  UnavailableError,
  dhtErrorOf,
} from '../../../libs/client/dht-client.js';
import { DEFAULT_RETRY_POLICY, backoffMs, retryDecision } from '../../../libs/client/retry-policy.js';
import { RETRY_AFTER_TRAILER } from '../../../libs/client/retry-after.js';
import { resourceExhausted } from '../../../libs/errors/kad-error.js';
import { DEFAULT_RECORD_LIMITS, validateKey, validateOwnerKey, validateValue } from '../../../libs/kademlia/record.js';
import { toGrpcStatus } from '../../../services/transport/grpc-status.js';
import { FakeDht, STORED } from '../../testkit/fake-dht.js';
import { freePorts } from '../../../harness/free-port.js';
import { SilentListener } from '../../testkit/silent-listener.js';
import { waitFor } from '../../../harness/wait-for.js';

const unavailable = { fail: { code: grpc.status.UNAVAILABLE, details: 'the node cannot serve now' } };

async function rejectsAs<E extends DhtError>(
  call: Promise<unknown>,
  type: new (...args: never[]) => E,
  check?: (err: E) => void,
): Promise<E> {
  let caught: unknown;
  await assert.rejects(call, (err: unknown) => {
    caught = err;
    assert.ok(err instanceof type, `expected ${type.name}, got ${(err as Error).name}: ${(err as Error).message}`);
    check?.(err);
    return true;
  });
  return caught as E;
}

async function deadAddress(): Promise<string> {
  const [port] = await freePorts(1);
  return `127.0.0.1:${port}`;
}

describe('client - typed errors', () => {
  test('every status the client acts on has its class, carrying the status, the details and the address', () => {
    const cases: [grpc.status, new (...args: never[]) => DhtError][] = [
      [grpc.status.INVALID_ARGUMENT, InvalidArgumentError],
      [grpc.status.FAILED_PRECONDITION, FailedPreconditionError],
      [grpc.status.RESOURCE_EXHAUSTED, ResourceExhaustedError],
      [grpc.status.UNAVAILABLE, UnavailableError],
      [grpc.status.DEADLINE_EXCEEDED, DeadlineExceededError],
      [grpc.status.CANCELLED, CancelledError],
      [grpc.status.DATA_LOSS, RecordVerificationError],
      [grpc.status.INTERNAL, DhtError],
    ];
    for (const [code, type] of cases) {
      const err = dhtErrorOf({ code, details: `details of ${grpc.status[code]}`, metadata: new grpc.Metadata() }, '10.0.0.1:7400');
      assert.ok(err instanceof type && err instanceof DhtError && err instanceof Error, grpc.status[code]);
      assert.equal(err.code, code);
      assert.equal(err.statusName, grpc.status[code]);
      assert.equal(err.details, `details of ${grpc.status[code]}`);
      assert.equal(err.message, err.details);
      assert.equal(err.address, '10.0.0.1:7400');
    }
    assert.equal(dhtErrorOf(new Error('boom')).code, grpc.status.UNKNOWN);
  });

  test("the rate limiter's trailer is read with the name the transport writes it under", () => {
    // The node's own mapping of a rate-limit error, read back by the client.
    const sent = toGrpcStatus(resourceExhausted('over its rate limit', 120));
    const err = dhtErrorOf(sent);
    assert.ok(err instanceof ResourceExhaustedError);
    assert.equal(err.retryAfterMs, 120);
    const other = dhtErrorOf(toGrpcStatus(resourceExhausted('the quota is spent')));
    assert.ok(other instanceof ResourceExhaustedError);
    assert.equal(other.retryAfterMs, undefined);
  });
});

describe('client - retry policy', () => {
  const random = (): number => 0.5;
  test('UNAVAILABLE fails over; RESOURCE_EXHAUSTED waits out retry-after-ms; nothing else is retried', () => {
    const down = retryDecision(new UnavailableError('down'), 1, DEFAULT_RETRY_POLICY, random);
    assert.deepEqual(down, { delayMs: backoffMs(1, DEFAULT_RETRY_POLICY, random), failover: true });
    const metadata = new grpc.Metadata();
    metadata.set(RETRY_AFTER_TRAILER, '300');
    const limited = retryDecision(new ResourceExhaustedError('slow down', { metadata }), 1, DEFAULT_RETRY_POLICY, random);
    assert.equal(limited?.failover, false);
    assert.ok(limited!.delayMs >= 300, `waits at least retry-after-ms, got ${limited?.delayMs}`);
    for (const err of [
      new ResourceExhaustedError('too big'),
      new InvalidArgumentError('bad'),
      new FailedPreconditionError('stale'),
      new DeadlineExceededError('late'),
      new CancelledError('aborted'),
    ]) {
      assert.equal(retryDecision(err, 1, DEFAULT_RETRY_POLICY, random), undefined, err.name);
    }
  });

  test('backoff doubles per try up to the cap, with jitter in its upper half', () => {
    const policy = { maxAttempts: 10, initialBackoffMs: 100, maxBackoffMs: 1_000 };
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, policy, () => 0)),
      [50, 100, 200, 400, 500, 500],
    );
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, policy, () => 0.999_999)),
      [100, 200, 400, 800, 1_000, 1_000],
    );
  });
});

describe('client - local checks', () => {
  let listener: SilentListener;
  after(async () => listener?.stop());

  test("an over-limit key or value is refused before sending, with the node's message", async () => {
    listener = await SilentListener.start();
    const client = new DhtClient(listener.address, { connectTimeoutMs: 200 });
    try {
      const longKey = Buffer.alloc(DEFAULT_RECORD_LIMITS.maxKeyBytes + 1, 1);
      const bigValue = new Uint8Array(DEFAULT_RECORD_LIMITS.maxValueBytes + 1);
      const expect = async (call: Promise<unknown>, message: string | undefined): Promise<void> => {
        const err = await rejectsAs(call, InvalidArgumentError);
        assert.equal(err.details, message);
        assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
        assert.equal(err.address, undefined, 'no node was asked');
      };
      await expect(client.put(longKey, 'v'), validateKey(longKey, DEFAULT_RECORD_LIMITS)?.message);
      await expect(client.put('', 'v'), validateKey(new Uint8Array(0), DEFAULT_RECORD_LIMITS)?.message);
      await expect(client.put('k', bigValue), validateValue(bigValue, DEFAULT_RECORD_LIMITS)?.message);
      await expect(client.get(longKey), validateKey(longKey, DEFAULT_RECORD_LIMITS)?.message);
      await expect(client.get('k', { owner: new Uint8Array(5) }), validateOwnerKey(new Uint8Array(5))?.message);
      assert.match(
        validateValue(bigValue, DEFAULT_RECORD_LIMITS)?.message ?? '',
        /value is 65537 bytes, more than the limit of 65536 bytes/,
      );
      assert.equal(listener.connections, 0, 'nothing reached the wire');
    } finally {
      client.close();
    }
  });

  test("the limits are the nodes' defaults unless given; limits: false sends anything", async () => {
    const fake = await FakeDht.start({ put: () => STORED });
    const value = new Uint8Array(DEFAULT_RECORD_LIMITS.maxValueBytes + 1);
    const larger = new DhtClient(fake.address, { limits: { maxValueBytes: 1024 * 1024 } });
    const unchecked = new DhtClient(fake.address, { limits: false });
    try {
      assert.equal((await larger.put('k', value)).acknowledged, 3);
      assert.equal((await unchecked.put('', value)).acknowledged, 3);
      assert.equal(fake.calls.length, 2);
    } finally {
      larger.close();
      unchecked.close();
      fake.stop();
    }
  });
});

describe('client - calls, failover, retries, deadlines, cancellation', () => {
  const fakes: FakeDht[] = [];
  const clients: DhtClient[] = [];
  after(() => {
    for (const c of clients) c.close();
    for (const f of fakes) f.stop();
  });
  const fake = async (script: Parameters<typeof FakeDht.start>[0]): Promise<FakeDht> => {
    const f = await FakeDht.start(script);
    fakes.push(f);
    return f;
  };
  const client = (...args: ConstructorParameters<typeof DhtClient>): DhtClient => {
    const c = new DhtClient(...args);
    clients.push(c);
    return c;
  };

  test('keys and values are bytes or strings; not found is found: false, not an error', async () => {
    const node = await fake({
      put: () => STORED,
      get: (n) => (n === 0 ? { reply: { found: false } } : { reply: { found: true, value: Buffer.from([0, 255, 1]) } }),
    });
    const c = client(node.address);
    await c.put('text key', Uint8Array.from([0, 255, 1]));
    await c.put(Uint8Array.from([1, 2]), 'text value ✓');
    const requests = node.calls.map((call) => call.request as { key: Buffer; value: Buffer });
    assert.deepEqual(
      requests.map((r) => [Buffer.from(r.key).toString('hex'), Buffer.from(r.value).toString('hex')]),
      [
        [Buffer.from('text key').toString('hex'), '00ff01'],
        ['0102', Buffer.from('text value ✓').toString('hex')],
      ],
    );
    assert.equal((await c.get('absent')).found, false);
    assert.deepEqual([...(await c.get('present')).value], [0, 255, 1]);
  });

  test('a down address fails over to the next at once, which then stays preferred', async () => {
    const node = await fake({ put: () => STORED, get: () => ({ reply: { found: false } }) });
    const dead = await deadAddress();
    const c = client([dead, node.address]);
    assert.equal(c.address, dead);
    const started = Date.now();
    assert.equal((await c.put('k', 'v')).acknowledged, 3);
    assert.equal(c.address, node.address);
    assert.equal((await c.get('k')).found, false);
    assert.equal(node.calls.length, 2);
    assert.ok(Date.now() - started < 2_000, 'no backoff before a fresh address');
  });

  test('an address that accepts but never answers fails over after the connect timeout', async () => {
    const silent = await SilentListener.start();
    try {
      const node = await fake({ put: () => STORED });
      const c = client(`${silent.address},${node.address}`, { connectTimeoutMs: 300 });
      const started = Date.now();
      assert.equal((await c.put('k', 'v', { timeoutMs: 5_000 })).acknowledged, 3);
      const took = Date.now() - started;
      assert.ok(took >= 250 && took < 3_000, `took ${took} ms`);
      assert.ok(silent.connections >= 1);
    } finally {
      await silent.stop();
    }
  });

  test('UNAVAILABLE from the node is retried with backoff, up to maxAttempts', async () => {
    const flaky = await fake({ put: (n) => (n < 2 ? unavailable : STORED) });
    assert.equal((await client(flaky.address).put('k', 'v')).acknowledged, 3);
    assert.equal(flaky.calls.length, 3);

    const down = await fake({ put: () => unavailable });
    await rejectsAs(
      client(down.address, { retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 20 } }).put('k', 'v'),
      UnavailableError,
      (err) => {
        assert.equal(err.details, 'the node cannot serve now');
        assert.equal(err.address, down.address);
      },
    );
    assert.equal(down.calls.length, 3);
  });

  test("RESOURCE_EXHAUSTED is retried after the limiter's retry-after-ms, on the same node, and only with it", async () => {
    const limited = await fake({
      put: (n) =>
        n === 0
          ? { fail: { code: grpc.status.RESOURCE_EXHAUSTED, details: 'over its rate limit', trailers: { [RETRY_AFTER_TRAILER]: '250' } } }
          : STORED,
    });
    const other = await fake({ put: () => STORED });
    const started = Date.now();
    assert.equal((await client([limited.address, other.address]).put('k', 'v')).acknowledged, 3);
    assert.ok(Date.now() - started >= 250, 'waited retry-after-ms');
    assert.equal(limited.calls.length, 2);
    assert.equal(other.calls.length, 0);

    const full = await fake({ put: () => ({ fail: { code: grpc.status.RESOURCE_EXHAUSTED, details: 'quota spent' } }) });
    await rejectsAs(client(full.address).put('k', 'v'), ResourceExhaustedError, (err) => assert.equal(err.retryAfterMs, undefined));
    assert.equal(full.calls.length, 1);
  });

  test("INVALID_ARGUMENT and FAILED_PRECONDITION are the caller's at once", async () => {
    const node = await fake({
      put: (n) => ({ fail: { code: n === 0 ? grpc.status.INVALID_ARGUMENT : grpc.status.FAILED_PRECONDITION, details: `refusal ${n}` } }),
    });
    const c = client([node.address, await deadAddress()]);
    await rejectsAs(c.put('k', 'v'), InvalidArgumentError, (err) => assert.equal(err.details, 'refusal 0'));
    await rejectsAs(c.put('k', 'v'), FailedPreconditionError, (err) => assert.equal(err.details, 'refusal 1'));
    assert.equal(node.calls.length, 2);
  });

  test('one deadline per call: every try carries it, and the earlier of timeoutMs and deadline wins', async () => {
    const node = await fake({ put: (n) => (n === 0 ? unavailable : STORED), get: () => ({ reply: { found: false } }) });
    const c = client(node.address);
    const before = Date.now();
    await c.put('k', 'v', { timeoutMs: 4_000 });
    const [first, second] = node.calls;
    assert.ok(Math.abs(first!.deadlineMs - (before + 4_000)) < 500, `deadline ${first!.deadlineMs - before} ms ahead`);
    assert.ok(Math.abs(second!.deadlineMs - first!.deadlineMs) < 100, 'the retry carries the same deadline, not a fresh one');
    const at = Date.now() + 2_000;
    await c.get('k', { timeoutMs: 60_000, deadline: new Date(at) });
    assert.ok(Math.abs(node.calls[2]!.deadlineMs - at) < 500);
  });

  test('a node that does not answer by the deadline is DeadlineExceededError, not retried', async () => {
    const node = await fake({ put: () => 'hang' });
    const started = Date.now();
    await rejectsAs(client(node.address).put('k', 'v', { timeoutMs: 300 }), DeadlineExceededError);
    assert.ok(Date.now() - started < 2_000);
    assert.equal(node.calls.length, 1);
  });

  test('an AbortSignal cancels the call in flight (the node sees it), and an aborted one sends nothing', async () => {
    const node = await fake({ put: () => 'hang' });
    const c = client(node.address);
    const controller = new AbortController();
    const call = c.put('k', 'v', { signal: controller.signal, timeoutMs: 10_000 });
    await waitFor('the node to get the call', () => node.calls.length === 1);
    controller.abort(new Error('the user gave up'));
    await rejectsAs(call, CancelledError, (err) => {
      assert.match(err.details, /aborted: the user gave up/);
      assert.equal(err.code, grpc.status.CANCELLED);
    });
    await node.calls[0]!.cancelled;

    await rejectsAs(c.put('k', 'v', { signal: AbortSignal.abort() }), CancelledError);
    assert.equal(node.calls.length, 1);
  });

  test('an abort during a backoff ends the wait', async () => {
    const node = await fake({
      put: () => ({ fail: { code: grpc.status.RESOURCE_EXHAUSTED, details: 'slow down', trailers: { [RETRY_AFTER_TRAILER]: '60000' } } }),
    });
    const controller = new AbortController();
    const call = client(node.address).put('k', 'v', { signal: controller.signal, timeoutMs: 120_000 });
    await waitFor('the first try', () => node.calls.length === 1);
    controller.abort();
    await rejectsAs(call, CancelledError);
    assert.equal(node.calls.length, 1);
  });

  test('a wait for retry-after-ms past the deadline gives up at once with the last error', async () => {
    const node = await fake({
      put: () => ({ fail: { code: grpc.status.RESOURCE_EXHAUSTED, details: 'slow down', trailers: { [RETRY_AFTER_TRAILER]: '60000' } } }),
    });
    const started = Date.now();
    await rejectsAs(client(node.address).put('k', 'v', { timeoutMs: 1_000 }), ResourceExhaustedError, (err) =>
      assert.equal(err.retryAfterMs, 60_000),
    );
    assert.ok(Date.now() - started < 1_000);
  });
});
