/**
 * The internal state of one virtual machine and the mechanics of running its vCPU: direct
 * execution, turning CPU exits into VMM exits, cycle accounting, virtual devices and virtual
 * time. Never handed to learner code; {@link VirtualMachine} (test side) and `ExitContext`
 * (learner side) are the facades.
 * @module
 */
import type { EventTrace } from '../common/trace.ts';
import type { CostModel } from '../machine/costs.ts';
import { Cpu, ExitReason, Stop } from '../machine/cpu.ts';
import { IoBus } from '../machine/devices/bus.ts';
import { Cause, ControlRegister, Status, type CpuConfig } from '../machine/isa.ts';
import { interruptCause } from '../machine/machine.ts';
import { GuestMemory } from './guest-memory.ts';
import type { ShadowBinding, ShadowTable } from './shadow.ts';
import type { CycleAccount, ExitKind, TraceEvent, VmState, VmStats } from './types.ts';
import { EXIT_KINDS } from './types.ts';
import { VmMmu, type MmuMode, type TranslationState } from './vm-mmu.ts';

/** A learner- or test-supplied binary-translation scanner (see `Hypervisor.createVm`). */
export type TranslationScanner = (page: CodePage) => Iterable<number>;

/** A code page handed to a {@link TranslationScanner}. */
export interface CodePage {
  /** Guest-virtual address of the page's first instruction. */
  readonly address: number;
  /** The page's 1024 words (a frozen copy). */
  readonly words: readonly number[];
}

/** Mutable cycle account. */
export class Account {
  direct = 0;
  trap = 0;
  emulation = 0;
  worldSwitch = 0;
  idle = 0;

  get total(): number {
    return this.direct + this.trap + this.emulation + this.worldSwitch;
  }

  snapshot(): CycleAccount {
    return Object.freeze({
      direct: this.direct,
      trap: this.trap,
      emulation: this.emulation,
      worldSwitch: this.worldSwitch,
      idle: this.idle,
      total: this.total,
    });
  }
}

/** Shared hypervisor services a VM core uses. */
export interface HostServices {
  readonly config: CpuConfig;
  readonly costs: CostModel;
  readonly hostWords: Int32Array;
  readonly trace: EventTrace<TraceEvent>;
  /** Host cycles so far (all VMs), for trace timestamps. */
  hostCycles(): number;
  /** The host's cycle account, which every VM's charges also go to, so the total stays current. */
  readonly hostAccount: Account;
  /** Per host frame translation flags and callout marks (binary translation). */
  translationArrays(): { scanned: Uint8Array; callouts: Uint8Array };
}

/** Upper bound on shadow-table mappings per table. */
export const MAX_SHADOW_ENTRIES = 1 << 16;
/** Shadow tables one VM may create in its lifetime. */
export const MAX_SHADOW_TABLES = 16;

/** Internal state of a VM. */
export class VmCore {
  /** Unique in the process, never reused (see Hypervisor.createVm). */
  readonly id: number;
  /** 1, 2, … in the order its hypervisor created it: what the trace records, so equal set-ups trace alike. */
  readonly ordinal: number;
  readonly name: string;
  readonly host: HostServices;
  readonly memory: GuestMemory;
  readonly bus: IoBus;
  readonly cpu: Cpu;
  readonly mmu: VmMmu;
  readonly account = new Account();
  readonly frames: readonly number[];
  state: VmState = 'runnable';
  failure: unknown = null;
  /** True while the vCPU idles after `waitForInterrupt`. */
  waiting = false;
  idle = 0;
  notifiedLines = 0;
  emulated = 0;
  exits = 0;
  readonly exitsByKind: Record<ExitKind, number>;
  injections = 0;
  directSyscalls = false;
  sharedFrame = -1;
  readonly shadowBinding: ShadowBinding;
  readonly shadowTables = new WeakSet<ShadowTable>();
  shadowTablesCreated = 0;
  scanner: TranslationScanner | null = null;
  /** Host frames scanned for this VM (to undo on destroy). */
  readonly translatedFrames = new Set<number>();

  constructor(id: number, ordinal: number, name: string, host: HostServices, frames: readonly number[], mmuMode: MmuMode, blockSectors: number) {
    this.id = id;
    this.ordinal = ordinal;
    this.name = name;
    this.host = host;
    this.frames = frames;
    this.memory = new GuestMemory(host.hostWords, frames);
    const memory = this.memory;
    this.bus = new IoBus(
      { readWord: (gpa) => memory.read(gpa), writeWord: (gpa, value) => memory.write(gpa, value) },
      () => this.time,
      { blockSectors },
    );
    this.mmu = new VmMmu(memory, mmuMode, host.costs.nestedTlbMiss, host.costs.tlbMiss);
    this.cpu = new Cpu({ config: host.config, words: host.hostWords, mmu: this.mmu, io: null, deprivileged: true, costs: host.costs });
    this.cpu.realPtbr = (frames[0] ?? 0) << 12;
    this.cpu.ctl[ControlRegister.STATUS] = Status.SUPERVISOR;
    memory.onChange = () => this.cpu.flushTlb();
    this.exitsByKind = Object.fromEntries(EXIT_KINDS.map((k) => [k, 0])) as Record<ExitKind, number>;
    let tables = 0;
    this.shadowBinding = {
      nextId: () => ++tables,
      guestPages: memory.pages,
      maxEntries: MAX_SHADOW_ENTRIES,
      charge: () => this.charge('emulation', host.costs.guestMemoryAccess),
      changed: (table, vpn) => {
        if (this.mmu.activeShadow !== table) return;
        if (vpn < 0) this.cpu.flushTlb();
        else this.cpu.invalidatePage(vpn << 12);
      },
    };
  }

