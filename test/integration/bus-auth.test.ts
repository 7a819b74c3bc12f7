/**
 * An authenticated bus (docs/SECURITY.md, "The bus"), on a real nats-server and real `kad node`
 * processes: nodes connect with credentials in KAD_NATS_URL on a server whose users follow the
 * deploy scheme (authorizationBlock of libs/bus/nats-permissions.ts, the rules of
 * deploy/nats/nats-server.conf) and serve Put and Get; another node's user can neither publish
 * to a node's subjects (a forged storage.put, a forged `seen`, a relay through a reply subject)
 * nor listen to them, and the forged value is never served; unauthenticated and wrongly
 * authenticated connections are refused without the password reaching a log; NATS tooling
 * still discovers the actors ($SRV.PING) as the monitor user. A node with a .creds file (user
 * JWT + nkey seed) serves on an operator-mode server over TLS (KAD_NATS_TLS_CA). A missing or
 * malformed creds or CA file stops the process with a one-line message.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createAccount, createOperator, createUser, encodeAccount, encodeOperator, encodeUser, fmtCreds } from '@nats-io/jwt';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  ActorClient,
  NatsBus,
  inboxPrefixFor,
  MONITOR_INBOX_PREFIX,
  authorizationBlock,
  nodePermissions,
  type NodeUser,
} from '../../libs/bus/index.js';
import { recordIdFor } from '../../libs/kademlia/index.js';
import { recordToWire, encode } from '../../libs/proto/index.js';
import { startNatsServer, type NatsServerProcess } from '../../libs/runtime/index.js';
import { makeCa, nodeCertificate } from '../../harness/certificates.js';
import { KAD_CLI, ProcessCluster } from '../../harness/process-cluster.js';
import { signedRecord } from '../testkit/records.js';
import { waitFor } from '../../harness/wait-for.js';

const NODES = 2;
const password = (): string => randomBytes(12).toString('hex');

/** Users as deploy/nats/nats-server.conf has them: one per node, named after it (ProcessCluster
 * names its nodes node-0, node-1, ...), plus the discovery-only monitor. */
const USERS: (NodeUser & { password: string })[] = Array.from({ length: NODES }, (_, i) => ({
  node: `node-${i}`,
  user: `node-${i}`,
  password: password(),
}));
const MONITOR = { user: 'kad-monitor', password: password() };

function urlOf(base: string, user: string, pass: string): string {
  return base.replace('nats://', `nats://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@`);
}

/** Connection status errors (permission violations arrive there, asynchronously). */
function watchErrors(nc: NatsConnection): string[] {
  const errors: string[] = [];
  void (async () => {
    for await (const s of nc.status()) if (s.type === 'error') errors.push(String((s as { error?: Error }).error?.message ?? ''));
  })();
  return errors;
}

