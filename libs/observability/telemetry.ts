/** What an actor reports through: its metrics and, when it has one, its tracer. An
 * ActorContext is one. */
import { NO_METRICS, type NodeMetrics } from './node-metrics.js';
import type { Tracer } from './tracer.js';

export interface Telemetry {
  readonly metrics: NodeMetrics;
  readonly tracer?: Tracer | undefined;
}

export const NO_TELEMETRY: Telemetry = { metrics: NO_METRICS };