  /** Guest time in ticks. */
  get time(): number {
    return this.cpu.retired + this.idle;
  }

  get supervisor(): boolean {
    return this.cpu.supervisor;
  }

  /** Adds cycles to this VM's and the host's account. */
  charge(category: 'direct' | 'trap' | 'emulation' | 'worldSwitch', cycles: number): void {
    this.account[category] += cycles;
    this.host.hostAccount[category] += cycles;
  }

  record(type: TraceEvent['type'], detail: string, pc = this.cpu.pc): void {
    const trace = this.host.trace;
    if (trace.capacity === 0) return;
    trace.record(Object.freeze({ cycle: this.host.hostCycles(), vm: this.ordinal, type, detail, pc: pc >>> 0 }));
  }

  setState(state: VmState): void {
    if (this.state === state) return;
    this.state = state;
    this.record('state', state);
  }

  /** Lowest raised virtual interrupt line as a cause, or -1. */
  pendingInterrupt(): number {
    return interruptCause(this.bus.lines());
  }

  /**
   * Architectural trap entry on the virtual CPU (reflection / event injection). Writes the
   * paravirtual shared trap frame when one is registered.
   */
  inject(cause: number, tval: number): void {
    const cpu = this.cpu;
    cpu.enterTrap(cause, tval, cpu.pc);
    this.injections++;
    if (this.sharedFrame >= 0) {
      const base = this.sharedFrame;
      this.memory.write(base, cause);
      this.memory.write(base + 4, tval);
      this.memory.write(base + 8, cpu.ctl[ControlRegister.EPC]!);
      this.memory.write(base + 12, cpu.ctl[ControlRegister.ESTATUS]!);
    }
    this.record('inject', String(cause));
  }

  stats(): VmStats {
    const retired = this.cpu.retired;
    const direct = retired - this.emulated;
    return Object.freeze({
      directInstructions: direct,
      emulatedInstructions: this.emulated,
      directShare: retired === 0 ? 1 : direct / retired,
      exits: this.exits,
      exitsByKind: Object.freeze({ ...this.exitsByKind }),
      injections: this.injections,
      tlbMisses: this.cpu.tlbMisses,
      guestTime: this.time,
      cycles: this.account.snapshot(),
    });
  }

  /** Enables binary translation with `scanner` (null disables it). */
  setScanner(scanner: TranslationScanner | null): void {
    this.scanner = scanner;
    if (scanner === null) {
      this.mmu.translation = null;
      this.cpu.callouts = null;
      this.cpu.scanned = null;
      this.#forgetTranslations();
      return;
    }
    const arrays = this.host.translationArrays();
    this.cpu.callouts = arrays.callouts;
    this.cpu.scanned = arrays.scanned;
    const state: TranslationState = {
      scanned: arrays.scanned,
      invalidate: (frame) => {
        arrays.scanned[frame] = 0;
        arrays.callouts.fill(0, frame << 10, (frame + 1) << 10);
        this.translatedFrames.delete(frame);
      },
    };
    this.mmu.translation = state;
    this.cpu.flushTlb();
  }

  #forgetTranslations(): void {
    if (this.translatedFrames.size === 0) return;
    const arrays = this.host.translationArrays();
    for (const frame of this.translatedFrames) {
      arrays.scanned[frame] = 0;
      arrays.callouts.fill(0, frame << 10, (frame + 1) << 10);
    }
    this.translatedFrames.clear();
  }

  /**
   * Binary translation: make sure the code page at pc has been scanned. If the page cannot be
   * fetched, nothing is scanned and execution then faults normally.
   */
  translateCurrentPage(): void {
    const scanner = this.scanner;
    const cpu = this.cpu;
    if (scanner === null) return;
    const pageVa = (cpu.pc & ~0xfff) >>> 0;
    // Translate through the MMU as a fetch would (no side effects beyond a TLB fill).
    if (!this.mmu.fill(cpu, pageVa, 2, !cpu.supervisor)) return;
    const frame = cpu.fillFrame >>> 10;
    const arrays = this.host.translationArrays();
    if (arrays.scanned[frame] === 1) return;
    const words = Object.freeze(Array.from(this.host.hostWords.subarray(frame << 10, (frame + 1) << 10), (w) => w >>> 0));
    // The scanner is VMM (learner) code: a throw fails this VM, never the host program.
    const marks = scanner(Object.freeze({ address: pageVa, words }));
    arrays.scanned[frame] = 1;
    this.translatedFrames.add(frame);
    if (marks !== null && marks !== undefined && typeof (marks as Iterable<number>)[Symbol.iterator] === 'function') {
      let seen = 0;
      for (const address of marks) {
        // A page has 1024 instructions; stop runaway iterables.
        if (++seen > 4 * 1024) break;
        if (typeof address !== 'number' || !Number.isInteger(address)) continue;
        const offset = (address >>> 0) - pageVa;
        if (offset >= 0 && offset < 4096 && offset % 4 === 0) arrays.callouts[(frame << 10) + offset / 4] = 1;
      }
    }
    this.charge('emulation', this.host.costs.translateInstruction * 1024);
    // Cached TLB entries may still allow writes to the frame: drop them.
    cpu.flushTlb();
    this.record('translate', `page ${pageVa.toString(16)}`, pageVa);
  }

  /** True if the page containing pc needs scanning before it runs translated. */
  needsTranslation(): boolean {
    if (this.scanner === null || !this.cpu.supervisor) return false;
    const cpu = this.cpu;
    if (!this.mmu.fill(cpu, (cpu.pc & ~0xfff) >>> 0, 2, false)) return false;
    return this.host.translationArrays().scanned[cpu.fillFrame >>> 10] !== 1;
  }

  /** Releases translation marks (when the VM is destroyed). */
  dispose(): void {
    this.#forgetTranslations();
  }
}

