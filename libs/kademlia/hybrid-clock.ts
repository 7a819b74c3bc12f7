/**
 * A hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014): versions that follow
 * the physical clock while it moves forward, and still grow when it does not (a clock behind the
 * others, or stepped back), because every version seen elsewhere is taken in. A node versions
 * each Put with `tick`; a replica that holds a later version answers with it, and `observe` makes
 * the next tick later still, so a Put accepted after another always wins, whatever the clocks say.
 *
 * The physical time is passed in; nothing here reads a clock.
 */

/** The logical part is a uint32 on the wire (types.proto Record.logical). */
export const MAX_LOGICAL = 0xffff_ffff;

export interface Version {
  /** Unix milliseconds: the physical clock, or a later version seen elsewhere. */
  readonly wallMs: number;
  /** Orders versions that share wallMs. */
  readonly logical: number;
}

/** Negative if a is the earlier version, positive if later, 0 if equal. */
export function compareVersions(a: Version, b: Version): number {
  return a.wallMs !== b.wallMs ? Math.sign(a.wallMs - b.wallMs) : Math.sign(a.logical - b.logical);
}

export class HybridClock {
  private last: Version = { wallMs: 0, logical: 0 };

  /** A version later than every one this clock has issued or observed. */
  tick(physicalMs: number): Version {
    const { wallMs, logical } = this.last;
    if (physicalMs > wallMs) this.last = { wallMs: physicalMs, logical: 0 };
    else this.last = logical >= MAX_LOGICAL ? { wallMs: wallMs + 1, logical: 0 } : { wallMs, logical: logical + 1 };
    return this.last;
  }

  /** Takes in a version issued elsewhere: the next tick is later than it. */
  observe(version: Version): void {
    if (compareVersions(version, this.last) > 0) this.last = { wallMs: version.wallMs, logical: version.logical };
  }
}
