/**
 * The hypervisor: host memory, virtual machines, and the loop that runs their vCPUs by direct
 * execution until an exit, calls the VMM's exit handler, and resumes them.
 *
 * Two kinds of handles keep learners honest:
 * - {@link Hypervisor} and {@link VirtualMachine} are *privileged*: the test (or grader) owns
 *   them and reads the truth — host memory, the host frames a VM touched, cycle accounts,
 *   the virtual console.
 * - The VMM under test receives only an {@link ExitContext} per exit, which can act on its own
 *   VM and becomes useless when the handler returns.
 *
 * ```ts
 * const hv = new Hypervisor({ cpu: 'virtualizable', hostMemoryBytes: 8 << 20 });
 * const vm = hv.createVm({ name: 'guest', memoryBytes: 1 << 20 });
 * vm.load(assemble(kernelSource));
 * const result = hv.run(learnerVmm.handleExit, { maxInstructions: 5_000_000 });
 * vm.console.output; vm.stats.directShare; vm.touchedHostFrames();
 * ```
 * @module
 */
import { requireArgument, SimError } from '../common/errors.ts';
import { SeededRandom } from '../common/rng.ts';
import { EventTrace } from '../common/trace.ts';
import type { Program } from '../machine/assembler.ts';
import { resolveCosts, type CostModel } from '../machine/costs.ts';
import type { IoBus } from '../machine/devices/bus.ts';
import { ControlRegister, CPU_CONFIGS, PAGE_SIZE, Status, type CpuConfig } from '../machine/isa.ts';
import { snapshotCpu, type CpuSnapshot } from '../machine/machine.ts';
import { checkMemorySize, PhysicalMemory } from '../machine/memory.ts';
import { ExitContext, type ExitHandler } from './exit-context.ts';
import type { CycleAccount, TraceEvent, VmState, VmStats } from './types.ts';
import { Account, runDirect, VmCore, type HostServices, type PendingExit, type TranslationScanner } from './vm-core.ts';
import type { MmuMode } from './vm-mmu.ts';

/** Options for a {@link Hypervisor}. */
export interface HypervisorOptions {
  /** CPU configuration of the host (default `virtualizable`). */
  cpu?: CpuConfig;
  /** Host physical memory in bytes (default 16 MiB). */
  hostMemoryBytes?: number;
  /** Seed for frame allocation (default 1): the same seed gives the same host layout. */
  seed?: number;
  /** Cost overrides (cycles). */
  costs?: Partial<CostModel>;
  /** Trace events kept (default 4096; 0 disables tracing). */
  traceCapacity?: number;
}

/** Options for {@link Hypervisor.createVm}. */
export interface VmOptions {
  /** Name for traces and messages (default `vm1`, `vm2`, … in the order this hypervisor created them). */
  name?: string;
  /** Guest-physical memory in bytes, a multiple of 4096 (default 1 MiB). */
  memoryBytes?: number;
  /** Memory virtualization: hardware `nested` paging (default) or VMM-managed `shadow` tables. */
  mmu?: MmuMode;
  /** Sectors on the VM's virtual disk (default 64). */
  blockSectors?: number;
  /**
   * Binary translation: a scanner called once per guest code page before it runs in virtual
   * supervisor mode; it returns the addresses of instructions that must call out to the VMM
   * (`sensitive-instruction` exits, cheaper than traps). Guest user code always runs directly.
   */
  translator?: TranslationScanner;
}

/** Limits for one {@link Hypervisor.run} call. */
export interface HypervisorBudget {
  /** Most guest instructions retired, over all VMs (default 100 million). */
  maxInstructions?: number;
  /** Most host cycles spent, over all VMs (default 2 billion). */
  maxCycles?: number;
  /** Most exits handled (default 10 million). */
  maxExits?: number;
  /** VMs to run (default: all). */
  vms?: readonly VirtualMachine[];
  /** Instructions a VM runs before the next VM gets the CPU (default 20000). */
  sliceInstructions?: number;
}

