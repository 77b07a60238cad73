/**
 * The VL32 interpreter: one CPU core used both by a bare {@link Machine} (native, supervisor
 * mode available) and by the hypervisor's vCPUs (deprivileged direct execution).
 *
 * Design for speed: registers live in an `Int32Array`, memory is one `Int32Array`, the TLB is
 * three typed arrays, and the hot loop keeps pc, the fetch page and the instruction count in
 * locals. Ordinary instructions (ALU, loads/stores, branches, calls) run in the loop; anything
 * that changes the machine's configuration, touches devices, traps or exits leaves the loop,
 * so the owner re-checks interrupts and budgets between batches. Nothing is allocated per
 * instruction.
 *
 * Deprivileged mode: the CPU runs a guest on behalf of a hypervisor. Every privileged
 * instruction, trap and fault stops execution with an *exit* instead of entering the guest's
 * trap handler; the control registers in {@link Cpu.ctl} are the guest's *virtual* ones (the
 * MMU reads the virtual mode, paging bit and PTBR from them). Sensitive-but-unprivileged
 * instructions of the x86-like configuration see the *real* state instead: the real mode is
 * user, the real interrupt flag is on, and the real PTBR is the hypervisor's.
 * @module
 */
import type { CostModel } from './costs.ts';
import type { IoBus } from './devices/bus.ts';
import { Cause, CONTROL_REGISTER_COUNT, ControlRegister, Op, privilegeTable, Status, type CpuConfig } from './isa.ts';
import { Access, FaultKind, neededPerm, Perm, TLB_ENTRIES, TLB_MASK, type Mmu, type TranslationSink } from './mmu.ts';

/** Why {@link Cpu.execute} returned. */
export const Stop = {
  /** The instruction limit was reached. */
  LIMIT: 0,
  /** Something changed (trap taken, system instruction): re-check interrupts, then continue. */
  EVENT: 1,
  /** Deprivileged only: an exit for the hypervisor; see {@link Cpu.exitReason}. */
  EXIT: 2,
  /** `halt` was executed (native). */
  HALT: 3,
  /** A trap could not be delivered (fault at the trap vector itself): the machine is dead. */
  DOUBLE_FAULT: 4,
  /** Binary translation: execution reached a code page that has not been scanned yet. */
  UNTRANSLATED: 5,
} as const;

/** Exit reasons of a deprivileged CPU. */
export const ExitReason = {
  NONE: 0,
  /** An architectural trap (exitCause/exitTval; exitPc is the faulting or next instruction). */
  TRAP: 1,
  /** A guest-physical access the host map does not allow (exitTval = guest-physical address). */
  VIOLATION: 2,
  /** `hcall n` (exitTval = n), already retired. */
  HYPERCALL: 3,
  /** Binary translation: a marked instruction reached (not retired). */
  CALLOUT: 4,
} as const;

/** The real STATUS a deprivileged guest observes through pushf: user mode, IE on, paging on. */
const DEPRIVILEGED_REAL_STATUS = Status.IE | Status.PAGING;

/** Options for a CPU core. */
export interface CpuOptions {
  readonly config: CpuConfig;
  /** Physical (host) memory words. */
  readonly words: Int32Array;
  readonly mmu: Mmu;
  /** The I/O bus for native `in`/`out`; null for deprivileged CPUs (I/O always exits). */
  readonly io: IoBus | null;
  readonly deprivileged: boolean;
  readonly costs: CostModel;
}

/** A CPU core. Internal to the simulator: learners never receive this object. */
export class Cpu implements TranslationSink {
  readonly config: CpuConfig;
  /** General registers r0–r15. */
  readonly regs = new Int32Array(16);
  /** Control registers (see {@link ControlRegister}); virtual ones when deprivileged. */
  readonly ctl = new Int32Array(CONTROL_REGISTER_COUNT);
  /** Address of the next instruction (unsigned). */
  pc = 0;
  /** Instructions retired. */
  retired = 0;
  /** Cycles beyond one per retired instruction (walks, traps, I/O). Total = retired + extraCycles. */
  extraCycles = 0;
  /** Traps delivered natively (including interrupts). */
  traps = 0;
  tlbMisses = 0;
  /** True after a native `halt` until an interrupt is delivered. */
  halted = false;

