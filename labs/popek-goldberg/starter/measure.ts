/**
 * Lab 4, part 4: measure what each approach costs, on the same workload, against the native
 * kernel on bare hardware, and place each figure in the lecture's bands.
 */
import type { KernelOptions } from '@virtlab/sim';
import type { Band, OverheadReport } from './overhead.ts';

/**
 * The lecture's band `overhead` falls in (`LECTURE_BANDS` in overhead.ts, both limits included):
 * `xen` for 3–8 %, `full-virtualization` for 30–50 %, `neither` otherwise. `overhead` is a fraction.
 */
export function bandOf(overhead: number): Band {
  void overhead;
  throw new Error('TODO: bandOf');
}

/**
 * Runs `referenceKernel(workload)` natively on a bare x86-like machine and under each approach
 * (trap-and-emulate on the `virtualizable` CPU; your binary translator and your paravirtualized
 * kernel on the `x86-like` CPU), each VM with 256 KiB of memory, and reports what each cost.
 * The simulator does the measuring: read its cycle counts, never estimate them.
 */
export function measure(workload: KernelOptions): OverheadReport {
  void workload;
  throw new Error('TODO: measure');
}
