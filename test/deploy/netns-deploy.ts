/**
 * The deployment files' containers as processes on this machine, in test/testkit/netns-lab.ts
 * namespaces (netns.test.ts runs docker-compose.yml so, k8s-netns.test.ts the StatefulSet):
 * what a container of one of the two images runs as its first process, what a healthcheck or
 * an exec probe runs, and running one of those to its exit with a deadline.
 *
 * The two images: the project's (deploy/docker/Dockerfile; its entrypoint runs this checkout's
 * built CLI with the entrypoint's Node flags) and the official `nats` one (Debian's nats-server
 * stands in; its entrypoint script runs nats-server when the arguments start with a flag).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { LabHost, NetnsLab } from '../testkit/netns-lab.js';
import { KAD_CLI } from '../../harness/process-cluster.js';
import { REPO_ROOT, execForm, finalStage, imageName, type Dockerfile } from './deploy-files.js';

export type ImageKind = 'kad' | 'nats';

/** Which of the two images `image` is; `kadImage` is the project's (compose's `image:`). */
export function imageKind(image: string, kadImage: string): ImageKind {
  if (imageName(image) === imageName(kadImage)) return 'kad';
  if (imageName(image).split('/').pop() === 'nats') return 'nats';
  return assert.fail(`no way to run image ${image} here`);
}

/** The project image's ENTRYPOINT as a command here: this Node, its flags, the built CLI. */
function kadEntrypoint(dockerfile: Dockerfile): string[] {
  const instruction = finalStage(dockerfile).instructions.find((i) => i.op === 'ENTRYPOINT');
  const entrypoint = instruction ? execForm(instruction.args) : undefined;
  assert.ok(entrypoint, 'the image has an exec-form ENTRYPOINT');
  const [node, ...rest] = entrypoint;
  const flags = rest.filter((a) => a.startsWith('--'));
  const script = rest.find((a) => !a.startsWith('--'));
  assert.equal(node, 'node');
  assert.ok(script !== undefined);
  assert.equal(join(REPO_ROOT, script), KAD_CLI, 'the image entrypoint is the CLI this checkout built');
  return [process.execPath, ...flags, KAD_CLI];
}

/**
 * What a container's first process is, Docker's rule: an entrypoint given by the service or pod
 * (compose `entrypoint`, Kubernetes `command`) replaces the image's and drops its CMD;
 * arguments (compose `command`, Kubernetes `args`) replace the CMD.
 */
export function containerArgv(
  kind: ImageKind,
  dockerfile: Dockerfile,
  entrypoint: readonly string[] | undefined,
  args: readonly string[] | undefined,
): string[] {
  if (kind === 'nats') {
    // The official image: ENTRYPOINT docker-entrypoint.sh, which prepends nats-server to
    // arguments that start with '-'.
    const argv = [...(entrypoint ?? []), ...(args ?? [])];
    assert.ok(argv.length > 0, 'the nats container is given its arguments');
    return argv[0]!.startsWith('-') ? ['nats-server', ...argv] : execCommand(argv);
  }
  if (entrypoint !== undefined) return [...execCommand(entrypoint), ...(args ?? [])];
  const cmd = finalStage(dockerfile).instructions.find((i) => i.op === 'CMD');
  return [...kadEntrypoint(dockerfile), ...(args ?? (cmd ? (execForm(cmd.args) ?? []) : []))];
}

let wgetInstalled: boolean | undefined;

/**
 * An exec-form command of a healthcheck, an exec probe or `kubectl exec`, as a command here:
 * `node` is this Node, `kad` this checkout's CLI; `wget` (the nats image's busybox) is the machine's wget, or where none is installed
 * the same GET with Node's fetch; anything else runs as it is.
 */
export function execCommand(argv: readonly string[]): string[] {
  const [program, ...args] = argv;
  assert.ok(program !== undefined, 'an empty command');
  if (program === 'node') return [process.execPath, ...args];
  // The image puts the CLI on the PATH as `kad`.
  if (program === 'kad') return [process.execPath, KAD_CLI, ...args];
  if (program === 'wget') {
    wgetInstalled ??= !spawnSync('wget', ['--version'], { stdio: 'ignore' }).error;
    if (wgetInstalled) return [...argv];
    const url = args.find((a) => /^https?:\/\//.test(a));
    assert.ok(url, 'wget of a URL');
    return [process.execPath, '-e', `fetch(${JSON.stringify(url)}).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`];
  }
  return [...argv];
}

/** Runs argv in the host's namespace; true when it exits 0 within `timeoutMs` (it is killed
 * at the deadline). */
export function runToExit(
  lab: NetnsLab,
  host: LabHost,
  argv: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs: number },
): Promise<boolean> {
  return new Promise((resolve) => {
    const child = lab.spawn(host, argv, { cwd: options.cwd, env: options.env, log: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}
