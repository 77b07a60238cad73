// Helpers for the hidden tests (not a test file itself; never shipped to the site): run a guest
// on bare hardware and under the learner's VMM, and list every way the two runs differ.
import { assemble, Hypervisor, Machine, type ExitHandler, type Program, type VirtualMachine } from '@virtlab/sim';

/** Guest-physical memory of the reference-kernel guests (the kernel's layout needs 256 KiB). */
export const KERNEL_GUEST_BYTES = 256 * 1024;

/** Budgets: generous for every guest here, small enough to stop a VMM that loops. */
export const BUDGET = { maxInstructions: 20_000_000, maxExits: 400_000 } as const;

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

/**
 * Creates one VM per spec on a fresh hypervisor and runs them all under `handler` (one VMM for
 * every VM, as a real hypervisor has), `slice` instructions at a time.
 */
export function runVirtual(specs: readonly GuestSpec[], handler: ExitHandler, options: { seed?: number; slice?: number } = {}): { hv: Hypervisor; vms: VirtualMachine[] } {
  const hv = new Hypervisor({ cpu: 'virtualizable', hostMemoryBytes: 4 << 20, seed: options.seed ?? 11, traceCapacity: 0 });
  const vms = specs.map((spec, i) => {
    const vm = hv.createVm({ name: `guest${i}`, memoryBytes: spec.memoryBytes });
    vm.load(spec.program);
    return vm;
  });
  hv.run(handler, { ...BUDGET, sliceInstructions: options.slice ?? 20_000 });
  return { hv, vms };
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
  const vs = vm.cpuState;
  const bs = machine.state;
  if (vs.pc !== bs.pc) found.push(`pc: VM ${hex(vs.pc)}, bare ${hex(bs.pc)}`);
  for (let r = 1; r < 16; r++) if (vs.registers[r] !== bs.registers[r]) found.push(`r${r}: VM ${hex(vs.registers[r]!)}, bare ${hex(bs.registers[r]!)}`);
  for (const [name, value] of Object.entries(bs.control)) {
    const mine = (vs.control as Record<string, number>)[name];
    if (mine !== value) found.push(`${name}: VM ${hex(mine ?? 0)}, bare ${hex(value)}`);
  }
  if (options.instructions !== false) {
    const retired = vm.stats.directInstructions + vm.stats.emulatedInstructions;
    if (retired !== machine.stats.instructions) found.push(`instructions retired: VM ${retired}, bare ${machine.stats.instructions}`);
    if (vm.stats.guestTime !== machine.time) found.push(`virtual time: VM ${vm.stats.guestTime} ticks, bare ${machine.time}`);
  }
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

/** Runs `source` bare and in one VM under `handler`; returns the differences. */
export function compareAlone(source: string | Program, memoryBytes: number, handler: ExitHandler, options: { instructions?: boolean; seed?: number } = {}): { differences: string[]; vm: VirtualMachine; machine: Machine } {
  const prog = typeof source === 'string' ? assemble(source) : source;
  const { machine, outcome } = runBare(prog, memoryBytes);
  const { vms } = runVirtual([{ program: prog, memoryBytes }], handler, { seed: options.seed });
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
