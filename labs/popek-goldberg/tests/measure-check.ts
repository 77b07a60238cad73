// Shared by the public and hidden tests of lab 4, part 4 (shipped to the browser): the lab's own
// measurement of a workload, made with your translator and your paravirtual monitor, and every way
// your report differs from it.
import { referenceKernel, type ExitContext, type KernelOptions, type VirtualMachine } from '@virtlab/sim';
import { plain } from '@virtlab/test';
import { LECTURE_BANDS, type Band } from '../starter/overhead.ts';
import { emulateCallout, handleExit as translatedExit, scanPage } from '../starter/translate.ts';
import { handleExit as paravirtualExit, paravirtualize } from '../starter/paravirt.ts';
import { plainExit } from '../starter/trap-and-emulate.ts';
import { compare } from './check.ts';
import { assemblePatched, nativeBusyCycles, overheadOver, pvDifferences, runParavirtual } from './pv-check.ts';

/** The approaches a report covers, as its fields name them. */
export const APPROACHES = ['trapAndEmulate', 'binaryTranslation', 'paravirtualization'] as const;
export type Approach = (typeof APPROACHES)[number];

/** How far a reported cycle count may be from the simulator's (a fraction of it). */
export const CYCLES_TOLERANCE = 0.005;
/** How far a reported overhead may be from the simulator's (in the report's unit: 0.005 is half a point). */
export const OVERHEAD_TOLERANCE = 0.005;

/** What one approach did on the workload, as the simulator recorded it. */
export interface ApproachRun {
  readonly vm: VirtualMachine;
  readonly overhead: number;
  /** Differences from the native kernel on bare hardware (check.ts for the first two, pv-check.ts for paravirtualization). */
  readonly differences: readonly string[];
}

/** The lab's own measurement of one workload. */
export interface Measurement {
  readonly nativeBusyCycles: number;
  readonly runs: Readonly<Record<Approach, ApproachRun>>;
}

/** The four instructions trap on the virtualizable CPU as privileged ones: lab 3's monitor emulates them as your callouts do. */
function trapAndEmulateExit(exit: ExitContext): void {
  const mnemonic = exit.instruction?.mnemonic;
  if (exit.kind === 'privileged-instruction' && (mnemonic === 'pushf' || mnemonic === 'popf' || mnemonic === 'rdmode' || mnemonic === 'rdptb')) emulateCallout(exit);
  else plainExit(exit);
}

/** Runs `referenceKernel(workload)` natively and under each approach, and reads what each cost. */
export function measureWorkload(workload: KernelOptions): Measurement {
  const source = referenceKernel(workload);
  const runOf = (vm: VirtualMachine, found: readonly string[]): ApproachRun => ({ vm, overhead: overheadOver(source, vm), differences: found });
  const te = compare(source, { handleExit: trapAndEmulateExit }, 5, 'virtualizable');
  const bt = compare(source, { handleExit: translatedExit, scanner: scanPage });
  const pv = runParavirtual([assemblePatched(paravirtualize(source))], paravirtualExit).vms[0]!;
  return {
    nativeBusyCycles: nativeBusyCycles(source),
    runs: {
      trapAndEmulate: runOf(te.vm, te.differences),
      binaryTranslation: runOf(bt.vm, bt.differences),
      paravirtualization: runOf(pv, pvDifferences(source, pv)),
    },
  };
}

/** The lab's reading of the lecture's bands (both limits included). */
export function bandFor(overhead: number): Band {
  for (const [band, { from, to }] of Object.entries(LECTURE_BANDS)) if (overhead >= from && overhead <= to) return band as Band;
  return 'neither';
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

/** A reported number, or a fact saying why it is not one. */
function numberAt(record: unknown, field: string, where: string, found: string[]): number | null {
  const value = typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[field] : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  found.push(`${where}.${field} is ${value === undefined ? 'missing' : JSON.stringify(value)} (needs a finite number)`);
  return null;
}

/** Every way `report` differs from the simulator's measurement, naming each field and both values. */
export function reportDifferences(report: unknown, truth: Measurement): string[] {
  if (typeof report !== 'object' || report === null) return [`measure() returned ${String(report)} (needs an OverheadReport object)`];
  const copy = plain(report) as object;
  const found: string[] = [];
  const native = numberAt(copy, 'nativeBusyCycles', 'report', found);
  if (native !== null && Math.abs(native - truth.nativeBusyCycles) > CYCLES_TOLERANCE * truth.nativeBusyCycles) {
    found.push(`nativeBusyCycles ${native} (the bare machine's busy cycles are ${truth.nativeBusyCycles}, idle excluded; within 0.5%)`);
  }
  for (const approach of APPROACHES) {
    const reported = (copy as Record<string, unknown>)[approach];
    const { vm, overhead } = truth.runs[approach];
    if (typeof reported !== 'object' || reported === null) {
      found.push(`${approach} is ${reported === undefined ? 'missing' : JSON.stringify(reported)} (needs { busyCycles, overhead, band })`);
      continue;
    }
    const busy = numberAt(reported, 'busyCycles', approach, found);
    if (busy !== null && Math.abs(busy - vm.stats.cycles.total) > CYCLES_TOLERANCE * vm.stats.cycles.total) {
      found.push(`${approach}.busyCycles ${busy} (the simulator measured ${vm.stats.cycles.total}; within 0.5%)`);
    }
    const theirs = numberAt(reported, 'overhead', approach, found);
    if (theirs !== null && Math.abs(theirs - overhead) > OVERHEAD_TOLERANCE) {
      found.push(`${approach}.overhead ${theirs} (the simulator measured ${overhead.toFixed(4)}, i.e. ${percent(overhead)}; a fraction, within ±${OVERHEAD_TOLERANCE})`);
    }
    const band = (reported as Record<string, unknown>).band;
    if (band !== bandFor(overhead)) found.push(`${approach}.band ${JSON.stringify(band)} (the measured ${percent(overhead)} is in '${bandFor(overhead)}')`);
  }
  return found;
}
