#!/usr/bin/env -S node --max-semi-space-size=2 --v8-pool-size=1
/**
 * `kad`: the one command-line entry point. Every node setting is a flag and a KAD_* variable
 * (libs/runtime/node-config.ts).
 *
 *   kad node                      the four actors in one process
 *   kad actor <name>              one actor (split mode; needs --nats-url)
 *   kad cluster --nodes N         N nodes on loopback (a private nats-server when installed)
 *   kad put <key> <value>         store through a node (--target host:port)
 *   kad get <key>                 fetch through a node
 *   kad keygen <file>             a new Ed25519 client key: put/get --identity <file> own keys
 *   kad routing-table | kad stats inspect a node
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DhtClient, type ClientTlsOptions } from '../../libs/client/dht-client.js';
import { isActorName, ACTORS } from '../../libs/bus/subjects.js';
import { idToHex } from '../../libs/kademlia/id.js';
import { bytesOf } from '../../libs/proto/convert.js';
import { createRootLogger } from '../../libs/runtime/logger.js';
import { ConfigError, readSettingFile } from '../../libs/errors/config-error.js';
import { SETTINGS, resolveNodeConfig, settingValues } from '../../libs/runtime/node-config.js';
import { runCluster } from './cluster-command.js';
import { startNode } from '../node/kad-node.js';
import { untilSignal } from './signals.js';
import { SUPERVISED_CHILD_ENV, exitWithSupervisor, superviseNode } from '../node/supervisor.js';
import { fileURLToPath } from 'node:url';
import { readKeyFile, writeNewKeyFile } from '../../libs/identity/key-file.js';
import type { SigningKey } from '../../libs/identity/ed25519.js';

const NODE_OPTIONS = {
  ...Object.fromEntries(SETTINGS.map((s) => [s.flag, { type: 'string' }])),
  supervise: { type: 'boolean' },
} as NonNullable<ParseArgsConfig['options']>;
const CLIENT_OPTIONS = {
  target: { type: 'string' },
  'timeout-ms': { type: 'string' },
  'ttl-ms': { type: 'string' },
  quorum: { type: 'string' },
  identity: { type: 'string' },
  owner: { type: 'string' },
  seq: { type: 'string' },
  'expected-seq': { type: 'string' },
  'tls-ca': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];
const CLUSTER_OPTIONS = {
  ...NODE_OPTIONS,
  nodes: { type: 'string' },
  'base-port': { type: 'string' },
  'no-nats': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const USAGE = `usage: kad <command> [flags]
  node [--supervise]       run the four actors of a node in this process (--supervise, KAD_SUPERVISE=1:
                           in a child process that is restarted when it dies)
  actor <${ACTORS.join('|')}>   run one actor of a node (split mode)
  cluster --nodes N        run N nodes on loopback [--base-port 7400] [--no-nats]
  put <key> <value>        store a value through a node [--target host:port] [--ttl-ms N]
  get <key>                fetch a value through a node [--target host:port] [--quorum N]
  keygen <file>            write a new Ed25519 client key to <file> and print its public key
  put/get --identity FILE  a key owned by that client key (BEP 44): put signs it with the next
                           sequence (or --seq N, and --expected-seq N to compare-and-swap);
                           get --owner HEX reads one by the owner's public key alone
  routing-table            print a node's routing table [--target host:port]
  stats                    print a node's counters [--target host:port]

node flags (each also an environment variable):
${SETTINGS.map((s) => `  --${s.flag.padEnd(18)} ${s.env.padEnd(22)} ${s.help}`).join('\n')}
client flags: --target (KAD_TARGET, default 127.0.0.1:7400), --timeout-ms, --json,
  --tls-ca FILE (KAD_TLS_CA)        TLS to the node, trusting this CA (any host name; the node's key is its identity)
  --tls-cert FILE --tls-key FILE    (KAD_TLS_CERT, KAD_TLS_KEY) TLS with this client certificate (mutual TLS)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'node':
      return runNode(rest, undefined);
    case 'actor': {
      const [name, ...flags] = rest;
      if (!name || !isActorName(name)) return usageError(`kad actor needs one of: ${ACTORS.join(', ')}`);
      return runNode(flags, name);
    }
    case 'cluster': {
      const { values } = parseArgs({ args: rest, options: CLUSTER_OPTIONS, strict: true });
      return runCluster(values);
    }
    case 'put':
    case 'get':
    case 'routing-table':
    case 'stats':
      return runClient(command, rest);
    case 'keygen': {
      const [file, ...extra] = rest;
      if (file === undefined || extra.length > 0) return usageError('kad keygen <file>');
      const key = writeNewKeyFile(file);
      console.log(Buffer.from(key.publicKey).toString('hex'));
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      return usageError(`unknown command ${JSON.stringify(command)}`);
  }
}

function usageError(message: string): number {
  console.error(`kad: ${message}\n\n${USAGE}`);
  return 2;
}

async function runNode(args: string[], actor: (typeof ACTORS)[number] | undefined): Promise<number> {
  const { values } = parseArgs({ args, options: NODE_OPTIONS, strict: true });
  const config = resolveNodeConfig(settingValues(values));
  if (actor && !config.natsUrl) throw new ConfigError('kad actor needs --nats-url (KAD_NATS_URL): split actors talk over NATS');
  const root = createRootLogger(config.logLevel);
  const supervise = values['supervise'] === true || process.env['KAD_SUPERVISE'] === '1';
  if (!actor && supervise && process.env[SUPERVISED_CHILD_ENV] !== '1') {
    const childArgs = args.filter((a) => a !== '--supervise');
    return superviseNode(fileURLToPath(import.meta.url), childArgs, root.child({ node: config.node, actor: 'supervisor' }), untilSignal());
  }
  exitWithSupervisor();
  const node = await startNode(config, root, actor ? { actors: [actor] } : {});
  root.info({ node: config.node, actors: actor ?? 'all', advertise: config.advertise, bus: config.natsUrl ? 'nats' : 'in-process' }, 'ready');
  await untilSignal();
  await node.stop();
  return 0;
}

async function runClient(command: 'put' | 'get' | 'routing-table' | 'stats', args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: CLIENT_OPTIONS, strict: true, allowPositionals: true });
  const target = values.target ?? process.env['KAD_TARGET'] ?? '127.0.0.1:7400';
  const timeoutMs = values['timeout-ms'] ? Number(values['timeout-ms']) : undefined;
  const client = new DhtClient(target, clientTls(values));
  try {
    switch (command) {
      case 'put': {
        const [key, value] = positionals;
        if (key === undefined || value === undefined) return usageError('kad put <key> <value>');
        const ttlMs = values['ttl-ms'] ? Number(values['ttl-ms']) : undefined;
        const reply = values.identity
          ? await putOwned(client, readKeyFile(values.identity), key, value, values, { ...(timeoutMs ? { timeoutMs } : {}), ...(ttlMs ? { ttlMs } : {}) })
          : await client.put(key, value, { ...(timeoutMs ? { timeoutMs } : {}), ...(ttlMs ? { ttlMs } : {}) });
        print(values.json, { acknowledged: reply.acknowledged, attempted: reply.attempted, recordId: idToHex(bytesOf(reply.recordId)) }, `stored on ${reply.acknowledged} of ${reply.attempted} replicas`);
        return 0;
      }
      case 'get': {
        const [key] = positionals;
        if (key === undefined) return usageError('kad get <key>');
        const quorum = values.quorum ? Number(values.quorum) : undefined;
        const owner = ownerOf(values);
        const reply = await client.get(key, { ...(timeoutMs ? { timeoutMs } : {}), ...(quorum ? { quorum } : {}), ...(owner ? { owner } : {}) });
        if (!reply.found) {
          print(values.json, { found: false }, '(not found)');
          return 1;
        }
        const value = Buffer.from(reply.value).toString('utf8');
        print(values.json, { found: true, value, createdMs: reply.createdMs, ...(owner ? { seq: reply.seq } : {}) }, value);
        return 0;
      }
      case 'routing-table': {
        const reply = await client.routingTable(timeoutMs ? { timeoutMs } : {});
        console.log(`self ${idToHex(bytesOf(reply.self?.id))} ${reply.self?.address ?? ''}`);
        for (const bucket of reply.buckets) {
          if (bucket.contacts.length === 0 && bucket.replacements.length === 0) continue;
          console.log(`bucket depth ${bucket.depth}: ${bucket.contacts.length} contacts, ${bucket.replacements.length} replacements`);
          for (const c of bucket.contacts) console.log(`  ${idToHex(bytesOf(c.id))} ${c.address}`);
        }
        return 0;
      }
      case 'stats': {
        const reply = await client.stats(timeoutMs ? { timeoutMs } : {});
        console.log(JSON.stringify({ node: reply.node, id: idToHex(bytesOf(reply.self?.id)), address: reply.self?.address, contacts: reply.contacts, records: reply.records, recordBytes: reply.recordBytes }));
        return 0;
      }
    }
  } finally {
    client.close();
  }
}

/** TLS to the node when any of --tls-ca, --tls-cert, --tls-key (or KAD_TLS_CA, KAD_TLS_CERT,
 * KAD_TLS_KEY) is set; plaintext otherwise. */
