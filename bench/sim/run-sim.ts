/**
 * `npm run sim`: the real Kademlia core and the node's lookup runner over a
 * deterministic simulated network on a virtual clock (virtual-clock.ts), at every --nodes size;
 * writes sim.md, sim.json and sim.svg to --out.
 * See parse-sim-args.ts for the flags, run-size.ts for the scenarios, render-markdown.ts for
 * the definitions of every reported figure. Wall time is read only to report run time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { DEFAULT_CONFIG } from '../../libs/kademlia/index.js';
import { DEFAULT_LATENCY } from './latency-model.js';
import { parseSimArgs } from './parse-sim-args.js';
import { renderMarkdown } from './render-markdown.js';
import { renderSvg } from './render-svg.js';
import { CHURN_EPOCH_MS, runSize } from './run-size.js';
import type { ScenarioRow, SimReport, SizeStats } from './sim-report.js';

const MIB = 1024 * 1024;

async function main(): Promise<void> {
  const args = parseSimArgs(process.argv.slice(2));
  const started = performance.now();
  const log = (line: string): void => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
    const rss = Math.round(process.memoryUsage().rss / MIB);
    process.stdout.write(`[${seconds} s, rss ${rss} MiB] ${line}\n`);
  };
  const sizes: SizeStats[] = [];
  const rows: ScenarioRow[] = [];
  for (const n of args.nodes) {
    const result = await runSize(n, args, DEFAULT_LATENCY, log);
    sizes.push(result.size);
    rows.push(...result.rows);
  }
  const report: SimReport = {
    generatedAt: new Date().toISOString(),
    command: `npm run sim -- ${process.argv.slice(2).join(' ')}`.trim(),
    args,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      totalMemMiB: totalmem() / MIB,
      node: process.version,
      platform: `${process.platform}/${process.arch}`,
    },
    params: {
      k: args.k,
      alpha: args.alpha,
      rpcTimeoutMs: DEFAULT_CONFIG.rpcTimeoutMs,
      lookupTimeoutMs: DEFAULT_CONFIG.lookupTimeoutMs,
      latency: DEFAULT_LATENCY,
      churnEpochMs: CHURN_EPOCH_MS,
    },
    sizes,
    rows,
    wallSeconds: (performance.now() - started) / 1000,
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    heapLimitMiB: getHeapStatistics().heap_size_limit / MIB,
  };
  mkdirSync(args.out, { recursive: true });
  writeFileSync(join(args.out, 'sim.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(args.out, 'sim.md'), renderMarkdown(report));
  writeFileSync(join(args.out, 'sim.svg'), renderSvg(report));
  log(
    `wrote ${join(args.out, 'sim.md')}, sim.json and sim.svg; CPU ${report.cpuSeconds.toFixed(1)} s, peak RSS ${Math.round(report.peakRssMiB)} MiB`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
