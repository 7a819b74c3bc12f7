/**
 * Resident memory of node processes, from /proc/<pid>/status (VmRSS, in KiB). A node's RSS is
 * the sum over its processes: one co-located, four when split.
 */
import { readFile } from 'node:fs/promises';
import type { RssResult } from './cluster-result.js';

/** VmRSS of one process in KiB; 0 when the process is gone or /proc is not there. */
export async function readRssKiB(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** `pidsPerNode[i]`: the pids of node i's processes. */
export async function readRss(pidsPerNode: readonly (readonly number[])[]): Promise<RssResult> {
  const perNodeKiB = await Promise.all(
    pidsPerNode.map(async (pids) => (await Promise.all(pids.map((pid) => readRssKiB(pid)))).reduce((sum, kib) => sum + kib, 0)),
  );
  const totalKiB = perNodeKiB.reduce((sum, kib) => sum + kib, 0);
  return {
    totalKiB,
    meanPerNodeKiB: perNodeKiB.length === 0 ? 0 : Math.round(totalKiB / perNodeKiB.length),
    maxPerNodeKiB: Math.max(0, ...perNodeKiB),
    perNodeKiB,
  };
}
