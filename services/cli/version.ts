/** The version `kad --version` prints: the package's, from its package.json. */
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  // dist/services/cli/version.js and services/cli/version.ts are both three levels down.
  const manifest: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  const version = typeof manifest === 'object' && manifest !== null ? (manifest as { version?: unknown }).version : undefined;
  return typeof version === 'string' ? version : 'unknown';
}
