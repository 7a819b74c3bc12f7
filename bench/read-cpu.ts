/**
 * CPU time processes have used (user + system, from /proc/<pid>/stat, in ms): read before and
 * after a phase, the difference is what the phase cost every process together.
 */
import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc times (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU ms one process has used; 0 when it is gone or /proc is not there. */
export async function readCpuMs(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [utime, stime] = [Number(fields[11]), Number(fields[12])];
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU ms all of `pids` have used together. */
export async function readCpuMsOf(pids: readonly number[]): Promise<number> {
  return (await Promise.all(pids.map(readCpuMs))).reduce((sum, ms) => sum + ms, 0);
}