/** The outcome of running a VM's vCPU directly until something needs the VMM. */
export interface PendingExit {
  kind: ExitKind;
  cause: number;
  value: number;
  pc: number;
  word: number;
  access: number;
  /** Guest-virtual address for page faults and memory violations. */
  address: number;
  /**
   * The pc of an instruction this exit already counted as retired (an emulated privileged or
   * translated instruction, a hypercall), or -1. If the VMM then takes a trap at that very pc —
   * the instruction faults, as it would have on bare hardware — the count is taken back, so
   * instruction counts stay equal to bare hardware's.
   */
  retiredAt: number;
}

/**
 * Runs the vCPU directly for at most `maxInstructions` (and not past the virtual timer's next
 * tick). Returns an exit for the VMM, or null if the batch simply ended (limit, tick, handled
 * internally).
 */
export function runDirect(core: VmCore, maxInstructions: number): PendingExit | null {
  const cpu = core.cpu;
  const costs = core.host.costs;
  if (core.scanner !== null) {
    cpu.translating = cpu.supervisor;
    if (cpu.translating && core.needsTranslation()) {
      try {
        core.translateCurrentPage();
      } catch (error) {
        core.failure = error;
        core.setState('failed');
        return null;
      }
    }
  } else cpu.translating = false;
  const retiredBefore = cpu.retired;
  const extraBefore = cpu.extraCycles;
  const limit = Math.max(1, Math.min(maxInstructions, core.bus.timer.deadline - core.time));
  const stop = cpu.execute(limit);
  core.charge('direct', cpu.retired - retiredBefore + cpu.extraCycles - extraBefore);
  if (stop !== Stop.EXIT) return null;
  const exit: PendingExit = {
    kind: 'exception',
    cause: cpu.exitCause,
    value: cpu.exitTval,
    pc: cpu.exitPc,
    word: cpu.exitWord,
    access: cpu.exitAccess,
    address: 0,
    retiredAt: -1,
  };
  switch (cpu.exitReason) {
    case ExitReason.TRAP:
      switch (cpu.exitCause) {
        case Cause.PRIVILEGED:
          exit.kind = 'privileged-instruction';
          if (cpu.supervisor) {
            // Bare hardware would have executed (retired) it in supervisor mode.
            cpu.retired++;
            core.emulated++;
            exit.retiredAt = exit.pc;
          }
          break;
        case Cause.SYSCALL:
          if (core.directSyscalls) {
            core.charge('direct', costs.trapEntry);
            core.inject(Cause.SYSCALL, cpu.exitTval);
            return null;
          }
          exit.kind = 'syscall';
          break;
        case Cause.PAGE_FAULT_FETCH:
        case Cause.PAGE_FAULT_LOAD:
        case Cause.PAGE_FAULT_STORE:
          exit.kind = 'page-fault';
          exit.address = cpu.exitTval;
          break;
        default:
          exit.kind = 'exception';
          if (cpu.exitCause === Cause.BUS_ERROR || cpu.exitCause === Cause.MISALIGNED) exit.address = cpu.exitTval;
          break;
      }
      break;
    case ExitReason.VIOLATION:
      exit.kind = 'memory-violation';
      exit.address = cpu.faultAddress;
      break;
    case ExitReason.HYPERCALL:
      exit.kind = 'hypercall';
      core.emulated++;
      exit.retiredAt = (exit.pc - 4) >>> 0; // the cpu retired hcall and moved past it
      break;
    case ExitReason.CALLOUT:
      exit.kind = 'sensitive-instruction';
      exit.value = cpu.exitWord;
      cpu.retired++;
      core.emulated++;
      exit.retiredAt = exit.pc;
      break;
    default:
      return null;
  }
  if (exit.word === 0) exit.word = cpu.currentWord() >>> 0;
  exit.word >>>= 0;
  return exit;
}