function clientTls(values: { 'tls-ca'?: string | undefined; 'tls-cert'?: string | undefined; 'tls-key'?: string | undefined }): ClientTlsOptions | undefined {
  const setting = (flag: 'tls-ca' | 'tls-cert' | 'tls-key', env: string) => values[flag] ?? (process.env[env] || undefined);
  const ca = setting('tls-ca', 'KAD_TLS_CA');
  const cert = setting('tls-cert', 'KAD_TLS_CERT');
  const key = setting('tls-key', 'KAD_TLS_KEY');
  if (ca === undefined && cert === undefined && key === undefined) return undefined;
  if ((cert === undefined) !== (key === undefined)) throw new ConfigError('--tls-cert and --tls-key go together');
  const read = (file: string, flag: string): Buffer => readSettingFile(file, 'file', flag);
  return {
    ...(ca !== undefined ? { ca: read(ca, 'tls-ca') } : {}),
    ...(cert !== undefined && key !== undefined ? { cert: read(cert, 'tls-cert'), key: read(key, 'tls-key') } : {}),
  };
}

type ClientValues = ReturnType<typeof parseArgs<{ options: typeof CLIENT_OPTIONS; allowPositionals: true; strict: true }>>['values'];

function wholeNumber(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new ConfigError(`--${flag} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** The owner's public key: --owner HEX, or the one of --identity FILE. */
function ownerOf(values: ClientValues): Uint8Array | undefined {
  if (values.owner !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(values.owner)) throw new ConfigError('--owner must be a 32-byte public key in hex (64 digits)');
    return Buffer.from(values.owner, 'hex');
  }
  return values.identity ? readKeyFile(values.identity).publicKey : undefined;
}

/** An owned Put: the given --seq (and --expected-seq), or else one above the seq held now,
 * swapped against it, so two writers never overwrite each other unseen. */
async function putOwned(client: DhtClient, identity: SigningKey, key: string, value: string, values: ClientValues, options: { timeoutMs?: number; ttlMs?: number }) {
  if (values.seq !== undefined) {
    const expected = values['expected-seq'] === undefined ? {} : { expectedSeq: wholeNumber(values['expected-seq'], 'expected-seq') };
    return client.putOwned(identity, key, value, { ...options, ...expected, seq: wholeNumber(values.seq, 'seq') });
  }
  const held = await client.get(key, { owner: identity.publicKey, quorum: 3, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  return held.found ? client.putOwned(identity, key, value, { ...options, seq: held.seq + 1, expectedSeq: held.seq }) : client.putOwned(identity, key, value, { ...options, seq: 1 });
}

function print(json: boolean | undefined, data: object, text: string): void {
  console.log(json ? JSON.stringify(data) : text);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`kad: ${err.message}`);
      process.exit(2);
    }
    const e = err as { code?: number; details?: string; message?: string };
    console.error(`kad: ${e.details ?? e.message ?? String(err)}`);
    process.exit(1);
  },
);
