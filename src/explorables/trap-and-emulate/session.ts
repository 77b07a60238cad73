/**
 * The model of lesson 5's trap-and-emulate explorable: the tiny guest run under the small
 * monitor on a chosen CPU, one exit at a time, beside the same guest on bare hardware. Every
 * figure it reports is the simulator's own (its exits, console, cycles, instruction table).
 */
import { Hypervisor, type VirtualMachine } from '../../sim/hv/hypervisor.ts';
import { Machine } from '../../sim/machine/machine.ts';
import { disassembleWord } from '../../sim/machine/disassembler.ts';
import { instructionByOpcode, type CpuConfig } from '../../sim/machine/isa.ts';
import type { ExitKind } from '../../sim/hv/types.ts';
import { GUEST_MEMORY_BYTES, guestProgram, sourceAt } from './guest.ts';
import { resolveExit } from './monitor.ts';

/** The guest powers off after a dozen instructions; a budget keeps a broken guest finite. */
const MAX_INSTRUCTIONS = 10_000;
/** Host memory: a few frames more than the guest needs, so the seed has frames to choose from. */
const HOST_MEMORY_BYTES = 64 * 1024;

export interface ExitRecord {
  /** 1 for the first exit. */
  readonly number: number;
  readonly kind: ExitKind;
  readonly pc: number;
  /** The instruction at the exit, as the guest's source writes it. */
  readonly instruction: string;
  /** What the monitor did, in words. */
  readonly action: string;
  /** The guest's virtual interrupt flag once the monitor returned. */
  readonly interruptsOn: boolean;
}

/** One line of the guest's code, with what became of it on this run so far. */
export interface GuestLine {
  readonly address: number;
  /** The statement as the guest's source writes it, and its comment. */
  readonly text: string;
  readonly comment: string;
  /** Sensitive in Popek and Goldberg's sense (the simulator's instruction table). */
  readonly sensitive: boolean;
  /** Traps in user mode on this CPU. */
  readonly privileged: boolean;
  /** The exit it caused, if it has run and caused one. */
  readonly exit?: number;
  /** Whether it has run yet. */
  readonly ran: boolean;
}

export interface BareRun {
  readonly output: string;
  readonly cycles: number;
  readonly instructions: number;
}

const decodeLine = (word: number, address: number, cpu: CpuConfig) => {
  const spec = instructionByOpcode((word >>> 24) & 0xff);
  const { statement, comment } = sourceAt(address);
  return {
    address,
    text: statement,
    comment,
    sensitive: spec !== undefined && spec.sensitivity !== 'innocuous',
    privileged: spec?.privileged[cpu] ?? false,
  };
};

/** The guest on bare hardware: what the VM should reproduce. */
export function runOnBareHardware(cpu: CpuConfig): BareRun {
  const machine = new Machine({ cpu, memoryBytes: GUEST_MEMORY_BYTES });
  machine.load(guestProgram());
  machine.run({ maxInstructions: MAX_INSTRUCTIONS });
  return { output: machine.console.output, cycles: machine.stats.cycles, instructions: machine.stats.instructions };
}

export class TrapAndEmulateSession {
  readonly cpu: CpuConfig;
  readonly seed: number;
  readonly #hypervisor: Hypervisor;
  readonly #vm: VirtualMachine;
  readonly #exits: ExitRecord[] = [];
  #finished = false;

  constructor(cpu: CpuConfig, seed: number) {
    this.cpu = cpu;
    this.seed = seed;
    this.#hypervisor = new Hypervisor({ cpu, seed, hostMemoryBytes: HOST_MEMORY_BYTES });
    this.#vm = this.#hypervisor.createVm({ name: 'guest', memoryBytes: GUEST_MEMORY_BYTES });
    this.#vm.load(guestProgram());
  }

  get exits(): readonly ExitRecord[] {
    return this.#exits;
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** What the guest has printed so far. */
  get output(): string {
    return this.#vm.console.output;
  }

  /** The guest's virtual interrupt flag now. */
  get interruptsOn(): boolean {
    return this.#vm.cpuState.interruptsEnabled;
  }

  /** Host cycles the VM has cost so far (direct execution, exits, emulation). */
  get cycles(): number {
    return this.#vm.stats.cycles.total;
  }

  get instructions(): number {
    return this.#vm.stats.directInstructions + this.#vm.stats.emulatedInstructions;
  }

  /** The host frame the seed chose for the guest's first page (where its code lives). */
  get codeHostFrame(): number {
    return this.#vm.hostFrames()[0]!;
  }

  /** Runs the guest directly until its next exit and lets the monitor resolve it; null once it has stopped. */
  step(): ExitRecord | null {
    if (this.#finished) return null;
    let record: ExitRecord | null = null;
    const result = this.#hypervisor.run(
      (exit) => {
        const instruction = exit.instruction ? sourceAt(exit.pc).statement || disassembleWord(exit.instruction.word, exit.pc) : '(none)';
        const action = resolveExit(exit);
        record = { number: this.#exits.length + 1, kind: exit.kind, pc: exit.pc, instruction, action, interruptsOn: exit.vcpu.interruptsEnabled };
      },
      { maxExits: 1, maxInstructions: MAX_INSTRUCTIONS },
    );
    if (record) this.#exits.push(record);
    if (result.outcome === 'stopped' || this.#vm.state !== 'runnable') this.#finished = true;
    return record;
  }

  /** Steps until the guest stops. */
  runToEnd(): readonly ExitRecord[] {
    while (!this.#finished) this.step();
    return this.#exits;
  }

  /**
   * The guest's code with what happened to each line so far. The guest runs straight through
   * (no branches), so a line has run once the vCPU's pc has passed it.
   */
  guestLines(): GuestLine[] {
    const program = guestProgram();
    const pc = this.#vm.cpuState.pc;
    return Array.from(program.words, (word, index) => {
      const address = program.origin + index * 4;
      const exit = this.#exits.find((record) => record.pc === address);
      const ran = this.#finished || address < pc;
      return { ...decodeLine(word, address, this.cpu), ran, ...(exit && ran ? { exit: exit.number } : {}) };
    });
  }
}
