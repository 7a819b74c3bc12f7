/**
 * Renders a `BenchReport` as bench/results/cluster.md: machine, parameters, then tables of
 * latency, hops against the floor (with the 2x goal at 32 nodes), throughput, memory and, when a
 * baseline build was measured, before/after.
 */
import type { BenchReport, ClusterMode, ClusterResult, LatencyStats, ThroughputResult } from './cluster-result.js';
import { renderPeerMarkdown } from './render-peer-markdown.js';

export const RATIO_GOAL = 2;
export const GOAL_NODES = 32;

export function renderClusterMarkdown(report: BenchReport, command: string): string {
  const { machine: m, parameters: p, results } = report;
  const out: string[] = [];
  out.push('# Cluster benchmark', '');
  out.push(`Measured ${report.date} by \`${command}\` in ${(report.runMs / 1000).toFixed(0)} s.`, '');
  out.push(
    `**Machine:** ${m.cores} cores (${m.cpuModel}), ${(m.memoryMiB / 1024).toFixed(1)} GiB memory, ${m.os}, Node ${m.node}, ${m.natsServer}. ` +
      `**Load average** (1/5/15 min) at start ${m.loadAvgStart.join(' / ')}, at end ${m.loadAvgEnd.join(' / ')}: ` +
      `with ${m.cores} cores, a load above ${m.cores} means other work shared the CPUs, so compare figures within one run only.`,
    '',
  );
  const splitNote = p.modes.includes('split')
    ? ` Split mode (every node as four actor processes) ran at N = ${p.splitNodes.join(', ')}` +
      (p.nodes.some((n) => !p.splitNodes.includes(n))
        ? ` only (N = 32 split is 128 processes; pass \`--split-nodes 8,32\` to run it).`
        : '.')
    : '';
  out.push(
    `**Parameters:** k = ${p.k}, alpha = ${p.alpha}; N = ${p.nodes.join(', ')}; modes ${p.modes.join(', ')}.${splitNote} ` +
      `Each cluster: a fresh nats-server and nodes on loopback (KAD_LOG_LEVEL=${p.logLevel}); ${p.records} records of ${p.valueBytes} B preloaded; ` +
      `a warm-up of ${p.warmupPerNode} Gets per node through every node in turn (timed apart: "Get p50 cold"); ` +
      `${p.ops} Puts (new keys) then ${p.ops} Gets (preloaded keys) one at a time through random nodes; ` +
      `throughput for ${p.durationMs / 1000} s each at ${p.inFlight.join(' and ')} calls in flight; the floor from ${p.floorOps} calls one at a time; seed ${p.seed}. ` +
      'One client process (this benchmark) drives every call, over one gRPC channel per node.',
    '',
  );
  if (report.builds.length > 1) {
    out.push(
      `**Builds:** ${report.builds.map((b) => `${b.label}: ${b.dir}${b.revision ? ` at ${b.revision}` : ''}`).join('; ')}. ` +
        "Only the node processes come from each build (its dist/services/cli/kad.js); the client and the floor probes are the current build's. " +
        'For each cluster the builds run one after the other, so the load may differ between them: see the load averages below.',
      '',
    );
  }

  out.push('## Setup of each cluster', '');
  out.push(
    table(
      [
        'build',
        'mode',
        'N',
        'processes',
        'up in',
        'contacts min / mean',
        'preloaded',
        'replicas per Put',
        'load avg before -> after',
        'cell time',
      ],
      results.map((r) => [
        ...cell(r),
        String(r.processes),
        `${(r.startupMs / 1000).toFixed(1)} s`,
        `${r.tables.minContacts} / ${r.tables.meanContacts}${r.tables.settled ? '' : ' (not settled)'}`,
        `${r.preload.stored} in ${(r.preload.ms / 1000).toFixed(1)} s`,
        fixed(r.preload.meanAcknowledged),
        `${r.loadAvgBefore[0] ?? '-'} -> ${r.loadAvgAfter[0] ?? '-'}`,
        `${(r.durationMs / 1000).toFixed(0)} s`,
      ]),
    ),
    '',
  );

  out.push('## Latency, one call at a time (ms)', '');
  out.push(
    table(
      [
        'build',
        'mode',
        'N',
        'processes',
        'Put p50',
        'Put p95',
        'Put p99',
        'Get p50',
        'Get p95',
        'Get p99',
        'Get p50 cold',
        'errors / misses',
      ],
      results.map((r) => [
        ...cell(r),
        String(r.processes),
        ms(r.put.p50),
        ms(r.put.p95),
        ms(r.put.p99),
        ms(r.get.p50),
        ms(r.get.p95),
        ms(r.get.p99),
        r.getCold.n > 0 ? ms(r.getCold.p50) : 'n/a',
        `${r.put.errors + r.get.errors} / ${r.getMisses}`,
      ]),
    ),
    '',
  );

  out.push('## Hops per Get against the floor', '');
  out.push(
    'The floor is measured in the same run on the same cluster: a bare gRPC unary call (Peer.Ping with no sender, which touches no bus), ' +
      'to node-0 every time ("hot") and to a random node each time ("spread"), and a bare NATS request/reply to a responder on the same nats-server. ' +
      'It is taken just before the sequential Gets, so both see the same machine. ' +
      'The Gets go to a random node each time, and with many node processes on few cores a call to a different process than the last one pays for waking it with cold caches: ' +
      "the spread ping is the floor measured the way the Gets run, so the goal's ratio uses it; the ratio against the hot ping is shown beside it. " +
      "hops = 1 (the client call) + mean lookup rounds; peer RPCs = mean FIND_VALUE RPCs a Get sent (0: answered from the node's own store). " +
      '"local" Gets were answered from the entry node\'s own store (client gRPC + one NATS round trip to its storage actor); "lookup" Gets needed a FIND_VALUE lookup. ' +
      `Goal: Get p50 within ${RATIO_GOAL}x of hops x bare gRPC p50 (spread) at ${GOAL_NODES} nodes.`,
    '',
  );
  out.push(
    table(
      [
        'build',
        'mode',
        'N',
        'gRPC hot p50 / p99',
        'gRPC spread p50 / p99',
        'NATS p50 / p99',
        'peer RPCs / Get',
        'lookup rounds',
        'hops',
        'local Gets: n, p50',
        'lookup Gets: n, p50',
        'Get p50',
        'Get p50 / (hops x gRPC spread p50)',
        `within ${RATIO_GOAL}x`,
        'Get p50 / (hops x gRPC hot p50)',
      ],
      results.map((r) => [
        ...cell(r),
        pair(r.floor.grpcPing),
        pair(r.floor.grpcPingSpread),
        pair(r.floor.natsRequest),
        r.hops.known ? fixed(r.hops.meanPeerRpcs) : 'n/a',
        r.hops.known ? fixed(r.hops.meanLookupRounds) : 'n/a',
        r.hops.known ? fixed(r.hops.hops) : 'n/a',
        r.hops.known ? `${r.getLocal.n}, ${ms(r.getLocal.p50)}` : 'n/a',
        r.hops.known && r.getLookedUp.n > 0 ? `${r.getLookedUp.n}, ${ms(r.getLookedUp.p50)}` : '0',
        ms(r.get.p50),
        r.hops.known ? `${fixed(r.hops.ratio)}x` : 'n/a',
        r.hops.known ? (r.hops.ratio <= RATIO_GOAL ? 'yes' : 'no') : 'n/a',
        r.hops.known ? `${fixed(r.hops.ratioHot)}x` : 'n/a',
      ]),
    ),
    '',
  );
  out.push(goalLine(results), '');

  out.push('## Throughput (ops/s; p99 latency at that load)', '');
  const levels = p.inFlight.flatMap((n) => (['get', 'put'] as const).map((op) => ({ op, n })));
  out.push(
    table(
      ['build', 'mode', 'N', ...levels.map(({ op, n }) => `${op === 'get' ? 'Get' : 'Put'} x${n}`)],
      results.map((r) => [
        ...cell(r),
        ...levels.map(({ op, n }) => throughputCell(r.throughput.find((t) => t.op === op && t.inFlight === n))),
      ]),
    ),
    '',
  );

  out.push('## Cost of a sequential Put (the whole cluster; a request and its reply are two bus messages)', '');
  out.push(
    table(
      ['build', 'mode', 'N', 'CPU (ms, nats-server included)', 'bus messages', 'through nats-server', 'in process', 'busiest verbs'],
      results.map((r) => [
        ...cell(r),
        fixed(r.cpuPerPutMs),
        fixed(r.busPerPut.total),
        fixed(r.busPerPut.overNats),
        fixed(r.busPerPut.inProcess),
        Object.entries(r.busPerPut.byVerb)
          .map(([verb, n]) => `${verb} ${fixed(n)}`)
          .join(', ') || 'n/a',
      ]),
    ),
    '',
  );

  out.push('## Node memory (VmRSS; a split node is the sum of its four processes)', '');
  out.push(
    table(
      ['build', 'mode', 'N', 'total idle', 'total after', 'per node mean', 'per node max'],
      results.map((r) => [
        ...cell(r),
        mib(r.rssIdle.totalKiB),
        mib(r.rssAfter.totalKiB),
        mib(r.rssAfter.meanPerNodeKiB),
        mib(r.rssAfter.maxPerNodeKiB),
      ]),
    ),
    '',
  );
  out.push('"idle": after the tables settled, before any record; "after": after the whole workload.', '');

  const builds = [...new Set(results.map((r) => r.build))];
  const [before, after] = [builds.find((b) => b !== 'current'), builds.find((b) => b === 'current')];
  if (before && after) {
    out.push(`## Before / after (${before} -> ${after})`, '');
    const rows: string[][] = [];
    for (const r of results.filter((x) => x.build === after)) {
      const b = results.find((x) => x.build === before && x.mode === r.mode && x.nodes === r.nodes);
      if (!b) continue;
      for (const [name, was, now] of comparedMetrics(b, r, p.inFlight))
        rows.push([r.mode, String(r.nodes), name, fixed(was), fixed(now), change(was, now)]);
    }
    out.push(table(['mode', 'N', 'metric', before, after, 'change'], rows), '');
  }

  // What a mode costs against plain co-located: the same build and N, with and without it.
  const costOf = (mode: ClusterMode, title: string, without: string, withIt: string): void => {
    const rows: string[][] = [];
    for (const r of results.filter((x) => x.mode === mode)) {
      const plain = results.find((x) => x.build === r.build && x.mode === 'co-located' && x.nodes === r.nodes);
      if (!plain) continue;
      for (const [name, was, now] of comparedMetrics(plain, r, p.inFlight))
        rows.push([r.build, String(r.nodes), name, fixed(was), fixed(now), change(was, now)]);
    }
    if (rows.length === 0) return;
    out.push(`## ${title}`, '');
    out.push(table(['build', 'N', 'metric', without, withIt, 'change'], rows), '');
  };
  costOf('co-located-tls', 'What mutual TLS costs (co-located -> co-located-tls)', 'plaintext', 'mutual TLS');
  costOf(
    'co-located-observed',
    'What metrics cost (co-located -> co-located-observed: HTTP port on, every /metrics scraped every 5 s)',
    'off',
    'on',
  );

  out.push(...renderPeerMarkdown(report));

  const cut = results.filter((r) => r.cutShort.length > 0);
  if (cut.length > 0) {
    out.push(`## Phases cut short at ${p.phaseLimitMs / 1000} s (--phase-limit-ms)`, '');
    for (const r of cut) out.push(`- ${r.build} ${r.mode} N=${r.nodes}: ${r.cutShort.join('; ')}`);
    out.push('');
  }
  if (report.failures.length > 0) {
    out.push('## Failures', '');
    for (const f of report.failures) out.push(`- ${f.build} ${f.mode} N=${f.nodes}: ${f.error}`);
    out.push('');
  }
  if (report.notes.length > 0) {
    out.push('## Notes', '');
    for (const note of report.notes) out.push(`- ${note}`);
    out.push('');
  }
  return out.join('\n');
}

