import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../libs/errors/config-error.js';
import { DEFAULT_NETWORK, resolveNodeConfig, settingValues } from '../../../libs/runtime/node-config.js';

test('node config - KAD_* variables, flags win over them', () => {
  const env = {
    KAD_NODE: 'env-node',
    KAD_NETWORK: 'staging',
    KAD_K: '8',
    KAD_BOOTSTRAP: 'a:1, b:2',
    KAD_NATS_URL: 'nats://x:4222',
    KAD_EXPIRE_MS: '5000',
  };
  const config = resolveNodeConfig(settingValues({ node: 'flag-node' }, env));
  assert.equal(config.node, 'flag-node');
  assert.equal(config.network, 'staging');
  assert.equal(config.kad.k, 8);
  assert.equal(config.kad.expireMs, 5000);
  assert.deepEqual(config.bootstrap, ['a:1', 'b:2']);
  assert.deepEqual(config.natsUrl, ['nats://x:4222']);
});

test('node config - defaults: in-process bus, k=20, alpha=3, advertise = listen', () => {
  const config = resolveNodeConfig(settingValues({}, { KAD_NODE: 'n' }));
  assert.equal(config.natsUrl, undefined);
  assert.equal(config.network, DEFAULT_NETWORK);
  assert.equal(config.kad.k, 20);
  assert.equal(config.kad.alpha, 3);
  assert.equal(config.advertise, config.listen);
  assert.deepEqual(config.bootstrap, []);
});

test('node config - bad values are refused with the flag named', () => {
  assert.throws(
    () => resolveNodeConfig(settingValues({}, { KAD_K: 'many' })),
    (e: ConfigError) => /--k/.test(e.message),
  );
  assert.throws(() => resolveNodeConfig(settingValues({}, { KAD_K: '-1' })), ConfigError);
  assert.throws(() => resolveNodeConfig(settingValues({ node: 'a.b' }, {})), /--node/);
  assert.throws(() => resolveNodeConfig(settingValues({ network: 'a b' }, {})), /--network/);
  assert.throws(() => resolveNodeConfig(settingValues({}, { KAD_NETWORK: 'x'.repeat(65) })), /--network/);
  assert.throws(() => resolveNodeConfig(settingValues({ bootstrap: 'nohostport' }, {})), /--bootstrap/);
  assert.throws(() => resolveNodeConfig(settingValues({ alpha: '9', k: '4' }, {})), ConfigError);
});
