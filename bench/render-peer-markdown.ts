/**
 * The side-by-side section of bench/results/cluster.md: for every cluster size the peer ran at,
 * a table of this build ("current", co-located mode) against bittorrent-dht: Put p50, throughput,
 * CPU per Put, RSS per node, settle time and success rate, the ratio current / peer, and whether
 * each of the issue's targets is met. Lines to append; none when the run had no peer.
 */
import type { BenchReport, ClusterResult, ThroughputResult } from './cluster-result.js';
import { hasPeer, type PeerResult } from './peer/peer-result.js';

/** The issue's targets, against bittorrent-dht at the same N. */
export const PEER_GOALS = {
  /** Put p50 at most this many times the peer's. */
  putP50Ratio: 2,
  /** Put throughput at `inFlight` calls in flight at least this share of the peer's. */
  putThroughputRatio: 0.5,
  /** Get throughput at `inFlight` calls in flight at least the peer's times this. */
  getThroughputRatio: 1,
  /** CPU per Put at most this many times the peer's. */
  cpuPerPutRatio: 2.5,
  /** Median RSS per node at most this. */
  medianRssMiB: 80,
  /** Success rate (sequential Puts and Gets). */
  successRate: 1,
  inFlight: 16,
} as const;

interface Row {
  readonly metric: string;
  readonly current: number;
  readonly peer: number;
  readonly format: (value: number) => string;
  /** undefined: no target for this metric. */
  readonly goal?: { readonly text: string; readonly met: (current: number, peer: number) => boolean };
}

export function renderPeerMarkdown(report: BenchReport): string[] {
  if (!hasPeer(report)) return [];
  const { peer } = report;
  const p = report.parameters;
  const out: string[] = [];
  out.push(`## Side by side: ${peer.name} ${peer.version}`, '');
  const valueBytes = peer.results[0]?.valueBytes ?? p.valueBytes;
  out.push(
    `${peer.name} is webtorrent's Mainline DHT (UDP, BEP 44 immutable put/get, k = 20), one process per node on 127.0.0.1, ` +
      'node-0 first with no bootstrap and the others joining through it (no public bootstrap node is ever asked). ' +
      `It ran after the project's cells at every N, with the same workload: ${p.records} values preloaded (16 in flight), ` +
      `a warm-up of ${p.warmupPerNode} Gets per node, ${p.ops} Puts one at a time through random nodes, ` +
      `then one Get per Put of its value through another random node, throughput for ${p.durationMs / 1000} s each at ${p.inFlight.join(' and ')} calls in flight; seed ${p.seed}. ` +
      "The benchmark drives each node over Node IPC (JSON), as it drives the project's nodes over gRPC.",
    '',
  );
  if (valueBytes < p.valueBytes) {
    out.push(
      `**Value size:** ${peer.name} stored ${valueBytes} B values, not ${p.valueBytes} B: BEP 44 caps a value at 1000 bytes and ${peer.name} refuses a value of 1000 bytes or more.`,
      '',
    );
  }
  out.push(
    '"current" is this build in co-located mode at the same N. ' +
      'CPU per Put: every process of the cluster over the sequential Puts (current: nats-server included). ' +
      'Settle time: current\'s "up in" (the first process start until every node serves gRPC; its tables are checked afterwards, "settled" below); ' +
      `${peer.name}'s from the first process start until every table holds min(N-1, 20) contacts. ` +
      'Success rate: sequential Puts acknowledged plus sequential Gets that returned the value, over all attempted. ' +
      'RSS: VmRSS per node after the whole workload.',
    '',
  );

  const sizes = [...new Set([...peer.results.map((r) => r.nodes), ...peer.failures.map((f) => f.nodes)])].sort((a, b) => a - b);
  for (const nodes of sizes) {
    out.push(`### N = ${nodes}`, '');
    const theirs = peer.results.find((r) => r.nodes === nodes);
    const ours = report.results.find((r) => r.build === 'current' && r.mode === 'co-located' && r.nodes === nodes);
    if (!theirs) {
      out.push(`${peer.name} failed: ${peer.failures.find((f) => f.nodes === nodes)?.error ?? 'unknown error'}`, '');
      continue;
    }
    if (!ours) out.push(`current (co-located) was not measured at N = ${nodes} in this run: its column is empty.`, '');
    const rows = rowsFor(ours, theirs, p.inFlight);
    out.push(
      table(
        ['metric', 'current', peer.name, `current / ${peer.name}`, 'goal'],
        rows.map((row) => {
          const current = ours ? row.current : NaN;
          return [row.metric, row.format(current), row.format(row.peer), ratio(current, row.peer), goalCell(row, current)];
        }),
      ),
      '',
    );
    const goals = rows.filter((row) => row.goal);
    const measured = ours ? goals.filter((row) => Number.isFinite(row.current) && Number.isFinite(row.peer)) : [];
    const met = measured.filter((row) => row.goal?.met(row.current, row.peer)).length;
    const unmeasured = goals.length - measured.length;
    out.push(
      `**Goals at N = ${nodes}:** ${measured.length > 0 ? `${met} of ${measured.length} met` : 'none measured'}${unmeasured > 0 && measured.length > 0 ? `, ${unmeasured} not measured` : ''}.`,
      '',
    );
    out.push(setupLine(ours, theirs), '');
  }
  if (peer.failures.length > 0 && peer.results.length > 0) {
    out.push(`${peer.name} failures: ${peer.failures.map((f) => `N=${f.nodes}: ${f.error}`).join('; ')}.`, '');
  }
  return out;
}

