/**
 * Spans for traced operations, in one process. The current trace context travels with the
 * async work that serves a traced call (AsyncLocalStorage), so the bus and the peer client read
 * it where they send, without every function passing it on. Nothing is recorded unless a trace
 * is active: a client asked for one (`trace` on Put or Get, or a `traceparent` of its own), or a
 * traced peer or actor called; untraced work pays one store lookup per span site.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RandomBytes } from '../kademlia/index.js';
import type { Span, SpanLog } from './span-log.js';
import { newSpanId, newTraceId, type TraceContext } from './trace-context.js';

export interface SpanOptions {
  readonly kind: Span['kind'];
  /** The caller's context (from gRPC metadata or a bus header); default: the current one. */
  readonly parent?: TraceContext | undefined;
  /** Start a new trace when there is no parent. */
  readonly root?: boolean;
  readonly attributes?: Readonly<Record<string, string | number>>;
}

export class Tracer {
  private readonly store = new AsyncLocalStorage<TraceContext>();

  constructor(
    readonly node: string,
    readonly actor: string,
    readonly spans: SpanLog,
    private readonly random: RandomBytes,
  ) {}

  current(): TraceContext | undefined {
    return this.store.getStore();
  }

  /** Runs `fn` with `context` current (work queued under one context and run later). */
  within<T>(context: TraceContext | undefined, fn: () => T): T {
    return context ? this.store.run(context, fn) : fn();
  }

  /** Runs `fn` in a new span when a trace is active (or `root` starts one), else as it is. */
  async span<T>(name: string, options: SpanOptions, fn: (context: TraceContext | undefined) => Promise<T>): Promise<T> {
    const parent = options.parent ?? this.current();
    if (!parent && !options.root) return fn(undefined);
    const context: TraceContext = { traceId: parent?.traceId ?? newTraceId(this.random), spanId: newSpanId(this.random) };
    const startMs = Date.now();
    const started = performance.now();
    const record = (error: string | undefined): void =>
      this.spans.add({
        traceId: context.traceId,
        spanId: context.spanId,
        parentSpanId: parent?.spanId,
        name,
        kind: options.kind,
        node: this.node,
        actor: this.actor,
        startMs,
        durationMs: performance.now() - started,
        error,
        attributes: options.attributes ?? {},
      });
    try {
      const result = await this.store.run(context, () => fn(context));
      record(undefined);
      return result;
    } catch (err) {
      record(err instanceof Error ? err.message : String(err));
      throw err;
    }
  }
}
