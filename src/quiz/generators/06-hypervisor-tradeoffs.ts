/**
 * Numeric quiz generators for lesson 06-hypervisor-tradeoffs: capacity planning under a
 * hypervisor (memory per guest, CPU overhead) and what content-based page sharing saves.
 * Overhead is always extra CPU time relative to native, as in the lecture's hypervisor figure.
 */
import type { NumericGenerator } from '../types.ts';
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
};
