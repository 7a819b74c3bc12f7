/**
 * The parent's side of one bittorrent-dht node process (bench/peer/bittorrent-dht-node.ts): forks
 * it with an IPC channel, waits for its `ready` message (the UDP port it bound), then turns
 * put / get / stats into requests with ids and matches the replies (bench/peer/peer-protocol.ts),
 * each with a deadline. The child is killed if this process exits, and `stop` ends it the way
 * the project's launchers do (libs/runtime/stop-child.ts: SIGTERM, then SIGKILL).
 */
import { fork, type ChildProcess, type Serializable } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { killOnExit, stopChild } from '../../libs/runtime/index.js';
import { parseChildMessage, type PeerReply, type PeerRequest } from './peer-protocol.js';

export const PEER_NODE_ENTRY = fileURLToPath(new URL('./bittorrent-dht-node.js', import.meta.url));

type RequestBody = PeerRequest extends infer R ? (R extends PeerRequest ? Omit<R, 'id'> : never) : never;

interface Waiter {
  readonly resolve: (reply: PeerReply) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export interface PeerNodeStartOptions {
  readonly name: string;
  /** UDP port; 0 lets the kernel choose. */
  readonly port: number;
  /** host:port addresses to join through; none for the first node. */
  readonly bootstrap: readonly string[];
  /** The node's stdout and stderr go here (appended). */
  readonly logPath: string;
  readonly readyTimeoutMs: number;
}

export class PeerNodeProcess {
  private readonly waiting = new Map<number, Waiter>();
  /** Error replies with id null (to a request with no usable id), oldest first. */
  private readonly waitingAnonymous: Waiter[] = [];
  private nextId = 1;
  private exited: Error | undefined;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly port: number,
    readonly nodeId: string,
  ) {
    child.on('message', (message: unknown) => this.onMessage(message));
    child.once('exit', (code, signal) => {
      this.exited = new Error(`${name} exited (${signal ?? `code ${code}`})`);
      for (const waiter of [...this.waiting.values(), ...this.waitingAnonymous]) {
        clearTimeout(waiter.timer);
        waiter.reject(this.exited);
      }
      this.waiting.clear();
      this.waitingAnonymous.length = 0;
    });
  }

  static async start(options: PeerNodeStartOptions): Promise<PeerNodeProcess> {
    const log = openSync(options.logPath, 'a');
    let child: ChildProcess;
    try {
      child = killOnExit(
        fork(PEER_NODE_ENTRY, [String(options.port), ...options.bootstrap], {
          stdio: ['ignore', log, log, 'ipc'],
          execArgv: [],
          serialization: 'json',
        }),
      );
    } finally {
      closeSync(log);
    }
    try {
      const ready = await new Promise<{ port: number; nodeId: string }>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${options.name} not ready within ${options.readyTimeoutMs} ms (log ${options.logPath})`)),
          options.readyTimeoutMs,
        );
        const onMessage = (message: unknown): void => {
          const parsed = parseChildMessage(message);
          if (parsed?.kind !== 'ready') return;
          cleanUp();
          resolve(parsed);
        };
        const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
          cleanUp();
          reject(new Error(`${options.name} exited before it was ready (${signal ?? `code ${code}`}; log ${options.logPath})`));
        };
        const cleanUp = (): void => {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
      });
      return new PeerNodeProcess(options.name, child, ready.port, ready.nodeId);
    } catch (err) {
      await stopChild(child);
      throw err;
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** A BEP 44 immutable put; `hash`: the key to get it by, `stored`: replicas that acknowledged. */
  async put(value: Buffer, timeoutMs: number): Promise<{ hash: string; stored: number }> {
    const reply = await this.request({ op: 'put', value: value.toString('base64') }, timeoutMs);
    if (reply.op !== 'put') throw new Error(`${this.name} answered a put with ${reply.op}`);
    return { hash: reply.hash, stored: reply.stored };
  }

  async get(hash: string, timeoutMs: number): Promise<{ found: boolean; bytes: number }> {
    const reply = await this.request({ op: 'get', hash }, timeoutMs);
    if (reply.op !== 'get') throw new Error(`${this.name} answered a get with ${reply.op}`);
    return { found: reply.found, bytes: reply.bytes };
  }

  /** Contacts in the node's routing table. */
  async contacts(timeoutMs: number): Promise<number> {
    const reply = await this.request({ op: 'stats' }, timeoutMs);
    if (reply.op !== 'stats') throw new Error(`${this.name} answered stats with ${reply.op}`);
    return reply.nodes;
  }

  /**
   * Sends `message` as it is (a test's malformed request) and resolves with the reply to it: the
   * one with its id when it has a usable one (a non-negative integer), else the next with id null.
   */
  sendRaw(message: Serializable, timeoutMs: number): Promise<PeerReply> {
    const id = typeof message === 'object' && message !== null && 'id' in message ? message.id : undefined;
    return this.exchange(message, typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined, timeoutMs);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs = 3_000): Promise<void> {
    return stopChild(this.child, graceMs);
  }

  private async request(body: RequestBody, timeoutMs: number): Promise<Exclude<PeerReply, { ok: false }>> {
    const id = this.nextId++;
    const reply = await this.exchange({ id, ...body }, id, timeoutMs);
    if (!reply.ok) throw new Error(`${this.name}: ${reply.error}`);
    return reply;
  }

  private exchange(message: Serializable, id: number | undefined, timeoutMs: number): Promise<PeerReply> {
    // Rejected from a macrotask, not at once: a caller looping on a dead node still lets timers
    // and signals run (a loop of microtasks alone would starve them).
    const exited = this.exited;
    if (exited) return new Promise((_, reject) => setImmediate(() => reject(exited)));
    return new Promise<PeerReply>((resolve, reject) => {
      const forget = (): void => {
        clearTimeout(timer);
        if (id !== undefined) return void this.waiting.delete(id);
        const at = this.waitingAnonymous.indexOf(waiter);
        if (at >= 0) this.waitingAnonymous.splice(at, 1);
      };
      const timer = setTimeout(() => {
        forget();
        reject(new Error(`${this.name}: no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = { resolve, reject, timer };
      if (id === undefined) this.waitingAnonymous.push(waiter);
      else this.waiting.set(id, waiter);
      this.child.send(message, (err: Error | null) => {
        if (!err) return;
        forget();
        reject(err);
      });
    });
  }

  private onMessage(message: unknown): void {
    const reply = parseChildMessage(message);
    if (reply?.kind !== 'reply') return;
    const waiter = reply.id === null ? this.waitingAnonymous.shift() : this.waiting.get(reply.id);
    if (!waiter) return;
    if (reply.id !== null) this.waiting.delete(reply.id);
    clearTimeout(waiter.timer);
    waiter.resolve(reply);
  }
}
