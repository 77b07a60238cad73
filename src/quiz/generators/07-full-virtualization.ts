/**
 * Numeric quiz generators for lesson 07-full-virtualization: the lecture's figure for full
 * virtualization against its figure for Xen (both from src/facts/figures.ts), and a simple model
 * of why running guest code natively beats emulating it. Overhead is extra run time (or CPU)
 * relative to native. One more counts the memory references of nested paging's 2-D page walk.
 */
import type { QuizRandom } from '../random.ts';
import type { NumericGenerator } from '../types.ts';
import { figureText, wholeNumbersIn } from '../../facts/figures.ts';

const XEN_PERCENTS = wholeNumbersIn('lecture-xen-overhead');
const FULL_PERCENTS = wholeNumbersIn('lecture-fullvirt-overhead');

/** An overhead for Xen and one for full virtualization, each inside the lecture's figure. */
function drawOverheads(rng: QuizRandom): { xenPercent: number; fullPercent: number } {
  return { xenPercent: rng.pick(XEN_PERCENTS), fullPercent: rng.pick(FULL_PERCENTS) };
}

/** ⌈a / b⌉ for positive integers, without floating-point rounding. */
function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

/** Rounds to `places` decimals for display and answers. */
function round(value: number, places: number): number {
  const scale = 10 ** places;
  return Math.round(value * scale) / scale;
}

