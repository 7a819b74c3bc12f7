/**
 * `kad node --supervise`: the co-located node runs as a child process and is started again
 * when it dies, as an OTP supervisor would (one_for_all: the four actors share a process, so
 * they restart together). Restart intensity is bounded: more than MAX_RESTARTS within
 * RESTART_WINDOW_MS and the supervisor gives up and exits non-zero, so a platform above it
 * can see the failure. The child exits when the supervisor's IPC channel closes, so killing
 * the supervisor (even with SIGKILL) never leaves an orphaned node behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { type Logger, stopChild, NODE_PROCESS_FLAGS } from '../../libs/runtime/index.js';

export const SUPERVISED_CHILD_ENV = 'KAD_SUPERVISED_CHILD';
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const RESTART_BACKOFF_MS = 250;

export async function superviseNode(cli: string, args: readonly string[], log: Logger, stopped: Promise<unknown>): Promise<number> {
  const restarts: number[] = [];
  let stopping = false;
  let child: ChildProcess | undefined;
  const start = (): ChildProcess => {
    const next = spawn(process.execPath, [...NODE_PROCESS_FLAGS, cli, 'node', ...args], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, [SUPERVISED_CHILD_ENV]: '1' },
    });
    log.info({ child: next.pid }, 'supervisor started the node');
    return next;
  };
  const outcome = new Promise<number>((resolve) => {
    const watch = (c: ChildProcess): void => {
      c.once('exit', (code, signal) => {
        if (stopping) return resolve(0);
        const now = Date.now();
        restarts.push(now);
        while (restarts.length > 0 && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
        if (restarts.length > MAX_RESTARTS) {
          log.error({ code, signal, restarts: restarts.length }, 'node keeps dying: restart intensity exceeded, giving up');
          return resolve(1);
        }
        log.warn({ code, signal, restarts: restarts.length }, 'node died; restarting it');
        setTimeout(() => {
          if (stopping) return resolve(0);
          child = start();
          watch(child);
        }, RESTART_BACKOFF_MS);
      });
    };
    child = start();
    watch(child);
  });
  void stopped.then(async () => {
    stopping = true;
    if (child) await stopChild(child);
  });
  return outcome;
}

/** In a supervised child: exit when the supervisor goes away. */
export function exitWithSupervisor(): void {
  if (process.env[SUPERVISED_CHILD_ENV] !== '1' || !process.send) return;
  process.on('disconnect', () => process.exit(1));
}
