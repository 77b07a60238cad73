/**
 * Read-only for lab 4, part 4: the shape of your measurement report and the lecture's bands it
 * is compared with. The lecture gives 3–8 % for Xen and 30–50 % as typical of full
 * virtualization (slides "Hypervisors" and "Full virtualization").
 */

/** Which of the lecture's bands an overhead falls in; `neither` for anything outside both. */
export type Band = 'xen' | 'full-virtualization' | 'neither';

/** The lecture's bands as fractions of native (0.03 is 3 %), both limits included. */
export const LECTURE_BANDS: Readonly<Record<Exclude<Band, 'neither'>, { readonly from: number; readonly to: number }>> = {
  xen: { from: 0.03, to: 0.08 },
  'full-virtualization': { from: 0.3, to: 0.5 },
};

/** What one approach cost on the workload. */
export interface Measured {
  /** Cycles the VM cost the host: `vm.stats.cycles.total` (idle time is not in it). */
  readonly busyCycles: number;
  /** busyCycles ÷ the native kernel's busy cycles − 1, as a fraction (0.05 is 5 %). */
  readonly overhead: number;
  /** `bandOf(overhead)`. */
  readonly band: Band;
}

/** The overhead of each approach on one workload, against the native kernel on bare hardware. */
export interface OverheadReport {
  /** The native kernel's cycles on a bare x86-like machine, less the cycles it spent idle. */
  readonly nativeBusyCycles: number;
  /** Lab 3's approach: the native kernel on the `virtualizable` CPU under trap-and-emulate. */
  readonly trapAndEmulate: Measured;
  /** Part 2: the native kernel on the `x86-like` CPU under your binary translator. */
  readonly binaryTranslation: Measured;
  /** Part 3: your paravirtualized kernel on the `x86-like` CPU under your paravirtual monitor. */
  readonly paravirtualization: Measured;
}
