/**
 * The live part of lesson 1's "where the cycles go" explorable: the native kernel on the
 * simulator's bare x86-like machine, run in slices in the explorable's worker (worker.ts), which
 * reports how far it got between slices. comparison.ts sets its result beside the VMs' record.
 */
import { assemble } from '../../sim/machine/assembler.ts';
import { Machine } from '../../sim/machine/machine.ts';
import { referenceKernel } from '../../sim/guests/kernel.ts';
import { GUEST_MEMORY_BYTES, mixById, type Mix, type MixId } from './options.ts';
import type { SteppedModel } from '../worker/protocol.ts';
import type { NativeResult } from './comparison.ts';

/** Instructions per slice of the native run: a few milliseconds of simulation on an idle machine. */
export const SLICE_INSTRUCTIONS = 50_000;

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

/** What the page draws of a native run: how far it got, and its result once it has halted. */
export interface NativeProgress {
  readonly instructions: number;
  readonly native: NativeResult | null;
}

/** The native run as the worker holds it: a slice per step; settings are the mix's id. */
export const nativeRunModel: SteppedModel<MixId, NativeProgress> = {
  start(mixId) {
    const run = new NativeRun(mixById(mixId));
    const snapshot = (): NativeProgress => ({ instructions: run.instructions, native: run.result() });
    return { advance: () => run.slice(), snapshot, progress: snapshot };
  },
};