function goalLine(results: readonly ClusterResult[]): string {
  const atGoal = results.filter((r) => r.build === 'current' && r.nodes === GOAL_NODES && r.hops.known);
  if (atGoal.length === 0) return `**Goal at ${GOAL_NODES} nodes:** not measured in this run.`;
  const met = atGoal.every((r) => r.hops.ratio <= RATIO_GOAL);
  const detail = atGoal.map((r) => `${r.mode} ${fixed(r.hops.ratio)}x; against the hot ping ${fixed(r.hops.ratioHot)}x`).join(', ');
  return `**Goal at ${GOAL_NODES} nodes (Get p50 within ${RATIO_GOAL}x of hops x gRPC p50, spread):** ${met ? 'met' : 'not met'} (${detail}).`;
}

function cell(r: ClusterResult): string[] {
  return [r.build, r.mode, String(r.nodes)];
}

function throughputCell(t: ThroughputResult | undefined): string {
  if (!t) return '-';
  return `${t.opsPerSec.toFixed(0)} (p99 ${ms(t.latency.p99)})${t.errors > 0 ? `, ${t.errors} errors` : ''}`;
}

function pair(s: LatencyStats): string {
  return `${ms(s.p50)} / ${ms(s.p99)}`;
}

function ms(value: number): string {
  return Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value.toFixed(1)) : '-';
}

