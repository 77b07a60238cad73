/**
 * Numeric quiz generators for lesson 06-hypervisor-tradeoffs: capacity planning under a
 * hypervisor (memory per guest, CPU overhead), what content-based page sharing saves, and how a
 * host shares CPU (weights and caps) and memory (the idle memory tax) among its guests.
 * Overhead is always extra CPU time relative to native, as in the lecture's hypervisor figure.
 */
import type { NumericGenerator } from '../types.ts';
import type { QuizRandom } from '../random.ts';
import { FIGURES, figureText, wholeNumbersIn } from '../../facts/figures.ts';

/** Hypervisor overheads to draw from: inside the lecture's ceiling, and at least 3% (Xen's low end). */
const HYPERVISOR_PERCENTS = wholeNumbersIn('lecture-hypervisor-overhead').filter(
  (percent) => percent >= FIGURES['lecture-xen-overhead'].value.low,
);

/** ⌈a / b⌉ for positive integers, without floating-point rounding. */
function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

/** 1536 MB → "1.5 GB"; whole numbers of MB otherwise. Fixed formatting, the same in every locale. */
function formatMegabytes(mb: number): string {
  return mb % 512 === 0 && mb >= 1024 ? `${mb / 1024} GB` : `${mb} MB`;
}

/** Names for the VMs of the scheduling questions (one vCPU each). */
const VM_NAMES = ['web', 'db', 'mail', 'build', 'cache'] as const;

/** The names in a rotated order, so that roles (capped, idle, asked about) fall on different names. */
function rotatedNames(rng: QuizRandom, count: number): string[] {
  const start = rng.int(0, VM_NAMES.length - 1);
  return Array.from({ length: count }, (_, i) => VM_NAMES[(start + i) % VM_NAMES.length]!);
}

/** 63.333… → 63.3: the precision the scheduling answers are given in. */
function oneDecimal(x: number): number {
  return Math.round(x * 10) / 10;
}

