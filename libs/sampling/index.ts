/** Sampling: the seeded random generator and the percentile every test, benchmark and the
 * simulator share. */
export { SeededRandom } from './seeded-random.js';
export { percentile } from './percentile.js';