function fixed(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : '-';
}

function mib(kib: number): string {
  return `${(kib / 1024).toFixed(0)} MiB`;
}

function change(was: number, now: number): string {
  if (!Number.isFinite(was) || !Number.isFinite(now) || was === 0) return '-';
  const pct = ((now - was) / was) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(0)}%`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join(
    '\n',
  );
}

/** The figures two cells are compared on: before/after, plaintext/TLS. */
function comparedMetrics(b: ClusterResult, r: ClusterResult, inFlight: readonly number[]): [string, number, number][] {
  return [
    ['Put p50 (ms)', b.put.p50, r.put.p50],
    ['Get p50 (ms)', b.get.p50, r.get.p50],
    ['Get p99 (ms)', b.get.p99, r.get.p99],
    ...inFlight.flatMap((n) =>
      (['get', 'put'] as const).map((op): [string, number, number] => [
        `${op === 'get' ? 'Get' : 'Put'} x${n} (ops/s)`,
        b.throughput.find((t) => t.op === op && t.inFlight === n)?.opsPerSec ?? NaN,
        r.throughput.find((t) => t.op === op && t.inFlight === n)?.opsPerSec ?? NaN,
      ]),
    ),
    ['RSS per node (MiB)', b.rssAfter.meanPerNodeKiB / 1024, r.rssAfter.meanPerNodeKiB / 1024],
    ['bus messages per Put', b.busPerPut.total, r.busPerPut.total],
    ['CPU per Put (ms)', b.cpuPerPutMs, r.cpuPerPutMs],
  ];
}
