/**
 * Numeric questions for lesson 4: how many servers fit in a host's memory as contexts (one
 * shared kernel) versus as virtual machines (a guest OS each), with illustrative sizes; and what
 * a cgroup v2 `cpu.max` of "quota period" lets a container use (Linux's cgroup-v2 documentation).
 */
import type { QuizRandom } from '../random.ts';
import type { NumericGenerator } from '../types.ts';

/** How many guests of `perGuestMiB` fit into `availableMiB`. */
export function guestsThatFit(availableMiB: number, perGuestMiB: number): number {
  return Math.floor(availableMiB / perGuestMiB);
}

interface DensityCase {
  hostGiB: number;
  reservedGiB: number;
  serviceMiB: number;
  contextMiB: number;
  guestOsMiB: number;
}

function drawDensity(rng: QuizRandom): DensityCase {
  return {
    hostGiB: rng.pick([16, 32, 64, 128]),
    reservedGiB: rng.pick([1, 2]),
    serviceMiB: rng.pick([64, 96, 128, 192, 256]),
    contextMiB: rng.pick([4, 8, 16]),
    guestOsMiB: rng.pick([256, 384, 512]),
  };
}

function describe(c: DensityCase): string {
  return (
    `A host has ${c.hostGiB} GiB of memory, of which ${c.reservedGiB} GiB is kept for the host itself. ` +
    `Each small service needs ${c.serviceMiB} MiB for its processes. Run as a context, a service adds ${c.contextMiB} MiB ` +
    `of overhead; run as a virtual machine, it adds ${c.guestOsMiB} MiB for its guest operating system. Memory is the only limit.`
  );
}

export const generators: Record<string, NumericGenerator> = {
  'isolation-density-contexts': (rng) => {
    const c = drawDensity(rng);
    const available = (c.hostGiB - c.reservedGiB) * 1024;
    const per = c.serviceMiB + c.contextMiB;
    const answer = guestsThatFit(available, per);
    return {
      prompt: `${describe(c)} How many services fit on the host as contexts?`,
      answer,
      tolerance: 0,
      unit: 'contexts',
      explanation:
        `Available: (${c.hostGiB} − ${c.reservedGiB}) × 1024 = ${available} MiB. Each context needs ` +
        `${c.serviceMiB} + ${c.contextMiB} = ${per} MiB. ⌊${available} / ${per}⌋ = ${answer} contexts.`,
    };
  },

  'isolation-density-vs-vms': (rng) => {
    const c = drawDensity(rng);
    const available = (c.hostGiB - c.reservedGiB) * 1024;
    const perContext = c.serviceMiB + c.contextMiB;
    const perVm = c.serviceMiB + c.guestOsMiB;
    const contexts = guestsThatFit(available, perContext);
    const vms = guestsThatFit(available, perVm);
    const answer = contexts - vms;
    return {
      prompt: `${describe(c)} How many more services fit as contexts than as virtual machines?`,
      answer,
      tolerance: 0,
      unit: 'services',
      explanation:
        `Available: ${available} MiB. Contexts: ⌊${available} / (${c.serviceMiB} + ${c.contextMiB})⌋ = ⌊${available} / ${perContext}⌋ = ${contexts}. ` +
        `Virtual machines: ⌊${available} / (${c.serviceMiB} + ${c.guestOsMiB})⌋ = ⌊${available} / ${perVm}⌋ = ${vms}. ` +
        `Difference: ${contexts} − ${vms} = ${answer}.`,
    };
  },

  /**
   * CPU a container may use under cgroup v2's cpu.max "quota period": at most quota µs of CPU time
   * per period µs, summed over all its threads, so quota / period CPUs, and never more CPUs than it
   * has runnable threads.
   */
  'containers-cpu-max': (rng) => {
    const periodMicros = rng.pick([50_000, 100_000, 100_000, 200_000]);
    const quotaMicros = (periodMicros / 4) * rng.int(1, 16);
    const threads = rng.int(1, 8);
    const allowedCpus = quotaMicros / periodMicros;
    const answer = Math.min(threads, allowedCpus);
    const bound = threads < allowedCpus ? `its ${threads} busy thread${threads === 1 ? '' : 's'} can use only ${threads}` : `the quota is the limit`;
    return {
      prompt:
        `A container's cgroup (v2) has cpu.max set to "${quotaMicros} ${periodMicros}". It runs ${threads} CPU-bound ` +
        `thread${threads === 1 ? '' : 's'} on a host with 16 idle CPUs. On average, how many CPUs' worth of time can the container use?`,
      answer,
      tolerance: 0.01,
      unit: 'CPUs',
      explanation:
        `cpu.max allows ${quotaMicros} µs of CPU time per ${periodMicros} µs period, summed over all the group's threads: ` +
        `${quotaMicros} / ${periodMicros} = ${allowedCpus} CPUs. One thread can use at most one CPU, so ${bound}: ` +
        `min(${threads}, ${allowedCpus}) = ${answer} CPUs. When the quota is used up, the group's threads wait for the next period.`,
    };
  },
};
