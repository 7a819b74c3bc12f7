/**
 * The `kad` CLI as a user runs it, against a real 3-node cluster (a real nats-server, real node
 * processes, real gRPC): values byte for byte through stdin, files, pipes and a terminal; every
 * exit code; usage errors that name the flag and send nothing; help and version; --json on every
 * client command; and failover between addresses, for the CLI and the client library, with a
 * node really down.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DhtClient, InvalidArgumentError } from '../../libs/client/index.js';
import { freePorts } from '../../harness/free-port.js';
import { runKad, runKadOnTerminal, terminalUnavailable, type KadRun } from '../testkit/kad-cli.js';
import { KAD_CLI, ProcessCluster } from '../../harness/process-cluster.js';
import { SilentListener } from '../testkit/silent-listener.js';

const K = 3;
/** The cluster takes values up to 2 MiB, so 1 MiB goes through; the CLI is told the same. */
const MAX_VALUE = 2 * 1024 * 1024;
const CLIENT_ENV = { KAD_MAX_VALUE_BYTES: String(MAX_VALUE) };
const COMMANDS = ['node', 'actor', 'cluster', 'put', 'get', 'routing-table', 'stats', 'keygen'];

function expectExit(run: KadRun, code: number, what: string): void {
  assert.equal(run.code, code, `${what}: exit ${run.code}, expected ${code}; stderr: ${run.stderr}`);
}

