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
