/**
 * The spans a process recorded for traced operations, newest kept: bounded by count, so a flood
 * of traced calls costs a fixed amount of memory. Read by trace id (the HTTP port's
 * /api/traces) and drained by the OTLP exporter.
 */

export interface Span {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  /** What ran: `Dht/Get`, `Peer/FindValue`, `bus storage.get`, `storage.get`. */
  readonly name: string;
  readonly kind: 'server' | 'client' | 'internal';
  readonly node: string;
  /** The actor that recorded it, or `node` when one process runs all four. */
  readonly actor: string;
  readonly startMs: number;
  readonly durationMs: number;
  /** undefined: it succeeded; else the error it failed with. */
  readonly error: string | undefined;
  readonly attributes: Readonly<Record<string, string | number>>;
}

export class SpanLog {
  private readonly spans: Span[] = [];
  private readonly listeners = new Set<(span: Span) => void>();

  constructor(private readonly capacity = 2_000) {}

  add(span: Span): void {
    this.spans.push(span);
    if (this.spans.length > this.capacity) this.spans.splice(0, this.spans.length - this.capacity);
    for (const listener of this.listeners) listener(span);
  }

  /** The spans of one trace, in the order they ended. */
  trace(traceId: string): Span[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  /** Trace ids, newest first, at most `limit`. */
  recentTraces(limit: number): string[] {
    const ids: string[] = [];
    for (let i = this.spans.length - 1; i >= 0 && ids.length < limit; i--) {
      const id = this.spans[i]!.traceId;
      if (!ids.includes(id)) ids.push(id);
    }
    return ids;
  }

  onSpan(listener: (span: Span) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