export const generators: Record<string, NumericGenerator> = {
  /** Extra minutes a job takes under full virtualization compared with Xen. */
  'fullvirt-vs-xen-time': (rng) => {
    const nativeMinutes = rng.pick([20, 30, 40, 45, 60, 90, 120]);
    const { xenPercent, fullPercent } = drawOverheads(rng);
    const xenMinutes = (nativeMinutes * (100 + xenPercent)) / 100;
    const fullMinutes = (nativeMinutes * (100 + fullPercent)) / 100;
    const difference = round(fullMinutes - xenMinutes, 2);
    return {
      prompt:
        `A batch job takes ${nativeMinutes} minutes on the bare machine. Using the lecture's ranges, suppose it has ` +
        `${xenPercent}% overhead under Xen (${figureText('lecture-xen-overhead')}) and ${fullPercent}% overhead under full ` +
        `virtualization (${figureText('lecture-fullvirt-overhead')}), overhead meaning extra run time relative to native. ` +
        `How many minutes longer does it take under full virtualization than under Xen?`,
      answer: difference,
      tolerance: 0.1,
      unit: 'min',
      explanation:
        `Under Xen: ${nativeMinutes} × ${(100 + xenPercent) / 100} = ${round(xenMinutes, 2)} min. Under full virtualization: ` +
        `${nativeMinutes} × ${(100 + fullPercent) / 100} = ${round(fullMinutes, 2)} min. Difference: ${difference} min, ` +
        `i.e. ${nativeMinutes} × (${fullPercent} − ${xenPercent})% = ${difference} min.`,
    };
  },

  /** How much faster direct execution with occasional VMM interventions is than emulating everything. */
  'fullvirt-emulation-speedup': (rng) => {
    const emulatedNsPerInstruction = rng.pick([5, 8, 10, 15, 20]);
    // Kept below 3 ms per million instructions so full virtualization always beats the slowest emulator.
    const interventionsPerMillion = rng.pick([50, 100, 200, 250, 500]);
    const interventionMicros = rng.pick([1, 2, 4]);
    // Per million guest instructions, at 1 ns per instruction natively.
    const nativeMs = 1;
    const emulatedMs = emulatedNsPerInstruction;
    const interventionMs = (interventionsPerMillion * interventionMicros) / 1000;
    const fullVirtMs = nativeMs + interventionMs;
    const speedup = round(emulatedMs / fullVirtMs, 2);
    return {
      prompt:
        `A simplified model. On the bare CPU a guest program runs 1 instruction per nanosecond. An emulator spends ` +
        `${emulatedNsPerInstruction} ns on average per guest instruction. Full virtualization runs the guest's ` +
        `instructions natively, but ${interventionsPerMillion} of every million need the VMM, at ${interventionMicros} µs ` +
        `each. How many times faster is full virtualization than the emulator on this program? (Two decimal places.)`,
      answer: speedup,
      tolerance: 0.02,
      relative: true,
      unit: '×',
      explanation:
        `Per million instructions: natively 1 ms; emulated ${emulatedNsPerInstruction} × 1 ms = ${emulatedMs} ms; fully ` +
        `virtualized 1 ms + ${interventionsPerMillion} × ${interventionMicros} µs = 1 + ${interventionMs} = ${fullVirtMs} ms ` +
        `(an overhead of ${round(interventionMs * 100, 1)}%). Speed-up: ${emulatedMs} / ${fullVirtMs} = ${speedup}×. ` +
        `The more often the VMM must intervene, the smaller the advantage over emulation.`,
    };
  },

  /** Extra hosts needed when the same services run under full virtualization instead of Xen. */
  'fullvirt-hosts-compare': (rng) => {
    let services = 0, busyPercent = 0, xenPercent = 0, fullPercent = 0, targetPercent = 0;
    let xenDemand = 0, fullDemand = 0, xenHosts = 0, fullHosts = 0;
    // Redraw (deterministically) the rare cases where rounding up hides the difference entirely.
    for (let attempt = 0; attempt < 20 && fullHosts <= xenHosts; attempt++) {
      services = rng.int(30, 80);
      busyPercent = rng.pick([5, 6, 8, 10]);
      ({ xenPercent, fullPercent } = drawOverheads(rng));
      targetPercent = rng.pick([60, 70, 80]);
      // Demand in hundredths of a percent of one host: services × busy × (100 + overhead).
      xenDemand = services * busyPercent * (100 + xenPercent);
      fullDemand = services * busyPercent * (100 + fullPercent);
      xenHosts = ceilDiv(xenDemand, targetPercent * 100);
      fullHosts = ceilDiv(fullDemand, targetPercent * 100);
    }
    const extra = fullHosts - xenHosts;
    return {
      prompt:
        `${services} services each keep ${busyPercent}% of one host's CPU busy when run natively. You fill hosts to at ` +
        `most ${targetPercent}% CPU. Under Xen each service needs ${xenPercent}% more CPU than ` +
        `natively; under full virtualization, ${fullPercent}% more. How many more hosts does full virtualization need?`,
      answer: extra,
      tolerance: 0,
      unit: 'hosts',
      explanation:
        `Xen: ${services} × ${busyPercent}% × ${(100 + xenPercent) / 100} = ${xenDemand / 100}%, so ` +
        `⌈${xenDemand / 100} / ${targetPercent}⌉ = ${xenHosts} hosts. Full virtualization: ${services} × ${busyPercent}% × ` +
        `${(100 + fullPercent) / 100} = ${fullDemand / 100}%, so ⌈${fullDemand / 100} / ${targetPercent}⌉ = ${fullHosts} hosts. ` +
        `Difference: ${fullHosts} − ${xenHosts} = ${extra}.`,
    };
  },

  /**
   * Worst-case memory references of a nested (2-D) page walk: each of the n guest levels needs m
   * nested references to locate its table and one to read its entry, and the final guest-physical
   * address needs m more: n(m + 1) + m = (n + 1)(m + 1) − 1 (Bhargava et al., ASPLOS 2008).
   */
  'fullvirt-nested-walk': (rng) => {
    const guestLevels = rng.pick([2, 3, 4, 5]);
    const nestedLevels = rng.pick([2, 3, 4, 5]);
    const references = (guestLevels + 1) * (nestedLevels + 1) - 1;
    return {
      prompt:
        `Under nested paging the processor walks the guest's page tables (${guestLevels} levels) and translates every ` +
        `guest-physical address it meets through the hypervisor's nested tables (${nestedLevels} levels). On a TLB miss ` +
        `with every page-walk cache empty, how many memory references does the walk make in the worst case?`,
      answer: references,
      tolerance: 0,
      unit: 'references',
      explanation:
        `Each of the ${guestLevels} guest levels costs ${nestedLevels} nested references to find its table plus 1 to read ` +
        `its entry: ${guestLevels} × ${nestedLevels + 1} = ${guestLevels * (nestedLevels + 1)}. The final guest-physical ` +
        `address costs ${nestedLevels} more. Total ${guestLevels * (nestedLevels + 1)} + ${nestedLevels} = ` +
        `(${guestLevels} + 1)(${nestedLevels} + 1) − 1 = ${references}, against ${guestLevels} for a native walk ` +
        `(four levels on both sides give x86-64's 24).`,
    };
  },
};
