/** Shared workload helpers: a seeded choice of nodes, bounded parallelism, reading records
 * back, latency summaries. */
import type { DhtClient } from '../libs/client/index.js';
import { runBounded } from '../libs/runtime/index.js';
import { percentile, type SeededRandom } from '../libs/sampling/index.js';

export { runBounded };

export function pick<T>(random: SeededRandom, items: readonly T[], except?: T): T {
  const pool = except === undefined ? items : items.filter((item) => item !== except);
  const item = pool[random.int(pool.length)];
  if (item === undefined) throw new Error('nothing to pick from');
  return item;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

export function latencySummary(name: string, samples: readonly number[]): string {
  return `${name}: n=${samples.length} p50=${percentile(samples, 50).toFixed(2)} ms p99=${percentile(samples, 99).toFixed(2)} ms`;
}

/**
 * Reads every key through every node, `parallel` at a time: the `key@node` pairs that did not
 * come back with the expected value (an error counts too), and every read's latency.
 */
export async function readBack(
  nodes: readonly { readonly name: string; readonly client: DhtClient }[],
  keys: readonly string[],
  expected: (key: string) => string,
  options: { parallel?: number; timeoutMs?: number } = {},
): Promise<{ failed: string[]; ms: number[] }> {
  const failed: string[] = [];
  const ms = await runBounded(nodes.length * keys.length, options.parallel ?? 8, async (n) => {
    const node = nodes[n % nodes.length]!;
    const key = keys[Math.floor(n / nodes.length)]!;
    const { value: reply, ms } = await timed(() => node.client.get(key, { timeoutMs: options.timeoutMs ?? 15_000 }).catch(() => undefined));
    if (!reply?.found || Buffer.from(reply.value).toString() !== expected(key)) failed.push(`${key}@${node.name}`);
    return ms;
  });
  return { failed, ms };
}
