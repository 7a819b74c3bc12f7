/**
 * Structured logs with pino: one root logger per process, and a child per actor that carries
 * `node` and `actor` on every line.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createRootLogger(level: string = process.env['KAD_LOG_LEVEL'] ?? 'info'): Logger {
  return pino({ level, base: { pid: process.pid } });
}

export function actorLogger(root: Logger, node: string, actor: string): Logger {
  return root.child({ node, actor });
}
