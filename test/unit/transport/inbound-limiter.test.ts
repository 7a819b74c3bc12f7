import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, type KadError } from '../../../libs/errors/kad-error.js';
import { InboundLimiter, hostOf } from '../../../services/transport/inbound-limiter.js';

test('inbound limiter - bounds calls in flight per host, not per connection', () => {
  const limiter = new InboundLimiter(2);
  const a = limiter.acquire('ipv4:10.0.0.1:5000');
  limiter.acquire('ipv4:10.0.0.1:5001');
  assert.throws(
    () => limiter.acquire('ipv4:10.0.0.1:5002'),
    (err: KadError) => err.code === ErrorCode.ResourceExhausted,
  );
  limiter.acquire('ipv6:[::1]:5000');
  a();
  a();
  limiter.acquire('ipv4:10.0.0.1:5003');
  assert.throws(() => limiter.acquire('ipv4:10.0.0.1:5004'), /at most 2/);
});

test('inbound limiter - host of a grpc-js peer string', () => {
  assert.equal(hostOf('ipv4:127.0.0.1:7400'), '127.0.0.1');
  assert.equal(hostOf('ipv6:[::1]:7400'), '[::1]');
  assert.equal(hostOf('unix:/tmp/sock'), 'unix');
});
