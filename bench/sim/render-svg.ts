/**
 * sim.svg, drawn by hand (no plotting dependency): lookup rounds (left) and RPCs per lookup
 * (right) against N on a log x axis. Solid lines are p50, dashed lines p90; one colour per
 * scenario; hollow black circles are the 1C baselines (p50, baselines-1c.ts) for ideal tables.
 */
import { BASELINES_1C } from './baselines-1c.js';
import type { ScenarioRow, SimReport } from './sim-report.js';
import type { LookupSummary } from './summarize-lookups.js';

interface Series {
  readonly label: string;
  readonly color: string;
  readonly match: (row: ScenarioRow) => boolean;
}

interface Metric {
  readonly title: string;
  readonly p50: (s: LookupSummary) => number;
  readonly p90: (s: LookupSummary) => number;
  /** The 1C baseline p50 for ideal tables at n, if there is one. */
  readonly baseline: (n: number) => number | undefined;
}

const WIDTH = 960;
const HEIGHT = 420;
const PANEL_WIDTH = 400;
const PANEL_HEIGHT = 280;
const PANEL_TOP = 50;
const PANEL_LEFTS = [70, 550] as const;

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A round axis maximum above `value` and the tick step that divides it (at most 8 ticks). */
function axis(value: number): { max: number; step: number } {
  const top = Math.max(1, value * 1.1);
  const step = [1, 2, 5, 10, 20, 50, 100].find((s) => top / s <= 8) ?? 200;
  return { max: Math.ceil(top / step) * step, step };
}

function seriesFor(report: SimReport): Series[] {
  const churn = report.rows.find((r) => r.kind === 'churn')?.scenario;
  const series: Series[] = [
    { label: 'ideal tables', color: '#1f77b4', match: (r) => r.kind === 'ideal' },
    {
      label: '30% dead, no deadline',
      color: '#ff7f0e',
      match: (r) => r.kind === 'dead' && r.deadFraction === 0.3 && r.lookupTimeoutMs === null,
    },
    {
      label: '50% dead, no deadline',
      color: '#d62728',
      match: (r) => r.kind === 'dead' && r.deadFraction === 0.5 && r.lookupTimeoutMs === null,
    },
  ];
  if (churn) series.push({ label: churn, color: '#2ca02c', match: (r) => r.scenario === churn });
  return series;
}

function panel(report: SimReport, series: readonly Series[], left: number, metric: Metric): string {
  const rows = report.rows.filter((r): r is ScenarioRow & { summary: LookupSummary } => r.summary !== undefined);
  const sizes = [...new Set(report.rows.map((r) => r.n))].sort((a, b) => a - b);
  const lo = Math.log10(sizes[0] ?? 1_000) - 0.25;
  const hi = Math.log10(sizes.at(-1) ?? 100_000) + 0.25;
  const plotted = rows.filter((r) => series.some((s) => s.match(r)));
  const { max: yMax, step } = axis(Math.max(...plotted.map((r) => metric.p90(r.summary)), ...sizes.map((n) => metric.baseline(n) ?? 0)));
  const x = (n: number): string => (left + ((Math.log10(n) - lo) / (hi - lo)) * PANEL_WIDTH).toFixed(1);
  const y = (v: number): string => (PANEL_TOP + PANEL_HEIGHT - (v / yMax) * PANEL_HEIGHT).toFixed(1);
  const out: string[] = [
    `<text x="${left + PANEL_WIDTH / 2}" y="${PANEL_TOP - 16}" text-anchor="middle" font-size="15" font-weight="bold">${escape(metric.title)}</text>`,
  ];
  for (let v = 0; v <= yMax; v += step) {
    out.push(`<line x1="${left}" x2="${left + PANEL_WIDTH}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${+y(v) + 4}" text-anchor="end" font-size="11">${+v.toFixed(1)}</text>`);
  }
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) {
    out.push(`<line x1="${x(10 ** e)}" x2="${x(10 ** e)}" y1="${PANEL_TOP}" y2="${PANEL_TOP + PANEL_HEIGHT}" stroke="#eee"/>`);
    out.push(
      `<text x="${x(10 ** e)}" y="${PANEL_TOP + PANEL_HEIGHT + 16}" text-anchor="middle" font-size="11">${(10 ** e).toLocaleString('en-US')}</text>`,
    );
  }
  out.push(`<rect x="${left}" y="${PANEL_TOP}" width="${PANEL_WIDTH}" height="${PANEL_HEIGHT}" fill="none" stroke="#444"/>`);
  out.push(
    `<text x="${left + PANEL_WIDTH / 2}" y="${PANEL_TOP + PANEL_HEIGHT + 34}" text-anchor="middle" font-size="12">N (nodes, log scale)</text>`,
  );
  // Drawn last to first, so the first series (ideal tables) lies on top.
  for (const s of [...series].reverse()) {
    const points = rows.filter(s.match).sort((a, b) => a.n - b.n);
    for (const [get, dash] of [
      [metric.p50, ''],
      [metric.p90, ' stroke-dasharray="5 4"'],
    ] as const) {
      if (points.length > 1) {
        const path = points.map((r) => `${x(r.n)},${y(get(r.summary))}`).join(' ');
        out.push(`<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
      }
    }
    for (const r of points) out.push(`<circle cx="${x(r.n)}" cy="${y(metric.p50(r.summary))}" r="3.5" fill="${s.color}"/>`);
  }
  for (const n of sizes) {
    const b = metric.baseline(n);
    if (b !== undefined) out.push(`<circle cx="${x(n)}" cy="${y(b)}" r="6" fill="none" stroke="#000" stroke-width="1.5"/>`);
  }
  return out.join('\n');
}

export function renderSvg(report: SimReport): string {
  const series = seriesFor(report);
  const ideal = (n: number): (typeof BASELINES_1C)[number] | undefined =>
    BASELINES_1C.find((b) => b.n === n && b.dead === 0 && b.k === report.params.k && b.alpha === report.params.alpha);
  const legendY = HEIGHT - 34;
  const legend = series.map(
    (s, i) =>
      `<line x1="${70 + i * 180}" x2="${96 + i * 180}" y1="${legendY}" y2="${legendY}" stroke="${s.color}" stroke-width="3"/>` +
      `<text x="${102 + i * 180}" y="${legendY + 4}" font-size="12">${escape(s.label)}</text>`,
  );
  const b = 70 + series.length * 180;
  legend.push(
    `<circle cx="${b + 13}" cy="${legendY}" r="6" fill="none" stroke="#000" stroke-width="1.5"/>` +
      `<text x="${b + 32}" y="${legendY + 4}" font-size="12">1C baseline p50</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    panel(report, series, PANEL_LEFTS[0], {
      title: `Lookup rounds (critical path), k=${report.params.k}, α=${report.params.alpha}`,
      p50: (s) => s.rounds.p50,
      p90: (s) => s.rounds.p90,
      baseline: (n) => ideal(n)?.rounds[0],
    }),
    panel(report, series, PANEL_LEFTS[1], {
      title: 'RPCs per lookup',
      p50: (s) => s.rpcs.p50,
      p90: (s) => s.rpcs.p90,
      baseline: (n) => ideal(n)?.rpcs[0],
    }),
    `<text x="${WIDTH / 2}" y="${HEIGHT - 10}" text-anchor="middle" font-size="11" fill="#555">solid: p50, dashed: p90; ${escape(`seed ${report.args.seed}, ${report.args.lookups} lookups per point`)}</text>`,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