  // TLB.
  readonly tlbTag = new Int32Array(TLB_ENTRIES).fill(-1);
  readonly tlbFrame = new Int32Array(TLB_ENTRIES);
  readonly tlbPerm = new Uint8Array(TLB_ENTRIES);

  // TranslationSink fields written by the MMU.
  fillFrame = 0;
  fillPerm = 0;
  fillCost = 0;
  faultKind = 0;
  faultCause = 0;
  faultTval = 0;
  faultAccess = 0;
  faultAddress = -1;

  // Exit information (deprivileged).
  exitReason: number = ExitReason.NONE;
  exitCause = 0;
  exitTval = 0;
  /** pc of the instruction that caused the exit. */
  exitPc = 0;
  /** The instruction word at exitPc (0 if it could not be fetched). */
  exitWord = 0;
  exitAccess = 0;

  /** Deprivileged: what `rdptb` reveals (the hypervisor's real page-table base). */
  realPtbr = 0;
  /** Binary translation: per host word, 1 = call out to the monitor before executing. */
  callouts: Uint8Array | null = null;
  /** Binary translation: per host frame, 1 = the frame's code has been scanned. */
  scanned: Uint8Array | null = null;
  /** Binary translation is active for the current batch (virtual supervisor mode). */
  translating = false;

  readonly deprivileged: boolean;
  mmu: Mmu;
  #words: Int32Array;
  #io: IoBus | null;
  #privileged: Uint8Array;
  #costs: CostModel;
  #lastTrapRetired = -1;

  constructor(options: CpuOptions) {
    this.config = options.config;
    this.#words = options.words;
    this.mmu = options.mmu;
    this.#io = options.io;
    this.deprivileged = options.deprivileged;
    this.#privileged = privilegeTable(options.config);
    this.#costs = options.costs;
  }

  /** Total cycles so far. */
  get cycles(): number {
    return this.retired + this.extraCycles;
  }

  /** True in (virtual, when deprivileged) supervisor mode. */
  get supervisor(): boolean {
    return (this.ctl[ControlRegister.STATUS]! & Status.SUPERVISOR) !== 0;
  }

  /** True when interrupts are enabled (virtual IE when deprivileged). */
  get interruptsEnabled(): boolean {
    return (this.ctl[ControlRegister.STATUS]! & Status.IE) !== 0;
  }

  /** Invalidates every TLB entry. */
  flushTlb(): void {
    this.tlbTag.fill(-1);
  }

  /** Invalidates the TLB entry for the page containing `va`. */
  invalidatePage(va: number): void {
    const vpn = va >>> 12;
    if (this.tlbTag[vpn & TLB_MASK] === vpn) this.tlbTag[vpn & TLB_MASK] = -1;
  }

  /** Writes a control register with its architectural side effects (TLB flush on PTBR/paging). */
  writeControl(index: number, value: number): void {
    const old = this.ctl[index]!;
    this.ctl[index] = value;
    if (index === ControlRegister.PTBR || (index === ControlRegister.STATUS && ((old ^ value) & Status.PAGING) !== 0)) this.flushTlb();
  }

  /**
   * The architectural trap entry: save STATUS and pc, record the cause, enter supervisor mode
   * with interrupts off, jump to TVEC. Also used by a hypervisor to inject a trap into a guest
   * (then it acts on the virtual control registers).
   */
  enterTrap(cause: number, tval: number, epc: number): void {
    const ctl = this.ctl;
    const status = ctl[ControlRegister.STATUS]!;
    ctl[ControlRegister.ESTATUS] = status;
    ctl[ControlRegister.EPC] = epc;
    ctl[ControlRegister.CAUSE] = cause;
    ctl[ControlRegister.TVAL] = tval;
    ctl[ControlRegister.STATUS] = (status & Status.PAGING) | Status.SUPERVISOR;
    this.pc = ctl[ControlRegister.TVEC]! >>> 0;
    this.halted = false;
  }

