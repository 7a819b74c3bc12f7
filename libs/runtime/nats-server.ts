/**
 * Starts a private nats-server process (Debian's `nats-server`) on a random port, on loopback
 * unless told otherwise, and stops it. Used by `kad cluster`, the tests and the benchmarks;
 * never assumes one is running.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { killOnExit, stopChild } from './stop-child.js';

export interface NatsServerProcess {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** With `monitor`: the HTTP monitoring endpoint (`/varz` counts every message). */
  readonly monitorUrl: string | undefined;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const LISTENING = /Listening for client connections on [^\s]*:(\d+)/;
const MONITOR = /Starting http monitor on ([^\s]+)/;

export function natsServerInstalled(binary = 'nats-server'): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Listens on `host` (default 127.0.0.1) and `port` (default: a free one). With `configFile`, the
 * server also reads that configuration (users, permissions, operator mode); host and port given
 * here still win over the file's. With `monitor`, it also serves HTTP monitoring on a free port. */
export function startNatsServer(
  options: { binary?: string; host?: string; port?: number; configFile?: string; monitor?: boolean } = {},
): Promise<NatsServerProcess> {
  const host = options.host ?? '127.0.0.1';
  const config = [...(options.configFile === undefined ? [] : ['-c', options.configFile]), ...(options.monitor ? ['-m', '-1'] : [])];
  const child = killOnExit(
    spawn(options.binary ?? 'nats-server', [...config, '-a', host, '-p', String(options.port ?? -1)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nats-server did not report its port within ${READY_TIMEOUT_MS} ms:\n${output}`));
    }, READY_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code}:\n${output}`));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = LISTENING.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stderr?.removeAllListeners('data');
      child.stderr?.resume();
      const port = Number(match[1]);
      const monitor = MONITOR.exec(output)?.[1];
      resolve({
        url: `nats://${host}:${port}`,
        port,
        monitorUrl: monitor === undefined ? undefined : `http://${monitor}`,
        process: child,
        stop: () => stopChild(child),
      });
    });
  });
}
