/**
 * `kad put`, `kad get`, `kad routing-table`, `kad stats` (client calls through a node) and
 * `kad keygen`. Flag checks all come before anything is read or sent; every command prints one
 * line of JSON with `--json`.
 */
import { Option, type Command } from 'commander';
import type { Readable, Writable } from 'node:stream';
import type { DhtClient } from '../../libs/client/index.js';
import { ConfigError } from '../../libs/errors/index.js';
import { type SigningKey, readKeyFile, writeNewKeyFile } from '../../libs/identity/index.js';
import { bytesOf, type v1 } from '../../libs/proto/index.js';
import { addClientFlags, addValueLimitFlag, callOptions, openClient, type ClientFlags } from './client-flags.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { UINT32_MAX, integerIn, nonNegativeInteger, publicKeyHex } from './option-values.js';
import { VALUE_ENCODINGS, encodeValue, readValue, renderValue, writeTo, type ValueEncoding } from './value-io.js';

export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable & { readonly isTTY?: boolean };
  readonly stderr: Writable;
}

/** Where a command's action leaves its exit code (commander's actions return nothing). */
export interface Outcome {
  code: ExitCode;
}

interface PutFlags extends ClientFlags {
  readonly file?: string;
  readonly trace?: boolean;
  readonly ttlMs?: number;
  readonly identity?: string;
  readonly seq?: number;
  readonly expectedSeq?: number;
}

interface GetFlags extends ClientFlags {
  readonly quorum?: number;
  readonly trace?: boolean;
  readonly owner?: Uint8Array;
  readonly identity?: string;
  readonly raw?: boolean;
  readonly encoding?: ValueEncoding;
}

const hex = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytesOf(bytes)).toString('hex');
const line = (data: object): string => `${JSON.stringify(data)}\n`;

/** A traced operation's hops as JSON (`--json --trace`). */
function traceJson(reply: { traceId: string; hops: v1.LookupHop__Output[] }) {
  return {
    traceId: reply.traceId,
    hops: reply.hops.map((h) => ({
      round: h.round,
      rpc: h.rpc,
      peer: { id: hex(h.peer?.id), address: h.peer?.address ?? '' },
      distanceBits: h.distanceBits,
      latencyMs: Math.round(h.latencyMs * 1000) / 1000,
      outcome: h.outcome,
    })),
  };
}

/** The path of a traced operation, one line per peer RPC (`--trace`, to stderr: stdout carries
 * the value). */
function renderTrace(reply: { traceId: string; hops: v1.LookupHop__Output[] }): string {
  const rounds = Math.max(0, ...reply.hops.map((h) => h.round));
  const head = `trace ${reply.traceId || '(no trace id)'}: ${reply.hops.length} peer RPCs in ${rounds} rounds${reply.hops.length === 0 ? " (answered from the node's own copy)" : ''}\n`;
  const rows = reply.hops.map(
    (h) =>
      `  round ${h.round}  ${h.rpc.padEnd(9)}  ${(h.peer?.address ?? '').padEnd(21)}  ${hex(h.peer?.id).slice(0, 12)}  distance ${String(h.distanceBits).padStart(3)} bits  ${h.latencyMs.toFixed(1).padStart(7)} ms  ${h.outcome}\n`,
  );
  return head + rows.join('');
}

