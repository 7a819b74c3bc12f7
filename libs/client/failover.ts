/**
 * One client call over several node addresses: it goes to the preferred address; on
 * UNAVAILABLE the next address becomes the preferred one and is tried at once, and once every
 * address has been tried in this call the tries back off (retry-policy.ts). A rate limiter's
 * RESOURCE_EXHAUSTED with `retry-after-ms` is tried again on the same address after that long.
 *
 * Deadlines: a call has one deadline, the earlier of `timeoutMs` from now and `deadline`. Every
 * try carries it as its gRPC deadline (a node bounds its lookup by it), no backoff sleeps past
 * it, and a try waits for a connection at most `connectTimeoutMs` (an address that accepts TCP
 * but never answers does not eat the whole deadline). An AbortSignal cancels the try in flight
 * (the node sees CANCELLED) and any wait; the call then rejects with CancelledError.
 */
import * as grpc from '@grpc/grpc-js';
import { raceAbort, sleep } from './abortable.js';
import { CancelledError, DeadlineExceededError, UnavailableError, dhtErrorOf, type DhtError } from './dht-errors.js';
import { DEFAULT_RETRY_POLICY, retryDecision, validateRetryPolicy, type RetryPolicy } from './retry-policy.js';

export interface CallOptions {
  /** Time for the whole call, retries included (default: the client's, 15 s). */
  readonly timeoutMs?: number;
  /** An absolute deadline (a Date or unix ms), e.g. the caller's own: the call ends by then. */
  readonly deadline?: Date | number;
  /** Cancels the call: it rejects with CancelledError, and a try in flight is cancelled. */
  readonly signal?: AbortSignal;
}

/** What a call needs of an address: its channel (the stubs of one address share it). */
export interface Endpoint {
  readonly address: string;
  readonly channel: grpc.Channel;
}

export interface FailoverOptions {
  readonly retry?: RetryPolicy;
  /** How long one try waits for a connection to its address (default 2 s). */
  readonly connectTimeoutMs?: number;
  /** Time for a call given no timeoutMs nor deadline (default 15 s). */
  readonly defaultTimeoutMs?: number;
  /** [0, 1): the jitter's randomness (tests make it deterministic). */
  readonly random?: () => number;
}

/** Starts one unary call of `endpoint` with these call options. */
export type UnaryInvoker<E extends Endpoint, Res> = (
  endpoint: E,
  options: grpc.CallOptions,
  callback: grpc.requestCallback<Res>,
) => grpc.ClientUnaryCall;

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;

export class Failover<E extends Endpoint> {
  private preferred = 0;
  private readonly retry: RetryPolicy;
  private readonly connectTimeoutMs: number;
  private readonly defaultTimeoutMs: number;
  private readonly random: () => number;

  constructor(
    readonly endpoints: readonly E[],
    options: FailoverOptions = {},
  ) {
    if (endpoints.length === 0) throw new RangeError('a client needs at least one node address');
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    validateRetryPolicy(this.retry);
    this.connectTimeoutMs = positive(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, 'connectTimeoutMs');
    this.defaultTimeoutMs = positive(options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS, 'defaultTimeoutMs');
    this.random = options.random ?? Math.random;
  }

  /** The address calls go to first now. */
  get preferredAddress(): string {
    return this.endpoints[this.preferred]!.address;
  }

  /** The call's deadline, unix ms. */
  deadlineOf(options: CallOptions): number {
    const timeoutMs = options.timeoutMs === undefined ? this.defaultTimeoutMs : positive(options.timeoutMs, 'timeoutMs');
    const byTimeout = Date.now() + timeoutMs;
    if (options.deadline === undefined) return byTimeout;
    const at = options.deadline instanceof Date ? options.deadline.getTime() : options.deadline;
    if (!Number.isFinite(at)) throw new RangeError(`deadline must be a time, got ${String(options.deadline)}`);
    return Math.min(byTimeout, at);
  }

  async call<Res>(invoke: UnaryInvoker<E, Res>, options: CallOptions = {}): Promise<Res> {
    const deadline = this.deadlineOf(options);
    const { signal } = options;
    const maxAttempts = Math.max(this.retry.maxAttempts, this.endpoints.length);
    const tried = new Set<number>();
    for (let attempt = 1; ; attempt++) {
      const index = this.preferred;
      const endpoint = this.endpoints[index]!;
      tried.add(index);
      let error: DhtError;
      try {
        throwIfAborted(signal, endpoint.address);
        if (Date.now() >= deadline)
          throw new DeadlineExceededError("the call's deadline passed before it was sent", { address: endpoint.address });
        await this.connected(endpoint, deadline, signal);
        return await callOnce(invoke, endpoint, deadline, signal);
      } catch (err) {
        error = signal?.aborted ? cancelled(signal, endpoint.address) : dhtErrorOf(err, endpoint.address);
      }
      const decision = retryDecision(error, attempt, this.retry, this.random);
      if (!decision || attempt >= maxAttempts) throw error;
      if (decision.failover && this.preferred === index) this.preferred = (index + 1) % this.endpoints.length;
      // A fresh address is tried at once; going round again, or waiting out a limiter, backs off.
      const delayMs = decision.failover && !tried.has(this.preferred) ? 0 : decision.delayMs;
      if (Date.now() + delayMs >= deadline) throw error;
      try {
        await sleep(delayMs, signal);
      } catch {
        throw cancelled(signal, endpoint.address);
      }
    }
  }

  /** Waits while the channel connects, at most connectTimeoutMs; a channel that failed is left
   * to the call, which fails at once with the connection's own error. */
  private async connected(endpoint: E, deadline: number, signal: AbortSignal | undefined): Promise<void> {
    const by = Math.min(deadline, Date.now() + this.connectTimeoutMs);
    let state = endpoint.channel.getConnectivityState(true);
    while (state === grpc.connectivityState.IDLE || state === grpc.connectivityState.CONNECTING) {
      if (Date.now() >= by) {
        if (by === deadline)
          throw new DeadlineExceededError(`no connection to ${endpoint.address} before the call's deadline`, { address: endpoint.address });
        throw new UnavailableError(`no connection to ${endpoint.address} within ${this.connectTimeoutMs} ms`, {
          address: endpoint.address,
        });
      }
      const from = state;
      await raceAbort(new Promise<void>((resolve) => endpoint.channel.watchConnectivityState(from, by, () => resolve())), signal);
      state = endpoint.channel.getConnectivityState(true);
    }
  }
}

function callOnce<E extends Endpoint, Res>(
  invoke: UnaryInvoker<E, Res>,
  endpoint: E,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    const onAbort = (): void => call.cancel();
    const call = invoke(endpoint, { deadline: new Date(deadline) }, (err, response) => {
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else if (response === undefined) reject(new Error('empty gRPC response'));
      else resolve(response);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function throwIfAborted(signal: AbortSignal | undefined, address: string): void {
  if (signal?.aborted) throw cancelled(signal, address);
}

function cancelled(signal: AbortSignal | undefined, address: string): CancelledError {
  const reason: unknown = signal?.reason;
  const why = reason instanceof Error ? `: ${reason.message}` : reason === undefined ? '' : `: ${String(reason)}`;
  return new CancelledError(`the call was aborted${why}`, { address, cause: reason });
}

function positive(n: number, name: string): number {
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${name} must be a positive number of ms, got ${n}`);
  return n;
}
