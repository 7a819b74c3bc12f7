/** Metrics, readiness, traces and their export: what a node shows of itself. */

export * from './node-metrics.js';
export * from './otlp-exporter.js';
export * from './process-metrics.js';
export * from './readiness.js';
export * from './span-log.js';
export * from './telemetry.js';
export * from './trace-context.js';
export * from './tracer.js';
