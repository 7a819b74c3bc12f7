/**
 * Co-located mode restarts a crashed node (`kad node --supervise`), which recovers its records
 * from its data dir; killing the supervisor takes the node with it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DhtClient } from '../../libs/client/index.js';
import { killOnExit, stopChild } from '../../libs/runtime/index.js';
import { freePorts } from '../../harness/free-port.js';
import { healthStatus } from '../../harness/grpc-probe.js';
import { KAD_CLI } from '../../harness/process-cluster.js';
import { waitFor } from '../../harness/wait-for.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('supervisor - a node killed with SIGKILL comes back with its records; the supervisor takes it down with it', async () => {
  const [port] = await freePorts(1);
  const address = `127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'kad-supervised-'));
  const supervisor = killOnExit(
    spawn(process.execPath, [KAD_CLI, 'node', '--supervise'], {
      env: { ...process.env, KAD_NODE: 'supervised', KAD_LISTEN: address, KAD_DATA_DIR: dataDir, KAD_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const children: number[] = [];
  let buffered = '';
  supervisor.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const entry = JSON.parse(line) as { msg?: string; child?: number };
      if (entry.msg === 'supervisor started the node' && entry.child) children.push(entry.child);
    }
  });
  const client = new DhtClient(address);
  try {
    await waitFor('the supervised node to serve', async () => (await healthStatus(address)) === 'SERVING');
    assert.equal((await client.put('survives', 'a crash')).acknowledged, 1);
    const first = children[0]!;
    process.kill(first, 'SIGKILL');
    await waitFor('a restarted node', () => children.length === 2 && !alive(first));
    await waitFor('the restarted node to serve', async () => (await healthStatus(address)) === 'SERVING');
    const reply = await client.get('survives');
    assert.equal(Buffer.from(reply.value).toString(), 'a crash');

    supervisor.kill('SIGKILL');
    await waitFor('the node to exit with its supervisor', () => !alive(children[1]!));
  } finally {
    client.close();
    await stopChild(supervisor);
    for (const pid of children) if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
});
