// Helpers the public and hidden tests share (public, so you can read exactly how you are
// graded): run a guest on bare hardware and under your VMM, and list every way the two runs
// differ; check that VMs kept to their own host frames.
import { assemble, EXIT_KINDS, Hypervisor, Machine, type ExitContext, type ExitHandler, type ExitKind, type Program, type VirtualMachine } from '@virtlab/sim';

/** Guest-physical memory of the reference-kernel guests (the kernel's layout needs 256 KiB). */
export const KERNEL_GUEST_BYTES = 256 * 1024;

/** Guest-physical memory of the small hand-written guests. */
export const SMALL_GUEST_BYTES = 64 * 1024;

/** Budgets: generous for every guest here, small enough to stop a VMM that loops. */
export const BUDGET = { maxInstructions: 5_000_000, maxExits: 50_000 } as const;

/** Runs `program` on a bare machine of `memoryBytes`; returns the machine and how its run ended. */
export function runBare(program: Program, memoryBytes: number): { machine: Machine; outcome: string } {
  const machine = new Machine({ cpu: 'virtualizable', memoryBytes });
  machine.load(program);
  const outcome = machine.run({ maxInstructions: BUDGET.maxInstructions }).outcome;
  return { machine, outcome };
}

/** One VM to create: its program and memory. */
export interface GuestSpec {
  readonly program: Program;
  readonly memoryBytes: number;
}

/** Called before the VMM sees each exit (for the workbench's picture); test code only. */
export type ExitObserver = (vm: VirtualMachine, kind: ExitKind) => void;

/** Calls a VMM the way the hypervisor would: a function, or an object with `handleExit`. */
function callVmm(vmm: ExitHandler, exit: ExitContext): void {
  if (typeof vmm === 'function') vmm(exit);
  else vmm.handleExit(exit);
}

/**
 * Creates one VM per spec on a fresh hypervisor and runs them all under `handler` (one VMM for
 * every VM, as a real hypervisor has), `slice` instructions at a time.
 */
export function runVirtual(
  specs: readonly GuestSpec[],
  handler: ExitHandler,
  options: { seed?: number; slice?: number; observe?: ExitObserver } = {},
): { hv: Hypervisor; vms: VirtualMachine[] } {
  const hv = new Hypervisor({ cpu: 'virtualizable', hostMemoryBytes: 4 << 20, seed: options.seed ?? 11, traceCapacity: 0 });
  const vms = specs.map((spec, i) => {
    const vm = hv.createVm({ name: `guest${i}`, memoryBytes: spec.memoryBytes });
    vm.load(spec.program);
    return vm;
  });
  const observe = options.observe;
  const byId = new Map(vms.map((vm) => [vm.id, vm]));
  const run: ExitHandler =
    observe === undefined
      ? handler
      : (exit: ExitContext) => {
          const vm = byId.get(exit.vm.id);
          if (vm !== undefined) observe(vm, exit.kind);
          callVmm(handler, exit);
        };
  hv.run(run, { ...BUDGET, sliceInstructions: options.slice ?? 20_000 });
  return { hv, vms };
}

/** What the workbench draws for one VM: its exits over guest time and its accounting. */
export interface ExitPicture {
  readonly title: string;
  readonly vm: string;
  /** Guest time at the end of the run, in timer ticks. */
  readonly guestTime: number;
  /** Ticks per bin of `perBin`. */
  readonly binTicks: number;
  /** Exit kinds that happened, in `EXIT_KINDS` order, with their counts per bin of guest time. */
  readonly kinds: readonly { readonly kind: ExitKind; readonly total: number; readonly perBin: readonly number[] }[];
  readonly directInstructions: number;
  readonly emulatedInstructions: number;
  readonly directShare: number;
  readonly cycles: { readonly direct: number; readonly trap: number; readonly emulation: number; readonly worldSwitch: number };
  /** Busy cycles of the same guest on bare hardware. */
  readonly bareCycles: number;
  readonly state: string;
  /** The first differences from bare hardware (none: equivalent). */
  readonly differences: readonly string[];
}

/** Records every exit's guest time and kind, per VM, for {@link exitPicture}. */
export class ExitLog {
  readonly #events = new Map<VirtualMachine, [number, ExitKind][]>();
  readonly #limit: number;

  constructor(limit = 200_000) {
    this.#limit = limit;
  }

