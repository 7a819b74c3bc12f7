#!/usr/bin/env node
/**
 * Container health probe for the kademlia-actors image (Dockerfile HEALTHCHECK, compose
 * healthchecks). Plain JavaScript so it runs from the runtime image's production
 * node_modules with no build step. Exit 0: healthy; exit 1: not (with one line on stderr).
 *
 *   node deploy/docker/healthcheck.mjs
 *       gRPC health (grpc.health.v1.Health/Check, service "") on this container's node port:
 *       healthy when SERVING. This is `kad node` and the transport actor: the only processes
 *       that own the gRPC server. Target: KAD_HEALTH_TARGET, else KAD_LISTEN with a wildcard
 *       host (0.0.0.0, [::]) replaced by loopback, else 127.0.0.1:7400.
 *
 *   node deploy/docker/healthcheck.mjs --actor <routing-table|storage|lookup-coordinator>
 *       a split actor has no gRPC port: send it a read-only request on its node's own subject
 *       (kad.<KAD_NODE>.<actor>.<verb>, as the node's NATS user) and be healthy when it answers.
 *       Needs KAD_NATS_URL (and KAD_NATS_CREDS / KAD_NATS_TLS_CA as the node has) and KAD_NODE.
 *
 * With TLS (KAD_TLS_CERT and KAD_TLS_KEY set, as for the node) the gRPC probe uses TLS: with
 * KAD_TLS_CA it trusts that CA (no host name check: a node's identity is its key) and presents
 * the node's own certificate (mutual TLS); without, it accepts the node's certificate unverified
 * (it only asks a loopback port whether it serves, and sends nothing secret).
 *
 * KAD_HEALTH_TIMEOUT_MS bounds the whole probe (default 3000).
 */
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

const ACTORS = ['routing-table', 'storage', 'lookup-coordinator', 'transport'];
const timeoutMs = Number(process.env.KAD_HEALTH_TIMEOUT_MS ?? 3000) || 3000;

function fail(message) {
  console.error(`healthcheck: ${message}`);
  process.exit(1);
}

function grpcTarget() {
  if (process.env.KAD_HEALTH_TARGET) return process.env.KAD_HEALTH_TARGET;
  const listen = process.env.KAD_LISTEN || '127.0.0.1:7400';
  const colon = listen.lastIndexOf(':');
  const host = listen.slice(0, colon);
  const port = listen.slice(colon + 1);
  const wildcard = host === '' || host === '0.0.0.0' || host === '[::]' || host === '::';
  return `${wildcard ? '127.0.0.1' : host}:${port}`;
}

function readPem(variable) {
  try {
    return readFileSync(process.env[variable]);
  } catch (err) {
    fail(`${variable}: ${err.message}`);
  }
}

/** Credentials and channel options as the node's TLS settings imply. */
function grpcCredentials() {
  const { KAD_TLS_CERT: cert, KAD_TLS_KEY: key, KAD_TLS_CA: ca } = process.env;
  if (!cert && !key) return { credentials: grpc.credentials.createInsecure(), options: {} };
  if (!cert || !key) fail('KAD_TLS_CERT and KAD_TLS_KEY go together');
  const verify = ca ? { checkServerIdentity: () => undefined } : { rejectUnauthorized: false };
  const credentials = ca
    ? grpc.credentials.createSsl(readPem('KAD_TLS_CA'), readPem('KAD_TLS_KEY'), readPem('KAD_TLS_CERT'), verify)
    : grpc.credentials.createSsl(null, null, null, verify);
  // No host name is checked, and an IP is no TLS server name: send a fixed one.
  return { credentials, options: { 'grpc.ssl_target_name_override': 'kad-node' } };
}

function checkGrpc(target) {
  const Health = grpc.makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');
  const { credentials, options } = grpcCredentials();
  const client = new Health(target, credentials, options);
  return new Promise((resolve, reject) => {
    client.Check({ service: '' }, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, reply) => {
      client.close();
      if (err) reject(new Error(`${target}: ${err.details || err.message}`));
      else resolve(reply.status);
    });
  });
}

// A split actor's probe: a request on its own node's subjects (the only ones the node's NATS
// user may use: deploy/nats/nats-server.conf), with the node's URL credentials, creds file, TLS
// CA and inbox prefix. Any answer, an actor error included (find-node with no target is refused
// INVALID_ARGUMENT before any lookup), shows the actor's endpoint and mailbox serve; no
// responders or no answer in time is unhealthy. Read-only verbs: nothing changes state.
const PROBE_VERBS = { 'routing-table': 'self', storage: 'stats', 'lookup-coordinator': 'find-node' };

async function checkActor(actor) {
  const node = process.env.KAD_NODE;
  const servers = (process.env.KAD_NATS_URL || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!node) fail('--actor needs KAD_NODE');
  if (servers.length === 0) fail('--actor needs KAD_NATS_URL');
  const { connect } = await import('@nats-io/transport-node');
  // The node's own connect options (dist/ is in the image beside this file).
  const { natsConnectOptions, inboxPrefixFor } = await import('../../dist/libs/bus/nats-bus.js');
  const options = natsConnectOptions({
    servers,
    name: `kad-healthcheck:${node}:${actor}`,
    credsFile: process.env.KAD_NATS_CREDS || undefined,
    tlsCaFile: process.env.KAD_NATS_TLS_CA || undefined,
    inboxPrefix: inboxPrefixFor(node),
  });
  const nc = await connect({ ...options, timeout: timeoutMs });
  try {
    await nc.request(`kad.${node}.${actor}.${PROBE_VERBS[actor]}`, new Uint8Array(), { timeout: timeoutMs });
    return true;
  } catch (err) {
    console.error(`healthcheck: ${err.message}`);
    return false;
  } finally {
    await nc.close();
  }
}

async function main(argv) {
  const at = argv.indexOf('--actor');
  if (at >= 0) {
    const actor = argv[at + 1];
    if (!ACTORS.includes(actor)) fail(`--actor needs one of ${ACTORS.join(', ')}`);
    // The transport actor owns the gRPC server: its health service is the better signal.
    if (actor === 'transport') return main([]);
    if (!(await checkActor(actor)))
      fail(
        `no ${actor} actor of node ${process.env.KAD_NODE} answered kad.${process.env.KAD_NODE}.${actor}.${PROBE_VERBS[actor]} within ${timeoutMs} ms`,
      );
    return;
  }
  const status = await checkGrpc(grpcTarget());
  if (status !== 'SERVING') fail(`gRPC health is ${status}`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err) => fail(err.message),
);
