/**
 * Mutual TLS (docs/SECURITY.md, "TLS"), on real processes, a real nats-server and real gRPC: a
 * 3-node cluster whose certificates a test CA signed serves Put and Get to a client holding one
 * of its certificates; every node's id is the SHA-256 of its certificate's key. A plaintext
 * client, a client with no certificate and a client whose certificate another CA signed can call
 * nothing and store nothing; a node whose certificate another CA signed cannot join, while a node
 * of the cluster's CA joins the same way in the same time. A node whose certificate is not its
 * key's does not start. With TLS off every one of these checks fails.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { DhtClient, type ClientTlsOptions } from '../../libs/client/index.js';
import { loadTlsMaterial, peerIdOfCertificate } from '../../libs/identity/index.js';
import { idToHex } from '../../libs/kademlia/index.js';
import { ConfigError } from '../../libs/errors/index.js';
import { resolveNodeConfig } from '../../libs/runtime/index.js';
import { peerChannelCredentials, peerIdOfCall, serverCredentials } from '../../services/transport/tls-credentials.js';
import {
  clientCertificate,
  makeCa,
  nodeCertificate,
  removeCa,
  tlsEnv,
  type CertificateAuthority,
  type IssuedCertificate,
} from '../../harness/certificates.js';
import { freePorts } from '../../harness/free-port.js';
import { healthStatus } from '../../harness/grpc-probe.js';
import { KAD_CLI, ProcessCluster, nodeIdHex, tableIdsHex } from '../../harness/process-cluster.js';
import { waitFor } from '../../harness/wait-for.js';

const NODES = 3;
const ENV = { KAD_K: '4', KAD_RPC_TIMEOUT_MS: '1000' };

function idOf(cert: IssuedCertificate): string {
  const id = peerIdOfCertificate(cert.cert);
  assert.ok(id, `${cert.name} carries an Ed25519 key`);
  return idToHex(id);
}

async function rejectsUnavailable(call: Promise<unknown>, what: string): Promise<void> {
  await assert.rejects(
    call,
    (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.UNAVAILABLE, `${what}: expected UNAVAILABLE, got ${grpc.status[err.code]}: ${err.details}`);
      return true;
    },
    `${what} must fail`,
  );
}

describe('mutual TLS - who may call a node and who may join', () => {
  let ca: CertificateAuthority;
  let other: CertificateAuthority;
  let nodeCerts: IssuedCertificate[];
  let client: IssuedCertificate;
  let cluster: ProcessCluster;
  let outsider: ProcessCluster | undefined;

  before(async () => {
    ca = makeCa('kad-ca');
    other = makeCa('other-ca');
    // Four nodes of the cluster's CA: three start now, the fourth joins later as the control.
    nodeCerts = Array.from({ length: NODES + 1 }, (_, i) => nodeCertificate(ca, `node-${i}`));
    client = clientCertificate(ca, 'client');
    cluster = await ProcessCluster.start({
      nodes: NODES,
      env: ENV,
      nodeEnv: (i) => tlsEnv(nodeCerts[i]!),
      clientTls: { ca: ca.cert, cert: client.cert, key: client.key },
    });
    await cluster.waitForTables(NODES - 1);
  });

  after(async () => {
    await outsider?.stop();
    await cluster?.stop();
    if (ca) removeCa(ca);
    if (other) removeCa(other);
  });

  test("each node's id is the SHA-256 of its certificate's key", async () => {
    for (const [i, node] of cluster.nodes.entries()) assert.equal(await nodeIdHex(node), idOf(nodeCerts[i]!), node.name);
  });

  test('a client with a certificate of the CA puts on one node and gets on another', async () => {
    const put = await cluster.nodes[0]!.client.put('tls-key', 'over mutual TLS', { timeoutMs: 10_000 });
    assert.ok(put.acknowledged >= 1, `acknowledged ${put.acknowledged} of ${put.attempted}`);
    const got = await cluster.nodes[2]!.client.get('tls-key', { timeoutMs: 10_000 });
    assert.equal(got.found, true);
    assert.equal(Buffer.from(got.value).toString(), 'over mutual TLS');
  });

  test('a plaintext client, a client without a certificate and one of another CA call nothing', async () => {
    const stranger = clientCertificate(other, 'stranger');
    const address = cluster.nodes[1]!.address;
    const clients: [string, ClientTlsOptions | undefined][] = [
      ['a plaintext client', undefined],
      ['a TLS client without a certificate', { ca: ca.cert }],
      ["a client with another CA's certificate", { ca: ca.cert, cert: stranger.cert, key: stranger.key }],
    ];
    for (const [what, tls] of clients) {
      const bad = new DhtClient(address, { tls });
      try {
        await rejectsUnavailable(bad.put(`refused-${what}`, 'must not be stored', { timeoutMs: 5_000 }), `${what}: Put`);
        await rejectsUnavailable(bad.get('tls-key', { timeoutMs: 5_000 }), `${what}: Get`);
        await rejectsUnavailable(bad.routingTable({ timeoutMs: 5_000 }), `${what}: Admin.RoutingTable`);
        await rejectsUnavailable(healthStatus(address, 2_000, tls), `${what}: health`);
      } finally {
        bad.close();
      }
    }
    // A client that trusts another CA does not accept the node either.
    const misled = new DhtClient(address, { tls: { ca: other.cert, cert: client.cert, key: client.key } });
    try {
      await rejectsUnavailable(
        misled.put('refused-misled', 'must not be stored', { timeoutMs: 5_000 }),
        'a client trusting another CA: Put',
      );
    } finally {
      misled.close();
    }
    for (const key of [...clients.map(([what]) => `refused-${what}`), 'refused-misled']) {
      for (const node of cluster.nodes)
        assert.equal((await node.client.get(key, { timeoutMs: 10_000 })).found, false, `${key} on ${node.name}`);
    }
  });

  test("a node of another CA cannot join; a node of the cluster's CA joins meanwhile", async () => {
    const outsiderCert = nodeCertificate(other, 'outsider');
    const outsiderClient = clientCertificate(other, 'outsider-client');
    // The outsider trusts the cluster's CA as well as its own: only the cluster's refusal keeps it out.
    const trustBoth = join(other.dir, 'both-cas.pem');
    writeFileSync(trustBoth, Buffer.concat([ca.cert, other.cert]));
    const outsiderId = idOf(outsiderCert);
    outsider = await ProcessCluster.start({
      nodes: 1,
      env: { ...ENV, ...tlsEnv(outsiderCert), KAD_TLS_CA: trustBoth },
      extraBootstrap: [cluster.nodes[0]!.address],
      clientTls: { ca: other.cert, cert: outsiderClient.cert, key: outsiderClient.key },
      // It must never join, so it never becomes ready: it is started once its health answers.
      startedWhen: 'answering',
    });
    const control = await cluster.addNode();
    const controlId = idOf(nodeCerts[NODES]!);
    assert.equal(await nodeIdHex(control), controlId);

    // The control joins through node-0, as the outsider tries to.
    await waitFor(
      'the control node in every routing table',
      async () => {
        for (const node of cluster.nodes.slice(0, NODES)) if (!(await tableIdsHex(node)).includes(controlId)) return false;
        return true;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    // The outsider has pinged node-0 and failed, at least twice, meanwhile or since.
    const outsiderLog = join(outsider.logDir, 'node-0-node-1.log');
    await waitFor(
      'the outsider to fail to join twice',
      () => (readFileSync(outsiderLog, 'utf8').match(/no bootstrap node answered yet/g) ?? []).length >= 2,
      { timeoutMs: 15_000, intervalMs: 200 },
    );

    for (const node of cluster.nodes) assert.ok(!(await tableIdsHex(node)).includes(outsiderId), `the outsider is in ${node.name}'s table`);
    assert.deepEqual(await tableIdsHex(outsider.nodes[0]!), [], "the outsider's own table stays empty");
    assert.equal(
      await healthStatus(outsider.nodes[0]!.address, 1_000, { ca: other.cert, cert: outsiderClient.cert, key: outsiderClient.key }),
      'NOT_SERVING',
      'the outsider is not ready',
    );
  });

  test("a node whose certificate is not its key's does not start; a missing file is a ConfigError", async () => {
    const [a, b] = [nodeCerts[0]!, nodeCerts[1]!];
    assert.throws(
      () => loadTlsMaterial({ certFile: a.certFile, keyFile: b.keyFile, caFile: ca.certFile }),
      (err: Error) => err instanceof ConfigError && /public keys differ/.test(err.message),
    );
    assert.throws(
      () => loadTlsMaterial({ certFile: a.certFile, keyFile: a.keyFile, caFile: join(ca.dir, 'absent.pem') }),
      (err: Error) => err instanceof ConfigError && /absent\.pem/.test(err.message),
    );
    assert.throws(
      () => loadTlsMaterial({ certFile: a.keyFile, keyFile: a.keyFile, caFile: undefined }),
      (err: Error) => err instanceof ConfigError && /no PEM certificate/.test(err.message),
    );

    const [port] = await freePorts(1);
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('KAD_')));
    const run = promisify(execFile)(process.execPath, [KAD_CLI, 'node'], {
      env: { ...inherited, KAD_LISTEN: `127.0.0.1:${port}`, KAD_TLS_CERT: a.certFile, KAD_TLS_KEY: b.keyFile, KAD_TLS_CA: ca.certFile },
      timeout: 15_000,
    });
    await assert.rejects(run, (err: { code?: number; stderr?: string }) => {
      assert.equal(err.code, 2, `exit code, stderr: ${err.stderr}`);
      assert.match(err.stderr ?? '', /public keys differ/);
      return true;
    });
  });

  test("peerIdOfCall names the caller by its certificate's key", async () => {
    const config = (cert: IssuedCertificate) =>
      resolveNodeConfig({ 'tls-cert': cert.certFile, 'tls-key': cert.keyFile, 'tls-ca': ca.certFile });
    const service = {
      Who: {
        path: '/test.Who/Who',
        requestStream: false,
        responseStream: false,
        requestSerialize: (b: Buffer) => b,
        requestDeserialize: (b: Buffer) => b,
        responseSerialize: (b: Buffer) => b,
        responseDeserialize: (b: Buffer) => b,
      },
    } satisfies grpc.ServiceDefinition;
    const server = new grpc.Server();
    server.addService(service, {
      Who: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        const id = peerIdOfCall(call);
        callback(null, Buffer.from(id ? idToHex(id) : 'none'));
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', serverCredentials(config(nodeCerts[0]!)), (err, p) => (err ? reject(err) : resolve(p))),
    );
    const Who = grpc.makeGenericClientConstructor(service, 'Who');
    const peer = new Who(`127.0.0.1:${port}`, peerChannelCredentials(config(nodeCerts[1]!)));
    try {
      const answer = await new Promise<Buffer>((resolve, reject) =>
        (peer as unknown as { Who: (req: Buffer, opts: grpc.CallOptions, cb: grpc.requestCallback<Buffer>) => void }).Who(
          Buffer.alloc(0),
          { deadline: Date.now() + 5_000 },
          (err, reply) => (err ? reject(err) : resolve(reply!)),
        ),
      );
      assert.equal(answer.toString(), idOf(nodeCerts[1]!));
    } finally {
      peer.close();
      server.forceShutdown();
    }
  });
});
