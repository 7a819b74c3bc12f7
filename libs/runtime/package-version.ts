/** The version `kad --version` prints: the package's, from its package.json. */
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  // dist/libs/runtime/package-version.js and libs/runtime/package-version.ts are both three levels down.
  const manifest: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  const version = typeof manifest === 'object' && manifest !== null ? (manifest as { version?: unknown }).version : undefined;
  return typeof version === 'string' ? version : 'unknown';
}
