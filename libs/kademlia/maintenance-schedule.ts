/**
 * What a node's maintenance must do, and when (paper §2.3-§2.5, §4.1), as a pure schedule: the
 * driver asks `due(nowMs)` for the tasks to start now, reports each one's end with `done`, and
 * sleeps until `nextDueMs()`. No I/O, no timers, no clock of its own.
 *
 * - `membership` every MEMBERSHIP_EVERY_MS: one tick of Membership (join, rejoin when the table
 *   runs empty, re-bootstrap every KAD_REFRESH_MS; membership.ts decides which);
 * - `refresh` four times per KAD_REFRESH_MS: a lookup in every bucket not looked up for an
 *   interval (the routing table says which);
 * - `records` four times per the shorter of KAD_REPLICATE_MS and KAD_REPUBLISH_MS: the records
 *   due for re-replication or republishing (replication-schedule.ts says which);
 * - `hand-off` HAND_OFF_BATCH_MS after a contact new to the table arrives: the newcomers that
 *   arrived meanwhile, at most HAND_OFF_NEWCOMERS_PER_PASS of them, get the records they should
 *   now hold (record-placement.ts `shouldHandOff`), of the HAND_OFF_RECORDS_PER_NEWCOMER nearest
 *   each; later ones wait for the next pass.
 *
 * A task never runs twice at once: it is due again an interval after its last run ended, so a
 * slow pass delays the next instead of piling up. Every periodic task is due at the start.
 */
import { idToHex } from './id.js';
import type { Contact } from './contact.js';

export type PeriodicTask = 'membership' | 'refresh' | 'records';
export type MaintenanceTask = { readonly kind: PeriodicTask } | { readonly kind: 'hand-off'; readonly newcomers: readonly Contact[] };

export interface MaintenanceTiming {
  readonly refreshMs: number;
  readonly replicateMs: number;
  readonly republishMs: number;
}

/** How often a node checks its membership: whether to join, rejoin or re-bootstrap. */
export const MEMBERSHIP_EVERY_MS = 2_000;
/** Newcomers seen within this window are handed records in one pass. */
export const HAND_OFF_BATCH_MS = 250;
/** The newcomers one hand-off pass serves at most, whatever arrived. */
export const HAND_OFF_NEWCOMERS_PER_PASS = 16;
/** The records nearest each newcomer that one pass considers, whatever the store holds (a
 * newcomer with more gets the rest from re-replication). */
export const HAND_OFF_RECORDS_PER_NEWCOMER = 256;
/** Newcomers waiting for a pass at most; past it they are left to re-replication. */
export const MAX_WAITING_NEWCOMERS = 1_024;

/** Periodic work wakes four times per interval, within [100 ms, 60 s]. */
export const tickOf = (intervalMs: number): number => Math.max(100, Math.min(60_000, Math.floor(intervalMs / 4)));

export class MaintenanceSchedule {
  private readonly everyMs: Readonly<Record<PeriodicTask, number>>;
  /** When each task is next due; absent while it runs (and hand-off while nobody waits). */
  private readonly dueAt = new Map<MaintenanceTask['kind'], number>();
  private readonly running = new Set<MaintenanceTask['kind']>();
  /** Newcomers waiting for a hand-off pass, by hex id, in arrival order. */
  private readonly newcomers = new Map<string, Contact>();

  constructor(timing: MaintenanceTiming, nowMs: number) {
    this.everyMs = {
      membership: MEMBERSHIP_EVERY_MS,
      refresh: tickOf(timing.refreshMs),
      records: tickOf(Math.min(timing.replicateMs, timing.republishMs)),
    };
    for (const kind of ['membership', 'refresh', 'records'] as const) this.dueAt.set(kind, nowMs);
  }

  /** The interval after a run of `kind` ends before it is due again. */
  intervalOf(kind: PeriodicTask): number {
    return this.everyMs[kind];
  }

  /** The tasks to start now; each counts as running until `done`. */
  due(nowMs: number): MaintenanceTask[] {
    const tasks: MaintenanceTask[] = [];
    for (const [kind, at] of this.dueAt) {
      if (at > nowMs) continue;
      this.dueAt.delete(kind);
      this.running.add(kind);
      if (kind !== 'hand-off') {
        tasks.push({ kind });
        continue;
      }
      const batch = [...this.newcomers.values()].slice(0, HAND_OFF_NEWCOMERS_PER_PASS);
      for (const newcomer of batch) this.newcomers.delete(idToHex(newcomer.id));
      tasks.push({ kind, newcomers: batch });
    }
    return tasks;
  }

  /** A task ended (done or failed, alike): it is due again one interval on. */
  done(kind: MaintenanceTask['kind'], nowMs: number): void {
    this.running.delete(kind);
    if (kind !== 'hand-off') this.dueAt.set(kind, nowMs + this.everyMs[kind]);
    else if (this.newcomers.size > 0) this.dueAt.set(kind, nowMs + HAND_OFF_BATCH_MS);
  }

  /** A contact new to the routing table (one that proved its id). False when it was not queued:
   * already waiting, or too many wait. */
  newcomer(contact: Contact, nowMs: number): boolean {
    const key = idToHex(contact.id);
    if (this.newcomers.has(key) || this.newcomers.size >= MAX_WAITING_NEWCOMERS) return false;
    this.newcomers.set(key, contact);
    if (!this.running.has('hand-off') && !this.dueAt.has('hand-off')) this.dueAt.set('hand-off', nowMs + HAND_OFF_BATCH_MS);
    return true;
  }

  /** When the next task not running is due, or undefined when none is. */
  nextDueMs(): number | undefined {
    let next: number | undefined;
    for (const at of this.dueAt.values()) if (next === undefined || at < next) next = at;
    return next;
  }
}
