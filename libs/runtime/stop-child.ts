/** Stopping a child process politely: the one way the project's launchers end their children. */
import type { ChildProcess } from 'node:child_process';

/** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
export function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const reaped = new Set<ChildProcess>();

/**
 * Kills `child` (SIGKILL) if it is still running when this process exits, however that happens
 * short of a SIGKILL of its own: a launcher that crashes or is cut short leaves no orphans
 * behind (a node whose NATS is gone would otherwise retry forever, loading the machine).
 */
export function killOnExit(child: ChildProcess): ChildProcess {
  if (reaped.size === 0) process.once('exit', reapAll);
  reaped.add(child);
  child.once('exit', () => {
    reaped.delete(child);
    if (reaped.size === 0) process.removeListener('exit', reapAll);
  });
  return child;
}

function reapAll(): void {
  for (const child of reaped) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
