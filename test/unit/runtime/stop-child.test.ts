/**
 * Children of the project's launchers: killOnExit leaves no orphan when the launcher dies of an
 * uncaught error, and a child that already exited is left alone.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../../harness/wait-for.js';

const STOP_CHILD = fileURLToPath(new URL('../../../libs/runtime/stop-child.js', import.meta.url));

/** Gone, or a zombie waiting for whoever adopted it to reap it. */
function isDead(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return true;
  }
}

/** Runs a launcher that starts `sleep 60` under killOnExit, prints its pid, then `ending`. */
async function launcherChildPid(ending: string): Promise<{ pid: number; code: number | null }> {
  const script = `
    import { spawn } from 'node:child_process';
    import { killOnExit } from ${JSON.stringify(STOP_CHILD)};
    const child = killOnExit(spawn('sleep', ['60'], { stdio: 'ignore' }));
    console.log(child.pid);
    setTimeout(() => { ${ending} }, 50);
  `;
  const launcher = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  launcher.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => launcher.once('exit', (c) => resolve(c)));
  const pid = Number(out.trim());
  assert.ok(Number.isInteger(pid) && pid > 0, `launcher printed ${JSON.stringify(out)}`);
  return { pid, code };
}

test('a launcher that dies of an uncaught error takes its child with it', async () => {
  const { pid, code } = await launcherChildPid("throw new Error('launcher crashed')");
  assert.equal(code, 1);
  await waitFor(`sleep (pid ${pid}) to be killed`, () => isDead(pid), { timeoutMs: 5_000, intervalMs: 50 });
});

test('a launcher that calls process.exit takes its child with it', async () => {
  const { pid, code } = await launcherChildPid('process.exit(0)');
  assert.equal(code, 0);
  await waitFor(`sleep (pid ${pid}) to be killed`, () => isDead(pid), { timeoutMs: 5_000, intervalMs: 50 });
});
