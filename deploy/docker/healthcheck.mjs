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
 *       a split actor has no gRPC port: ask NATS ($SRV.PING.kad-<actor>, the NATS micro
 *       discovery subject every actor answers) and be healthy when the actor of this node
 *       (metadata node = KAD_NODE) answers. Needs KAD_NATS_URL and KAD_NODE.
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

async function checkActor(actor) {
  const node = process.env.KAD_NODE;
  const servers = (process.env.KAD_NATS_URL || '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!node) fail('--actor needs KAD_NODE');
  if (servers.length === 0) fail('--actor needs KAD_NATS_URL');
  const { connect, createInbox } = await import('@nats-io/transport-node');
  const nc = await connect({ servers, name: `kad-healthcheck:${node}:${actor}`, timeout: timeoutMs });
  try {
    // Every node's actor of that kind answers the PING (one NATS may carry many nodes):
    // collect answers until ours arrives or the deadline ends the subscription.
    const inbox = createInbox();
    const sub = nc.subscribe(inbox);
    const timer = setTimeout(() => sub.unsubscribe(), timeoutMs);
    try {
      nc.publish(`$SRV.PING.kad-${actor}`, new Uint8Array(), { reply: inbox });
      for await (const msg of sub) {
        if (msg.data.length === 0) continue; // a "no responders" status, not an answer
        const ping = JSON.parse(new TextDecoder().decode(msg.data));
        if (ping?.metadata?.node === node && ping?.metadata?.actor === actor) return true;
      }
      return false;
    } finally {
      clearTimeout(timer);
    }
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
    if (!(await checkActor(actor))) fail(`no ${actor} actor of node ${process.env.KAD_NODE} answered $SRV.PING.kad-${actor} within ${timeoutMs} ms`);
    return;
  }
  const status = await checkGrpc(grpcTarget());
  if (status !== 'SERVING') fail(`gRPC health is ${status}`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err) => fail(err.message),
);
