/**
 * A bare machine: one VL32 CPU, physical memory and the standard devices, running a guest
 * kernel natively in supervisor mode. It is the reference every virtual machine is compared
 * with (Popek–Goldberg equivalence): same program, same console output, same final state.
 * @module
 */
import { requireArgument, SimError } from '../common/errors.ts';
import type { Program } from './assembler.ts';
import { resolveCosts, type CostModel } from './costs.ts';
import { Cpu, Stop } from './cpu.ts';
import { IoBus } from './devices/bus.ts';
import type { DmaPort } from './devices/dma.ts';
import { CONTROL_REGISTER_NAMES, ControlRegister, INTERRUPT_CAUSE_BASE, Status, type ControlRegisterName, type CpuConfig, CPU_CONFIGS } from './isa.ts';
import { PhysicalMemory } from './memory.ts';
import { NativeMmu } from './mmu.ts';

/** Options for a {@link Machine}. */
export interface MachineOptions {
  /** CPU configuration (default `virtualizable`). */
  cpu?: CpuConfig;
  /** Physical memory in bytes, a multiple of 4096 (default 1 MiB). */
  memoryBytes?: number;
  /** Cost overrides (cycles). */
  costs?: Partial<CostModel>;
  /** Sectors on the block device (default 64). */
  blockSectors?: number;
}

/** Limits for one `run` call. A run stops with outcome `budget` when one is reached. */
export interface RunBudget {
  /** Most instructions to retire in this call (default 100 million). */
  maxInstructions?: number;
  /** Most cycles (including idle cycles) to spend in this call (default 1 billion). */
  maxCycles?: number;
}

/** Why a run stopped. */
export type RunOutcome =
  /** `halt` with interrupts disabled, or with nothing that could wake the CPU. */
  | 'halted'
  /** The guest wrote to the POWER_OFF port. */
  | 'powered-off'
  /** A budget ran out; `run` again to continue. */
  | 'budget'
  /** A trap could not be delivered (e.g. the trap vector is unmapped): the CPU is stuck. */
  | 'double-fault';

/** What a `run` call did. */
export interface RunResult {
  readonly outcome: RunOutcome;
  /** Instructions retired during this call. */
  readonly instructions: number;
  /** Cycles spent during this call (including idle). */
  readonly cycles: number;
}

/** A frozen copy of a CPU's architectural state. */
export interface CpuSnapshot {
  readonly pc: number;
  /** r0–r15 as signed 32-bit values. */
  readonly registers: readonly number[];
  /** Control registers by name. */
  readonly control: Readonly<Record<ControlRegisterName, number>>;
  /** Current mode. */
  readonly mode: 'user' | 'supervisor';
  readonly interruptsEnabled: boolean;
  readonly pagingEnabled: boolean;
}

/** Counters of a machine. */
export interface MachineStats {
  readonly instructions: number;
  /** Total cycles: instructions + walks + traps + I/O + idle. */
  readonly cycles: number;
  /** Cycles the CPU spent halted waiting for an interrupt. */
  readonly idleCycles: number;
  /** Traps and interrupts delivered. */
  readonly traps: number;
  readonly tlbMisses: number;
}

/** Default budgets. */
export const DEFAULT_MAX_INSTRUCTIONS = 100_000_000;
export const DEFAULT_MAX_CYCLES = 1_000_000_000;

/** Validates a budget and returns its limits. */
export function resolveBudget(budget: RunBudget | undefined, what: string): { maxInstructions: number; maxCycles: number } {
  const maxInstructions = budget?.maxInstructions ?? DEFAULT_MAX_INSTRUCTIONS;
  const maxCycles = budget?.maxCycles ?? DEFAULT_MAX_CYCLES;
  for (const [name, value] of [['maxInstructions', maxInstructions], ['maxCycles', maxCycles]] as const) {
    if (typeof value !== 'number' || !(value >= 0) || (!Number.isInteger(value) && value !== Infinity)) {
      throw new SimError('INVALID_ARGUMENT', `${what}: ${name} must be a non-negative integer (or Infinity), got ${String(value)}`);
    }
  }
  return { maxInstructions, maxCycles };
}

/** Takes a snapshot of a CPU's registers. */
export function snapshotCpu(cpu: Cpu): CpuSnapshot {
  const control = {} as Record<ControlRegisterName, number>;
  CONTROL_REGISTER_NAMES.forEach((name, i) => {
    control[name] = cpu.ctl[i]!;
  });
  const status = cpu.ctl[ControlRegister.STATUS]!;
  return Object.freeze({
    pc: cpu.pc >>> 0,
    registers: Object.freeze(Array.from(cpu.regs)),
    control: Object.freeze(control),
    mode: (status & Status.SUPERVISOR) !== 0 ? 'supervisor' : 'user',
    interruptsEnabled: (status & Status.IE) !== 0,
    pagingEnabled: (status & Status.PAGING) !== 0,
  });
}

/** Lowest raised interrupt line in `lines`, as a trap cause, or -1. */
export function interruptCause(lines: number): number {
  if (lines === 0) return -1;
  return INTERRUPT_CAUSE_BASE + (31 - Math.clz32(lines & -lines));
}

/**
 * A bare VL32 computer. Owned by tests and lessons: it exposes the whole truth (memory,
 * devices, registers). Typical use:
 *
 * ```ts
 * const machine = new Machine({ memoryBytes: 256 * 1024 });
 * machine.load(assemble(source));
 * const result = machine.run({ maxInstructions: 1_000_000 });
 * machine.console.output; // what the guest printed
 * ```
 */
