/**
 * The project's one seeded pseudo-random generator (mulberry32), so every run is reproducible
 * from its seed: the simulator draws ids, dead sets, latencies and lookup targets from it, and
 * tests and benchmarks draw their workloads from it, so a failing run can be replayed.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A new generator whose stream depends on this one's seed and `salt` only. */
  static derive(seed: number, salt: number): SeededRandom {
    const mixer = new SeededRandom(Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(salt >>> 0, 0x85ebca6b));
    return new SeededRandom(mixer.uint32());
  }

  uint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.uint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** A standard normal deviate (Box–Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const word = this.uint32();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
    }
    return out;
  }

  /** `count` distinct integers from [from, to), in draw order (Floyd's algorithm). */
  sample(from: number, to: number, count: number): number[] {
    const size = to - from;
    if (count >= size) return Array.from({ length: size }, (_, i) => from + i);
    const chosen = new Set<number>();
    const out: number[] = [];
    for (let j = size - count; j < size; j++) {
      const t = this.int(j + 1);
      const pick = chosen.has(t) ? j : t;
      chosen.add(pick);
      out.push(from + pick);
    }
    return out;
  }
}