/** `kad node` with this environment, to its exit (killed, and failing the test, after 20 s). */
function runKadNode(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('KAD_')));
  const child = spawn(process.execPath, [KAD_CLI, 'node'], {
    env: { ...inherited, KAD_NODE: 'node-x', KAD_LISTEN: '127.0.0.1:1', KAD_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kad node did not exit within 20 s:\n${stderr}${stdout}`));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('bus auth - per-node NATS users with the deploy permission scheme', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kad-bus-auth-'));
  let nats: NatsServerProcess;
  let cluster: ProcessCluster;

  before(async () => {
    const configFile = join(dir, 'nats-server.conf');
    writeFileSync(configFile, authorizationBlock(USERS, MONITOR));
    nats = await startNatsServer({ configFile });
    cluster = await ProcessCluster.start({
      nodes: NODES,
      natsUrl: nats.url,
      env: { KAD_K: String(NODES), KAD_RPC_TIMEOUT_MS: '1000' },
      nodeEnv: (i) => ({ KAD_NATS_URL: urlOf(nats.url, USERS[i]!.user, USERS[i]!.password) }),
    });
    await cluster.waitForTables(NODES - 1);
  });

  after(async () => {
    await cluster?.stop();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('nodes with credentials in KAD_NATS_URL serve Put and Get across each other', async () => {
    const [a, b] = cluster.nodes;
    const put = await a!.client.put('auth-hello', 'world');
    assert.equal(put.acknowledged, NODES);
    const got = await b!.client.get('auth-hello');
    assert.equal(got.found, true);
    assert.equal(Buffer.from(got.value).toString(), 'world');
  });

  test('NATS tooling discovers every actor as kad-monitor ($SRV.PING), and may not touch an actor subject', async () => {
    const nc = await connect({ servers: nats.url, user: MONITOR.user, pass: MONITOR.password, inboxPrefix: MONITOR_INBOX_PREFIX });
    const errors = watchErrors(nc);
    try {
      const nodes = new Set<string>();
      const inbox = `${MONITOR_INBOX_PREFIX}.ping`;
      nc.subscribe(inbox, {
        callback: (_err, msg) => {
          if (msg.data.length > 0)
            nodes.add(String((JSON.parse(new TextDecoder().decode(msg.data)) as { metadata?: { node?: string } }).metadata?.node));
        },
      });
      nc.publish('$SRV.PING.kad-storage', new Uint8Array(), { reply: inbox });
      await waitFor("both nodes' storage actors to answer the PING", () => nodes.size === NODES);
      assert.deepEqual(
        [...nodes].sort(),
        USERS.map((u) => u.node),
      );
      nc.publish('kad.node-0.storage.stats', new Uint8Array());
      await waitFor('a publish permission violation', () =>
        errors.some((e) => /Permissions Violation for Publish to "kad\.node-0\.storage\.stats"/.test(e)),
      );
    } finally {
      await nc.close();
    }
  });

  test("another node's user cannot forge node-0's storage.put (directly or through a reply subject), publish its events or listen to it; the forged value is never served", async () => {
    const [victim, other] = USERS;
    const record = signedRecord({ key: 'auth-forged', value: 'forged by node-1' });
    const put = encode('StoragePutRequest', { record: recordToWire(record) });
    const nc = await connect({ servers: nats.url, user: other!.user, pass: other!.password, inboxPrefix: inboxPrefixFor(other!.node) });
    const errors = watchErrors(nc);
    try {
      await assert.rejects(nc.request(`kad.${victim!.node}.storage.put`, put, { timeout: 2_000 }), 'the forged put gets no reply');
      // A relay: node-1 may publish on its own subjects with any reply subject; with
      // allow_responses it could then "reply" into node-0. The scheme has no allow_responses.
      nc.subscribe(`kad.${other!.node}.relay`, { callback: (_err, msg) => void msg.respond(put) });
      nc.publish(`kad.${other!.node}.relay`, new Uint8Array(), { reply: `kad.${victim!.node}.storage.put` });
      nc.publish(
        `kad.${victim!.node}.routing-table.seen`,
        encode('ContactEvent', { contact: { id: new Uint8Array(32).fill(7), address: '127.0.0.1:1' }, verified: true }),
      );
      nc.subscribe(`kad.${victim!.node}.>`);
      nc.subscribe(`${inboxPrefixFor(victim!.node)}.>`);
      const expected = [
        /Permissions Violation for Publish to "kad\.node-0\.storage\.put"/,
        /Permissions Violation for Publish to "kad\.node-0\.routing-table\.seen"/,
        /Permissions Violation for Subscription to "kad\.node-0\.>"/,
        /Permissions Violation for Subscription to "_INBOX_node-0\.>"/,
      ];
      await waitFor(`the server to refuse every forgery (${expected.length} kinds)`, () =>
        expected.every((re) => errors.some((e) => re.test(e))),
      );
      // The direct put and the relayed one: two publish refusals on the storage subject.
      await waitFor('both forged puts refused', () => errors.filter((e) => expected[0]!.test(e)).length >= 2);
    } finally {
      await nc.close();
    }

    // node-0's storage never held it, and no node serves it.
    const own = await NatsBus.connect({
      servers: [urlOf(nats.url, victim!.user, victim!.password)],
      name: 'bus-auth-owner',
      inboxPrefix: inboxPrefixFor(victim!.node),
    });
    try {
      const storage = new ActorClient(own, victim!.node);
      const held = await storage.ask('storage', 'get', { recordId: recordIdFor(record.key, undefined) }, 5_000);
      assert.equal(held.record ?? undefined, undefined, "node-0's storage holds no forged record");
      for (const node of cluster.nodes)
        assert.equal((await node.client.get('auth-forged')).found, false, `${node.name} serves nothing for the forged key`);
      // The refusal is the permission's: node-0's own user puts the very same request.
      const accepted = await storage.ask('storage', 'put', { record }, 5_000);
      assert.equal(accepted.stored, true, "with node-0's credentials the same put is stored");
    } finally {
      await own.close();
    }
  });

  test('unauthenticated and wrongly authenticated connections are refused; a node with a wrong password exits, its log without the password', async () => {
    await assert.rejects(connect({ servers: nats.url, reconnect: false }), /Authorization Violation/i);
    await assert.rejects(connect({ servers: nats.url, user: 'node-0', pass: 'wrong', reconnect: false }), /Authorization Violation/i);
    const secret = `not-${USERS[0]!.password}`;
    const run = await runKadNode({ KAD_NODE: 'node-0', KAD_NATS_URL: urlOf(nats.url, 'node-0', secret) });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /cannot connect to NATS at nats:\/\/127\.0\.0\.1:\d+: .*Authorization Violation/i);
    assert.ok(!`${run.stderr}${run.stdout}`.includes(secret), 'the password is not printed');
  });

  test("a node started with another node's user is refused its subscriptions and exits", async () => {
    const run = await runKadNode({ KAD_NODE: 'node-1', KAD_NATS_URL: urlOf(nats.url, USERS[0]!.user, USERS[0]!.password) });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /NATS refused the \S+ service of node node-1: .*Permissions Violation for Subscription to "kad\.node-1\./);
  });
});

describe('bus auth - a .creds file on an operator-mode nats-server, over TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kad-bus-creds-'));
  const ca = makeCa('kad-nats-ca');
  let nats: NatsServerProcess;
  let credsFile: string;

  before(async () => {
    const operator = createOperator();
    const account = createAccount();
    const user = createUser();
    const operatorJwt = await encodeOperator('kad-test', operator);
    // Unlimited: an account's limits default to 0 connections and 0 subscriptions.
    const limits = { conn: -1, subs: -1, data: -1, payload: -1, leaf: -1, imports: -1, exports: -1, wildcards: true };
    const accountJwt = await encodeAccount('kad', account, { limits }, { signer: operator });
    // The same rules as a password user's, in the user JWT.
    const rules = nodePermissions('node-0');
    const userJwt = await encodeUser('node-0', user, account, { pub: { allow: [...rules.publish] }, sub: { allow: [...rules.subscribe] } });
    credsFile = join(dir, 'node-0.creds');
    writeFileSync(credsFile, fmtCreds(userJwt, user));
    const cert = nodeCertificate(ca, 'nats');
    const configFile = join(dir, 'nats-server.conf');
    writeFileSync(
      configFile,
      [
        `operator: ${JSON.stringify(operatorJwt)}`,
        'resolver: MEMORY',
        `resolver_preload: { ${account.getPublicKey()}: ${JSON.stringify(accountJwt)} }`,
        `tls { cert_file: ${JSON.stringify(cert.certFile)}, key_file: ${JSON.stringify(cert.keyFile)} }`,
        '',
      ].join('\n'),
    );
    nats = await startNatsServer({ configFile });
  });

  after(async () => {
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(ca.dir, { recursive: true, force: true });
  });

  test('a node with KAD_NATS_CREDS and KAD_NATS_TLS_CA serves Put and Get', async () => {
    const cluster = await ProcessCluster.start({
      nodes: 1,
      natsUrl: nats.url,
      env: { KAD_K: '1', KAD_NATS_CREDS: credsFile, KAD_NATS_TLS_CA: ca.certFile },
    });
    try {
      const node = cluster.nodes[0]!;
      assert.equal((await node.client.put('creds-hello', 'jwt')).acknowledged, 1);
      const got = await node.client.get('creds-hello');
      assert.equal(Buffer.from(got.value).toString(), 'jwt');
    } finally {
      await cluster.stop();
    }
  });

  test('without the creds, or without the CA, the node is refused and exits', async (t) => {
    const noCreds = await runKadNode({ KAD_NATS_URL: nats.url, KAD_NATS_TLS_CA: ca.certFile });
    assert.notEqual(noCreds.code, 0);
    assert.match(noCreds.stderr, /cannot connect to NATS at .*(Authorization Violation|authentication)/i);
    const noCa = await runKadNode({ KAD_NATS_URL: nats.url, KAD_NATS_CREDS: credsFile });
    assert.notEqual(noCa.code, 0);
    assert.match(noCa.stderr, /cannot connect to NATS at .*(certificate|self.signed|verify)/i);
    t.diagnostic(`no creds: ${noCreds.stderr.trim()}; no CA: ${noCa.stderr.trim()}`);
  });
});

describe('bus auth - bad settings stop the node with a clear message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kad-bus-bad-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a missing or malformed creds file, a missing CA, creds in both places: exit 2 with one line naming the problem', async () => {
    const notCreds = join(dir, 'not.creds');
    writeFileSync(notCreds, 'just some text\n');
    const missing = join(dir, 'missing.creds');
    const cases: [Record<string, string>, RegExp][] = [
      [{ KAD_NATS_CREDS: missing }, /^kad: --nats-creds: cannot read the NATS credentials file ".*missing\.creds" \(ENOENT\)$/m],
      [{ KAD_NATS_CREDS: notCreds }, /^kad: --nats-creds: ".*not\.creds" is not a NATS \.creds file/m],
      [
        { KAD_NATS_TLS_CA: join(dir, 'missing-ca.pem') },
        /^kad: --nats-tls-ca: cannot read the NATS TLS CA bundle ".*missing-ca\.pem" \(ENOENT\)$/m,
      ],
      [{ KAD_NATS_TLS_CA: notCreds }, /^kad: --nats-tls-ca: ".*not\.creds" holds no PEM certificate$/m],
      [
        { KAD_NATS_CREDS: notCreds, KAD_NATS_URL: 'nats://u:p@127.0.0.1:1' },
        /^kad: --nats-creds and credentials in --nats-url exclude each other/m,
      ],
    ];
    await Promise.all(
      cases.map(async ([env, message]) => {
        const run = await runKadNode({ KAD_NATS_URL: 'nats://127.0.0.1:1', ...env });
        assert.equal(run.code, 2, `${JSON.stringify(env)}: exit 2 (a configuration error)\n${run.stderr}`);
        assert.match(run.stderr, message);
        assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
      }),
    );
  });
});