function rowsFor(ours: ClusterResult | undefined, theirs: PeerResult, levels: readonly number[]): Row[] {
  const g = PEER_GOALS;
  const x16 = levels.includes(g.inFlight) ? [g.inFlight] : [];
  const others = levels.filter((n) => n !== g.inFlight);
  const rate = (op: 'get' | 'put', n: number, rs: readonly ThroughputResult[] | undefined): number =>
    rs?.find((t) => t.op === op && t.inFlight === n)?.opsPerSec ?? NaN;
  const throughputRows = (n: number, withGoal: boolean): Row[] => [
    {
      metric: `Put throughput x${n} (ops/s)`,
      current: rate('put', n, ours?.throughput),
      peer: rate('put', n, theirs.throughput),
      format: whole,
      ...(withGoal
        ? { goal: { text: `at least ${g.putThroughputRatio}x`, met: (c: number, q: number) => c >= g.putThroughputRatio * q } }
        : {}),
    },
    {
      metric: `Get throughput x${n} (ops/s)`,
      current: rate('get', n, ours?.throughput),
      peer: rate('get', n, theirs.throughput),
      format: whole,
      ...(withGoal
        ? { goal: { text: `at least ${g.getThroughputRatio}x`, met: (c: number, q: number) => c >= g.getThroughputRatio * q } }
        : {}),
    },
  ];
  return [
    {
      metric: 'Put p50 (ms)',
      current: ours?.put.p50 ?? NaN,
      peer: theirs.put.p50,
      format: ms,
      goal: { text: `at most ${g.putP50Ratio}x`, met: (c, q) => c <= g.putP50Ratio * q },
    },
    { metric: 'Get p50 (ms)', current: ours?.get.p50 ?? NaN, peer: theirs.get.p50, format: ms },
    ...(x16.length > 0
      ? throughputRows(g.inFlight, true)
      : [
          {
            metric: `Put throughput x${g.inFlight} (ops/s)`,
            current: NaN,
            peer: NaN,
            format: whole,
            goal: { text: `at least ${g.putThroughputRatio}x (no --in-flight ${g.inFlight} in this run)`, met: () => false },
          },
          {
            metric: `Get throughput x${g.inFlight} (ops/s)`,
            current: NaN,
            peer: NaN,
            format: whole,
            goal: { text: `at least ${g.getThroughputRatio}x (no --in-flight ${g.inFlight} in this run)`, met: () => false },
          },
        ]),
    ...others.flatMap((n) => throughputRows(n, false)),
    {
      metric: 'CPU per Put (ms)',
      current: ours?.cpuPerPutMs ?? NaN,
      peer: theirs.cpuPerPutMs,
      format: fixed1,
      goal: { text: `at most ${g.cpuPerPutRatio}x`, met: (c, q) => c <= g.cpuPerPutRatio * q },
    },
    {
      metric: 'RSS per node, median (MiB)',
      current: ours ? median(ours.rssAfter.perNodeKiB) / 1024 : NaN,
      peer: median(theirs.rssAfter.perNodeKiB) / 1024,
      format: fixed1,
      goal: { text: `current at most ${g.medianRssMiB} MiB`, met: (c) => c <= g.medianRssMiB },
    },
    {
      metric: 'RSS per node, mean (MiB)',
      current: ours ? ours.rssAfter.meanPerNodeKiB / 1024 : NaN,
      peer: theirs.rssAfter.meanPerNodeKiB / 1024,
      format: fixed1,
    },
    { metric: 'Settle time (s)', current: ours ? ours.startupMs / 1000 : NaN, peer: theirs.settleMs / 1000, format: fixed1 },
    {
      metric: 'Success rate (%)',
      current: ours ? successRate(ours) * 100 : NaN,
      peer: theirs.successRate * 100,
      format: fixed1,
      goal: { text: 'current 100 %', met: (c) => c >= g.successRate * 100 },
    },
  ];
}

