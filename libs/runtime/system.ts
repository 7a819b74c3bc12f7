/**
 * The real clock and randomness, handed to the pure core by the actors (the core itself never
 * reads the clock or draws random numbers).
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { RandomBytes } from '../kademlia/index.js';

export const systemClock = (): number => Date.now();
export const systemRandom: RandomBytes = (n) => new Uint8Array(cryptoRandomBytes(n));

/** Resolves after `ms`; for retry back-off only (never to wait for a condition in tests). */
export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Timers as a seam: the actors and the lookup runner arm them through this, so an actor test or
 * the simulator can run them on a manual or virtual clock. `systemTimers` are the real ones.
 */
export interface Timers {
  /** Arms a timer; the handle it returns means something only to `clear`. */
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Unref'd: a timer never keeps a process alive on its own (its servers do, until it stops). */
export const systemTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
};

/** Calls `callback` every `ms` on `timers` (an interval on the Timers seam), until the returned
 * function is called. */
export function every(timers: Timers, ms: number, callback: () => void): () => void {
  let handle: unknown;
  let stopped = false;
  const arm = (): void => {
    handle = timers.set(() => {
      if (stopped) return;
      arm(); // first, so a callback that throws does not end the interval
      callback();
    }, ms);
  };
  arm();
  return () => {
    stopped = true;
    timers.clear(handle);
  };
}
