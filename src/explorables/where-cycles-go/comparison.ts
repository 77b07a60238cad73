/**
 * Lesson 1's "where the cycles go" comparison, drawn in the page: the native run's result (from
 * the explorable's worker, session.ts) against each approach's VM as
 * scripts/measure-where-cycles-go.ts recorded it with the simulator's reference monitors
 * (measured.ts): those monitors are labs 3–5's answers and are not shipped. The live native run
 * is also the check that the record still fits this simulator. Nothing here imports the
 * simulator, so the page's chunk stays small.
 */
import { APPROACHES, BANDS, type Approach, type Mix } from './options.ts';
import { MEASURED } from './measured.ts';
import type { MeasuredVm } from './measured-types.ts';

export type BandVerdict = 'below' | 'xen' | 'between' | 'full-virtualization' | 'above';

/** Where an overhead (a fraction) falls against the lecture's two bands, limits included. */
export function bandOf(overhead: number): BandVerdict {
  const [xen, full] = BANDS;
  if (overhead < xen.low) return 'below';
  if (overhead <= xen.high) return 'xen';
  if (overhead < full.low) return 'between';
  if (overhead <= full.high) return 'full-virtualization';
  return 'above';
}

export interface NativeResult {
  readonly busyCycles: number;
  readonly instructions: number;
  readonly traps: number;
  readonly tlbMisses: number;
  readonly output: string;
}

export interface ApproachResult extends MeasuredVm {
  readonly approach: Approach;
  /** busyCycles ÷ native busy cycles − 1 (0.05 is 5 %). */
  readonly overhead: number;
  readonly band: BandVerdict;
}

export interface Comparison {
  readonly mix: Mix;
  readonly native: NativeResult;
  /** Whether the native run here gave the busy cycles recorded with the VMs' figures. */
  readonly recordFits: boolean;
  readonly approaches: readonly ApproachResult[];
}

/** Each approach's recorded VM against the native run just made. */
export function compare(mix: Mix, native: NativeResult): Comparison {
  const record = MEASURED[mix.id];
  const approaches = APPROACHES.map((approach) => {
    const vm = record.vms[approach.id];
    const overhead = vm.busyCycles / native.busyCycles - 1;
    return { ...vm, approach, overhead, band: bandOf(overhead) };
  });
  return { mix, native, recordFits: record.nativeBusyCycles === native.busyCycles, approaches };
}
