/**
 * Runs this build's `kad` CLI as a user would, as a separate process: arguments, stdin bytes,
 * the environment (no KAD_* leaks in from the test's own), and what comes back (exit code,
 * stdout as bytes, stderr as text). `runKadOnTerminal` runs it with stdout on a pseudo-terminal
 * (util-linux `script`), where `kad get` prints text.
 */
import { spawn, spawnSync } from 'node:child_process';
import { killOnExit } from '../../libs/runtime/index.js';
import { KAD_CLI } from '../../harness/process-cluster.js';

export interface KadRun {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export interface KadRunOptions {
  readonly input?: Uint8Array;
  readonly env?: Readonly<Record<string, string>>;
  /** Kill it after this long (default 30 s): a hang is a failure, not a stuck test. */
  readonly timeoutMs?: number;
}

function kadEnv(extra: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('KAD_'))), ...extra };
}

export function runKad(args: readonly string[], options: KadRunOptions = {}): Promise<KadRun> {
  return new Promise((resolve, reject) => {
    const child = killOnExit(spawn(process.execPath, [KAD_CLI, ...args], { env: kadEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] }));
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') });
    });
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(options.input ?? new Uint8Array(0));
  });
}

/** Why `runKadOnTerminal` cannot run here, or undefined when it can. */
export function terminalUnavailable(): string | undefined {
  const probe = spawnSync('script', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : 'util-linux `script` is not installed (no pseudo-terminal to run kad on)';
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** `kad` with stdin, stdout and stderr on a pseudo-terminal; what the terminal showed. */
export function runKadOnTerminal(args: readonly string[], options: KadRunOptions = {}): Promise<KadRun> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, KAD_CLI, ...args].map(shellQuote).join(' ');
    const child = killOnExit(
      spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
        env: kadEnv(options.env),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}
