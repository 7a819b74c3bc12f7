/**
 * The Node process metrics, read at scrape time only: CPU, memory, open file descriptors, heap,
 * event-loop utilization, start time. prom-client's collectDefaultMetrics is not used: its GC
 * histogram runs a callback on every collection (with a 2 MiB young generation a node scavenges
 * many times a second) and its event-loop monitor a timer, both whether or not anyone scrapes.
 * The names are those collectDefaultMetrics gives (process_*, nodejs_*), so dashboards built for
 * it work, less the GC and lag histograms.
 */
import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Counter, Gauge, type Registry } from 'prom-client';

function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined; // not Linux
  }
}

/** A gauge whose value is read when scraped (left unset while `read` has none). */
export function scrapedGauge(registry: Registry, name: string, help: string, read: () => number | undefined): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      const value = read();
      if (value !== undefined) this.set(value);
    },
  });
}

export function registerProcessMetrics(registry: Registry): void {
  const registers = [registry];
  const counterOf = (name: string, help: string, read: () => number): void => {
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  };
  const gaugeOf = (name: string, help: string, read: () => number | undefined): void => scrapedGauge(registry, name, help, read);
  counterOf('process_cpu_user_seconds_total', 'User CPU time spent, in seconds', () => process.cpuUsage().user / 1e6);
  counterOf('process_cpu_system_seconds_total', 'System CPU time spent, in seconds', () => process.cpuUsage().system / 1e6);
  counterOf('process_cpu_seconds_total', 'User and system CPU time spent, in seconds', () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  });
  const started = Math.round(Date.now() / 1000 - process.uptime());
  gaugeOf('process_start_time_seconds', 'Start time of the process since the unix epoch, in seconds', () => started);
  gaugeOf('process_resident_memory_bytes', 'Resident memory size, in bytes', () => process.memoryUsage.rss());
  gaugeOf('process_open_fds', 'Open file descriptors', openFds);
  gaugeOf('nodejs_heap_size_total_bytes', 'Process heap size from Node.js, in bytes', () => process.memoryUsage().heapTotal);
  gaugeOf('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js, in bytes', () => process.memoryUsage().heapUsed);
  gaugeOf('nodejs_external_memory_bytes', 'Node.js external memory size, in bytes', () => process.memoryUsage().external);
  // Event-loop utilization since the previous scrape (0..1): how busy the loop was, sampled by
  // libuv itself, at no cost between scrapes.
  let last = performance.eventLoopUtilization();
  gaugeOf('nodejs_eventloop_utilization_ratio', 'Event-loop utilization since the previous scrape (0 to 1)', () => {
    const now = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(now, last);
    last = now;
    return delta.utilization;
  });
  new Gauge({
    name: 'nodejs_version_info',
    help: 'Node.js version info',
    labelNames: ['version', 'major', 'minor', 'patch'],
    registers,
    collect() {
      const [major, minor, patch] = process.versions.node.split('.');
      this.set({ version: process.version, major: major ?? '', minor: minor ?? '', patch: patch ?? '' }, 1);
    },
  });
}
