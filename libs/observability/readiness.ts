/**
 * Readiness from a self-audit: a node is ready when its bus is connected, its actors answer, it
 * has joined (a lookup of its own id finds the neighbours its table holds), and its table is not
 * empty, or it is the only node (nothing to join through). `assessReadiness` turns one audit's
 * observations into named checks; `Readiness` holds the latest, and tells who listens (gRPC
 * health, /readyz) when the verdict changes.
 */

export interface ReadinessCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What one audit saw. An actor's field holds its answer, or the error it failed with. */
export interface AuditObservation {
  readonly busConnected: boolean;
  /** Contacts in the routing table closest to this node (up to k), or why it did not answer. */
  readonly table: number | Error;
  /** Records held, or why storage did not answer. */
  readonly storage: number | Error;
  /** Contacts the canary lookup of this node's own id found, or why it failed. */
  readonly canary: number | Error;
  /** Bootstrap addresses configured: none means this node may be the only one. */
  readonly bootstrapConfigured: boolean;
}

export function assessReadiness(seen: AuditObservation): ReadinessCheck[] {
  const answered = (name: string, value: number | Error, what: string): ReadinessCheck =>
    value instanceof Error ? { name, ok: false, detail: value.message } : { name, ok: true, detail: `${value} ${what}` };
  const checks = [
    { name: 'bus', ok: seen.busConnected, detail: seen.busConnected ? 'connected' : 'not connected' },
    answered('routing-table', seen.table, 'contacts near this node'),
    answered('storage', seen.storage, 'records'),
    answered('lookup-coordinator', seen.canary, 'contacts found by the canary lookup'),
  ];
  const table = seen.table instanceof Error ? undefined : seen.table;
  const found = seen.canary instanceof Error ? undefined : seen.canary;
  let joined: ReadinessCheck;
  if (table === undefined || found === undefined) joined = { name: 'joined', ok: false, detail: 'unknown: an actor did not answer' };
  else if (table === 0 && !seen.bootstrapConfigured)
    joined = { name: 'joined', ok: true, detail: 'the only node (no bootstrap configured)' };
  else if (table === 0) joined = { name: 'joined', ok: false, detail: 'the routing table is empty: no bootstrap node reached yet' };
  else if (found === 0)
    joined = { name: 'joined', ok: false, detail: `the table holds ${table} contacts, but a lookup of this node's id found none` };
  else joined = { name: 'joined', ok: true, detail: `a lookup of this node's id found ${found} neighbours` };
  return [...checks, joined];
}

export class Readiness {
  private current: readonly ReadinessCheck[] = [{ name: 'audit', ok: false, detail: 'not checked yet' }];
  private readonly listeners = new Set<(ready: boolean) => void>();

  get ready(): boolean {
    return this.current.every((c) => c.ok);
  }

  get checks(): readonly ReadinessCheck[] {
    return this.current;
  }

  update(checks: readonly ReadinessCheck[]): void {
    const was = this.ready;
    this.current = checks;
    if (this.ready !== was) for (const listener of this.listeners) listener(this.ready);
  }

  /** Calls `listener` now and on every change; returns how to stop. */
  watch(listener: (ready: boolean) => void): () => void {
    this.listeners.add(listener);
    listener(this.ready);
    return () => this.listeners.delete(listener);
  }
}