  /** The observer to pass to {@link runVirtual}. */
  readonly observe: ExitObserver = (vm, kind) => {
    let events = this.#events.get(vm);
    if (events === undefined) this.#events.set(vm, (events = []));
    if (events.length < this.#limit) events.push([vm.stats.guestTime, kind]);
  };

  /** Summarizes one VM's run (a few kilobytes whatever the run's length). */
  picture(title: string, vm: VirtualMachine, machine: Machine, differences: readonly string[], maxBins = 60): ExitPicture {
    let bins = maxBins;
    const events = this.#events.get(vm) ?? [];
    const stats = vm.stats;
    const guestTime = Math.max(1, stats.guestTime);
    bins = Math.max(1, Math.min(bins, guestTime));
    const binTicks = Math.max(1, Math.ceil(guestTime / bins));
    const kinds = EXIT_KINDS.map((kind) => {
      const perBin = new Array<number>(bins).fill(0);
      let total = 0;
      for (const [time, k] of events) {
        if (k !== kind) continue;
        total++;
        perBin[Math.min(bins - 1, Math.floor(time / binTicks))]!++;
      }
      return { kind, total, perBin };
    }).filter((row) => row.total > 0);
    const { direct, trap, emulation, worldSwitch } = stats.cycles;
    return {
      title,
      vm: vm.name,
      guestTime: stats.guestTime,
      binTicks,
      kinds,
      directInstructions: stats.directInstructions,
      emulatedInstructions: stats.emulatedInstructions,
      directShare: stats.directShare,
      cycles: { direct, trap, emulation, worldSwitch },
      bareCycles: machine.stats.cycles - machine.stats.idleCycles,
      state: vm.state,
      differences: differences.slice(0, 3),
    };
  }
}

const hex = (value: number): string => `0x${(value >>> 0).toString(16)}`;

/** The VM state that corresponds to a bare machine's run outcome. */
function expectedState(outcome: string): string {
  if (outcome === 'powered-off') return 'powered-off';
  if (outcome === 'halted') return 'halted';
  return 'runnable';
}

/**
 * Every observable difference between a bare run and a VM run of the same guest (empty when
 * they are equivalent): how each ended, console output, CPU state, memory, exit code and, unless
 * `instructions` is false, the instruction count and virtual time.
 */
export function differences(machine: Machine, outcome: string, vm: VirtualMachine, options: { instructions?: boolean } = {}): string[] {
  const found: string[] = [];
  if (vm.failure !== null) {
    const failure = vm.failure as { message?: unknown };
    found.push(`your VMM threw: ${typeof failure?.message === 'string' ? failure.message : String(vm.failure)}`);
  }
  const want = expectedState(outcome);
  if (vm.state !== want) found.push(`the VM ended ${vm.state}, bare hardware ${want === 'runnable' ? 'ran out of budget' : want}`);
  const vmOut = vm.console.output;
  const bareOut = machine.console.output;
  if (vmOut !== bareOut) {
    let i = 0;
    while (i < vmOut.length && i < bareOut.length && vmOut[i] === bareOut[i]) i++;
    found.push(`console differs from character ${i}: VM ${JSON.stringify(vmOut.slice(Math.max(0, i - 20), i + 30))}, bare ${JSON.stringify(bareOut.slice(Math.max(0, i - 20), i + 30))}`);
  }
  if (options.instructions !== false) {
    const retired = vm.stats.directInstructions + vm.stats.emulatedInstructions;
    if (retired !== machine.stats.instructions) found.push(`instructions retired: VM ${retired}, bare ${machine.stats.instructions}`);
    if (vm.stats.guestTime !== machine.time) found.push(`virtual time: VM ${vm.stats.guestTime} ticks, bare ${machine.time}`);
  }
  const vs = vm.cpuState;
  const bs = machine.state;
  if (vs.pc !== bs.pc) found.push(`pc: VM ${hex(vs.pc)}, bare ${hex(bs.pc)}`);
  for (const [name, value] of Object.entries(bs.control)) {
    const mine = (vs.control as Record<string, number>)[name];
    if (mine !== value) found.push(`${name}: VM ${hex(mine ?? 0)}, bare ${hex(value)}`);
  }
  for (let r = 1; r < 16; r++) if (vs.registers[r] !== bs.registers[r]) found.push(`r${r}: VM ${hex(vs.registers[r]!)}, bare ${hex(bs.registers[r]!)}`);
  if (outcome === 'powered-off' && vm.exitCode !== machine.devices.exitCode) found.push(`exit code: VM ${vm.exitCode}, bare ${machine.devices.exitCode}`);
  const words: string[] = [];
  let differing = 0;
  for (let address = 0; address < machine.memory.size; address += 4) {
    const mine = vm.readGuestPhysical(address);
    const theirs = machine.memory.readWord(address);
    if (mine !== theirs) {
      differing++;
      if (words.length < 4) words.push(`${hex(address)}: VM ${hex(mine)}, bare ${hex(theirs)}`);
    }
  }
  if (differing > 0) found.push(`${differing} memory word(s) differ, e.g. ${words.join('; ')}`);
  return found;
}

/** Runs `source` bare and in one VM under `handler`; returns the differences, the VM and the machine. */
export function compareAlone(
  source: string | Program,
  memoryBytes: number,
  handler: ExitHandler,
  options: { instructions?: boolean; seed?: number; observe?: ExitObserver } = {},
): { differences: string[]; vm: VirtualMachine; machine: Machine } {
  const prog = typeof source === 'string' ? assemble(source) : source;
  const { machine, outcome } = runBare(prog, memoryBytes);
  const { vms } = runVirtual([{ program: prog, memoryBytes }], handler, { seed: options.seed, observe: options.observe });
  const vm = vms[0]!;
  return { differences: differences(machine, outcome, vm, options), vm, machine };
}

/**
 * Resource control, seen from the host: every host frame a VM touched is one of its own, no
 * two VMs share a frame, and no host frame outside every VM was written. Returns the violations.
 */
export function isolationViolations(hv: Hypervisor, vms: readonly VirtualMachine[]): string[] {
  const found: string[] = [];
  const owner = new Map<number, string>();
  for (const vm of vms) {
    for (const frame of vm.hostFrames()) {
      const other = owner.get(frame);
      if (other !== undefined) found.push(`host frame ${frame} belongs to ${other} and ${vm.name}`);
      owner.set(frame, vm.name);
    }
  }
  for (const vm of vms) {
    const own = new Set(vm.hostFrames());
    const foreign = vm.touchedHostFrames().filter((frame) => !own.has(frame));
    if (foreign.length > 0) found.push(`${vm.name} touched host frames it does not own: ${foreign.slice(0, 5).join(', ')}`);
  }
  const words = hv.hostMemory.words;
  for (let frame = 0; frame < hv.hostMemory.size / 4096; frame++) {
    if (owner.has(frame)) continue;
    const page = words.subarray(frame << 10, (frame + 1) << 10);
    if (page.some((word) => word !== 0)) found.push(`host frame ${frame}, which no VM owns, was written`);
  }
  return found;
}
