/** Unit tests for libs/kademlia/config.ts. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, validateConfig, type KademliaConfig } from '../../../libs/kademlia/config.js';

describe('config', () => {
  test('the defaults are valid and match the paper', () => {
    assert.deepEqual(validateConfig(DEFAULT_CONFIG), []);
    assert.equal(DEFAULT_CONFIG.k, 20);
    assert.equal(DEFAULT_CONFIG.alpha, 3);
    assert.equal(DEFAULT_CONFIG.refreshMs, 3_600_000);
    assert.equal(DEFAULT_CONFIG.republishMs, 86_400_000);
  });

  test('reports every problem', () => {
    const bad: KademliaConfig = {
      ...DEFAULT_CONFIG,
      k: 0,
      alpha: 0,
      rpcTimeoutMs: -1,
      expireMs: 1.5,
      limits: { maxKeyBytes: 0, maxValueBytes: Number.NaN },
    };
    const problems = validateConfig(bad);
    assert.equal(problems.length, 6, problems.join('\n'));
    for (const word of ['k ', 'alpha', 'rpcTimeoutMs', 'expireMs', 'maxKeyBytes', 'maxValueBytes']) {
      assert.ok(
        problems.some((p) => p.includes(word)),
        word,
      );
    }
  });

  test('alpha at most k, k at most 256', () => {
    assert.equal(validateConfig({ ...DEFAULT_CONFIG, k: 2, alpha: 3 }).length, 1);
    assert.deepEqual(validateConfig({ ...DEFAULT_CONFIG, k: 256, alpha: 256 }), []);
    assert.equal(validateConfig({ ...DEFAULT_CONFIG, k: 257 }).length, 1);
    assert.deepEqual(validateConfig({ ...DEFAULT_CONFIG, k: 1, alpha: 1 }), []);
  });
});
