/**
 * What a node process runs on: its configuration (flags and KAD_* variables), the logger,
 * process helpers, and the nats-server launcher.
 */

export * from './logger.js';
export * from './nats-server.js';
export * from './node-config.js';
export * from './node-flags.js';
export * from './package-version.js';
export * from './run-bounded.js';
export * from './stop-child.js';
export * from './subject-token.js';
export * from './system.js';
