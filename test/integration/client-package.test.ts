/**
 * The client package as a user gets it: `npm pack` of libs/client, the tarball installed into a
 * fresh project that depends on nothing else (npm fetches @grpc/grpc-js and @bufbuild/protobuf
 * from the registry), a small TypeScript program type-checked against the package's .d.ts files
 * with the repo's tsc, then run on Node 20 and on Node 24 (npm's node@24) against a real 3-node
 * cluster (real nats-server, real node processes), the client given all three addresses with
 * the first one down: every call (put, get, an owned put and get, stats) succeeds through
 * failover, and nothing loads a .proto file or the proto loader.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { nodeBinary } from '../testkit/node-versions.js';
import { ProcessCluster, type ProcessNode } from '../../harness/process-cluster.js';

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGE_DIR = join(ROOT, 'libs', 'client');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const PACKAGE_NAME = '@kademlia-actors/client';

async function run(command: string, args: readonly string[], options: { cwd?: string; timeoutMs: number }): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd: options.cwd, timeout: options.timeoutMs, maxBuffer: 16 << 20 });
    return stdout;
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** The program a user would write: typed against the package, run with the node addresses. */
const PROGRAM = `
import { createRequire } from 'node:module';
import { DhtClient, InvalidArgumentError, SigningKey, type GetResponse, type PutResponse, type StatsResponse } from '${PACKAGE_NAME}';

type IsAny<T> = 0 extends 1 & T ? true : false;
const typed: [IsAny<PutResponse['acknowledged']>, IsAny<GetResponse['value']>, IsAny<StatsResponse['node']>] = [false, false, false];

const addresses = process.argv.slice(2);
/** Each call on a fresh client, so that every one of them starts at the dead first address. */
async function call<T>(what: (client: DhtClient) => Promise<T>): Promise<T> {
  const client = new DhtClient(addresses, { defaultTimeoutMs: 20_000 });
  try {
    return await what(client);
  } finally {
    client.close();
  }
}

const key = \`package-\${process.version}\`;
const put: PutResponse = await call((c) => c.put(key, \`hello from \${process.version}\`, { ttlMs: 600_000 }));
const got: GetResponse = await call((c) => c.get(new TextEncoder().encode(key), { quorum: 2 }));
const missing = await call((c) => c.get(\`\${key}-never-stored\`));
const owner = SigningKey.generate();
const owned = await call((c) => c.putOwned(owner, 'profile', 'v1', { seq: 1 }));
const ownedGot = await call((c) => c.get('profile', { owner: owner.publicKey }));
const stats: StatsResponse = await call((c) => c.stats());
let refused = '';
try {
  await call((c) => c.put(new Uint8Array(2_000), 'too long a key'));
} catch (err) {
  refused = err instanceof InvalidArgumentError ? err.message : String(err);
}
// @ts-expect-error a key is a string or a Uint8Array, not a number
void (() => call((c) => c.put(42, 'v')));

const loaded = Object.keys(createRequire(import.meta.url).cache);
console.log(JSON.stringify({
  node: process.version,
  typed,
  acknowledged: put.acknowledged,
  found: got.found,
  value: Buffer.from(got.value).toString(),
  missing: missing.found,
  ownedAcknowledged: owned.acknowledged,
  ownedValue: Buffer.from(ownedGot.value).toString(),
  ownedSeq: ownedGot.seq,
  statsNode: stats.node,
  statsAddress: stats.self?.address ?? '',
  refused,
  protoLoader: loaded.filter((path) => /proto-loader|protobufjs/.test(path)).length,
}));
`;

interface ProgramOutput {
  node: string;
  typed: boolean[];
  acknowledged: number;
  found: boolean;
  value: string;
  missing: boolean;
  ownedAcknowledged: number;
  ownedValue: string;
  ownedSeq: number;
  statsNode: string;
  statsAddress: string;
  refused: string;
  protoLoader: number;
}

/** Packs the client, installs the tarball into a fresh project and compiles the program. */
async function installAndCompile(work: string): Promise<{ app: string; files: string[] }> {
  const packed = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: PACKAGE_DIR, timeoutMs: 120_000 })) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = join(work, packed[0]!.filename);
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'client-package-check', version: '1.0.0', private: true, type: 'module' }, null, 2),
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: app, timeoutMs: 240_000 });
  writeFileSync(join(app, 'program.ts'), PROGRAM);
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: false,
        types: ['node'],
        outDir: 'build',
        rootDir: '.',
      },
      files: ['program.ts'],
    }),
  );
  await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: app, timeoutMs: 120_000 });
  return { app, files: packed[0]!.files.map((f) => f.path) };
}

