import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { inboxPrefixFor, natsConnectOptions, parseNatsUrl, redactNatsUrl, redactNatsUrls } from '../../../libs/bus/nats-bus.js';
import { authorizationBlock, nodePermissions } from '../../../libs/bus/nats-permissions.js';
import { ConfigError } from '../../../libs/errors/config-error.js';

test('nats url - user and password, a token, escapes, no credentials, no scheme', () => {
  assert.deepEqual(parseNatsUrl('nats://node-1:s3cret@nats:4222'), { url: 'nats://nats:4222', user: 'node-1', pass: 's3cret' });
  assert.deepEqual(parseNatsUrl('nats://t0ken@127.0.0.1:4222'), { url: 'nats://127.0.0.1:4222', token: 't0ken' });
  assert.deepEqual(parseNatsUrl('tls://a%40b:p%3Aw%2Fd@h:1'), { url: 'tls://h:1', user: 'a@b', pass: 'p:w/d' });
  assert.deepEqual(parseNatsUrl('nats://u:p@ss@h:1'), { url: 'nats://h:1', user: 'u', pass: 'p@ss' }, 'the last @ ends the userinfo');
  assert.deepEqual(parseNatsUrl('nats://u:@h:1'), { url: 'nats://h:1', user: 'u', pass: '' });
  assert.deepEqual(parseNatsUrl(' nats://h:4222 '), { url: 'nats://h:4222' });
  assert.deepEqual(parseNatsUrl('u:p@h:4222'), { url: 'h:4222', user: 'u', pass: 'p' });
  for (const bad of ['nats://:p@h:1', 'nats://@h:1', 'nats://u:p@', 'nats://u:%zz@h:1'])
    assert.throws(() => parseNatsUrl(bad), ConfigError, bad);
});

test('nats url - redaction hides passwords and tokens, and only them', () => {
  assert.equal(redactNatsUrl('nats://node-1:s3cret@nats:4222'), 'nats://node-1:***@nats:4222');
  assert.equal(redactNatsUrl('nats://t0ken@nats:4222'), 'nats://***@nats:4222');
  assert.equal(redactNatsUrl('nats://nats:4222'), 'nats://nats:4222');
  assert.equal(redactNatsUrls('nats://a:x@h:1,nats://h:2'), 'nats://a:***@h:1,nats://h:2');
  assert.ok(!redactNatsUrls(['nats://a:s3cret@h:1']).includes('s3cret'));
});

test('connect options - bare servers, credentials once, inbox prefix; conflicts are ConfigErrors', () => {
  const options = natsConnectOptions({ servers: ['nats://n:p@a:1', 'nats://b:2'], name: 'x', inboxPrefix: inboxPrefixFor('node-1') });
  assert.deepEqual(options.servers, ['nats://a:1', 'nats://b:2']);
  assert.equal(options.user, 'n');
  assert.equal(options.pass, 'p');
  assert.equal(options.inboxPrefix, '_INBOX_node-1');
  assert.equal(natsConnectOptions({ servers: 'nats://tok@a:1', name: 'x' }).token, 'tok');
  assert.throws(() => natsConnectOptions({ servers: ['nats://n:p@a:1', 'nats://m:p@b:2'], name: 'x' }), /must carry the same ones/);
  assert.throws(() => natsConnectOptions({ servers: [], name: 'x' }), ConfigError);
});

test('connect options - creds and CA files are read and checked up front', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kad-nats-opts-'));
  try {
    const creds = join(dir, 'u.creds');
    writeFileSync(
      creds,
      '-----BEGIN NATS USER JWT-----\neyJhbGc.e30.sig\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\nSUAEXAMPLE\n------END USER NKEY SEED------\n',
    );
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const options = natsConnectOptions({ servers: 'nats://a:1', name: 'x', credsFile: creds, tlsCaFile: ca });
    assert.equal(typeof options.authenticator, 'function');
    assert.deepEqual(options.tls, { caFile: ca });
    assert.throws(
      () => natsConnectOptions({ servers: 'nats://a:1', name: 'x', credsFile: join(dir, 'none') }),
      /--nats-creds: cannot read .* \(ENOENT\)/,
    );
    assert.throws(() => natsConnectOptions({ servers: 'nats://a:1', name: 'x', credsFile: ca }), /is not a NATS \.creds file/);
    assert.throws(() => natsConnectOptions({ servers: 'nats://a:1', name: 'x', tlsCaFile: creds }), /holds no PEM certificate/);
    assert.throws(() => natsConnectOptions({ servers: 'nats://u:p@a:1', name: 'x', credsFile: creds }), /exclude each other/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('permission scheme - a node gets its own subjects and inboxes only; the block renders every user once', () => {
  assert.deepEqual(nodePermissions('node-1'), {
    publish: ['kad.node-1.>', '_INBOX_node-1.>', '_KAD_MONITOR.>'],
    subscribe: ['kad.node-1.>', '_INBOX_node-1.>', '$SRV.>'],
  });
  assert.throws(() => nodePermissions('a.b'), RangeError);
  const block = authorizationBlock([
    { node: 'n1', user: 'n1', password: 'p' },
    { node: 'n2', user: 'n2', password: { env: 'PW' } },
  ]);
  assert.match(block, /user: "n1"\n\s+password: "p"/);
  assert.match(block, /user: "n2"\n\s+password: \$PW\n/);
  assert.doesNotMatch(block, /allow_responses/);
  assert.throws(
    () =>
      authorizationBlock([
        { node: 'n1', user: 'u', password: 'p' },
        { node: 'n2', user: 'u', password: 'q' },
      ]),
    /listed twice/,
  );
  assert.throws(() => authorizationBlock([{ node: 'n1', user: 'u', password: { env: 'bad name' } }]), RangeError);
});