export class Machine {
  readonly config: CpuConfig;
  readonly costs: CostModel;
  #memory: PhysicalMemory;
  #cpu: Cpu;
  #bus: IoBus;
  #idle = 0;
  #dead: RunOutcome | null = null;

  constructor(options: MachineOptions = {}) {
    requireArgument(options !== null && typeof options === 'object', 'new Machine(options): options must be an object');
    const config = options.cpu ?? 'virtualizable';
    requireArgument(CPU_CONFIGS.includes(config), `new Machine: cpu must be one of ${CPU_CONFIGS.join(', ')}, got ${String(config)}`);
    this.config = config;
    this.costs = resolveCosts(options.costs, (message) => new SimError('INVALID_ARGUMENT', `new Machine: ${message}`));
    this.#memory = new PhysicalMemory(options.memoryBytes ?? 1024 * 1024);
    const memory = this.#memory;
    const dma: DmaPort = {
      readWord: (address) => (address % 4 === 0 && address >= 0 && address + 4 <= memory.size ? memory.words[address >>> 2] : undefined),
      writeWord: (address, value) => {
        if (address % 4 !== 0 || address < 0 || address + 4 > memory.size) return false;
        memory.words[address >>> 2] = value;
        return true;
      },
    };
    this.#bus = new IoBus(dma, () => this.time, { blockSectors: options.blockSectors ?? 64 });
    this.#cpu = new Cpu({
      config,
      words: memory.words,
      mmu: new NativeMmu(memory.words, this.costs.tlbMiss),
      io: this.#bus,
      deprivileged: false,
      costs: this.costs,
    });
    this.reset(0);
  }

  /** Physical memory (the whole truth; for tests and lessons). */
  get memory(): PhysicalMemory {
    return this.#memory;
  }

  /** The devices: console, timer, block device, NIC. */
  get devices(): IoBus {
    return this.#bus;
  }

  /** Shortcut for `devices.console`. */
  get console(): IoBus['console'] {
    return this.#bus.console;
  }

  /** Time in timer ticks: retired instructions plus idle ticks. */
  get time(): number {
    return this.#cpu.retired + this.#idle;
  }

  /**
   * Loads a program (or raw words) into physical memory at `address` (default: the program's
   * origin, or 0) and points the CPU at its entry.
   */
  load(program: Program | ArrayLike<number>, address?: number): void {
    const isProgram = typeof program === 'object' && program !== null && 'words' in program && 'origin' in program;
    const words = isProgram ? (program as Program).words : (program as ArrayLike<number>);
    requireArgument(words !== null && typeof words === 'object' && typeof words.length === 'number', 'load(program): pass the result of assemble() or an array of words');
    const base = address ?? (isProgram ? (program as Program).origin : 0);
    this.#memory.load(words, base);
    if (isProgram) this.reset(base + ((program as Program).entry - (program as Program).origin));
    else this.reset(base);
  }

  /** Resets the CPU: supervisor mode, interrupts off, paging off, registers zero, pc = entry. */
  reset(entry: number): void {
    requireArgument(Number.isInteger(entry) && entry >= 0 && entry % 4 === 0, `reset(entry): entry must be an aligned address, got ${entry}`);
    const cpu = this.#cpu;
    cpu.regs.fill(0);
    cpu.ctl.fill(0);
    cpu.ctl[ControlRegister.STATUS] = Status.SUPERVISOR;
    cpu.flushTlb();
    cpu.pc = entry;
    cpu.halted = false;
    this.#dead = null;
  }

  /** A frozen copy of the CPU state. */
  get state(): CpuSnapshot {
    return snapshotCpu(this.#cpu);
  }

  /** Counters since construction. */
  get stats(): MachineStats {
    const cpu = this.#cpu;
    return Object.freeze({
      instructions: cpu.retired,
      cycles: cpu.cycles + this.#idle,
      idleCycles: this.#idle,
      traps: cpu.traps,
      tlbMisses: cpu.tlbMisses,
    });
  }

  /** Runs until the guest halts or powers off, or a budget runs out. */
  run(budget?: RunBudget): RunResult {
    const { maxInstructions, maxCycles } = resolveBudget(budget, 'Machine.run');
    const cpu = this.#cpu;
    const bus = this.#bus;
    const startRetired = cpu.retired;
    const startCycles = cpu.cycles + this.#idle;
    const endRetired = startRetired + maxInstructions;
    const endCycles = startCycles + maxCycles;
    const result = (outcome: RunOutcome): RunResult =>
      Object.freeze({ outcome, instructions: cpu.retired - startRetired, cycles: cpu.cycles + this.#idle - startCycles });
    if (this.#dead !== null) return result(this.#dead);
    for (;;) {
      if (bus.poweredOff) return result('powered-off');
      const now = this.time;
      bus.timer.update(now);
      const lines = bus.lines();
      if (cpu.retired >= endRetired || cpu.cycles + this.#idle >= endCycles) return result('budget');
      if (lines !== 0 && cpu.interruptsEnabled) {
        cpu.interrupt(interruptCause(lines));
        continue;
      }
      if (cpu.halted) {
        // Idle until the timer can wake us; with interrupts off or no timer, we are done.
        if (!cpu.interruptsEnabled || bus.timer.deadline === Infinity) return result('halted');
        const idle = Math.min(bus.timer.deadline - now, endCycles - (cpu.cycles + this.#idle));
        this.#idle += Math.max(1, idle);
        continue;
      }
      const limit = Math.max(1, Math.min(endRetired - cpu.retired, endCycles - cpu.cycles - this.#idle, bus.timer.deadline - now));
      const stop = cpu.execute(limit);
      if (stop === Stop.DOUBLE_FAULT) {
        this.#dead = 'double-fault';
        return result('double-fault');
      }
    }
  }
}
