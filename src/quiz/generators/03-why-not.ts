/**
 * Numeric questions for lesson 3: correlated failures after consolidation, and the lesson's
 * simple pre-copy model of live migration (memory M, bandwidth B, steady dirty rate D < B,
 * r = D / B, K rounds of pre-copy before the stop-and-copy).
 */
import type { QuizRandom } from '../random.ts';
import type { NumericGenerator } from '../types.ts';
import { FIGURES, figureText } from '../../facts/figures.ts';

/** QEMU's default downtime limit: the pause a migration aims to stay within. */
export const DOWNTIME_LIMIT_SECONDS = FIGURES['qemu-downtime-limit'].value.value / 1000;

/** A number for a prompt or explanation: at most `decimals` places, no trailing zeros. */
function formatNumber(value: number, decimals = 2): string {
  return String(Number(value.toFixed(decimals)));
}

/** Seconds of downtime after `rounds` pre-copy rounds: the final dirty set r^K × M sent at B. */
export function precopyDowntimeSeconds(memoryMiB: number, bandwidthMiBps: number, dirtyMiBps: number, rounds: number): number {
  const ratio = dirtyMiBps / bandwidthMiBps;
  return (ratio ** rounds * memoryMiB) / bandwidthMiBps;
}

/** Seconds from the start of round 1 to the end of the stop-and-copy: (M / B) × (1 + r + … + r^K). */
export function precopyTotalSeconds(memoryMiB: number, bandwidthMiBps: number, dirtyMiBps: number, rounds: number): number {
  const ratio = dirtyMiBps / bandwidthMiBps;
  let sum = 0;
  for (let k = 0; k <= rounds; k++) sum += ratio ** k;
  return (memoryMiB / bandwidthMiBps) * sum;
}

/** Rounds a value to three significant figures, for answers that span several orders of magnitude. */
function significant(value: number): number {
  return Number(value.toPrecision(3));
}

interface PrecopyCase {
  memory: number;
  bandwidth: number;
  dirty: number;
  rounds: number;
}

/**
 * Pre-copy parameters with a realistic outcome: the guest is stopped only once the model's downtime
 * is within QEMU's default downtime limit, so no question promises a "live" migration with seconds
 * of downtime. The number of rounds is the fewest that achieve this, or one more.
 */
function drawPrecopy(rng: QuizRandom): PrecopyCase {
  const memory = rng.pick([2048, 4096, 8192]);
  const bandwidth = rng.pick([100, 200, 400]);
  // Every bandwidth is a multiple of 20, so the dirty rate is a whole number of MiB/s.
  const dirty = bandwidth * rng.pick([0.2, 0.25, 0.3, 0.4]);
  const rounds = fewestRoundsWithinLimit(memory, bandwidth, dirty) + rng.int(0, 1);
  return { memory, bandwidth, dirty, rounds };
}

/** The fewest pre-copy rounds after which the model's downtime is within DOWNTIME_LIMIT_SECONDS. */
export function fewestRoundsWithinLimit(memoryMiB: number, bandwidthMiBps: number, dirtyMiBps: number): number {
  let rounds = 1;
  while (precopyDowntimeSeconds(memoryMiB, bandwidthMiBps, dirtyMiBps, rounds) > DOWNTIME_LIMIT_SECONDS) rounds++;
  return rounds;
}

/** The guest, the link and the dirty rate of a pre-copy case, for a prompt. */
function describeGuest({ memory, bandwidth, dirty }: Omit<PrecopyCase, 'rounds'>): string {
  return (
    `A guest with ${memory} MiB of memory is live-migrated over a link that carries ${bandwidth} MiB/s. ` +
    `While it runs, it dirties memory at a steady ${dirty} MiB/s.`
  );
}

const IDEALISED = '(An idealised model: the dirty rate is steady and no page is dirtied twice.)';

function describe({ memory, bandwidth, dirty, rounds }: PrecopyCase): string {
  return (
    `${describeGuest({ memory, bandwidth, dirty })} Pre-copy runs ${rounds} rounds ` +
    `(round 1 sends all memory, each later round sends what was dirtied during the previous one), then a stop-and-copy. ` +
    IDEALISED
  );
}

