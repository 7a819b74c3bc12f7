/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` value a traced
 * operation carries between nodes (gRPC metadata) and between actors (NATS headers). Parsed
 * strictly: anything else from outside is ignored, never an error.
 */
import type { RandomBytes } from '../kademlia/index.js';

export const TRACEPARENT = 'traceparent';

export interface TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  readonly traceId: string;
  /** 16 lowercase hex digits, not all zero: the span this context's holder runs in. */
  readonly spanId: string;
}

const TRACEPARENT_PATTERN = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function parseTraceparent(value: unknown): TraceContext | undefined {
  if (typeof value !== 'string' || value.length !== 55) return undefined;
  const m = TRACEPARENT_PATTERN.exec(value);
  if (!m || /^0+$/.test(m[1]!) || /^0+$/.test(m[2]!)) return undefined;
  return { traceId: m[1]!, spanId: m[2]! };
}

export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-01`;
}

function hex(random: RandomBytes, bytes: number): string {
  for (;;) {
    const value = Buffer.from(random(bytes)).toString('hex');
    if (!/^0+$/.test(value)) return value;
  }
}

export const newTraceId = (random: RandomBytes): string => hex(random, 16);
export const newSpanId = (random: RandomBytes): string => hex(random, 8);