/** Why {@link Hypervisor.run} returned. */
export type HypervisorOutcome =
  /** No VM can run any more (each is halted, powered off, shut down or failed). */
  | 'stopped'
  /** A budget ran out; call `run` again to continue. */
  | 'budget';

/** What a run did. */
export interface HypervisorRunResult {
  readonly outcome: HypervisorOutcome;
  /** Guest instructions retired in this call, over all VMs. */
  readonly instructions: number;
  /** Host cycles spent in this call. */
  readonly cycles: number;
  /** Exits handled in this call. */
  readonly exits: number;
}

const DEFAULTS = { maxInstructions: 100_000_000, maxCycles: 2_000_000_000, maxExits: 10_000_000, slice: 20_000 } as const;

const CORES = new WeakMap<VirtualMachine, VmCore>();

/**
 * A virtual machine, as seen by its owner (the test or grader): full visibility, no hiding.
 * Learner VMM code never receives this object.
 */
export class VirtualMachine {
  #core: VmCore;
  #hv: Hypervisor;

  /** @internal Use {@link Hypervisor.createVm}. */
  constructor(core: VmCore, hv: Hypervisor) {
    if (!(hv instanceof Hypervisor)) throw new SimError('PERMISSION_DENIED', 'create virtual machines with hypervisor.createVm()');
    this.#core = core;
    this.#hv = hv;
    CORES.set(this, core);
  }

