/**
 * A VM's memory as pages with version numbers, and the seeded workloads that dirty them.
 *
 * Each write to a page bumps its version; a copy at the destination is current when it holds
 * the source's latest version. Dirty logging (what Xen calls log-dirty mode) sets a bit per
 * written page, which the migration reads and clears each round.
 */
import { requireArgument } from '../common/errors.ts';
import type { SeededRandom } from '../common/rng.ts';

/** How a VM's workload writes memory. Rates are page writes per simulated second. */
export type VmMemoryWorkload =
  | { readonly kind: 'idle' }
  /** Writes spread evenly over all pages. */
  | { readonly kind: 'uniform'; readonly pagesPerSecond: number }
  /**
   * A hot working set: `hotShare` of the writes (default 0.9) go to the first `hotPages` pages,
   * the rest anywhere. This is the writable working set of Clark et al. that pre-copy cannot
   * usefully send before stopping.
   */
  | { readonly kind: 'hotset'; readonly pagesPerSecond: number; readonly hotPages: number; readonly hotShare?: number };

export function validateWorkload(workload: VmMemoryWorkload, pageCount: number): VmMemoryWorkload {
  requireArgument(typeof workload === 'object' && workload !== null, 'a workload is { kind, ... }');
  switch (workload.kind) {
    case 'idle':
      return Object.freeze({ kind: 'idle' });
    case 'uniform':
      requireArgument(Number.isFinite(workload.pagesPerSecond) && workload.pagesPerSecond >= 0, 'pagesPerSecond must be a non-negative number');
      return Object.freeze({ kind: 'uniform', pagesPerSecond: workload.pagesPerSecond });
    case 'hotset': {
      const hotShare = workload.hotShare ?? 0.9;
      requireArgument(Number.isFinite(workload.pagesPerSecond) && workload.pagesPerSecond >= 0, 'pagesPerSecond must be a non-negative number');
      requireArgument(Number.isSafeInteger(workload.hotPages) && workload.hotPages > 0 && workload.hotPages <= pageCount, `hotPages must be an integer in 1..${pageCount}`);
      requireArgument(hotShare >= 0 && hotShare <= 1, 'hotShare must be in [0, 1]');
      return Object.freeze({ kind: 'hotset', pagesPerSecond: workload.pagesPerSecond, hotPages: workload.hotPages, hotShare });
    }
    default:
      return requireArgument(false, `unknown workload kind ${JSON.stringify((workload as { kind: unknown }).kind)}`) as never;
  }
}

/** Page versions, a dirty log, and a seeded writer. */
export class VmMemory {
  readonly pageCount: number;
  readonly #versions: Uint32Array;
  readonly #random: SeededRandom;
  #workload: VmMemoryWorkload;
  /** Fractional writes carried between intervals, so rates hold exactly over time. */
  #carry = 0;
  #dirtyLog: Uint8Array | null = null;
  #writes = 0;

  constructor(pageCount: number, workload: VmMemoryWorkload, random: SeededRandom) {
    this.pageCount = pageCount;
    this.#versions = new Uint32Array(pageCount);
    this.#workload = validateWorkload(workload, pageCount);
    this.#random = random;
  }

  get workload(): VmMemoryWorkload {
    return this.#workload;
  }

  set workload(workload: VmMemoryWorkload) {
    this.#workload = validateWorkload(workload, this.pageCount);
  }

  /** Total page writes so far. */
  get writes(): number {
    return this.#writes;
  }

  version(page: number): number {
    return this.#versions[page] as number;
  }

  /** Runs the workload for `ms` simulated milliseconds: the writes it makes in that time. */
  run(ms: number): void {
    const w = this.#workload;
    if (w.kind === 'idle' || ms <= 0) return;
    const exact = (w.pagesPerSecond * ms) / 1000 + this.#carry;
    const count = Math.floor(exact);
    this.#carry = exact - count;
    for (let i = 0; i < count; i++) this.write(this.#pickPage(w));
  }

  #pickPage(w: Exclude<VmMemoryWorkload, { kind: 'idle' }>): number {
    if (w.kind === 'hotset' && this.#random.chance(w.hotShare ?? 0.9)) return this.#random.int(0, w.hotPages - 1);
    return this.#random.int(0, this.pageCount - 1);
  }

  /** One write to `page`. */
  write(page: number): void {
    this.#versions[page] = (this.#versions[page] as number) + 1;
    this.#writes++;
    if (this.#dirtyLog !== null) this.#dirtyLog[page] = 1;
  }

  /** Starts logging writes (all pages clean). */
  startDirtyLog(): void {
    this.#dirtyLog = new Uint8Array(this.pageCount);
  }

  stopDirtyLog(): void {
    this.#dirtyLog = null;
  }

  /** The pages written since the last call (ascending), and clears the log. */
  takeDirty(): number[] {
    const log = this.#dirtyLog;
    if (log === null) return [];
    const pages: number[] = [];
    for (let page = 0; page < log.length; page++) {
      if (log[page] === 1) {
        pages.push(page);
        log[page] = 0;
      }
    }
    return pages;
  }
}
