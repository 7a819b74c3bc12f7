/**
 * What an actor test starts one real actor with: an ActorContext on a MemoryBus whose clock and
 * timers are a ManualClock the test moves (and with it node:test's mocked timers, where the test
 * enabled them), ids placed at chosen distances, and promises a test settles when it decides a stub's
 * answer. Nothing here waits on the wall clock.
 */
import type { TestContext } from 'node:test';
import { MemoryBus, type ActorContext, type Bus } from '../../libs/bus/index.js';
import { commonPrefixLength, ID_BITS, type Contact, type NodeId } from '../../libs/kademlia/index.js';
import { identityOf, SigningKey, type NodeIdentity } from '../../libs/identity/index.js';
import { NO_METRICS, Readiness, SpanLog, Tracer } from '../../libs/observability/index.js';
import { createRootLogger, resolveNodeConfig, type SettingValues, type Timers } from '../../libs/runtime/index.js';
import { SeededRandom } from '../../libs/sampling/index.js';

/** node:test's mocked timers (`t.mock.timers`), as far as the clock drives them. */
export interface TimerTicker {
  tick(ms: number): void;
}

/** Lets every promise chain already started run on: the actors and the MemoryBus move by
 * microtasks only, which all drain before an immediate (left unmocked for this). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

interface ManualTimer {
  readonly dueMs: number;
  readonly seq: number;
  readonly callback: () => void;
}

/**
 * The actor's `clock`, and its `timers` (the Timers seam of libs/runtime): it moves only when the
 * test says. Advancing fires the timers armed through it in due order, the clock set to each
 * one's due time as it fires; with `mocked` (node:test's mocked setTimeout and setInterval, for
 * the timers an actor or the MemoryBus arms directly) those are ticked along, so a deadline on
 * the bus, a lookup's per-RPC timeout and the clock agree.
 */
export class ManualClock implements Timers {
  private ms: number;
  private seq = 0;
  private readonly pending = new Set<ManualTimer>();

  constructor(
    startMs: number = Date.UTC(2025, 0, 1),
    private readonly mocked?: TimerTicker,
  ) {
    this.ms = startMs;
  }

  readonly now = (): number => this.ms;

  set(callback: () => void, ms: number): unknown {
    const timer: ManualTimer = { dueMs: this.ms + Math.max(0, ms), seq: this.seq++, callback };
    this.pending.add(timer);
    return timer;
  }

  clear(handle: unknown): void {
    this.pending.delete(handle as ManualTimer);
  }

  async advance(ms: number): Promise<void> {
    const end = this.ms + ms;
    for (;;) {
      const next = [...this.pending].filter((timer) => timer.dueMs <= end).sort((a, b) => a.dueMs - b.dueMs || a.seq - b.seq)[0];
      const to = next ? Math.max(next.dueMs, this.ms) : end;
      const step = to - this.ms;
      this.ms = to;
      if (step > 0) this.mocked?.tick(step);
      if (next) {
        this.pending.delete(next);
        next.callback();
      }
      await settle();
      if (!next) return;
    }
  }
}

export interface TestContextOptions {
  readonly bus: Bus;
  readonly clock: ManualClock;
  readonly node?: string;
  /** Node settings, as flags would give them (`k`, `rpc-timeout-ms`, `peer-quota-records`, …). */
  readonly settings?: SettingValues;
  readonly identity?: NodeIdentity;
  /** Seeds the context's randomness (refresh targets), so a run can be replayed. */
  readonly seed?: number;
}

/** An ActorContext as services/node/kad-node.ts builds one, with the test's bus and clock, no
 * metrics, and a logger that prints nothing. */
export function testContext(options: TestContextOptions): ActorContext {
  const node = options.node ?? 'actor-test';
  const config = resolveNodeConfig({ listen: '127.0.0.1:7400', ...options.settings, node });
  const random = new SeededRandom(options.seed ?? 1);
  const bytes = (n: number): Uint8Array => random.bytes(n);
  return {
    bus: options.bus,
    config,
    identity: options.identity ?? identityOf(SigningKey.generate()),
    log: createRootLogger('silent'),
    clock: options.clock.now,
    timers: options.clock,
    random: bytes,
    metrics: NO_METRICS,
    tracer: new Tracer(node, 'actor-test', new SpanLog(), bytes),
    readiness: new Readiness(),
  };
}

/**
 * What every actor test starts from: node:test's timers mocked, a MemoryBus, a ManualClock that
 * ticks them along, and an ActorContext on both (`testContext`).
 */
export function actorTestSetup(
  t: TestContext,
  options: Omit<TestContextOptions, 'bus' | 'clock'> = {},
): { readonly bus: MemoryBus; readonly clock: ManualClock; readonly ctx: ActorContext } {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  const bus = new MemoryBus();
  const clock = new ManualClock(undefined, t.mock.timers);
  return { bus, clock, ctx: testContext({ ...options, bus, clock }) };
}

/**
 * An id that shares exactly `bits` leading bits with `base` (so its XOR distance to base has its
 * top bit at `bits`); `salt` fills the last two bytes, so ids at one distance differ.
 */
export function idSharing(base: NodeId, bits: number, salt = 0): NodeId {
  if (bits < 0 || bits > ID_BITS - 17) throw new RangeError(`bits must be in 0..${ID_BITS - 17}, got ${bits}`);
  const id = Uint8Array.from(base);
  id[bits >> 3] = (id[bits >> 3] ?? 0) ^ (0x80 >> (bits & 7));
  id[30] = (salt >> 8) & 0xff;
  id[31] = salt & 0xff;
  if (commonPrefixLength(id, base) !== bits) throw new Error('unreachable: the flipped bit is the first that differs');
  return id;
}

let nextPort = 20_000;
/** A contact at a fresh loopback address (nothing listens there: stubs answer for it). */
export function contactWith(id: NodeId): Contact {
  return { id, address: `127.0.0.1:${nextPort++}` };
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

/** A stub's answer the test gives later (or never: a lost message). */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Whether `promise` has settled by now (after the work already started has run). */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await settle();
  return settled;
}
