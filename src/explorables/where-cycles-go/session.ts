/**
 * The model of lesson 1's "where the cycles go" explorable. The native kernel runs here, on the
 * simulator's bare x86-like machine, in slices so the page can draw between them. The virtual
 * machines' figures are the ones scripts/measure-where-cycles-go.ts recorded with the simulator's
 * reference monitors (measured.ts): those monitors are labs 3–5's answers and are not shipped.
 * The live native run is also the check that the record still fits this simulator.
 */
import { assemble } from '../../sim/machine/assembler.ts';
import { Machine } from '../../sim/machine/machine.ts';
import { referenceKernel } from '../../sim/guests/kernel.ts';
import { APPROACHES, BANDS, GUEST_MEMORY_BYTES, type Approach, type Mix } from './options.ts';
import { MEASURED } from './measured.ts';
import type { MeasuredVm } from './measured-types.ts';

/** Instructions per slice of the native run: under a millisecond of simulation on an idle machine. */
export const SLICE_INSTRUCTIONS = 50_000;

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

/** The native kernel of one mix on bare hardware, run a slice at a time. */
export class NativeRun {
  readonly mix: Mix;
  readonly #machine: Machine;
  #finished = false;

  constructor(mix: Mix) {
    this.mix = mix;
    this.#machine = new Machine({ cpu: 'x86-like', memoryBytes: GUEST_MEMORY_BYTES });
    this.#machine.load(assemble(referenceKernel(mix.kernel)));
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Instructions retired so far. */
  get instructions(): number {
    return this.#machine.stats.instructions;
  }

  /** Runs one slice; true once the kernel has halted. */
  slice(instructions = SLICE_INSTRUCTIONS): boolean {
    if (this.#finished) return true;
    const outcome = this.#machine.run({ maxInstructions: instructions }).outcome;
    if (outcome !== 'budget') {
      if (outcome !== 'halted') throw new Error(`the native kernel ended ${outcome}`);
      this.#finished = true;
    }
    return this.#finished;
  }

  runToEnd(): NativeResult {
    while (!this.slice());
    return this.result()!;
  }

  /** Busy cycles are all cycles but those spent halted waiting for the timer: idle time is not overhead. */
  result(): NativeResult | null {
    if (!this.#finished) return null;
    const stats = this.#machine.stats;
    return { busyCycles: stats.cycles - stats.idleCycles, instructions: stats.instructions, traps: stats.traps, tlbMisses: stats.tlbMisses, output: this.#machine.console.output };
  }
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