/** Sequential Puts acknowledged plus sequential Gets that returned the value, over all attempted. */
export function successRate(r: ClusterResult): number {
  const attempted = r.put.n + r.put.errors + r.get.n + r.get.errors;
  return attempted === 0 ? NaN : (r.put.n + r.get.n - r.getMisses) / attempted;
}

function setupLine(ours: ClusterResult | undefined, theirs: PeerResult): string {
  const peerPart =
    `${theirs.peer}: ${theirs.processes} processes, up in ${(theirs.upMs / 1000).toFixed(1)} s, contacts min ${theirs.tables.minContacts} / mean ${theirs.tables.meanContacts} of ${theirs.tables.wanted} wanted` +
    `${theirs.tables.settled ? '' : ' (not settled)'}; ${theirs.preload.stored} of ${theirs.preload.records} values preloaded; ${fixed2(theirs.meanStoredPerPut)} replicas per Put; ` +
    `${theirs.put.errors + theirs.get.errors} errors, ${theirs.getMisses} misses one at a time` +
    (theirs.cutShort.length > 0 ? `; cut short: ${theirs.cutShort.join(', ')}` : '');
  const ourPart = ours
    ? `current: ${ours.processes} processes, contacts min ${ours.tables.minContacts} / mean ${ours.tables.meanContacts}${ours.tables.settled ? ' (settled)' : ' (not settled)'}; ` +
      `${ours.put.errors + ours.get.errors} errors, ${ours.getMisses} misses one at a time`
    : 'current: not measured';
  return `${ourPart}. ${peerPart}. Load average (1 min) before -> after: ${ours ? `current ${ours.loadAvgBefore[0] ?? '-'} -> ${ours.loadAvgAfter[0] ?? '-'}, ` : ''}${theirs.peer} ${theirs.loadAvgBefore[0] ?? '-'} -> ${theirs.loadAvgAfter[0] ?? '-'}.`;
}

function goalCell(row: Row, current: number): string {
  if (!row.goal) return '';
  if (!Number.isFinite(current) || !Number.isFinite(row.peer)) return `${row.goal.text}: not measured`;
  return `${row.goal.text}: ${row.goal.met(current, row.peer) ? 'met' : '**not met**'}`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function ratio(current: number, peer: number): string {
  return Number.isFinite(current) && Number.isFinite(peer) && peer !== 0 ? `${(current / peer).toFixed(2)}x` : '-';
}

function ms(value: number): string {
  return Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value.toFixed(1)) : '-';
}

function whole(value: number): string {
  return Number.isFinite(value) ? value.toFixed(0) : '-';
}

function fixed1(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1) : '-';
}

function fixed2(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : '-';
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join(
    '\n',
  );
}
