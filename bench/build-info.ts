/**
 * A build of the project to measure: its directory, the CLI its nodes run
 * (<dir>/dist/services/cli/kad.js), the commit it was checked out at when a .git entry says so
 * (read from files; git itself is not run), whether its GetResponse reports hops, and the node
 * flags it runs its node processes with (those of its CLI's shebang line).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { BuildInfo } from './cluster-result.js';

export function buildInfo(label: string, dir: string): BuildInfo {
  const root = resolve(dir);
  const cliPath = join(root, 'dist', 'services', 'cli', 'kad.js');
  if (!existsSync(cliPath)) throw new Error(`${label}: no ${cliPath} (build it: npm ci && npm run build)`);
  if (!existsSync(join(root, 'node_modules'))) throw new Error(`${label}: no ${join(root, 'node_modules')} (npm ci)`);
  return { label, dir: root, cliPath, revision: gitRevision(root), reportsHops: reportsHops(root), nodeFlags: nodeFlagsOf(cliPath) };
}

/** `#!/usr/bin/env -S node --a --b` -> ['--a', '--b']; a plain `#!/usr/bin/env node` -> []. */
function nodeFlagsOf(cliPath: string): string[] {
  const shebang = readFileSync(cliPath, 'utf8').split('\n', 1)[0] ?? '';
  const words = shebang.replace(/^#!\s*/, '').split(/\s+/);
  const node = words.indexOf('node');
  return node < 0 ? [] : words.slice(node + 1).filter((w) => w.startsWith('--'));
}

export function baselineLabel(dir: string): string {
  return `baseline (${basename(resolve(dir))})`;
}

function reportsHops(root: string): boolean {
  try {
    return readFileSync(join(root, 'proto', 'kademlia', 'v1', 'dht.proto'), 'utf8').includes('lookup_rounds');
  } catch {
    return false;
  }
}

/** HEAD's commit from <dir>/.git (a directory, or a worktree's `gitdir:` file); undefined if unknown. */
function gitRevision(root: string): string | undefined {
  try {
    let gitDir = join(root, '.git');
    if (statSync(gitDir).isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(gitDir, 'utf8'));
      if (!pointer?.[1]) return undefined;
      gitDir = resolve(root, pointer[1].trim());
    }
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
    if (!ref) return head.slice(0, 12);
    const commonDir = existsSync(join(gitDir, 'commondir'))
      ? resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim())
      : gitDir;
    for (const dirCandidate of [gitDir, commonDir]) {
      const refFile = join(dirCandidate, ref);
      if (existsSync(refFile)) return `${readFileSync(refFile, 'utf8').trim().slice(0, 12)} (${ref.replace('refs/heads/', '')})`;
    }
    const packed = readFileSync(join(commonDir, 'packed-refs'), 'utf8');
    const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
    return line ? `${line.slice(0, 12)} (${ref.replace('refs/heads/', '')})` : ref;
  } catch {
    return undefined;
  }
}