  get id(): number {
    return this.#core.id;
  }
  get name(): string {
    return this.#core.name;
  }
  /** Guest-physical memory size in bytes. */
  get memoryBytes(): number {
    return this.#core.memory.size;
  }
  /** Memory virtualization mode. */
  get mmu(): MmuMode {
    return this.#core.mmu.mode;
  }
  get state(): VmState {
    return this.#core.state;
  }
  /** What the VMM's handler threw, if the VM is `failed`. */
  get failure(): unknown {
    return this.#core.failure;
  }
  /** The VM's virtual devices (console, timer, block device, NIC). */
  get devices(): IoBus {
    return this.#core.bus;
  }
  /** Shortcut for `devices.console`. */
  get console(): IoBus['console'] {
    return this.#core.bus.console;
  }
  /** The guest's exit code if it powered off. */
  get exitCode(): number {
    return this.#core.bus.exitCode;
  }
  /** Counters and the cycle account. */
  get stats(): VmStats {
    return this.#core.stats();
  }
  /** The virtual CPU state (frozen copy). */
  get cpuState(): CpuSnapshot {
    return snapshotCpu(this.#core.cpu);
  }
  /** The hypervisor that owns this VM. */
  get hypervisor(): Hypervisor {
    return this.#hv;
  }

  /** Host frames allocated to this VM, indexed by guest-physical page (a copy). */
  hostFrames(): readonly number[] {
    return Object.freeze([...this.#core.frames]);
  }

  /** Host frames this VM has read or written through any path, ascending. */
  touchedHostFrames(): readonly number[] {
    const touched = this.#core.memory.touched;
    const frames: number[] = [];
    for (let i = 0; i < touched.length; i++) if (touched[i] === 1) frames.push(i);
    return Object.freeze(frames);
  }

  /** Host-physical address of a guest-physical address (the p2m), or -1 if unmapped. */
  hostAddressOf(gpa: number): number {
    requireArgument(Number.isInteger(gpa) && gpa >= 0, `hostAddressOf: guest-physical address must be a non-negative integer, got ${gpa}`);
    const page = gpa >>> 12;
    if (page >= this.#core.memory.pages) return -1;
    const frame = this.#core.memory.frameOf[page]!;
    return frame < 0 ? -1 : frame * PAGE_SIZE + (gpa & 0xfff);
  }

  /** Reads a guest-physical word without charging the VM (test side). */
  readGuestPhysical(gpa: number): number {
    this.#core.memory.check(gpa, 'vm.readGuestPhysical');
    const frame = this.#core.memory.frameOf[gpa >>> 12]!;
    return frame < 0 ? 0 : this.#hv.hostMemory.words[(frame << 10) + ((gpa & 0xfff) >>> 2)]!;
  }

  /** Writes a guest-physical word without charging the VM (test side). */
  writeGuestPhysical(gpa: number, value: number): void {
    this.#core.memory.check(gpa, 'vm.writeGuestPhysical');
    requireArgument(typeof value === 'number' && Number.isFinite(value), `vm.writeGuestPhysical: value must be a number, got ${String(value)}`);
    const frame = this.#core.memory.frameOf[gpa >>> 12]!;
    if (frame >= 0) this.#hv.hostMemory.words[(frame << 10) + ((gpa & 0xfff) >>> 2)] = value | 0;
  }

  /**
   * Loads a program (or raw words) into guest-physical memory at `address` (default: the
   * program's origin) and resets the vCPU to its entry in supervisor mode, as a bare machine's
   * reset would.
   */
  load(program: Program | ArrayLike<number>, address?: number): void {
    const isProgram = typeof program === 'object' && program !== null && 'words' in program && 'origin' in program;
    const words = isProgram ? (program as Program).words : (program as ArrayLike<number>);
    requireArgument(words !== null && typeof words === 'object' && typeof words.length === 'number', 'vm.load(program): pass the result of assemble() or an array of words');
    const base = address ?? (isProgram ? (program as Program).origin : 0);
    requireArgument(Number.isInteger(base) && base >= 0 && base % 4 === 0, `vm.load: address must be an aligned guest-physical address, got ${base}`);
    if (base + words.length * 4 > this.memoryBytes) {
      throw new SimError('OUT_OF_RANGE', `vm.load: ${words.length} words at ${base} do not fit in the VM's ${this.memoryBytes} bytes`);
    }
    for (let i = 0; i < words.length; i++) this.writeGuestPhysical(base + i * 4, words[i] as number);
    const entry = isProgram ? base + ((program as Program).entry - (program as Program).origin) : base;
    this.reset(entry);
  }

  /** Resets the vCPU: supervisor mode, interrupts and paging off, registers zero, pc = entry. */
  reset(entry: number): void {
    requireArgument(Number.isInteger(entry) && entry >= 0 && entry % 4 === 0, `vm.reset(entry): entry must be an aligned address, got ${entry}`);
    const core = this.#core;
    core.cpu.regs.fill(0);
    core.cpu.ctl.fill(0);
    core.cpu.ctl[ControlRegister.STATUS] = Status.SUPERVISOR;
    core.cpu.flushTlb();
    core.cpu.pc = entry;
    core.waiting = false;
    core.failure = null;
    core.setState('runnable');
  }
}

/**
 * VM ids are unique across every hypervisor of the process, never reused: a monitor that keeps
 * state by `exit.vm.id` (one monitor serves many VMs, and tests make a new hypervisor per run)
 * never mistakes a new VM for an earlier one.
 */
let nextVmId = 1;

/** The privileged owner of host memory and virtual machines. */
export class Hypervisor {
  readonly config: CpuConfig;
  readonly costs: CostModel;
  #memory: PhysicalMemory;
  #free: number[];
  #rng: SeededRandom;
  #vms: VmCore[] = [];
  #facades: VirtualMachine[] = [];
  #trace: EventTrace<TraceEvent>;
  #account = new Account();
  #translation: { scanned: Uint8Array; callouts: Uint8Array } | null = null;
  #running = false;
  #services: HostServices;

  constructor(options: HypervisorOptions = {}) {
    requireArgument(options !== null && typeof options === 'object', 'new Hypervisor(options): options must be an object');
    const config = options.cpu ?? 'virtualizable';
    requireArgument(CPU_CONFIGS.includes(config), `new Hypervisor: cpu must be one of ${CPU_CONFIGS.join(', ')}, got ${String(config)}`);
    this.config = config;
    this.costs = resolveCosts(options.costs, (message) => new SimError('INVALID_ARGUMENT', `new Hypervisor: ${message}`));
    this.#memory = new PhysicalMemory(checkMemorySize(options.hostMemoryBytes ?? 16 << 20, 'new Hypervisor: hostMemoryBytes'));
    const seed = options.seed ?? 1;
    requireArgument(Number.isInteger(seed), `new Hypervisor: seed must be an integer, got ${String(seed)}`);
    this.#rng = new SeededRandom(seed);
    // Frame 0 stays with the hypervisor, so no guest ever gets host-physical page 0.
    this.#free = Array.from({ length: this.#memory.size / PAGE_SIZE - 1 }, (_, i) => i + 1);
    this.#trace = new EventTrace<TraceEvent>(options.traceCapacity ?? 4096);
    const hv = this;
    this.#services = {
      config,
      costs: this.costs,
      hostWords: this.#memory.words,
      trace: this.#trace,
      hostAccount: this.#account,
      hostCycles: () => this.#account.total,
      translationArrays() {
        if (hv.#translation === null) {
          hv.#translation = { scanned: new Uint8Array(hv.#memory.size / PAGE_SIZE), callouts: new Uint8Array(hv.#memory.words.length) };
        }
        return hv.#translation;
      },
    };
  }

  /** Host physical memory: the whole truth, for tests. */
  get hostMemory(): PhysicalMemory {
    return this.#memory;
  }

  /** Host frames not allocated to any VM. */
  get freeFrames(): number {
    return this.#free.length;
  }

  /** All VMs, in creation order. */
  get vms(): readonly VirtualMachine[] {
    return Object.freeze([...this.#facades]);
  }

  /** Host cycles by category, over all VMs. */
  get cycles(): CycleAccount {
    return this.#account.snapshot();
  }

  /** The most recent trace events, oldest first. */
  get trace(): readonly TraceEvent[] {
    return this.#trace.snapshot();
  }

  /**
   * Creates a VM with its own guest-physical memory (host frames chosen by the seeded
   * allocator, not contiguous), its own virtual devices and one vCPU in supervisor mode at pc 0.
   */
  createVm(options: VmOptions = {}): VirtualMachine {
    requireArgument(options !== null && typeof options === 'object', 'createVm(options): options must be an object');
    if (this.#running) throw new SimError('INVALID_STATE', 'createVm: cannot create a VM while the hypervisor is running');
    const bytes = checkMemorySize(options.memoryBytes ?? 1 << 20, 'createVm: memoryBytes');
    const mmu = options.mmu ?? 'nested';
    requireArgument(mmu === 'nested' || mmu === 'shadow', `createVm: mmu must be 'nested' or 'shadow', got ${String(mmu)}`);
    requireArgument(options.translator === undefined || typeof options.translator === 'function', 'createVm: translator must be a function (page) => addresses');
    const pages = bytes / PAGE_SIZE;
    if (pages > this.#free.length) {
      throw new SimError('CAPACITY_EXCEEDED', `createVm: ${bytes} bytes need ${pages} host frames but only ${this.#free.length} are free; give the VM less memory or the host more`);
    }
    const chosen = this.#rng.shuffle(this.#free).slice(0, pages);
    const taken = new Set(chosen);
    this.#free = this.#free.filter((f) => !taken.has(f));
    for (const frame of chosen) this.#memory.words.fill(0, frame << 10, (frame + 1) << 10);
    const id = nextVmId++;
    const ordinal = this.#vms.length + 1;
    const name = options.name ?? `vm${ordinal}`;
    requireArgument(typeof name === 'string' && name.length > 0, 'createVm: name must be a non-empty string');
    const core = new VmCore(id, ordinal, name, this.#services, chosen, mmu, options.blockSectors ?? 64);
    if (options.translator !== undefined) core.setScanner(options.translator);
    const vm = new VirtualMachine(core, this);
    this.#vms.push(core);
    this.#facades.push(vm);
    return vm;
  }

  /** Removes a VM and returns its frames (zeroed) to the free pool. */
  destroyVm(vm: VirtualMachine): void {
    const core = this.#coreOf(vm, 'destroyVm');
    if (this.#running) throw new SimError('INVALID_STATE', 'destroyVm: cannot destroy a VM while the hypervisor is running');
    core.dispose();
    for (const frame of core.frames) this.#memory.words.fill(0, frame << 10, (frame + 1) << 10);
    this.#free.push(...core.frames);
    this.#free.sort((a, b) => a - b);
    this.#vms = this.#vms.filter((c) => c !== core);
    this.#facades = this.#facades.filter((f) => f !== vm);
    core.setState('shut-down');
  }

  /** Installs or removes (null) a binary-translation scanner on a VM. */
  setTranslator(vm: VirtualMachine, translator: TranslationScanner | null): void {
    const core = this.#coreOf(vm, 'setTranslator');
    requireArgument(translator === null || typeof translator === 'function', 'setTranslator: translator must be a function or null');
    core.setScanner(translator);
  }

  #coreOf(vm: VirtualMachine, what: string): VmCore {
    const core = CORES.get(vm);
    if (core === undefined || !this.#vms.includes(core)) throw new SimError('NOT_FOUND', `${what}: that VM does not belong to this hypervisor (or was destroyed)`);
    return core;
  }

  /**
   * Runs the VMs round-robin, each by direct execution until an exit, handing every exit to
   * `handler`. Returns when no VM can run or a budget runs out. If the handler throws, that VM
   * becomes `failed` (see `vm.failure`) and the others keep running.
   */
  run(handler: ExitHandler, budget: HypervisorBudget = {}): HypervisorRunResult {
    const handle = typeof handler === 'function' ? handler : handler !== null && typeof handler === 'object' && typeof handler.handleExit === 'function' ? (exit: ExitContext) => handler.handleExit(exit) : null;
    if (handle === null) throw new SimError('INVALID_ARGUMENT', 'run(handler): handler must be a function (exit) => void or an object with handleExit(exit)');
    requireArgument(budget !== null && typeof budget === 'object', 'run: budget must be an object');
    if (this.#running) throw new SimError('INVALID_STATE', 'run: the hypervisor is already running (do not call run from an exit handler)');
    const limit = (value: number | undefined, fallback: number, name: string): number => {
      const v = value ?? fallback;
      if (typeof v !== 'number' || !(v >= 0) || (!Number.isInteger(v) && v !== Infinity)) throw new SimError('INVALID_ARGUMENT', `run: ${name} must be a non-negative integer, got ${String(v)}`);
      return v;
    };
    const maxInstructions = limit(budget.maxInstructions, DEFAULTS.maxInstructions, 'maxInstructions');
    const maxCycles = limit(budget.maxCycles, DEFAULTS.maxCycles, 'maxCycles');
    const maxExits = limit(budget.maxExits, DEFAULTS.maxExits, 'maxExits');
    const slice = limit(budget.sliceInstructions, DEFAULTS.slice, 'sliceInstructions');
    requireArgument(slice >= 1, 'run: sliceInstructions must be at least 1');
    const cores = budget.vms === undefined ? [...this.#vms] : budget.vms.map((vm) => this.#coreOf(vm, 'run'));

    const retiredNow = (): number => cores.reduce((sum, core) => sum + core.cpu.retired, 0);
    const startRetired = retiredNow();
    const startCycles = this.#account.total;
    let exits = 0;
    let last: VmCore | null = null;
    const result = (outcome: HypervisorOutcome): HypervisorRunResult =>
      Object.freeze({ outcome, instructions: retiredNow() - startRetired, cycles: this.#account.total - startCycles, exits });
    const budgetLeft = (): number => {
      if (exits >= maxExits) return 0;
      const instructions = maxInstructions - (retiredNow() - startRetired);
      const cycles = maxCycles - (this.#account.total - startCycles);
      return Math.max(0, Math.min(instructions, cycles));
    };

    this.#running = true;
    try {
      for (;;) {
        let progressed = false;
        for (const core of cores) {
          if (!canRun(core)) continue;
          if (budgetLeft() <= 0) return result('budget');
          if (last !== null && last !== core) {
            core.charge('worldSwitch', this.costs.vmSwitch);
            core.record('vm-switch', core.name);
          }
          last = core;
          progressed = true;
          const sliceEnd = core.cpu.retired + slice;
          while (canRun(core) && core.cpu.retired < sliceEnd) {
            const left = budgetLeft();
            if (left <= 0) return result('budget');
            const exit = step(core, Math.min(left, sliceEnd - core.cpu.retired));
            if (exit === null) continue;
            exits++;
            dispatch(core, exit, handle);
          }
        }
        if (!progressed) return result('stopped');
      }
    } finally {
      this.#running = false;
    }
  }
}

/** True if a VM can make progress now (runnable, or waiting with a wake-up possible). */
function canRun(core: VmCore): boolean {
  if (core.state !== 'runnable') {
    // A halted VM wakes if a device line came up meanwhile (e.g. a frame arrived).
    if (core.state === 'halted' && core.cpu.interruptsEnabled && core.bus.lines() !== 0) {
      core.setState('runnable');
      return true;
    }
    return false;
  }
  if (core.bus.poweredOff) {
    core.setState('powered-off');
    return false;
  }
  return true;
}

/**
 * One step of a vCPU: update virtual devices, report new interrupt lines, idle if waiting,
 * otherwise run directly. Returns an exit for the VMM or null.
 */
function step(core: VmCore, maxInstructions: number): PendingExit | null {
  const bus = core.bus;
  bus.timer.update(core.time);
  const lines = bus.lines();
  const raised = lines & ~core.notifiedLines;
  core.notifiedLines = lines;
  if (raised !== 0 || (core.waiting && lines !== 0)) {
    core.waiting = false;
    return { kind: 'interrupt', cause: core.pendingInterrupt(), value: 0, pc: core.cpu.pc >>> 0, word: 0, access: 0, address: 0, retiredAt: -1 };
  }
  if (core.waiting) {
    const deadline = bus.timer.deadline;
    if (deadline === Infinity) {
      core.waiting = false;
      core.setState('halted');
      return null;
    }
    const idle = deadline - core.time;
    core.idle += idle;
    core.account.idle += idle;
    core.host.hostAccount.idle += idle;
    return null;
  }
  return runDirect(core, maxInstructions);
}

/** Charges an exit, hands it to the VMM, and applies the VMM's decisions. */
function dispatch(core: VmCore, exit: PendingExit, handle: (exit: ExitContext) => void): void {
  const costs = core.host.costs;
  core.exits++;
  core.exitsByKind[exit.kind]++;
  if (exit.kind === 'sensitive-instruction') core.charge('emulation', costs.callout);
  else if (exit.kind === 'hypercall') {
    core.charge('trap', costs.hypercallTrap);
    core.charge('emulation', costs.exitDispatch + costs.hypercall);
  } else {
    core.charge('trap', costs.vmExit);
    core.charge('worldSwitch', costs.worldSwitch);
    core.charge('emulation', costs.exitDispatch);
    if (exit.kind === 'privileged-instruction') core.charge('emulation', costs.emulateInstruction);
  }
  core.record('exit', exit.kind, exit.pc);
  const context = ExitContext.create(core, exit);
  try {
    handle(context);
  } catch (error) {
    core.failure = error;
    core.setState('failed');
  } finally {
    ExitContext.close(context);
  }
}
