/**
 * deploy/docker/Dockerfile and .dockerignore, checked without a Docker engine: the stages
 * (npm ci + tsc; production dependencies only; a slim runtime), the non-root user, the one
 * entrypoint for every process, the gRPC HEALTHCHECK, and that every file the build copies
 * from the context exists and gets through .dockerignore (with the same matcher testcontainers
 * uses, @balena/dockerignore). The image itself is built by testcontainers.test.ts where an
 * engine exists; what it runs is exercised by netns.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import dockerignoreModule from '@balena/dockerignore';
import { DOCKERFILE, REPO_ROOT, execForm, finalStage, loadDockerfile, stageEnv, stageHealthcheck } from './deploy-files.js';
import { NODE_PROCESS_FLAGS } from '../../libs/runtime/index.js';

const dockerfile = loadDockerfile();
const runtime = finalStage(dockerfile);
// A CommonJS module whose `default` is itself; NodeNext types see the namespace.
const dockerignore = dockerignoreModule.default;
const ignore = dockerignore({ ignorecase: false }).add(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((entry) => filesUnder(join(path, entry)));
}

/** Sources of COPY/ADD instructions that come from the build context (not --from=stage). */
function contextSources(): string[] {
  return dockerfile.stages.flatMap((stage) =>
    stage.instructions
      .filter((i) => (i.op === 'COPY' || i.op === 'ADD') && !/--from=/.test(i.args))
      .flatMap((i) => {
        const parts = execForm(i.args) ?? i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
        return parts.slice(0, -1);
      }),
  );
}

const runs = (stage: (typeof dockerfile.stages)[number]) => stage.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);

describe('deploy/docker/Dockerfile', () => {
  test('multi-stage: npm ci + tsc in a build stage, production dependencies only in the runtime', () => {
    const names = dockerfile.stages.map((s) => s.name);
    assert.ok(dockerfile.stages.length >= 2, `stages: ${names.join(', ')}`);
    const build = dockerfile.stages.find((s) => runs(s).some((r) => /\btsc\b/.test(r)));
    assert.ok(build, 'a stage compiles with tsc');
    assert.ok(
      runs(build).some((r) => /npm ci(?!.*--omit=dev)/.test(r)),
      'the build stage installs dev dependencies with npm ci',
    );
    const deps = dockerfile.stages.find((s) => runs(s).some((r) => /npm ci .*--omit=dev/.test(r)));
    assert.ok(deps, 'a stage installs production dependencies only (npm ci --omit=dev)');
    const copies = runtime.instructions.filter((i) => i.op === 'COPY').map((i) => i.args);
    assert.ok(
      copies.some((c) => c.includes(`--from=${deps.name}`) && c.includes('node_modules')),
      'runtime node_modules come from the production-only stage',
    );
    assert.ok(!copies.some((c) => c.includes(`--from=${build.name}`) && c.includes('node_modules')), 'no dev node_modules in the runtime');
    assert.ok(
      copies.some((c) => c.includes('dist/services')),
      'runtime has dist',
    );
    assert.ok(!copies.some((c) => /(^|\s)proto\b/.test(c)), 'no .proto files: the node runs on generated code');
    assert.equal(
      runs(runtime).some((r) => /npm (ci|install)/.test(r)),
      false,
      'no install in the runtime stage',
    );
  });

  test('small runtime base on the current Node LTS, non-root user, OCI labels, one entrypoint with `node` as the default command, kad on the PATH', () => {
    assert.match(runtime.from, /^node:24[\w.-]*-slim$/, `runtime base ${runtime.from}`);
    const labels = runtime.instructions
      .filter((i) => i.op === 'LABEL')
      .map((i) => i.args)
      .join(' ');
    for (const key of ['title', 'description', 'version', 'licenses'])
      assert.match(labels, new RegExp(`org\\.opencontainers\\.image\\.${key}=`), `OCI label ${key}`);
    assert.ok(
      runs(runtime).some((r) => /ln -s \S*dist\/services\/cli\/kad\.js \/usr\/local\/bin\/kad/.test(r)),
      'kad on the PATH',
    );
    const user = runtime.instructions.filter((i) => i.op === 'USER').at(-1)?.args;
    assert.ok(user, 'USER in the runtime stage');
    assert.match(user, /^[1-9]\d*(:\d+)?$/, 'numeric non-root uid (Kubernetes runAsNonRoot can verify it)');
    assert.deepEqual(execForm(runtime.instructions.find((i) => i.op === 'ENTRYPOINT')?.args ?? ''), [
      'node',
      ...NODE_PROCESS_FLAGS,
      'dist/services/cli/kad.js',
    ]);
    assert.deepEqual(execForm(runtime.instructions.find((i) => i.op === 'CMD')?.args ?? ''), ['node']);
    const env = stageEnv(runtime);
    assert.equal(env['KAD_LISTEN'], '0.0.0.0:7400', 'listens on all interfaces in a container');
    assert.ok(runtime.instructions.some((i) => i.op === 'EXPOSE' && i.args.split(/\s+/).includes('7400')));
  });

  test('HEALTHCHECK asks the gRPC health service through deploy/docker/healthcheck.mjs, which needs only production dependencies', () => {
    assert.deepEqual(stageHealthcheck(runtime), ['node', 'deploy/docker/healthcheck.mjs']);
    const copied = runtime.instructions
      .filter((i) => i.op === 'COPY')
      .map((i) => i.args)
      .join('\n');
    assert.match(copied, /deploy\/docker\/healthcheck\.mjs/, 'the probe is in the image');
    const probe = readFileSync(join(REPO_ROOT, 'deploy/docker/healthcheck.mjs'), 'utf8');
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const imports = [...probe.matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1]!).filter((s) => !s.startsWith('node:'));
    assert.ok(imports.length > 0);
    for (const specifier of imports) {
      // The project's own build, which the runtime stage copies, is no dependency to install.
      if (specifier.startsWith('../../dist/')) {
        assert.match(copied, /\bdist\b/, `${specifier}: the runtime stage copies dist`);
        continue;
      }
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
      assert.ok(name in pkg.dependencies, `${specifier} is a production dependency`);
    }
  });

  test('every file copied from the build context exists and passes .dockerignore; local state stays out', () => {
    const sources = contextSources();
    assert.ok(sources.length > 0);
    for (const source of sources) {
      const path = join(REPO_ROOT, source);
      assert.ok(existsSync(path), `${source} exists`);
      // Build output under a copied folder (the client package's npm pack build) is local state.
      const files = filesUnder(path)
        .map((f) => relative(REPO_ROOT, f))
        .filter((f) => !/(^|\/)dist\//.test(f));
      const ignored = files.filter((f) => ignore.ignores(f));
      assert.deepEqual(ignored, [], `${source}: files excluded by .dockerignore`);
    }
    for (const local of [
      'node_modules/yaml/package.json',
      'dist/services/cli/kad.js',
      'libs/client/dist/index.js',
      '.git/HEAD',
      'test/deploy/netns.test.ts',
      'x.log',
    ]) {
      assert.ok(ignore.ignores(local), `${local} must not reach the build context`);
    }
    assert.ok(existsSync(DOCKERFILE));
  });
});
