/**
 * Numeric questions for lesson 1: what the lecture's 2007 overhead figures mean for a job's
 * running time. Overhead is read as extra running time, as the lesson defines it.
 */
import type { NumericGenerator } from '../types.ts';
import type { QuizRandom } from '../random.ts';
import { figureText, wholeNumbersIn, type FigureId } from '../../facts/figures.ts';

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

/** A family drawn from one of the lecture's figures (src/facts/figures.ts). */
function family(guest: string, id: FigureId, suffix = '', step = 1): Family {
  return {
    guest,
    lectureFigure: `${figureText(id)}${suffix}`,
    overheads: wholeNumbersIn(id).filter((percent) => percent % step === 0),
  };
}

/** The lecture's overhead ranges for each family (2007 figures). The slide gives Xen's figure
 * for Xen as a whole, not for one of its modes, so the question says "a Xen guest". */
export const FAMILIES = {
  os: family('an OS-level isolation context (a jail or zone)', 'lecture-isolation-overhead'),
  xen: family('a Xen guest', 'lecture-xen-overhead', ' for Xen'),
  full: family('a fully virtualized guest', 'lecture-fullvirt-overhead', '', 5),
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
