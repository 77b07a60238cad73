/**
 * What "where the cycles go" compares, shared by its form (WhereCyclesGo.astro), its model, the
 * script that measures the virtual machines (scripts/measure-where-cycles-go.ts) and the tests:
 * four workload mixes of the simulator's reference kernel and three ways of running it in a VM.
 */
import { CALIBRATION_KERNEL, type KernelOptions } from '../../sim/guests/kernel.ts';
import { FIGURES } from '../../facts/figures.ts';

/** The guest's memory in every run, as in the simulator's calibration test. */
export const GUEST_MEMORY_BYTES = 256 * 1024;

export type MixId = 'calibration' | 'compute' | 'syscalls' | 'page-tables';

export interface Mix {
  readonly id: MixId;
  readonly label: string;
  /** What the kernel's processes do, in a phrase. */
  readonly does: string;
  readonly kernel: Readonly<KernelOptions>;
}

/** Mixes other than the calibration one keep the timer slow and the processes well behaved, so only the one thing named changes. */
const QUIET = { timerPeriod: 100_000, faults: false } as const;

export const MIXES: readonly Mix[] = [
  {
    id: 'calibration',
    label: 'Calibration',
    does: 'the simulator’s own mix: two processes; about 30,000 instructions of computing between system calls, a context switch every round and a page remapped every other round',
    kernel: CALIBRATION_KERNEL,
  },
  {
    id: 'compute',
    label: 'Compute-bound',
    does: 'one process; about 150,000 instructions of computing between system calls, no remapping',
    kernel: { ...QUIET, processes: 1, iterations: 40, work: 30_000, remapEvery: 0, yieldEvery: 0 },
  },
  {
    id: 'syscalls',
    label: 'System-call-heavy',
    does: 'two processes; a system call every 1,000 instructions or so, no remapping and no yielding',
    kernel: { ...QUIET, processes: 2, iterations: 1000, work: 200, remapEvery: 0, yieldEvery: 0 },
  },
  {
    id: 'page-tables',
    label: 'Page-table-heavy',
    does: 'two processes; every 1,000 instructions or so, a page remapped and a context switch to the other address space',
    kernel: { ...QUIET, processes: 2, iterations: 1000, work: 200, remapEvery: 1, yieldEvery: 1 },
  },
];

export const DEFAULT_MIX: MixId = 'calibration';

export function mixById(id: string | undefined): Mix {
  return MIXES.find((mix) => mix.id === id) ?? MIXES.find((mix) => mix.id === DEFAULT_MIX)!;
}

export type ApproachId = 'trap-and-emulate' | 'binary-translation' | 'paravirtualization';

export interface Approach {
  readonly id: ApproachId;
  readonly label: string;
  /** The simulator configuration it was measured in. */
  readonly configuration: string;
}

/** The configurations of the simulator's calibration table (src/sim/README.md), in the order the lessons introduce them. */
export const APPROACHES: readonly Approach[] = [
  {
    id: 'trap-and-emulate',
    label: 'Trap-and-emulate',
    configuration: 'unmodified kernel on the virtualizable CPU: every privileged instruction exits to the monitor; nested paging',
  },
  {
    id: 'binary-translation',
    label: 'Binary translation',
    configuration: 'unmodified kernel on the x86-like CPU: sensitive kernel instructions become callouts; shadow page tables',
  },
  {
    id: 'paravirtualization',
    label: 'Paravirtualization',
    configuration: 'modified kernel: hypercalls instead of privileged instructions, system calls delivered straight to the guest (Xen’s fast path)',
  },
];

/** Where a VM's busy cycles went: the simulator's cycle accounts (CycleAccount), idle time excluded. */
export const ACCOUNTS = [
  { key: 'direct', label: 'direct execution', meaning: 'guest instructions run on the CPU, with their page walks' },
  { key: 'trap', label: 'traps (exits)', meaning: 'the hardware part of each exit into the monitor' },
  { key: 'emulation', label: 'emulation', meaning: 'the monitor’s own work: decoding, emulating, injecting, translating, shadow updates' },
  { key: 'worldSwitch', label: 'world switches', meaning: 'saving and restoring guest state around exits' },
] as const;

export type AccountKey = (typeof ACCOUNTS)[number]['key'];

const percentRange = (id: 'lecture-xen-overhead' | 'lecture-fullvirt-overhead') => {
  const value = FIGURES[id].value;
  if (value.kind !== 'range') throw new Error(`${id} is not a range`);
  return { low: value.low / 100, high: value.high / 100 };
};

/** The lecture's two bands for hypervisor-style virtualization, as fractions (0.05 is 5 %). */
export const BANDS = [
  { id: 'xen', label: 'Xen', ...percentRange('lecture-xen-overhead') },
  { id: 'full-virtualization', label: 'full virtualization', ...percentRange('lecture-fullvirt-overhead') },
] as const;
