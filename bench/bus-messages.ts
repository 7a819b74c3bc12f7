/**
 * Bus messages of a whole cluster, counted the way nats-server counts them (a request and its
 * reply are two): those that crossed nats-server (its `/varz` in_msgs) and those the nodes
 * delivered in process (Admin Stats `bus_messages`; a build from before the in-process path
 * reports none, and sends every message through nats-server).
 */
import type { DhtClient } from '../libs/client/index.js';

export interface BusCount {
  readonly overNats: number;
  readonly inProcess: number;
  /** `actor.verb` -> messages, as the nodes count them (empty for a build that does not). */
  readonly byVerb: Readonly<Record<string, number>>;
}

export interface BusPerOp {
  readonly overNats: number;
  readonly inProcess: number;
  readonly total: number;
  /** The busiest verbs, messages per operation. */
  readonly byVerb: Readonly<Record<string, number>>;
}

export async function countBusMessages(clients: readonly DhtClient[], monitorUrl: string): Promise<BusCount> {
  const [varz, stats] = await Promise.all([
    fetch(`${monitorUrl}/varz`).then((r) => r.json() as Promise<{ in_msgs: number }>),
    Promise.all(clients.map((client) => client.stats({ timeoutMs: 5_000 }))),
  ]);
  const byVerb: Record<string, number> = {};
  let inProcess = 0;
  for (const count of stats.flatMap((s) => s.busMessages)) {
    inProcess += count.inProcess;
    const key = `${count.actor}.${count.verb}`;
    byVerb[key] = (byVerb[key] ?? 0) + count.inProcess + count.overNats;
  }
  return { overNats: varz.in_msgs, inProcess, byVerb };
}

const per = (n: number, ops: number): number => Math.round((n / Math.max(1, ops)) * 10) / 10;

/** What `ops` operations between two counts cost; the Stats calls of the counting itself are
 * not bus messages (they are gRPC), but each answers with two storage/routing-table requests. */
export function busPerOp(before: BusCount, after: BusCount, ops: number): BusPerOp {
  const overNats = after.overNats - before.overNats;
  const inProcess = after.inProcess - before.inProcess;
  const byVerb = Object.entries(after.byVerb)
    .map(([verb, n]) => [verb, n - (before.byVerb[verb] ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([verb, n]) => [verb, per(n, ops)] as const);
  return {
    overNats: per(overNats, ops),
    inProcess: per(inProcess, ops),
    total: per(overNats + inProcess, ops),
    byVerb: Object.fromEntries(byVerb),
  };
}