export const generators: Record<string, NumericGenerator> = {
  'migration-precopy-downtime': (rng) => {
    const c = drawPrecopy(rng);
    const ratio = c.dirty / c.bandwidth;
    const finalSet = ratio ** c.rounds * c.memory;
    const answer = significant(precopyDowntimeSeconds(c.memory, c.bandwidth, c.dirty, c.rounds) * 1000);
    return {
      prompt: `${describe(c)} Using the lesson's simple model, how long is the downtime?`,
      answer,
      tolerance: 0.02,
      relative: true,
      unit: 'ms',
      explanation:
        `r = ${c.dirty} / ${c.bandwidth} = ${ratio}. After ${c.rounds} rounds, r^${c.rounds} × M = ` +
        `${formatNumber(ratio ** c.rounds, 6)} × ${c.memory} ≈ ${formatNumber(finalSet, 3)} MiB is still dirty. ` +
        `Sending it at ${c.bandwidth} MiB/s takes ${formatNumber(finalSet, 3)} / ${c.bandwidth} s ≈ ${answer} ms of downtime.`,
    };
  },

  'migration-precopy-total': (rng) => {
    const c = drawPrecopy(rng);
    const ratio = c.dirty / c.bandwidth;
    const first = c.memory / c.bandwidth;
    const terms = Array.from({ length: c.rounds + 1 }, (_, k) => ratio ** k);
    const sum = terms.reduce((a, b) => a + b, 0);
    const answer = significant(precopyTotalSeconds(c.memory, c.bandwidth, c.dirty, c.rounds));
    return {
      prompt: `${describe(c)} Using the lesson's simple model, what is the total migration time, including the stop-and-copy?`,
      answer,
      tolerance: 0.02,
      relative: true,
      unit: 's',
      explanation:
        `Round 1 takes M / B = ${c.memory} / ${c.bandwidth} = ${formatNumber(first)} s, and each later send is r = ${ratio} times the one before. ` +
        `Total = ${formatNumber(first)} × (${terms.map((t) => formatNumber(t, 6)).join(' + ')}) = ${formatNumber(first)} × ${formatNumber(sum, 4)} ≈ ${answer} s.`,
    };
  },

  'migration-rounds-within-limit': (rng) => {
    const { memory, bandwidth, dirty } = drawPrecopy(rng);
    const ratio = dirty / bandwidth;
    const rounds = fewestRoundsWithinLimit(memory, bandwidth, dirty);
    const limitMs = DOWNTIME_LIMIT_SECONDS * 1000;
    const fitsMiB = bandwidth * DOWNTIME_LIMIT_SECONDS;
    const dirtyAfter = Array.from({ length: rounds }, (_, k) => `round ${k + 1}: ${formatNumber(ratio ** (k + 1) * memory, 3)} MiB`);
    return {
      prompt:
        `${describeGuest({ memory, bandwidth, dirty })} As QEMU does, the hypervisor checks after each pre-copy round whether ` +
        `the pages still dirty could be sent within the downtime limit of ${figureText('qemu-downtime-limit')} (QEMU's default), ` +
        `and if so stops the guest for the stop-and-copy. Round 1 sends all memory; each later round sends what was dirtied ` +
        `during the previous one. ${IDEALISED} How many pre-copy rounds run, round 1 included?`,
      answer: rounds,
      tolerance: 0,
      unit: 'rounds',
      explanation:
        `In ${limitMs} ms the link carries ${bandwidth} × ${DOWNTIME_LIMIT_SECONDS} = ${formatNumber(fitsMiB)} MiB. ` +
        `r = ${dirty} / ${bandwidth} = ${ratio}, so after round k, r^k × ${memory} MiB is still dirty: ${dirtyAfter.join(', ')}. ` +
        `The first that is at most ${formatNumber(fitsMiB)} MiB comes after round ${rounds}, so ${rounds} rounds run.`,
    };
  },

  'migration-stop-and-copy': (rng) => {
    const gib = rng.pick([1, 2, 4, 8, 16]);
    const bandwidth = rng.pick([100, 110, 250, 500, 1000]);
    const mib = gib * 1024;
    const answer = significant(mib / bandwidth);
    return {
      prompt:
        `Without live migration, you pause a guest with ${gib} GiB of memory, copy all of it to another host at ` +
        `${bandwidth} MiB/s, and resume it there. Ignoring the small CPU state, how long is the guest unavailable?`,
      answer,
      tolerance: 0.02,
      relative: true,
      unit: 's',
      explanation: `${gib} GiB = ${mib} MiB; ${mib} / ${bandwidth} ≈ ${answer} s of downtime, the whole copy.`,
    };
  },

  'spof-any-outage': (rng) => {
    const machines = rng.int(4, 12);
    const percent = rng.pick([0.5, 1, 1.5, 2, 3, 5]);
    const p = percent / 100;
    const allUp = (1 - p) ** machines;
    const answer = Number((100 * (1 - allUp)).toFixed(2));
    return {
      prompt:
        `${machines} services each run on their own machine. Each machine independently has a ${percent}% chance of ` +
        `failing in a given month. What is the chance, in percent, that at least one service has an outage that month?`,
      answer,
      tolerance: 0.1,
      unit: '%',
      explanation:
        `All machines survive with probability (1 − ${p})^${machines} ≈ ${formatNumber(allUp, 4)}, so at least one fails with ` +
        `1 − ${formatNumber(allUp, 4)} ≈ ${answer}%. Consolidated onto one host with the same ${percent}% chance, an outage is ` +
        `less likely (${percent}%) but takes all ${machines} services down together.`,
    };
  },
};