describe('the client package, packed, installed on its own and run on Node 20 and 24', () => {
  let work: string;
  let cluster: ProcessCluster;
  let app: string;
  let files: string[];
  let node24: string;
  let down: ProcessNode;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'kad-client-package-'));
    // The registry work and the cluster's start overlap.
    const [installed, binary, started] = await Promise.all([installAndCompile(work), nodeBinary(24), ProcessCluster.start({ nodes: 3 })]);
    ({ app, files } = installed);
    node24 = binary;
    cluster = started;
    await cluster.waitForTables(2);
    down = cluster.nodes[0]!;
    cluster.kill(down);
  });
  after(async () => {
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("the tarball holds built ESM and declarations only, and installs none of the node's dependencies", () => {
    assert.ok(files.includes('dist/index.js') && files.includes('dist/index.d.ts'), `packed: ${files.join(', ')}`);
    assert.ok(files.includes('package.json') && files.includes('README.md'));
    for (const file of files)
      assert.match(file, /^(package\.json|README\.md|dist\/.+\.(js|d\.ts))$/, `unexpected file in the tarball: ${file}`);
    assert.ok(!files.some((f) => f.endsWith('.proto')), 'no .proto file is shipped');
    const installed = join(app, 'node_modules');
    const manifest = JSON.parse(readFileSync(join(installed, PACKAGE_NAME, 'package.json'), 'utf8')) as {
      type: string;
      exports: unknown;
      dependencies: Record<string, string>;
    };
    assert.equal(manifest.type, 'module');
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ['@bufbuild/protobuf', '@grpc/grpc-js']);
    for (const server of ['@nats-io', 'classic-level', 'pino', 'prom-client', '@grpc/reflection', '@noble']) {
      assert.ok(!existsSync(join(installed, server)), `${server} was installed`);
    }
    // Every module of the package imports only its own files and its two dependencies.
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(join(installed, PACKAGE_NAME, file), 'utf8');
      for (const [, spec] of text.matchAll(/(?:from|import)\s*["']([^"']+)["']/g)) {
        assert.ok(/^(\.\/|\.\.\/|node:|@grpc\/grpc-js$|@bufbuild\/protobuf\/wire$)/.test(spec!), `${file} imports ${spec}`);
      }
    }
    assert.ok(readdirSync(join(app, 'build')).includes('program.js'), 'tsc compiled the program');
  });

  for (const version of [20, 24]) {
    test(`on Node ${version}: with the first of three addresses down, every call succeeds through failover`, async (t) => {
      const binary = version === 24 ? node24 : process.execPath;
      const addresses = [down.address, ...cluster.nodes.slice(1).map((n) => n.address)];
      const stdout = await run(binary, [join(app, 'build', 'program.js'), ...addresses], { cwd: app, timeoutMs: 60_000 });
      t.diagnostic(stdout.trim());
      const out = JSON.parse(stdout.trim().split('\n').pop()!) as ProgramOutput;
      assert.match(out.node, new RegExp(`^v${version}\\.`));
      assert.deepEqual(out.typed, [false, false, false]);
      assert.ok(out.acknowledged >= 1, `put acknowledged by ${out.acknowledged}`);
      assert.equal(out.found, true);
      assert.equal(out.value, `hello from ${out.node}`);
      assert.equal(out.missing, false, 'a key never stored is found: false, not an error');
      assert.ok(out.ownedAcknowledged >= 1);
      assert.equal(out.ownedValue, 'v1');
      assert.equal(out.ownedSeq, 1);
      const live = cluster.nodes.slice(1);
      assert.ok(
        live.some((n) => n.name === out.statsNode && n.address === out.statsAddress),
        `stats answered by ${out.statsNode} at ${out.statsAddress}`,
      );
      assert.equal(out.refused, 'key is 2000 bytes, more than the limit of 1024 bytes', "refused locally with the node's message");
      assert.equal(out.protoLoader, 0, 'the proto loader (or protobufjs) was loaded');
    });
  }
});
