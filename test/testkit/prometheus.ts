/**
 * A real Prometheus (Debian's `prometheus` package) for tests: started on a free loopback port
 * with a generated config that scrapes the given targets every second, queried over its HTTP
 * API, stopped (and its data removed) at the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killOnExit, stopChild } from '../../libs/runtime/index.js';
import { freePorts } from '../../harness/free-port.js';
import { waitFor } from '../../harness/wait-for.js';

export interface ScrapeJob {
  readonly job: string;
  /** host:port of each /metrics endpoint. */
  readonly targets: readonly string[];
}

export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

export function prometheusUnavailable(): string | undefined {
  return spawnSync('prometheus', ['--version'], { stdio: 'ignore' }).error
    ? 'prometheus is not installed (Debian: apt-get install -y prometheus; .ci/run installs it)'
    : undefined;
}

export class Prometheus {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    /** http://127.0.0.1:<port> */
    readonly url: string,
  ) {}

  static async start(jobs: readonly ScrapeJob[]): Promise<Prometheus> {
    const dir = mkdtempSync(join(tmpdir(), 'kad-prometheus-'));
    const [port] = await freePorts(1);
    const config = [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 900ms',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      ...jobs.flatMap((j) => [
        `  - job_name: ${JSON.stringify(j.job)}`,
        '    static_configs:',
        `      - targets: [${j.targets.map((t) => JSON.stringify(t)).join(', ')}]`,
      ]),
      '',
    ].join('\n');
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const log = openSync(join(dir, 'prometheus.log'), 'a');
    const child = killOnExit(
      spawn(
        'prometheus',
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        { stdio: ['ignore', log, log] },
      ),
    );
    closeSync(log);
    const prometheus = new Prometheus(child, dir, `http://127.0.0.1:${port}`);
    try {
      await waitFor(
        `prometheus to be ready (log in ${dir})`,
        async () => {
          if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
          return (await fetch(`${prometheus.url}/-/ready`)).ok;
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
    } catch (err) {
      await prometheus.stop();
      throw err;
    }
    return prometheus;
  }

  /** An instant PromQL query; its vector result. */
  async query(promql: string): Promise<Sample[]> {
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    if (body.status !== 'success' || !body.data) throw new Error(`query ${promql} failed: ${body.error ?? res.status}`);
    if (body.data.resultType !== 'vector') throw new Error(`query ${promql}: a ${body.data.resultType}, not a vector`);
    return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  /** The value of a query that yields one sample (a sum, say); undefined while it yields none. */
  async scalar(promql: string): Promise<number | undefined> {
    const samples = await this.query(promql);
    if (samples.length > 1) throw new Error(`query ${promql} gave ${samples.length} samples`);
    return samples[0]?.value;
  }

  async stop(): Promise<void> {
    await stopChild(this.child);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
