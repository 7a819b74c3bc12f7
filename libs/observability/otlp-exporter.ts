/**
 * Exports the spans a process records to an OpenTelemetry collector: OTLP over HTTP with the
 * JSON encoding (POST <endpoint>/v1/traces), batched (every second, or at BATCH_SPANS), with a
 * bounded queue (spans beyond it are dropped and counted, never buffered without end). A
 * collector that is down costs a failed POST per batch, logged once per minute at most.
 */
import type { Span, SpanLog } from './span-log.js';

const FLUSH_EVERY_MS = 1_000;
const BATCH_SPANS = 256;
const MAX_QUEUED = 4_096;
const POST_TIMEOUT_MS = 5_000;
const WARN_EVERY_MS = 60_000;

/** OTLP span kinds (opentelemetry-proto trace.proto SpanKind). */
/** Where export failures are told (the node's pino logger is one). */
export interface WarnLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

const KIND: Record<Span['kind'], number> = { internal: 1, server: 2, client: 3 };

type AnyValue = { stringValue: string } | { doubleValue: number };
const value = (v: string | number): AnyValue => (typeof v === 'number' ? { doubleValue: v } : { stringValue: v });
const attributes = (record: Readonly<Record<string, string | number>>) =>
  Object.entries(record).map(([key, v]) => ({ key, value: value(v) }));

/** One OTLP/JSON ExportTraceServiceRequest for spans of one process. */
export function otlpRequest(spans: readonly Span[], resource: { node: string; actor: string; version: string }): unknown {
  const nanos = (ms: number): string => (BigInt(Math.round(ms * 1_000)) * 1_000n).toString();
  return {
    resourceSpans: [
      {
        resource: {
          attributes: attributes({
            'service.name': 'kademlia-actors',
            'service.version': resource.version,
            'service.instance.id': `${resource.node}/${resource.actor}`,
            'kad.node': resource.node,
            'kad.actor': resource.actor,
          }),
        },
        scopeSpans: [
          {
            scope: { name: 'kademlia-actors', version: resource.version },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: KIND[s.kind],
              startTimeUnixNano: nanos(s.startMs),
              endTimeUnixNano: nanos(s.startMs + s.durationMs),
              attributes: attributes(s.attributes),
              status: s.error === undefined ? { code: 1 } : { code: 2, message: s.error },
            })),
          },
        ],
      },
    ],
  };
}

export class OtlpExporter {
  private queue: Span[] = [];
  private dropped = 0;
  private lastWarnMs = 0;
  private sending: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly endpoint: string,
    spans: SpanLog,
    private readonly resource: { node: string; actor: string; version: string },
    private readonly log: WarnLog,
  ) {
    this.unsubscribe = spans.onSpan((span) => this.enqueue(span));
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS).unref();
  }

  private enqueue(span: Span): void {
    if (this.queue.length >= MAX_QUEUED) {
      this.dropped++;
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= BATCH_SPANS) void this.flush();
  }

  /** Sends what is queued (one POST at a time). */
  flush(): Promise<void> {
    this.sending = this.sending.then(async () => {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, BATCH_SPANS);
        try {
          const res = await fetch(`${this.endpoint.replace(/\/$/, '')}/v1/traces`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(otlpRequest(batch, this.resource)),
            signal: AbortSignal.timeout(POST_TIMEOUT_MS),
          });
          await res.arrayBuffer();
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
        } catch (err) {
          this.dropped += batch.length;
          const now = Date.now();
          if (now - this.lastWarnMs >= WARN_EVERY_MS) {
            this.lastWarnMs = now;
            this.log.warn({ endpoint: this.endpoint, err: (err as Error).message, dropped: this.dropped }, 'could not export spans');
          }
          return;
        }
      }
    });
    return this.sending;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe();
    await this.flush();
  }
}
