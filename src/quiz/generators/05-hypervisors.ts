/**
 * Numeric quiz generators for lesson 05-hypervisors: what traps cost under trap-and-emulate.
 *
 * The model is deliberately simple: a workload that runs for one second natively causes `k` traps
 * per second of native run time, and each trap (exit to the VMM, emulation, resume) costs `c` µs.
 * Overhead is the extra run time relative to native, as in the lecture's hypervisor figure.
 */
import type { NumericGenerator } from '../types.ts';
import { FIGURES, figureText } from '../../facts/figures.ts';

/** The lecture's ceiling on hypervisor overhead, in percent. */
const HYPERVISOR_MAX_PERCENT = FIGURES['lecture-hypervisor-overhead'].value.max;

/** 25000 → "25,000": fixed formatting, so the prompt is the same in every browser locale. */
function groupThousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Rounds to `places` decimals without binary-fraction surprises in the displayed answer. */
function round(value: number, places: number): number {
  const scale = 10 ** places;
  return Math.round(value * scale) / scale;
}

export const generators: Record<string, NumericGenerator> = {
  /** Percentage of native speed left when every trap costs the VMM some microseconds. */
  'hypervisors-trap-speed': (rng) => {
    const trapsPerSecond = rng.pick([5_000, 10_000, 20_000, 25_000, 40_000, 50_000]);
    const trapMicros = rng.pick([1, 2, 3, 4, 5, 8]);
    const extraSeconds = (trapsPerSecond * trapMicros) / 1_000_000;
    const speed = round(100 / (1 + extraSeconds), 1);
    return {
      prompt:
        `A guest workload takes exactly 1 s on the bare machine. Under a trap-and-emulate hypervisor it causes ` +
        `${groupThousands(trapsPerSecond)} traps per second of native run time, and each trap (into the VMM, emulation, ` +
        `back to the guest) costs ${trapMicros} µs. Everything else runs directly on the CPU at native speed. ` +
        `At what percentage of native speed does the guest run? (One decimal place.)`,
      answer: speed,
      tolerance: 0.2,
      unit: '%',
      explanation:
        `Extra time = ${groupThousands(trapsPerSecond)} traps × ${trapMicros} µs = ${groupThousands(trapsPerSecond * trapMicros)} µs = ` +
        `${extraSeconds} s, so the guest needs 1 + ${extraSeconds} = ${round(1 + extraSeconds, 3)} s for 1 s of work. ` +
        `Speed = 1 / ${round(1 + extraSeconds, 3)} = ${speed}% of native. Only the trapping instructions cost anything: ` +
        `that is why efficiency requires sensitive instructions to be rare.`,
    };
  },

  /** How many traps per second fit in an overhead budget: the lecture's ceiling, or half of it. */
  'hypervisors-trap-budget': (rng) => {
    const budgetPercent = rng.pick([HYPERVISOR_MAX_PERCENT / 2, HYPERVISOR_MAX_PERCENT]);
    const trapMicros = rng.pick([2, 4, 5, 8, 10, 20, 25]);
    // budget/100 s of extra time per native second, divided by the cost of one trap in seconds.
    const maxTraps = (budgetPercent * 10_000) / trapMicros;
    return {
      prompt:
        `The 2007 lecture puts hypervisor overhead at ${figureText('lecture-hypervisor-overhead')}. Suppose you want a workload to stay within ` +
        `${budgetPercent}% overhead (extra run time relative to native) on a hypervisor where each trap costs ` +
        `${trapMicros} µs. At most how many traps per second of native run time can the workload cause?`,
      answer: maxTraps,
      tolerance: 0.01,
      relative: true,
      unit: 'traps/s',
      explanation:
        `${budgetPercent}% of one second is ${budgetPercent / 100} s = ${groupThousands(budgetPercent * 10_000)} µs of extra time. ` +
        `At ${trapMicros} µs per trap that allows ${groupThousands(budgetPercent * 10_000)} / ${trapMicros} = ` +
        `${groupThousands(maxTraps)} traps per second. Cheaper traps (or fewer of them, e.g. by paravirtualization) raise the budget.`,
    };
  },
};