export function addClientCommands(program: Command, io: CliIo, outcome: Outcome): void {
  const run = (command: Command, fn: () => Promise<ExitCode>): void => {
    command.action(async () => {
      outcome.code = await fn();
    });
  };
  /** A usage error found after parsing: exit 2, naming the flag, nothing sent. */
  const usage = (command: Command, message: string): never =>
    command.error(`error: ${message}`, { exitCode: EXIT.usage, code: 'kad.usage' });
  const print = (text: string): Promise<void> => writeTo(io.stdout, text);

  const put = program
    .command('put')
    .description('store a value through a node')
    .argument('<key>', 'the key (its UTF-8 bytes)')
    .argument('[value]', 'the value as text, or - to read its bytes from stdin (or use --file)')
    .option('--file <path>', 'read the value from this file (any size the node allows, any bytes)')
    .addOption(new Option('--ttl-ms <ms>', "record lifetime; 0: the node's (KAD_EXPIRE_MS)").argParser(nonNegativeInteger))
    .option(
      '--identity <file>',
      'own the key with this client key (kad keygen): signed with the next sequence, compare-and-swap on the one held',
    )
    .addOption(new Option('--seq <n>', 'with --identity: this sequence').argParser(nonNegativeInteger))
    .addOption(
      new Option(
        '--expected-seq <n>',
        'with --identity: swap only if a replica holds this sequence (default --seq: this one plus 1)',
      ).argParser(nonNegativeInteger),
    )
    .option('--trace', "print the Put's path to stderr: each peer RPC's round, node, address, XOR distance, latency and outcome");
  addValueLimitFlag(addClientFlags(put));
  run(put, async () => {
    const [key, argument] = put.processedArgs as [string, string | undefined];
    const flags = put.opts<PutFlags>();
    if (argument !== undefined && flags.file !== undefined) usage(put, 'give the value as an argument or with --file, not both');
    if (argument === undefined && flags.file === undefined) usage(put, 'missing the value: text, - to read stdin, or --file PATH');
    if (flags.identity === undefined && (flags.seq !== undefined || flags.expectedSeq !== undefined))
      usage(put, '--seq and --expected-seq need --identity');
    const identity = flags.identity === undefined ? undefined : identityOf(flags.identity);
    const value = await readValue(argument, flags.file, io.stdin);
    return withClient(flags, async (client) => {
      const options = { ...callOptions(flags), ...(flags.ttlMs ? { ttlMs: flags.ttlMs } : {}), ...(flags.trace ? { trace: true } : {}) };
      const reply = identity ? await putOwned(client, identity, key, value, flags, options) : await client.put(key, value, options);
      const result = {
        acknowledged: reply.acknowledged,
        attempted: reply.attempted,
        recordId: hex(reply.recordId),
        ...(flags.trace ? { trace: traceJson(reply) } : {}),
      };
      if (flags.trace && !flags.json) await writeTo(io.stderr, renderTrace(reply));
      await print(flags.json ? line(result) : `stored on ${reply.acknowledged} of ${reply.attempted} replicas\n`);
      return EXIT.ok;
    });
  });

  const get = program
    .command('get')
    .description('fetch a value through a node: its exact bytes to a pipe or file, text and a newline to a terminal')
    .argument('<key>', 'the key (its UTF-8 bytes)')
    .addOption(
      new Option('--quorum <n>', 'collect this many answers, return the newest, repair stale holders').argParser(integerIn(1, UINT32_MAX)),
    )
    .addOption(new Option('--owner <hex>', 'the key owned by this public key (kad keygen prints it)').argParser(publicKeyHex))
    .option('--identity <file>', 'the key owned by this client key')
    .addOption(new Option('--raw', 'write the exact bytes, even to a terminal').conflicts('json'))
    .addOption(new Option('--encoding <encoding>', 'the value in --json (default base64)').choices(VALUE_ENCODINGS))
    .option('--trace', "print the Get's path to stderr: each peer RPC's round, node, address, XOR distance, latency and outcome");
  addValueLimitFlag(addClientFlags(get));
  run(get, async () => {
    const [key] = get.processedArgs as [string];
    const flags = get.opts<GetFlags>();
    if (flags.encoding !== undefined && !flags.json) usage(get, '--encoding is the encoding of the value in --json: add --json');
    const owner = flags.owner ?? (flags.identity === undefined ? undefined : identityOf(flags.identity).publicKey);
    return withClient(flags, async (client) => {
      const reply = await client.get(key, {
        ...callOptions(flags),
        ...(flags.quorum ? { quorum: flags.quorum } : {}),
        ...(owner ? { owner } : {}),
        ...(flags.trace ? { trace: true } : {}),
      });
      const trace = flags.trace ? { trace: { ...traceJson(reply), peerRpcs: reply.peerRpcs, lookupRounds: reply.lookupRounds } } : {};
      if (flags.trace && !flags.json) await writeTo(io.stderr, renderTrace(reply));
      if (!reply.found) {
        if (flags.json) await print(line({ found: false, ...trace }));
        else await writeTo(io.stderr, `kad: not found: ${JSON.stringify(key)}\n`);
        return EXIT.notFound;
      }
      if (flags.json) {
        const encoding = flags.encoding ?? 'base64';
        const found = {
          found: true,
          value: encodeValue(reply.value, encoding),
          encoding,
          createdMs: reply.createdMs,
          expiresMs: reply.expiresMs,
          publisher: hex(reply.publisher),
          ...trace,
        };
        await print(line(owner ? { ...found, seq: reply.seq, owner: hex(owner) } : found));
      } else {
        await writeTo(io.stdout, renderValue(reply.value, { raw: flags.raw === true, terminal: io.stdout.isTTY === true }));
      }
      return EXIT.ok;
    });
  });

  const table = program.command('routing-table').description("print a node's routing table");
  addClientFlags(table);
  run(table, async () => {
    const flags = table.opts<ClientFlags>();
    return withClient(flags, async (client) => {
      const reply = await client.routingTable(callOptions(flags));
      await print(flags.json ? line(routingTableJson(reply)) : routingTableText(reply));
      return EXIT.ok;
    });
  });

  const stats = program.command('stats').description("print a node's counters");
  addClientFlags(stats);
  run(stats, async () => {
    const flags = stats.opts<ClientFlags>();
    return withClient(flags, async (client) => {
      const reply = await client.stats(callOptions(flags));
      await print(flags.json ? line(statsJson(reply)) : statsText(reply));
      return EXIT.ok;
    });
  });

  const keygen = program
    .command('keygen')
    .description(
      'write a new Ed25519 client key (PKCS#8 PEM) to <file> and print its public key: put/get --identity <file> own keys with it',
    )
    .argument('<file>', 'where to write the key (must not exist)')
    .option('--json', 'print {"publicKey": hex, "file": path}');
  run(keygen, async () => {
    const [file] = keygen.processedArgs as [string];
    const key = writeNewKeyFile(file);
    const publicKey = Buffer.from(key.publicKey).toString('hex');
    await print(keygen.opts<{ json?: boolean }>().json ? line({ publicKey, file }) : `${publicKey}\n`);
    return EXIT.ok;
  });
}