describe('kad CLI - help, version and usage errors (nothing sent)', () => {
  let listener: SilentListener;
  before(async () => {
    listener = await SilentListener.start();
  });
  after(async () => listener?.stop());

  test('--version prints the package version; --help lists every command and the exit codes', async () => {
    const version = (JSON.parse(readFileSync(join(KAD_CLI, '../../../../package.json'), 'utf8')) as { version: string }).version;
    for (const flag of ['--version', '-V']) {
      const run = await runKad([flag]);
      expectExit(run, 0, flag);
      assert.equal(run.stdout.toString(), `${version}\n`);
    }
    const help = await runKad(['--help']);
    expectExit(help, 0, '--help');
    const text = help.stdout.toString();
    for (const command of COMMANDS) assert.match(text, new RegExp(`^  ${command} `, 'm'), command);
    for (const code of [0, 1, 2, 3, 4]) assert.match(text, new RegExp(`^  ${code}  \\S`, 'm'), `exit code ${code} documented`);
    for (const variable of ['KAD_TARGET', 'KAD_NODE', 'KAD_NATS_URL', 'KAD_MAX_VALUE_BYTES']) assert.ok(text.includes(variable), variable);
    expectExit(await runKad([]), 2, 'no command');
  });

  test('every command has its own --help (exit 0), and kad help <command> is the same', async () => {
    for (const command of COMMANDS) {
      const run = await runKad([command, '--help']);
      expectExit(run, 0, `${command} --help`);
      assert.match(run.stdout.toString(), new RegExp(`^Usage: kad ${command} `), command);
    }
    const get = await runKad(['get', '--help']);
    for (const flag of ['--raw', '--json', '--encoding', '--target', '--timeout-ms', '--quorum'])
      assert.ok(get.stdout.toString().includes(flag), `get --help lists ${flag}`);
    const put = (await runKad(['put', '--help'])).stdout.toString();
    for (const flag of ['--file', '--ttl-ms', '--max-value-bytes', '--identity']) assert.ok(put.includes(flag), `put --help lists ${flag}`);
    assert.equal((await runKad(['help', 'get'])).stdout.toString(), get.stdout.toString());
  });

  test('a bad flag value, an unknown flag or an extra argument exits 2 naming it, and nothing is sent', async () => {
    const target = ['--target', listener.address];
    const cases: [string[], RegExp][] = [
      [['put', 'k', 'v', '--ttl-ms', 'abc', ...target], /--ttl-ms <ms>' argument 'abc' is invalid/],
      [['put', 'k', 'v', '--ttl-ms', '-5', ...target], /--ttl-ms/],
      [['put', 'k', 'v', '--ttl-ms', '1.5', ...target], /--ttl-ms/],
      [['put', 'k', 'v', '--ttl-ms', '1e3', ...target], /--ttl-ms/],
      [['get', 'k', '--quorum', '0', ...target], /--quorum/],
      [['get', 'k', '--timeout-ms', 'soon', ...target], /--timeout-ms/],
      [
        ['get', 'k', '--json', '--encoding', 'latin1', ...target],
        /--encoding <encoding>' argument 'latin1' is invalid\. Allowed choices are base64, utf8/,
      ],
      [['get', 'k', '--owner', 'not-hex', ...target], /--owner/],
      [['get', 'k', '--raw', '--json', ...target], /--raw' cannot be used with option '--json/],
      [['put', 'k', 'v', '--bogus', ...target], /unknown option '--bogus'/],
      [['get', 'k', 'extra', ...target], /too many arguments for 'get'/],
      [['put', 'k', 'v', 'w', ...target], /too many arguments for 'put'/],
      [['put', 'k', ...target], /missing the value/],
      [['put', 'k', 'v', '--file', KAD_CLI, ...target], /not both/],
      [['put', 'k', 'v', '--seq', '2', ...target], /--seq and --expected-seq need --identity/],
      [['put', 'k', '--file', '/nonexistent/value', ...target], /--file: cannot read/],
      [['stats', '--target', 'no-port', ...target], /--target <host:port>' argument 'no-port' is invalid/],
      [['routing-table', '--verbose', ...target], /unknown option '--verbose'/],
      [['node', '--bogus'], /unknown option '--bogus'/],
      [['node', 'extra'], /too many arguments for 'node'/],
      [['node', '--k', 'zero', '--listen', listener.address], /--k must be a positive integer/],
      [['actor', 'storage', '--bogus'], /unknown option '--bogus'/],
      [['actor', 'nobody'], /'nobody' is invalid for argument 'name'/],
      [['cluster', '--nodes', 'many'], /--nodes <n>' argument 'many' is invalid/],
      [['keygen'], /missing required argument 'file'/],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const run = await runKad(args);
      expectExit(run, 2, args.join(' '));
      assert.match(run.stderr, message, args.join(' '));
    }
    const fromEnv = await runKad(['get', 'k'], { env: { KAD_TARGET: 'nowhere' } });
    expectExit(fromEnv, 2, 'KAD_TARGET=nowhere');
    assert.match(fromEnv.stderr, /from env 'KAD_TARGET' is invalid/);
    assert.equal(listener.connections, 0, 'no usage error reached the wire');
  });
});

describe('kad CLI - against a 3-node cluster', () => {
  let cluster: ProcessCluster;
  let target: string[];
  const kad = (args: readonly string[], options: { input?: Uint8Array; env?: Record<string, string> } = {}): Promise<KadRun> =>
    runKad(args, { ...options, env: { ...CLIENT_ENV, ...options.env } });

  before(async () => {
    cluster = await ProcessCluster.start({ nodes: 3, env: { KAD_K: String(K), KAD_MAX_VALUE_BYTES: String(MAX_VALUE) } });
    await cluster.waitForTables(2);
    target = ['--target', cluster.nodes[0]!.address];
  });
  after(async () => cluster?.stop());

  test('1 MiB of random bytes through `kad put KEY -` (stdin) comes back identical from `kad get KEY --raw` and through a pipe', async () => {
    const value = randomBytes(1024 * 1024);
    const put = await kad(['put', 'one-mebibyte', '-', ...target], { input: value });
    expectExit(put, 0, 'put -');
    assert.equal(put.stdout.toString(), `stored on ${K} of ${K} replicas\n`);
    for (const node of cluster.nodes) {
      const raw = await kad(['get', 'one-mebibyte', '--raw', '--target', node.address]);
      expectExit(raw, 0, `get --raw through ${node.name}`);
      assert.ok(raw.stdout.equals(value), `the bytes through ${node.name}: ${raw.stdout.length} bytes back`);
    }
    const piped = await kad(['get', 'one-mebibyte', ...target]);
    assert.ok(piped.stdout.equals(value), 'stdout not a terminal: the exact bytes, no newline');
  });

  test('--file PATH stores a file of any bytes (over 128 KiB, more than an argument can carry)', async () => {
    const value = randomBytes(300 * 1024);
    const file = join(cluster.logDir, 'value.bin');
    writeFileSync(file, value);
    expectExit(await kad(['put', 'from-a-file', '--file', file, ...target]), 0, 'put --file');
    assert.ok((await kad(['get', 'from-a-file', '--target', cluster.nodes[2]!.address])).stdout.equals(value));
  });

  test('on a terminal, kad get prints text and a newline; --raw still writes the bytes alone', async (t) => {
    const why = terminalUnavailable();
    if (why) return t.skip(why);
    expectExit(await kad(['put', 'greeting', 'hello, terminal', ...target]), 0, 'put');
    const text = await runKadOnTerminal(['get', 'greeting', ...target], { env: CLIENT_ENV });
    expectExit(text, 0, 'get on a terminal');
    assert.equal(text.stdout.toString(), 'hello, terminal\r\n');
    const raw = await runKadOnTerminal(['get', 'greeting', '--raw', ...target], { env: CLIENT_ENV });
    assert.equal(raw.stdout.toString(), 'hello, terminal');
  });

  test('--json: get carries the value in base64 (or utf8), put, stats and routing-table print one JSON line', async () => {
    const value = randomBytes(256);
    const put = await kad(['put', 'json-bytes', '-', '--json', ...target], { input: value });
    expectExit(put, 0, 'put --json');
    const stored = JSON.parse(put.stdout.toString()) as { acknowledged: number; attempted: number; recordId: string };
    assert.equal(stored.acknowledged, K);
    assert.match(stored.recordId, /^[0-9a-f]{64}$/);

    const got = JSON.parse((await kad(['get', 'json-bytes', '--json', '--target', cluster.nodes[1]!.address])).stdout.toString()) as {
      found: boolean;
      value: string;
      encoding: string;
    };
    assert.equal(got.found, true);
    assert.equal(got.encoding, 'base64');
    assert.ok(Buffer.from(got.value, 'base64').equals(value), 'the base64 carries the exact 256 bytes');

    expectExit(await kad(['put', 'json-text', 'grüße ✓', ...target]), 0, 'put text');
    const text = JSON.parse((await kad(['get', 'json-text', '--json', '--encoding', 'utf8', ...target])).stdout.toString()) as {
      value: string;
      encoding: string;
    };
    assert.deepEqual({ value: text.value, encoding: text.encoding }, { value: 'grüße ✓', encoding: 'utf8' });

    const stats = await kad(['stats', '--json', ...target]);
    expectExit(stats, 0, 'stats --json');
    const s = JSON.parse(stats.stdout.toString()) as { node: string; address: string; contacts: number; records: number; id: string };
    assert.deepEqual({ node: s.node, address: s.address }, { node: cluster.nodes[0]!.name, address: cluster.nodes[0]!.address });
    assert.ok(s.contacts >= 2 && s.records >= 1, JSON.stringify(s));
    assert.match(s.id, /^[0-9a-f]{64}$/);

    const table = await kad(['routing-table', '--json', ...target]);
    expectExit(table, 0, 'routing-table --json');
    const rt = JSON.parse(table.stdout.toString()) as {
      self: { id: string; address: string };
      buckets: { depth: number; contacts: { id: string; address: string }[] }[];
    };
    assert.deepEqual(rt.self, { id: s.id, address: cluster.nodes[0]!.address });
    const addresses = rt.buckets.flatMap((b) => b.contacts.map((c) => c.address)).sort();
    assert.deepEqual(addresses, [cluster.nodes[1]!.address, cluster.nodes[2]!.address].sort());

    assert.match((await kad(['stats', ...target])).stdout.toString(), new RegExp(`^node +${cluster.nodes[0]!.name}$`, 'm'));
    assert.match((await kad(['routing-table', ...target])).stdout.toString(), /^bucket depth \d+: 2 contacts/m);
    const keygen = await kad(['keygen', join(cluster.logDir, 'json.key'), '--json']);
    assert.match((JSON.parse(keygen.stdout.toString()) as { publicKey: string }).publicKey, /^[0-9a-f]{64}$/);
  });

  test('exit codes: 0 found or stored, 3 not found, 1 refused by the node or before sending, 4 unreachable or past the deadline', async () => {
    expectExit(await kad(['put', 'exit-codes', 'v', ...target]), 0, 'put');
    expectExit(await kad(['get', 'exit-codes', ...target]), 0, 'get found');

    const missing = await kad(['get', 'never-written', ...target]);
    expectExit(missing, 3, 'get missing');
    assert.equal(missing.stdout.length, 0, 'nothing on stdout');
    assert.match(missing.stderr, /not found/);
    const missingJson = await kad(['get', 'never-written', '--json', ...target]);
    expectExit(missingJson, 3, 'get missing --json');
    assert.deepEqual(JSON.parse(missingJson.stdout.toString()), { found: false });

    const refused = await kad(['put', 'short-lived', 'v', '--ttl-ms', '50', ...target]);
    expectExit(refused, 1, 'a TTL the node refuses');
    assert.match(refused.stderr, /ttl_ms leaves the record 50 ms to live.*INVALID_ARGUMENT/);
    const tooBig = await runKad(['put', 'too-big', '-', ...target], { input: new Uint8Array(64 * 1024 + 1) });
    expectExit(tooBig, 1, 'over the default value limit, refused before sending');
    assert.match(tooBig.stderr, /value is 65537 bytes, more than the limit of 65536 bytes/);

    const [closed] = await freePorts(1);
    const down = await kad(['get', 'k', '--target', `127.0.0.1:${closed}`]);
    expectExit(down, 4, 'nothing listens');
    assert.match(down.stderr, /UNAVAILABLE/);
    const silent = await SilentListener.start();
    try {
      const started = Date.now();
      const late = await kad(['get', 'k', '--target', silent.address, '--timeout-ms', '500']);
      expectExit(late, 4, 'a node that never answers, past --timeout-ms');
      assert.match(late.stderr, /DEADLINE_EXCEEDED/);
      assert.ok(Date.now() - started < 10_000);
    } finally {
      await silent.stop();
    }
  });

  test("over the limit, the client's local refusal says what the node says", async () => {
    const value = new Uint8Array(MAX_VALUE + 1);
    const unchecked = new DhtClient(cluster.nodes[0]!.address, { limits: false });
    const checked = new DhtClient(cluster.nodes[0]!.address, { limits: { maxValueBytes: MAX_VALUE } });
    try {
      let fromNode = '';
      await assert.rejects(unchecked.put('over', value), (err: InvalidArgumentError) => {
        assert.ok(err instanceof InvalidArgumentError && err.address === cluster.nodes[0]!.address, String(err));
        fromNode = err.details;
        return true;
      });
      await assert.rejects(checked.put('over', value), (err: InvalidArgumentError) => {
        assert.ok(err instanceof InvalidArgumentError && err.address === undefined, String(err));
        assert.equal(err.details, fromNode);
        return true;
      });
    } finally {
      unchecked.close();
      checked.close();
    }
  });

  test('--target with several addresses fails over: comma-separated, the flag repeated, or KAD_TARGET', async () => {
    const [closed] = await freePorts(1);
    const dead = `127.0.0.1:${closed}`;
    const live = cluster.nodes[1]!.address;
    expectExit(await kad(['put', 'failover', 'still here', '--target', `${dead},${live}`]), 0, 'put, comma-separated');
    const repeated = await kad(['get', 'failover', '--target', dead, '--target', live]);
    expectExit(repeated, 0, 'get, --target repeated');
    assert.equal(repeated.stdout.toString(), 'still here');
    const fromEnv = await kad(['get', 'failover'], { env: { KAD_TARGET: `${dead},${live}` } });
    expectExit(fromEnv, 0, 'get, KAD_TARGET');
    assert.equal(fromEnv.stdout.toString(), 'still here');
  });

  // Last: it kills a node.
  test('with one of three nodes down, every client call and every CLI command still succeeds through failover', async () => {
    const [down, a, b] = cluster.nodes as [(typeof cluster.nodes)[number], (typeof cluster.nodes)[number], (typeof cluster.nodes)[number]];
    cluster.kill(down);
    const client = new DhtClient([down.address, a.address, b.address]);
    try {
      assert.ok((await client.put('after-a-kill', 'v', { timeoutMs: 10_000 })).acknowledged >= 1);
      assert.equal(Buffer.from((await client.get('after-a-kill', { timeoutMs: 10_000 })).value).toString(), 'v');
      assert.equal((await client.get('one-mebibyte', { timeoutMs: 10_000 })).value.length, 1024 * 1024);
      assert.ok([a.name, b.name].includes((await client.stats({ timeoutMs: 10_000 })).node));
      assert.ok((await client.routingTable({ timeoutMs: 10_000 })).buckets.length >= 1);
    } finally {
      client.close();
    }
    const several = ['--target', [down.address, a.address, b.address].join(',')];
    expectExit(await kad(['put', 'cli-after-a-kill', 'w', ...several]), 0, 'put');
    const got = await kad(['get', 'cli-after-a-kill', ...several]);
    expectExit(got, 0, 'get');
    assert.equal(got.stdout.toString(), 'w');
    expectExit(await kad(['stats', '--json', ...several]), 0, 'stats');
    expectExit(await kad(['routing-table', '--json', ...several]), 0, 'routing-table');
    // Only the dead node, and no other: unreachable.
    expectExit(await kad(['get', 'cli-after-a-kill', '--target', down.address]), 4, 'the dead node alone');
  });
});
