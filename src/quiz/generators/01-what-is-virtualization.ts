/**
 * Numeric questions for lesson 1: what the lecture's 2007 overhead figures mean for a job's
 * running time. Overhead is read as extra running time, as the lesson defines it.
 */
import type { NumericGenerator } from '../types.ts';
import type { QuizRandom } from '../random.ts';

interface Family {
  /** How the prompt names a guest of this family. */
  guest: string;
  /** The lecture's figure, as a phrase. */
  lectureFigure: string;
  /** Overheads (percent) inside the lecture's range, to draw from. */
  overheads: readonly number[];
}

/** A number for a prompt or explanation: at most two decimals, no trailing zeros. */
function formatNumber(value: number): string {
  return String(Number(value.toFixed(2)));
}

/** The lecture's overhead ranges for each family (2007 figures). */
export const FAMILIES = {
  os: { guest: 'an OS-level isolation context (a jail or zone)', lectureFigure: '1–3%', overheads: [1, 2, 3] },
  xen: { guest: 'a paravirtualized Xen guest', lectureFigure: '3–8% for Xen', overheads: [3, 4, 5, 6, 7, 8] },
  full: { guest: 'a fully virtualized guest', lectureFigure: '30–50%', overheads: [30, 35, 40, 45, 50] },
} as const satisfies Record<string, Family>;

const allFamilies: readonly Family[] = [FAMILIES.os, FAMILIES.xen, FAMILIES.full];

/** Minutes a job of `nativeMinutes` takes with `overheadPercent` extra running time. */
export function withOverhead(nativeMinutes: number, overheadPercent: number): number {
  // Integer arithmetic first, one division last: exact to two decimals.
  return (nativeMinutes * (100 + overheadPercent)) / 100;
}

function drawJob(rng: QuizRandom): number {
  return rng.int(40, 240);
}

export const generators: Record<string, NumericGenerator> = {
  'taxonomy-overhead-runtime': (rng) => {
    const native = drawJob(rng);
    const family = rng.pick(allFamilies);
    const overhead = rng.pick(family.overheads);
    const answer = withOverhead(native, overhead);
    return {
      prompt:
        `A batch job takes ${native} minutes on bare hardware. You move it into ${family.guest}. ` +
        `The lecture gives ${family.lectureFigure} overhead for this kind of system; assume ${overhead}%, ` +
        `read as extra running time. How long does the job take now?`,
      answer: Number(answer.toFixed(2)),
      tolerance: 0.5,
      unit: 'minutes',
      explanation:
        `${overhead}% overhead means ${overhead}% more time: ${native} × (1 + ${overhead}/100) = ` +
        `${native} × ${formatNumber(1 + overhead / 100)} = ${formatNumber(answer)} minutes.`,
    };
  },

  'taxonomy-overhead-gap': (rng) => {
    const native = drawJob(rng);
    const light = rng.pick(FAMILIES.os.overheads);
    const heavy = rng.pick(FAMILIES.full.overheads);
    const answer = withOverhead(native, heavy) - withOverhead(native, light);
    return {
      prompt:
        `A job takes ${native} minutes on bare hardware. Using figures inside the lecture's ranges, assume ` +
        `${light}% overhead in a jail (OS-level isolation) and ${heavy}% under full virtualization, each read as extra ` +
        `running time. How many minutes longer does the job take under full virtualization than in the jail?`,
      answer: Number(answer.toFixed(2)),
      tolerance: 0.5,
      unit: 'minutes',
      explanation:
        `Jail: ${native} × ${formatNumber(1 + light / 100)} = ${formatNumber(withOverhead(native, light))} min. ` +
        `Full virtualization: ${native} × ${formatNumber(1 + heavy / 100)} = ${formatNumber(withOverhead(native, heavy))} min. ` +
        `Difference: ${native} × (${heavy} − ${light})/100 = ${formatNumber(answer)} minutes.`,
    };
  },
};
