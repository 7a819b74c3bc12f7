/**
 * A real Docker engine for the tests that need one, through scripts/docker-engine.sh (the same
 * script a developer runs by hand): started if it is not running, with its stand-in base
 * images, and stopped at the end by whoever started it. Where no engine can start here (not
 * root, dockerd or debootstrap not installed) it says why, and the test skips.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = join(REPO_ROOT, 'scripts/docker-engine.sh');
/** The Debian client: it speaks the engine's API and builds with the classic builder. */
const DOCKER = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function onPath(command: string): boolean {
  return (
    spawnSync('sh', ['-c', `command -v ${command}`], {
      stdio: 'ignore',
      env: { ...process.env, PATH: `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin` },
    }).status === 0
  );
}

/** Why no engine can start here, or undefined. */
export function dockerEngineUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'starting a Docker engine needs root';
  const missing = ['dockerd', 'docker-compose', 'debootstrap'].filter((c) => !onPath(c));
  if (missing.length > 0)
    return `${missing.join(', ')} not installed (Debian: apt-get install -y --no-install-recommends docker.io docker-compose debootstrap; .ci/run installs them)`;
  return undefined;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout,
        stderr: signal ? `${stderr}\nkilled by ${signal} after ${timeoutMs} ms` : stderr,
      });
    });
  });
}

export class DockerEngine {
  private constructor(
    /** DOCKER_HOST of the engine. */
    readonly host: string,
    /** Started by this process (and so stopped by it). */
    readonly startedHere: boolean,
  ) {}

  /** Starts the script's engine unless it already answers; throws if it cannot. */
  static async start(): Promise<DockerEngine> {
    const running = (await run(SCRIPT, ['status'], process.env, 30_000)).code === 0;
    const started = await run(SCRIPT, ['start'], process.env, 10 * 60_000);
    if (started.code !== 0) throw new Error(`scripts/docker-engine.sh start failed (${started.code}):\n${started.stderr}`);
    return new DockerEngine(started.stdout.trim().split('\n').pop()!, !running);
  }

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, DOCKER_HOST: this.host, DOCKER_BUILDKIT: '0', TESTCONTAINERS_RYUK_DISABLED: 'true' };
  }

  /** A docker CLI command; rejects on a non-zero exit unless `allowFailure`. */
  async docker(args: readonly string[], options: { timeoutMs?: number; allowFailure?: boolean } = {}): Promise<CommandResult> {
    return this.check(DOCKER, args, options);
  }

  async compose(args: readonly string[], options: { timeoutMs?: number; allowFailure?: boolean } = {}): Promise<CommandResult> {
    return this.check('docker-compose', args, options);
  }

  /** Builds deploy/docker/Dockerfile under `tag` on the host network (npm ci inside needs the
   * registry; the engine's own bridge has no way out). */
  async buildProjectImage(tag: string): Promise<void> {
    await this.docker(['build', '-q', '--network', 'host', '-f', 'deploy/docker/Dockerfile', '-t', tag, '.'], { timeoutMs: 15 * 60_000 });
  }

  /** Containers, networks beyond the three built-in ones, and volumes left on the engine. */
  async leftovers(): Promise<string[]> {
    const lines = async (args: string[]) =>
      (await this.docker(args)).stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    const containers = await lines(['ps', '-a', '--format', 'container {{.Names}}']);
    const networks = (await lines(['network', 'ls', '--format', '{{.Name}}']))
      .filter((n) => !['bridge', 'host', 'none'].includes(n))
      .map((n) => `network ${n}`);
    const volumes = await lines(['volume', 'ls', '--format', 'volume {{.Name}}']);
    return [...containers, ...networks, ...volumes];
  }

  /** Stops the engine if this process started it; true when it no longer answers and its
   * bridge is gone from the host. */
  async stop(): Promise<boolean> {
    if (!this.startedHere) return false;
    const stopped = await run(SCRIPT, ['stop'], process.env, 120_000);
    if (stopped.code !== 0) throw new Error(`scripts/docker-engine.sh stop failed:\n${stopped.stderr}`);
    const answers = (await run(SCRIPT, ['status'], process.env, 30_000)).code === 0;
    const bridge = spawnSync('ip', ['-4', '-o', 'addr', 'show', 'dev', 'docker0'], { encoding: 'utf8' }).stdout ?? '';
    return !answers && !bridge.includes('198.19.255.1/24');
  }

  private async check(
    command: string,
    args: readonly string[],
    options: { timeoutMs?: number; allowFailure?: boolean },
  ): Promise<CommandResult> {
    const result = await run(command, args, this.env, options.timeoutMs ?? 120_000);
    if (result.code !== 0 && !options.allowFailure)
      throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
    return result;
  }
}