  /** Translates a data address outside the hot path; -1 on fault (fault fields set). */
  #translate(va: number, access: number, user: boolean): number {
    const vpn = va >>> 12;
    const slot = vpn & TLB_MASK;
    if (this.tlbTag[slot] === vpn && (this.tlbPerm[slot]! & neededPerm(access, user)) !== 0) {
      return this.tlbFrame[slot]! + ((va & 0xfff) >>> 2);
    }
    return this.#miss(va, access, user);
  }

  /** TLB miss: ask the MMU, install the entry, return the word index or -1. */
  #miss(va: number, access: number, user: boolean): number {
    this.tlbMisses++;
    if (!this.mmu.fill(this, va, access, user)) return -1;
    this.extraCycles += this.fillCost;
    const vpn = va >>> 12;
    const slot = vpn & TLB_MASK;
    this.tlbTag[slot] = vpn;
    this.tlbFrame[slot] = this.fillFrame;
    this.tlbPerm[slot] = this.fillPerm;
    return this.fillFrame + ((va & 0xfff) >>> 2);
  }

  #misaligned(va: number, access: number): void {
    this.faultKind = FaultKind.TRAP;
    this.faultCause = Cause.MISALIGNED;
    this.faultTval = va | 0;
    this.faultAccess = access;
  }

  /**
   * Runs at most `maxInstructions` instructions. Returns a {@link Stop} code. The caller
   * delivers interrupts, updates devices and enforces budgets between calls.
   */
  execute(maxInstructions: number): number {
    const r = this.regs;
    const mem = this.#words;
    const tlbTag = this.tlbTag;
    const tlbFrame = this.tlbFrame;
    const tlbPerm = this.tlbPerm;
    const user = (this.ctl[ControlRegister.STATUS]! & Status.SUPERVISOR) === 0;
    const readBit = user ? Perm.USER_READ : Perm.SUPERVISOR_READ;
    const writeBit = user ? Perm.USER_WRITE : Perm.SUPERVISOR_WRITE;
    const callouts = this.translating ? this.callouts : null;
    const scanned = this.scanned;
    let pc = this.pc >>> 0;
    let n = 0;
    let fetchVpn = -1;
    let fetchBase = 0;
    // 0: ran out of instructions; 1: fault (fault fields set); 2: system instruction `word`;
    // 3: callout; 4: untranslated code page.
    let leave = 0;
    let word = 0;

    loop: while (n < maxInstructions) {
      if (pc >>> 12 !== fetchVpn) {
        if ((pc & 3) !== 0) {
          this.#misaligned(pc, Access.FETCH);
          leave = 1;
          break;
        }
        const vpn = pc >>> 12;
        const slot = vpn & TLB_MASK;
        if (tlbTag[slot] === vpn && (tlbPerm[slot]! & readBit) !== 0) fetchBase = tlbFrame[slot]!;
        else {
          if (this.#miss(pc, Access.FETCH, user) < 0) {
            leave = 1;
            break;
          }
          fetchBase = this.fillFrame;
        }
        if (callouts !== null && scanned !== null && scanned[fetchBase >>> 10] !== 1) {
          leave = 4;
          break;
        }
        fetchVpn = vpn;
      }
      const index = fetchBase + ((pc & 0xfff) >>> 2);
      if (callouts !== null && callouts[index] !== 0) {
        leave = 3;
        word = mem[index]!;
        break;
      }
      const w = mem[index]!;
      const rd = (w >>> 20) & 15;
      const rs = (w >>> 16) & 15;
      let next = (pc + 4) >>> 0;
      r[0] = 0;
      switch (w >>> 24) {
        case Op.MOVI:
          r[rd] = (w << 16) >> 16;
          break;
        case Op.LUI:
          r[rd] = w << 16;
          break;
        case Op.MOV:
          r[rd] = r[rs]!;
          break;
        case Op.NOP:
          break;
        case Op.ADD:
          r[rd] = r[rs]! + r[w & 15]!;
          break;
        case Op.SUB:
          r[rd] = r[rs]! - r[w & 15]!;
          break;
        case Op.MUL:
          r[rd] = Math.imul(r[rs]!, r[w & 15]!);
          break;
        case Op.DIV:
        case Op.REM: {
          const divisor = r[w & 15]!;
          if (divisor === 0) {
            this.faultKind = FaultKind.TRAP;
            this.faultCause = Cause.DIVIDE_BY_ZERO;
            this.faultTval = 0;
            leave = 1;
            break loop;
          }
          r[rd] = w >>> 24 === Op.DIV ? (r[rs]! / divisor) | 0 : r[rs]! % divisor | 0;
          break;
        }
        case Op.AND:
          r[rd] = r[rs]! & r[w & 15]!;
          break;
        case Op.OR:
          r[rd] = r[rs]! | r[w & 15]!;
          break;
        case Op.XOR:
          r[rd] = r[rs]! ^ r[w & 15]!;
          break;
        case Op.SHL:
          r[rd] = r[rs]! << r[w & 15]!;
          break;
        case Op.SHR:
          r[rd] = r[rs]! >>> r[w & 15]!;
          break;
        case Op.SAR:
          r[rd] = r[rs]! >> r[w & 15]!;
          break;
        case Op.SLT:
          r[rd] = r[rs]! < r[w & 15]! ? 1 : 0;
          break;
        case Op.SLTU:
          r[rd] = r[rs]! >>> 0 < r[w & 15]! >>> 0 ? 1 : 0;
          break;
        case Op.ADDI:
          r[rd] = r[rs]! + ((w << 16) >> 16);
          break;
        case Op.ANDI:
          r[rd] = r[rs]! & (w & 0xffff);
          break;
        case Op.ORI:
          r[rd] = r[rs]! | (w & 0xffff);
          break;
        case Op.XORI:
          r[rd] = r[rs]! ^ (w & 0xffff);
          break;
        case Op.SHLI:
          r[rd] = r[rs]! << w;
          break;
        case Op.SHRI:
          r[rd] = r[rs]! >>> w;
          break;
        case Op.SARI:
          r[rd] = r[rs]! >> w;
          break;
        case Op.SLTI:
          r[rd] = r[rs]! < (w << 16) >> 16 ? 1 : 0;
          break;
        case Op.LD: {
          const va = (r[rs]! + ((w << 16) >> 16)) >>> 0;
          if ((va & 3) !== 0) {
            this.#misaligned(va, Access.READ);
            leave = 1;
            break loop;
          }
          const vpn = va >>> 12;
          const slot = vpn & TLB_MASK;
          let pa: number;
          if (tlbTag[slot] === vpn && (tlbPerm[slot]! & readBit) !== 0) pa = tlbFrame[slot]! + ((va & 0xfff) >>> 2);
          else if ((pa = this.#miss(va, Access.READ, user)) < 0) {
            leave = 1;
            break loop;
          }
          r[rd] = mem[pa]!;
          break;
        }
        case Op.ST: {
          const va = (r[rs]! + ((w << 16) >> 16)) >>> 0;
          if ((va & 3) !== 0) {
            this.#misaligned(va, Access.WRITE);
            leave = 1;
            break loop;
          }
          const vpn = va >>> 12;
          const slot = vpn & TLB_MASK;
          let pa: number;
          if (tlbTag[slot] === vpn && (tlbPerm[slot]! & writeBit) !== 0) pa = tlbFrame[slot]! + ((va & 0xfff) >>> 2);
          else if ((pa = this.#miss(va, Access.WRITE, user)) < 0) {
            leave = 1;
            break loop;
          }
          mem[pa] = r[rd]!;
          // A store into the page we are executing from may have changed instructions: the
          // loop re-reads memory for every fetch, so nothing else to do.
          break;
        }
        case Op.LDB: {
          const va = (r[rs]! + ((w << 16) >> 16)) >>> 0;
          const pa = this.#translate(va, Access.READ, user);
          if (pa < 0) {
            leave = 1;
            break loop;
          }
          r[rd] = (mem[pa]! >>> ((va & 3) << 3)) & 0xff;
          break;
        }
        case Op.STB: {
          const va = (r[rs]! + ((w << 16) >> 16)) >>> 0;
          const pa = this.#translate(va, Access.WRITE, user);
          if (pa < 0) {
            leave = 1;
            break loop;
          }
          const shift = (va & 3) << 3;
          mem[pa] = (mem[pa]! & ~(0xff << shift)) | ((r[rd]! & 0xff) << shift);
          break;
        }
        case Op.PUSH:
        case Op.CALL:
        case Op.CALLR: {
          const va = (r[15]! - 4) >>> 0;
          if ((va & 3) !== 0) {
            this.#misaligned(va, Access.WRITE);
            leave = 1;
            break loop;
          }
          const op = w >>> 24;
          let value = r[rd]!;
          if (op === Op.CALL) {
            value = next | 0;
            next = (next + (((w << 8) >> 8) << 2)) >>> 0;
          } else if (op === Op.CALLR) {
            value = next | 0;
            next = r[rd]! >>> 0;
            if ((next & 3) !== 0) {
              this.#misaligned(next, Access.FETCH);
              leave = 1;
              break loop;
            }
          }
          const pa = this.#translate(va, Access.WRITE, user);
          if (pa < 0) {
            leave = 1;
            break loop;
          }
          mem[pa] = value;
          r[15] = va;
          break;
        }
        case Op.POP:
        case Op.RET: {
          const va = r[15]! >>> 0;
          if ((va & 3) !== 0) {
            this.#misaligned(va, Access.READ);
            leave = 1;
            break loop;
          }
          const pa = this.#translate(va, Access.READ, user);
          if (pa < 0) {
            leave = 1;
            break loop;
          }
          const value = mem[pa]!;
          if (w >>> 24 === Op.RET) {
            if ((value & 3) !== 0) {
              this.#misaligned(value, Access.FETCH);
              leave = 1;
              break loop;
            }
            next = value >>> 0;
          } else r[rd] = value;
          r[15] = va + 4;
          break;
        }
        case Op.BEQ:
          if (r[rd] === r[rs]) next = (next + (((w << 16) >> 16) << 2)) >>> 0;
          break;
        case Op.BNE:
          if (r[rd] !== r[rs]) next = (next + (((w << 16) >> 16) << 2)) >>> 0;
          break;
        case Op.BLT:
          if (r[rd]! < r[rs]!) next = (next + (((w << 16) >> 16) << 2)) >>> 0;
          break;
        case Op.BGE:
          if (r[rd]! >= r[rs]!) next = (next + (((w << 16) >> 16) << 2)) >>> 0;
          break;
        case Op.BLTU:
          if (r[rd]! >>> 0 < r[rs]! >>> 0) next = (next + (((w << 16) >> 16) << 2)) >>> 0;
          break;
        case Op.BGEU:
          if (r[rd]! >>> 0 >= r[rs]! >>> 0) next = (next + (((w << 16) >> 16) << 2)) >>> 0;
          break;
        case Op.JMP:
          next = (next + (((w << 8) >> 8) << 2)) >>> 0;
          break;
        case Op.JR: {
          const target = r[rd]! >>> 0;
          if ((target & 3) !== 0) {
            this.#misaligned(target, Access.FETCH);
            leave = 1;
            break loop;
          }
          next = target;
          break;
        }
        default:
          // Everything else (system, sensitive and undefined instructions) leaves the loop.
          leave = 2;
          word = w;
          break loop;
      }
      pc = next;
      n++;
    }

    this.pc = pc;
    this.retired += n;
    if (leave === 0) return Stop.LIMIT;
    if (leave === 1) return this.#fault();
    if (leave === 3) return this.#exit(ExitReason.CALLOUT, 0, 0, word);
    if (leave === 4) return Stop.UNTRANSLATED;
    return this.#system(word);
  }

  /** A fault during the last batch: a native trap, or an exit when deprivileged. */
  #fault(): number {
    if (this.faultKind === FaultKind.VIOLATION) {
      this.exitAccess = this.faultAccess;
      return this.#exit(ExitReason.VIOLATION, 0, this.faultTval, 0);
    }
    this.exitAccess = this.faultAccess;
    return this.#trap(this.faultCause, this.faultTval, this.pc);
  }

  /** Raises an architectural trap: delivered natively, or an exit when deprivileged. */
  #trap(cause: number, tval: number, epc: number): number {
    if (this.deprivileged) return this.#exit(ExitReason.TRAP, cause, tval, 0, epc);
    // A fault at the trap vector before any instruction retired can never make progress.
    if (this.#lastTrapRetired === this.retired && this.pc === (this.ctl[ControlRegister.TVEC]! >>> 0) && cause !== Cause.SYSCALL) {
      return Stop.DOUBLE_FAULT;
    }
    this.#lastTrapRetired = this.retired;
    this.traps++;
    this.extraCycles += this.#costs.trapEntry;
    this.enterTrap(cause, tval, epc);
    return Stop.EVENT;
  }

  /** Delivers an interrupt natively (the caller checked IE and the line). */
  interrupt(cause: number): void {
    this.#lastTrapRetired = -1;
    this.traps++;
    this.extraCycles += this.#costs.trapEntry;
    this.enterTrap(cause, 0, this.pc);
  }

  #exit(reason: number, cause: number, tval: number, word: number, epc = this.pc): number {
    this.exitReason = reason;
    this.exitCause = cause;
    this.exitTval = tval | 0;
    this.exitPc = epc >>> 0;
    this.exitWord = word;
    return Stop.EXIT;
  }

  /** Fetches the word at pc for exit information; 0 if it cannot be fetched. */
  #currentWord(): number {
    return this.#wordAt(this.pc);
  }

  #wordAt(va: number): number {
    const user = !this.supervisor;
    const index = this.#translate(va >>> 0, Access.FETCH, user);
    return index < 0 ? 0 : this.#words[index]!;
  }

  /** Pushes a word on the stack; false (fault fields set) if the stack is not writable. */
  #push(value: number, user: boolean): boolean {
    const va = (this.regs[15]! - 4) >>> 0;
    if ((va & 3) !== 0) {
      this.#misaligned(va, Access.WRITE);
      return false;
    }
    const pa = this.#translate(va, Access.WRITE, user);
    if (pa < 0) return false;
    this.#words[pa] = value;
    this.regs[15] = va;
    return true;
  }

  #retire(next: number): number {
    this.pc = next;
    this.retired++;
    return Stop.EVENT;
  }

  /** Executes a system, sensitive or undefined instruction at this.pc (not yet retired). */
  #system(w: number): number {
    const op = w >>> 24;
    const rd = (w >>> 20) & 15;
    const imm = w & 0xffff;
    const r = this.regs;
    const ctl = this.ctl;
    const user = (ctl[ControlRegister.STATUS]! & Status.SUPERVISOR) === 0;
    const next = (this.pc + 4) >>> 0;
    if (this.#privileged[op] === 1 && (user || this.deprivileged)) {
      if (this.deprivileged) return this.#exit(ExitReason.TRAP, Cause.PRIVILEGED, w, w);
      return this.#trap(Cause.PRIVILEGED, w, this.pc);
    }
    switch (op) {
      case Op.SYSCALL:
        this.pc = next;
        this.retired++;
        if (this.deprivileged) return this.#exit(ExitReason.TRAP, Cause.SYSCALL, imm, w, next);
        return this.#trap(Cause.SYSCALL, imm, next);
      case Op.BRK:
        this.pc = next;
        this.retired++;
        if (this.deprivileged) return this.#exit(ExitReason.TRAP, Cause.BREAKPOINT, 0, w, next);
        return this.#trap(Cause.BREAKPOINT, 0, next);
      case Op.HCALL:
        if (this.deprivileged) {
          this.pc = next;
          this.retired++;
          return this.#exit(ExitReason.HYPERCALL, 0, imm, w, next);
        }
        return this.#trap(Cause.ILLEGAL, w, this.pc);
      case Op.PUSHF: {
        const status = this.deprivileged ? DEPRIVILEGED_REAL_STATUS : ctl[ControlRegister.STATUS]!;
        if (!this.#push(status, user)) return this.#fault();
        return this.#retire(next);
      }
      case Op.POPF: {
        const va = r[15]! >>> 0;
        if ((va & 3) !== 0) {
          this.#misaligned(va, Access.READ);
          return this.#fault();
        }
        const pa = this.#translate(va, Access.READ, user);
        if (pa < 0) return this.#fault();
        const value = this.#words[pa]!;
        r[15] = va + 4;
        // In real user mode (including a deprivileged guest kernel) the IE change is ignored.
        if (!user && !this.deprivileged) ctl[ControlRegister.STATUS] = (ctl[ControlRegister.STATUS]! & ~Status.IE) | (value & Status.IE);
        return this.#retire(next);
      }
      case Op.RDMODE:
        if (rd !== 0) r[rd] = this.deprivileged ? 0 : user ? 0 : 1;
        return this.#retire(next);
      case Op.RDPTB:
        if (rd !== 0) r[rd] = this.deprivileged ? this.realPtbr : ctl[ControlRegister.PTBR]!;
        return this.#retire(next);
      default:
        break;
    }
    if (this.deprivileged || this.#privileged[op] !== 1) {
      // Not a privileged opcode: undefined.
      return this.#trap(Cause.ILLEGAL, w, this.pc);
    }
    // Native supervisor mode: privileged instructions.
    switch (op) {
      case Op.HALT:
        this.pc = next;
        this.retired++;
        this.halted = true;
        return Stop.HALT;
      case Op.MFCR:
        if (imm >= CONTROL_REGISTER_COUNT) return this.#trap(Cause.ILLEGAL, w, this.pc);
        if (rd !== 0) r[rd] = ctl[imm]!;
        return this.#retire(next);
      case Op.MTCR:
        if (imm >= CONTROL_REGISTER_COUNT) return this.#trap(Cause.ILLEGAL, w, this.pc);
        this.writeControl(imm, r[rd]!);
        return this.#retire(next);
      case Op.IRET: {
        const target = ctl[ControlRegister.EPC]! >>> 0;
        this.writeControl(ControlRegister.STATUS, ctl[ControlRegister.ESTATUS]!);
        this.extraCycles += this.#costs.trapReturn;
        this.pc = target;
        this.retired++;
        return Stop.EVENT;
      }
      case Op.CLI:
        ctl[ControlRegister.STATUS] = ctl[ControlRegister.STATUS]! & ~Status.IE;
        return this.#retire(next);
      case Op.STI:
        ctl[ControlRegister.STATUS] = ctl[ControlRegister.STATUS]! | Status.IE;
        return this.#retire(next);
      // Devices see the time after the instruction retires, as they do under a hypervisor,
      // which emulates the access after the exit has retired it.
      case Op.IN: {
        this.#retire(next);
        const value = this.#io === null ? -1 : this.#io.read(imm);
        if (rd !== 0) r[rd] = value;
        this.extraCycles += this.#costs.ioAccess;
        return Stop.EVENT;
      }
      case Op.OUT:
        this.#retire(next);
        this.#io?.write(imm, r[rd]!);
        this.extraCycles += this.#costs.ioAccess;
        return Stop.EVENT;
      case Op.TLBFLUSH:
        this.flushTlb();
        return this.#retire(next);
      case Op.TLBI:
        this.invalidatePage(r[rd]!);
        return this.#retire(next);
      default:
        return this.#trap(Cause.ILLEGAL, w, this.pc);
    }
  }

  /** For tools: the instruction word at the current pc (0 if unmapped). */
  currentWord(): number {
    return this.#currentWord();
  }
}