export const generators: Record<string, NumericGenerator> = {
  /** How many guests fit in a host's memory when every guest carries its own OS. */
  'hypervisor-guests-fit': (rng) => {
    const hostGb = rng.pick([32, 48, 64, 96, 128]);
    const reservedGb = rng.pick([2, 4]);
    const osMb = rng.pick([512, 1024, 1536, 2048]);
    const appMb = rng.pick([1024, 2048, 3072]);
    const perGuestOverheadMb = rng.pick([64, 128, 256]);
    const usableMb = (hostGb - reservedGb) * 1024;
    const perGuestMb = osMb + appMb + perGuestOverheadMb;
    const guests = Math.floor(usableMb / perGuestMb);
    return {
      prompt:
        `A host has ${hostGb} GB of RAM, of which the hypervisor keeps ${reservedGb} GB for itself. Each guest needs ` +
        `${formatMegabytes(osMb)} for its own operating system, ${formatMegabytes(appMb)} for its application, and ` +
        `${perGuestOverheadMb} MB of overhead in the hypervisor (page tables, device state). ` +
        `How many guests fit in memory, without overcommitting it? (1 GB = 1024 MB.)`,
      answer: guests,
      tolerance: 0,
      unit: 'guests',
      explanation:
        `Usable memory: (${hostGb} − ${reservedGb}) × 1024 = ${usableMb} MB. Each guest needs ${osMb} + ${appMb} + ` +
        `${perGuestOverheadMb} = ${perGuestMb} MB. ⌊${usableMb} / ${perGuestMb}⌋ = ${guests} guests. ` +
        `The ${osMb} MB per guest for its own OS is the price of "each container has its own full OS": ` +
        `with in-kernel isolation the OS would be paid for once.`,
    };
  },

  /** Hosts needed to consolidate services once hypervisor overhead is added to each. */
  'hypervisor-cpu-hosts': (rng) => {
    const services = rng.int(20, 60);
    const busyPercent = rng.pick([4, 5, 6, 8, 10, 12]);
    const overheadPercent = rng.pick(HYPERVISOR_PERCENTS);
    const targetPercent = rng.pick([60, 70, 75, 80]);
    // Work in hundredths of a percent so the ceiling is exact: services × busy × (100 + overhead) / 100.
    const demandHundredths = services * busyPercent * (100 + overheadPercent);
    const hosts = ceilDiv(demandHundredths, targetPercent * 100);
    const demand = demandHundredths / 100;
    return {
      prompt:
        `You move ${services} services onto hypervisor hosts. Each service keeps ${busyPercent}% of one host's CPU busy ` +
        `when it runs natively, and under the hypervisor it needs ${overheadPercent}% more CPU time than natively. ` +
        `You fill each host to at most ${targetPercent}% CPU. How many hosts do you need?`,
      answer: hosts,
      tolerance: 0,
      unit: 'hosts',
      explanation:
        `Demand: ${services} × ${busyPercent}% × ${(100 + overheadPercent) / 100} = ${demand}% of one host. ` +
        `At ${targetPercent}% per host: ⌈${demand} / ${targetPercent}⌉ = ${hosts} hosts. ` +
        `The overhead is paid by every service, so it scales with the number of guests.`,
    };
  },

  /** Memory saved by content-based page sharing when guests run the same OS. */
  'hypervisor-page-sharing': (rng) => {
    const guests = rng.int(4, 16);
    const guestMb = rng.pick([1024, 2048, 4096]);
    const identicalPercent = rng.pick([10, 20, 25, 30, 40]);
    const identicalMb = (guestMb * identicalPercent) / 100;
    // Each identical page is kept once instead of once per guest.
    const savedMb = ((guests - 1) * guestMb * identicalPercent) / 100;
    return {
      prompt:
        `${guests} guests run the same operating system, each with ${guestMb} MB of memory. In this simplified model, ` +
        `${identicalPercent}% of each guest's memory holds pages whose contents are identical in every guest ` +
        `(the same kernel code, the same libraries). With content-based page sharing the hypervisor keeps one copy ` +
        `of each identical page, copy-on-write. How many MB of real memory does sharing save?`,
      answer: savedMb,
      tolerance: 0.01,
      relative: true,
      unit: 'MB',
      explanation:
        `Each guest has ${guestMb} × ${identicalPercent}% = ${identicalMb} MB of identical pages. Without sharing that ` +
        `is stored ${guests} times; with sharing, once. Saved: (${guests} − 1) × ${identicalMb} = ${savedMb} MB. ` +
        `A guest that writes to a shared page gets its own copy again, so the saving can shrink over time.`,
    };
  },

  /**
   * Memory a guest is charged for under Waldspurger's idle memory tax: an idle page costs
   * k = 1 / (1 − τ) active pages, so a guest is charged P × (f + k × (1 − f)) for P pages of which
   * a fraction f is active. Tax rates are chosen so that k is a whole number.
   */
  'hypervisor-idle-tax': (rng) => {
    const defaultTax = FIGURES['waldspurger-tax-rate'].value.value;
    const taxPercent = rng.pick([50, defaultTax, 80]);
    const costFactor = 100 / (100 - taxPercent);
    const guestMb = rng.pick([1024, 2048, 4096]);
    const activePercent = rng.pick([20, 25, 40, 50, 60, 75, 80]);
    const activeMb = (guestMb * activePercent) / 100;
    const idleMb = guestMb - activeMb;
    const chargedMb = activeMb + costFactor * idleMb;
    const rateNote = taxPercent === defaultTax ? ' (the paper\'s default)' : '';
    return {
      prompt:
        `A guest holds ${guestMb} MB, of which sampling finds ${activePercent}% actively used. The hypervisor applies ` +
        `Waldspurger's idle memory tax at a tax rate of ${taxPercent}%${rateNote}: each idle page is charged ` +
        `k = 1 / (1 − tax rate) times what an active page costs. For how many MB of memory is the guest charged ` +
        `when the hypervisor compares guests' shares?`,
      answer: chargedMb,
      tolerance: 0.01,
      relative: true,
      unit: 'MB',
      explanation:
        `k = 1 / (1 − ${taxPercent / 100}) = ${costFactor}. Active: ${guestMb} × ${activePercent}% = ${activeMb} MB, charged once. ` +
        `Idle: ${idleMb} MB, charged ${costFactor}× = ${costFactor * idleMb} MB. Total: ${activeMb} + ${costFactor * idleMb} = ` +
        `${chargedMb} MB. The more of its memory a guest leaves idle, the more it is charged per share, so it loses memory first ` +
        `(at the default ${figureText('waldspurger-tax-rate')}, an idle page costs ${figureText('waldspurger-idle-cost')} an active one).`,
    };
  },
  /**
   * A vCPU's share of the host under Xen's credit scheduler, as the lab's entitlement defines it:
   * an idle vCPU's weight drops out (work conservation), a capped vCPU whose share by weight is
   * above its cap gets the cap, and the rest is divided by weight. The numbers are chosen so that
   * the cap always binds and no other vCPU would get more than one physical CPU: with 1 pCPU and
   * 2 busy uncapped vCPUs any weight works; with 2 pCPUs and 3, weights of 256 or 512 keep the
   * largest share at most half of what is left, under 100%.
   */
  'hypervisor-vcpu-entitlement': (rng) => {
    const pcpus = rng.pick([1, 2]);
    const capacity = 100 * pcpus;
    const uncappedWeights = pcpus === 1 ? [rng.pick([128, 256, 512]), rng.pick([128, 256, 512])] : [0, 0, 0].map(() => rng.pick([256, 512]));
    const cappedWeight = 1024;
    const capPercent = rng.pick([10, 15, 20, 25]);
    const idleWeight = rng.pick([256, 512, 1024]);
    const [cappedName, idleName, ...uncappedNames] = rotatedNames(rng, uncappedWeights.length + 2) as [string, string, ...string[]];
    const targetIndex = rng.int(0, uncappedWeights.length - 1);
    const target = uncappedNames[targetIndex]!;
    const busyWeight = cappedWeight + uncappedWeights.reduce((a, b) => a + b, 0);
    const byWeightAlone = (capacity * cappedWeight) / busyWeight;
    const uncappedTotal = busyWeight - cappedWeight;
    const left = capacity - capPercent;
    const answer = oneDecimal((left * uncappedWeights[targetIndex]!) / uncappedTotal);
    const listed = [
      `${cappedName} (weight ${cappedWeight}, cap ${capPercent}%)`,
      `${idleName} (weight ${idleWeight})`,
      ...uncappedNames.map((name, i) => `${name} (weight ${uncappedWeights[i]})`),
    ].sort();
    return {
      prompt:
        `A host has ${pcpus} physical CPU${pcpus === 1 ? '' : 's'} and runs Xen's credit scheduler. Its VMs have one vCPU each: ` +
        `${listed.join(', ')}. A cap is the most CPU a vCPU may use, in percent of one physical CPU. ` +
        `${idleName} is idle and wants no CPU; the others are always busy. ` +
        `What share of one physical CPU does ${target} get over time, in percent?`,
      answer,
      tolerance: 0.5,
      unit: '%',
      explanation:
        `${idleName} is idle, so its weight drops out and its share goes to the busy vCPUs (the scheduler is work-conserving). ` +
        `By weight alone ${cappedName} would get ${capacity} × ${cappedWeight} / ${busyWeight} = ${oneDecimal(byWeightAlone)}%, more than its cap, ` +
        `so it gets ${capPercent}%. The other ${uncappedNames.length} share the remaining ${capacity} − ${capPercent} = ${left}% by weight ` +
        `(${uncappedWeights.join(' + ')} = ${uncappedTotal}): ${target} gets ${left} × ${uncappedWeights[targetIndex]} / ${uncappedTotal} = ${answer}%.`,
    };
  },

  /**
   * What each idle VM keeps when the idle memory tax divides an overcommitted host, in the lab's
   * form: at equal shares every VM gets ((k − 1)·A + L) / k for its working set A and one L that
   * makes the allocations fill the host. Built backwards from L (L at least the busy VM's working
   * set, so every VM keeps its working set and more; multiples of 4 keep the MiB whole at k = 4),
   * then the host's memory is the sum and the configured size the smallest that holds the busy VM.
   */
  'hypervisor-balloon-split': (rng) => {
    const taxPercent = FIGURES['waldspurger-tax-rate'].value.value;
    const k = 100 / (100 - taxPercent);
    const idleVms = rng.pick([2, 3]);
    const idleActive = rng.pick([256, 384, 512]);
    const busyActive = rng.pick([1536, 2048, 2560, 3072]);
    const level = busyActive + rng.pick([256, 512, 768, 1024]);
    const allocation = (active: number) => ((k - 1) * active + level) / k;
    const busyKeeps = allocation(busyActive);
    const idleKeeps = allocation(idleActive);
    const hostMiB = busyKeeps + idleVms * idleKeeps;
    const configuredMiB = [2048, 3072, 4096, 6144, 8192].find((size) => size >= busyKeeps)!;
    const activeSum = busyActive + idleVms * idleActive;
    return {
      prompt:
        `A host has ${hostMiB} MiB for its VMs. It runs ${idleVms + 1} VMs with equal shares, each configured with ${configuredMiB} MiB: ` +
        `one busy VM with a working set of ${busyActive} MiB, and ${idleVms} idle VMs with working sets of ${idleActive} MiB each. ` +
        `The balancer applies the idle memory tax at τ = ${taxPercent}% (k = ${k}) as in the lab: each VM gets ` +
        `(${k - 1} × A + L) / ${k} MiB, where A is its working set and L, the same for every VM because their shares are equal, ` +
        `is chosen so that the allocations add up to the host's memory. How many MiB does each idle VM keep?`,
      answer: idleKeeps,
      tolerance: 0.01,
      relative: true,
      unit: 'MiB',
      explanation:
        `The allocations add up to the host: (${k - 1} × ${busyActive} + L) / ${k} + ${idleVms} × (${k - 1} × ${idleActive} + L) / ${k} = ${hostMiB}, ` +
        `so ${idleVms + 1} × L = ${k} × ${hostMiB} − ${k - 1} × ${activeSum} = ${(idleVms + 1) * level} and L = ${level}. ` +
        `Each idle VM keeps (${k - 1} × ${idleActive} + ${level}) / ${k} = ${idleKeeps} MiB: its ${idleActive} MiB working set and ` +
        `${idleKeeps - idleActive} MiB of idle memory; its balloon takes the other ${configuredMiB - idleKeeps} MiB. ` +
        `The busy VM keeps ${busyKeeps} MiB, more than its working set, so no VM has to page.`,
    };
  },
};
