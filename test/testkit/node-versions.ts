/**
 * Node.js binaries other than the one running the tests: Node 24 from the npm registry package
 * `node@24` (its own binary, no toolchain), installed once into a cache directory and reused by
 * later runs on the machine. An install goes to a scratch folder first and is renamed into
 * place, so two runs installing at once never see half a binary.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Where installed binaries are kept between runs (KAD_NODE_CACHE, or a folder in the system
 * temp dir). */
export const NODE_CACHE = process.env.KAD_NODE_CACHE ?? join(tmpdir(), 'kad-node-binaries');

async function versionOf(binary: string): Promise<string | undefined> {
  try {
    return (await execFileAsync(binary, ['--version'], { timeout: 30_000 })).stdout.trim();
  } catch {
    return undefined;
  }
}

/** The path of a Node `major` binary, installed from the npm registry when the cache lacks it. */
export async function nodeBinary(major: number): Promise<string> {
  const dir = join(NODE_CACHE, `node-${major}`);
  const binary = join(dir, 'node_modules', '.bin', 'node');
  if ((await versionOf(binary))?.startsWith(`v${major}.`)) return binary;
  mkdirSync(NODE_CACHE, { recursive: true });
  const scratch = mkdtempSync(join(NODE_CACHE, `.node-${major}-`));
  try {
    await execFileAsync(
      'npm',
      ['install', '--prefix', scratch, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node@${major}`],
      { timeout: 240_000 },
    );
    const installed = join(scratch, 'node_modules', '.bin', 'node');
    const version = await versionOf(installed);
    if (!version?.startsWith(`v${major}.`)) throw new Error(`npm's node@${major} gave ${version ?? 'no working binary'}`);
    // Another run may have put a working copy in place meanwhile: keep that one.
    if (!(await versionOf(binary))?.startsWith(`v${major}.`)) {
      rmSync(dir, { recursive: true, force: true });
      try {
        renameSync(scratch, dir);
      } catch (err) {
        if (!existsSync(binary)) throw err;
      }
    }
    return binary;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
