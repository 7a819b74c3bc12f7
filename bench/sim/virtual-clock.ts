/**
 * The simulator's virtual time: one clock and the events due on it (timers, and the completions
 * of simulated RPCs as promises it settles), run earliest first; events due at the same time run
 * in the order they were scheduled. Nothing here reads the wall clock.
 *
 * After each event the scheduler drains the promise jobs that event queued, before the clock moves
 * on: code that awaits a simulated RPC (services/lookup-coordinator/lookup-runner.ts) reacts, and
 * schedules what follows, at the virtual time of the answer, as it would at the real time of one.
 * The drain is one macrotask turn (setImmediate): Node runs every queued microtask before it, so
 * it holds however many awaits deep the reaction goes. A cancelled timer costs no drain.
 *
 * Events sit in a binary heap ordered by (due time, scheduling order); a cleared timer stays in
 * the heap, marked, until it comes up, so clearing is O(1).
 */
import type { Timers } from '../../libs/runtime/index.js';

/** A scheduled event, as handed back by `at` and `timers.set`: pass it to `cancel`. */
export class VirtualTimer {
  constructor(
    readonly atMs: number,
    /** Scheduling order: breaks ties of atMs. */
    readonly seq: number,
    /** Undefined once cancelled or run. */
    public action: (() => void) | undefined,
  ) {}
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function earlier(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}

export class VirtualClock {
  private nowMs: number;
  private seq = 0;
  private live = 0;
  private readonly heap: VirtualTimer[] = [];

  constructor(startMs = 0) {
    this.nowMs = startMs;
  }

  /** The virtual time, in ms (an arrow: it is handed around as a `() => number` clock). */
  readonly now = (): number => this.nowMs;

  /** This clock's timers (the Timers seam the actors and the lookup runner sleep on). */
  readonly timers: Timers = {
    set: (fn, ms) => this.at(this.nowMs + Math.max(0, ms), fn),
    clear: (handle) => {
      if (handle !== undefined) this.cancel(handle as VirtualTimer);
    },
  };

  /** Events scheduled and neither run nor cancelled. */
  pending(): number {
    return this.live;
  }

  /** Runs `action` at `atMs` (not before now). */
  at(atMs: number, action: () => void): VirtualTimer {
    if (!(atMs >= this.nowMs)) throw new RangeError(`cannot schedule at ${atMs} ms: the clock is at ${this.nowMs} ms`);
    const event = new VirtualTimer(atMs, this.seq++, action);
    this.push(event);
    this.live++;
    return event;
  }

  /** The event does not run (a no-op once it has run or was cancelled). */
  cancel(event: VirtualTimer): void {
    if (event.action === undefined) return;
    event.action = undefined;
    this.live--;
  }

  /** A promise settled `delayMs` from now with what `outcome` returns then, or rejected with what
   * it throws: a simulated RPC whose answer is computed at its completion time. */
  settleAfter<T>(delayMs: number, outcome: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.at(this.nowMs + delayMs, () => {
        try {
          resolve(outcome());
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
  }

  /** Runs events, earliest first, until `promise` settles; its value or rejection. Throws when
   * nothing is left to run and it has not settled (it waits on something this clock never does). */
  async runUntilSettled<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    const mark = (): void => {
      settled = true;
    };
    promise.then(mark, mark);
    await turn();
    while (!settled) {
      if (!this.step()) throw new Error('the awaited promise waits on nothing this virtual clock has scheduled');
      await turn();
    }
    return promise;
  }

  /** Runs every event due up to `untilMs`, then sets the clock to it. */
  async runUntil(untilMs: number): Promise<void> {
    if (!(untilMs >= this.nowMs)) throw new RangeError(`cannot run back to ${untilMs} ms: the clock is at ${this.nowMs} ms`);
    while (this.step(untilMs)) await turn();
    this.nowMs = untilMs;
  }

  /** `runUntil(now + ms)`. */
  advance(ms: number): Promise<void> {
    return this.runUntil(this.nowMs + ms);
  }

  /** Runs events until none is left (new ones scheduled meanwhile included). */
  async run(): Promise<void> {
    while (this.step()) await turn();
  }

  /** Runs the earliest live event due by `untilMs`; false when there is none. */
  private step(untilMs = Number.POSITIVE_INFINITY): boolean {
    for (;;) {
      const event = this.heap[0];
      if (!event || event.atMs > untilMs) return false;
      this.pop();
      const action = event.action;
      if (action === undefined) continue;
      event.action = undefined;
      this.live--;
      this.nowMs = event.atMs;
      action();
      return true;
    }
  }

  private push(event: VirtualTimer): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent];
      if (!above || !earlier(event, above)) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = event;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (!last || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const l = heap[left];
      const r = heap[right];
      const child = r && l && earlier(r, l) ? right : left;
      const below = heap[child];
      if (!below || !earlier(below, last)) break;
      heap[i] = below;
      i = child;
    }
    heap[i] = last;
  }
}
