/**
 * What the results were measured on: cores, memory, OS, Node and nats-server versions, and the
 * load average (other work on the machine changes the figures a lot; compare within one run).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import type { MachineInfo } from './cluster-result.js';
import { round } from './latency-stats.js';

export function machineInfo(loadAvgStart: readonly number[]): MachineInfo {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    os: `${osName()} (${platform()} ${release()})`,
    node: process.version,
    natsServer: natsServerVersion(),
    loadAvgStart,
    loadAvgEnd: loadAverage(),
  };
}

export function loadAverage(): number[] {
  return loadavg().map((n) => round(n, 2));
}

function osName(): string {
  try {
    const match = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    return match?.[1] ?? platform();
  } catch {
    return platform();
  }
}

function natsServerVersion(): string {
  const result = spawnSync('nats-server', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : 'not installed';
}
