/**
 * Seeded, platform-independent random numbers for the simulator.
 *
 * Everything random in a simulation (workloads, dirty pages, utilization traces) draws from a
 * {@link SeededRandom} so the same seed gives the same run in Node, in a browser worker and in
 * the grader's isolate. Built on pure-rand's xoroshiro128+ rather than Math.random.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

type Generator = ReturnType<typeof xoroshiro128plus>;

export class SeededRandom {
  #generator: Generator;

  /** @param seed any 32-bit integer; equal seeds give equal sequences. */
  constructor(seed: number) {
    this.#generator = xoroshiro128plus(seed | 0);
  }

  /** A uniformly distributed integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    // pure-rand v8 generators advance in place.
    return uniformInt(this.#generator, min, max);
  }

  /** A uniformly distributed float in [0, 1). */
  float(): number {
    return this.int(0, 0x3fffffff) / 0x40000000;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() needs a non-empty array');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** A new array with the items in a random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const result = items.slice();
    for (let i = result.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const swap = result[i] as T;
      result[i] = result[j] as T;
      result[j] = swap;
    }
    return result;
  }

  /** An independent generator derived from this one, for a sub-component. */
  fork(): SeededRandom {
    return new SeededRandom(this.int(-0x80000000, 0x7fffffff));
  }
}