async function withClient(flags: ClientFlags, fn: (client: DhtClient) => Promise<ExitCode>): Promise<ExitCode> {
  const client = openClient(flags);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

function identityOf(file: string): SigningKey {
  try {
    return readKeyFile(file);
  } catch (err) {
    throw new ConfigError(`--identity: ${(err as Error).message}`);
  }
}

/** An owned Put: the given --seq (and --expected-seq); --expected-seq N alone is seq N + 1
 * swapped against N; neither: one above the seq held now, swapped against it, so two writers
 * never overwrite each other unseen. */
async function putOwned(
  client: DhtClient,
  identity: SigningKey,
  key: string,
  value: Uint8Array,
  flags: PutFlags,
  options: { timeoutMs?: number; ttlMs?: number },
): Promise<v1.PutResponse__Output> {
  if (flags.seq !== undefined) {
    return client.putOwned(identity, key, value, {
      ...options,
      seq: flags.seq,
      ...(flags.expectedSeq === undefined ? {} : { expectedSeq: flags.expectedSeq }),
    });
  }
  if (flags.expectedSeq !== undefined)
    return client.putOwned(identity, key, value, { ...options, seq: flags.expectedSeq + 1, expectedSeq: flags.expectedSeq });
  const held = await client.get(key, {
    owner: identity.publicKey,
    quorum: 3,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  return held.found
    ? client.putOwned(identity, key, value, { ...options, seq: held.seq + 1, expectedSeq: held.seq })
    : client.putOwned(identity, key, value, { ...options, seq: 1 });
}

const contactJson = (c: v1.Contact__Output | undefined) => ({ id: hex(c?.id), address: c?.address ?? '' });

function routingTableJson(reply: v1.RoutingTableResponse__Output) {
  return {
    self: contactJson(reply.self),
    buckets: reply.buckets.map((b) => ({
      depth: b.depth,
      prefix: hex(b.prefix),
      contacts: b.contacts.map(contactJson),
      replacements: b.replacements.map(contactJson),
    })),
  };
}

function routingTableText(reply: v1.RoutingTableResponse__Output): string {
  const lines = [`self ${hex(reply.self?.id)} ${reply.self?.address ?? ''}`];
  for (const bucket of reply.buckets) {
    if (bucket.contacts.length === 0 && bucket.replacements.length === 0) continue;
    lines.push(`bucket depth ${bucket.depth}: ${bucket.contacts.length} contacts, ${bucket.replacements.length} replacements`);
    for (const c of bucket.contacts) lines.push(`  ${hex(c.id)} ${c.address}`);
  }
  return `${lines.join('\n')}\n`;
}

function statsJson(reply: v1.StatsResponse__Output) {
  return {
    node: reply.node,
    id: hex(reply.self?.id),
    address: reply.self?.address ?? '',
    contacts: reply.contacts,
    records: reply.records,
    recordBytes: reply.recordBytes,
    busMessages: reply.busMessages.map((m) => ({ actor: m.actor, verb: m.verb, inProcess: m.inProcess, overNats: m.overNats })),
  };
}

function statsText(reply: v1.StatsResponse__Output): string {
  const lines = [
    `node     ${reply.node}`,
    `id       ${hex(reply.self?.id)}`,
    `address  ${reply.self?.address ?? ''}`,
    `contacts ${reply.contacts}`,
    `records  ${reply.records} (${reply.recordBytes} bytes)`,
  ];
  if (reply.busMessages.length > 0) {
    lines.push('bus messages sent (in process / over NATS):');
    for (const m of reply.busMessages) lines.push(`  ${`${m.actor}.${m.verb}`.padEnd(34)} ${m.inProcess} / ${m.overNats}`);
  }
  return `${lines.join('\n')}\n`;
}
