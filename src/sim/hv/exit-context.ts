/**
 * What a VMM's exit handler receives: an {@link ExitContext} describing one exit, with the
 * operations a monitor may perform on its own VM — and nothing else. It wraps the VM's
 * internal state in `#private` fields and is valid only while the handler runs; using it (or
 * its vCPU handle) afterwards throws, so learner code cannot keep a key to the machine.
 * @module
 */
import { SimError } from '../common/errors.ts';
import { snapshotCpu, type CpuSnapshot } from '../machine/machine.ts';
import { ACCESS_NAMES } from '../machine/mmu.ts';
import { CONTROL_REGISTER_NAMES, decode, INTERRUPT_CAUSE_BASE, type ControlRegisterName, type DecodedInstruction } from '../machine/isa.ts';
import { ShadowTable } from './shadow.ts';
import type { ExitKind } from './types.ts';
import { MAX_SHADOW_TABLES, type PendingExit, type VmCore } from './vm-core.ts';

/** Identity of the VM an exit belongs to. */
export interface VmInfo {
  readonly id: number;
  readonly name: string;
  /** Guest-physical memory size in bytes. */
  readonly memoryBytes: number;
  readonly mmu: 'nested' | 'shadow';
}

/** A handler the hypervisor calls for every exit. */
export type ExitHandler = ((exit: ExitContext) => void) | { handleExit(exit: ExitContext): void };

/** Token that only this module can create: keeps constructors out of learners' reach. */
const CONSTRUCT = Symbol('construct');

function controlIndex(register: ControlRegisterName | number, what: string): number {
  if (typeof register === 'number') {
    if (Number.isInteger(register) && register >= 0 && register < CONTROL_REGISTER_NAMES.length) return register;
  } else if (typeof register === 'string') {
    const index = CONTROL_REGISTER_NAMES.indexOf(register.toLowerCase() as ControlRegisterName);
    if (index >= 0) return index;
  }
  throw new SimError('INVALID_ARGUMENT', `${what}: unknown control register ${String(register)}; use one of ${CONTROL_REGISTER_NAMES.join(', ')} or 0–7`);
}

function checkWord(value: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff) {
    throw new SimError('INVALID_ARGUMENT', `${what} must be a 32-bit integer, got ${String(value)}`);
  }
  return value | 0;
}

/**
 * The virtual CPU of the VM that exited: its general registers, program counter and
 * *virtual* control registers (the mode, interrupt flag, PTBR, trap registers the guest
 * believes it has). The hardware uses the virtual mode for page permissions, and the virtual
 * paging bit and PTBR for nested paging, so emulating `mtcr` means writing them here.
 */
export class VcpuHandle {
  #core: VmCore;
  #active: () => boolean;

  /** @internal */
  constructor(token: symbol, core: VmCore, active: () => boolean) {
    if (token !== CONSTRUCT) throw new SimError('PERMISSION_DENIED', 'VcpuHandle objects are created by the hypervisor');
    this.#core = core;
    this.#active = active;
  }

  #check(what: string): VmCore {
    if (!this.#active()) throw new SimError('INVALID_STATE', `vcpu.${what}: this exit has been handled; use the vCPU only inside the exit handler`);
    return this.#core;
  }

  /** Number of the vCPU (0 for a VM's first vCPU). */
  get id(): number {
    return 0;
  }

  /** General register r0–r15 (r0 is always 0), as a signed 32-bit value. */
  getRegister(index: number): number {
    const core = this.#check('getRegister');
    if (!Number.isInteger(index) || index < 0 || index > 15) throw new SimError('INVALID_ARGUMENT', `vcpu.getRegister: register must be 0–15, got ${index}`);
    return core.cpu.regs[index]!;
  }

  /** Sets a general register (writes to r0 are ignored, as on the hardware). */
  setRegister(index: number, value: number): void {
    const core = this.#check('setRegister');
    if (!Number.isInteger(index) || index < 0 || index > 15) throw new SimError('INVALID_ARGUMENT', `vcpu.setRegister: register must be 0–15, got ${index}`);
    const v = checkWord(value, 'vcpu.setRegister: value');
    if (index !== 0) core.cpu.regs[index] = v;
  }

  /** Where the guest resumes. */
  get pc(): number {
    return this.#check('pc').cpu.pc >>> 0;
  }

  set pc(value: number) {
    const core = this.#check('pc');
    const v = checkWord(value, 'vcpu.pc') >>> 0;
    if (v % 4 !== 0) throw new SimError('INVALID_ARGUMENT', `vcpu.pc: ${v} is not a multiple of 4`);
    core.cpu.pc = v;
  }

  /** A virtual control register, by name (`'status'`, `'ptbr'`, ...) or number. */
  getControl(register: ControlRegisterName | number): number {
    const core = this.#check('getControl');
    return core.cpu.ctl[controlIndex(register, 'vcpu.getControl')]!;
  }

  /**
   * Sets a virtual control register. As on the hardware, writing PTBR or changing the paging
   * bit flushes the vCPU's TLB.
   */
  setControl(register: ControlRegisterName | number, value: number): void {
    const core = this.#check('setControl');
    core.cpu.writeControl(controlIndex(register, 'vcpu.setControl'), checkWord(value, 'vcpu.setControl: value'));
  }

  /** The guest's virtual mode. */
  get mode(): 'user' | 'supervisor' {
    return this.#check('mode').cpu.supervisor ? 'supervisor' : 'user';
  }

  /** The guest's virtual interrupt-enable flag. */
  get interruptsEnabled(): boolean {
    return this.#check('interruptsEnabled').cpu.interruptsEnabled;
  }

  /** A frozen copy of the whole virtual CPU state. */
  snapshot(): CpuSnapshot {
    return snapshotCpu(this.#check('snapshot').cpu);
  }
}

/** Creating and activating shadow page tables (VMs in `shadow` MMU mode only). */
export class ShadowControl {
  #core: VmCore;
  #active: () => boolean;

  /** @internal */
  constructor(token: symbol, core: VmCore, active: () => boolean) {
    if (token !== CONSTRUCT) throw new SimError('PERMISSION_DENIED', 'ShadowControl objects are created by the hypervisor');
    this.#core = core;
    this.#active = active;
  }

  #check(what: string): VmCore {
    if (!this.#active()) throw new SimError('INVALID_STATE', `shadow.${what}: this exit has been handled; use it only inside the exit handler`);
    if (this.#core.mmu.mode !== 'shadow') {
      throw new SimError('INVALID_STATE', `shadow.${what}: this VM uses nested paging; create it with { mmu: 'shadow' } to manage shadow page tables`);
    }
    return this.#core;
  }

  /**
   * A new, empty shadow table for this VM. A VM may create at most {@link MAX_SHADOW_TABLES}
   * (a VMM's cache of address spaces is bounded): reuse an evicted table with `clearAll()`.
   */
  createTable(): ShadowTable {
    const core = this.#check('createTable');
    if (core.shadowTablesCreated >= MAX_SHADOW_TABLES) {
      throw new SimError('CAPACITY_EXCEEDED', `shadow.createTable: a VM may create at most ${MAX_SHADOW_TABLES} shadow tables; keep a bounded cache and reuse an evicted table (clearAll() it first)`);
    }
    core.shadowTablesCreated++;
    const table = new ShadowTable(core.shadowBinding);
    core.shadowTables.add(table);
    return table;
  }

  /** Makes `table` the one the hardware uses (null: none, every paged access faults). Flushes the TLB. */
  activate(table: ShadowTable | null): void {
    const core = this.#check('activate');
    if (table !== null && !(table instanceof ShadowTable && core.shadowTables.has(table))) {
      throw new SimError('PERMISSION_DENIED', 'shadow.activate: that table was not created for this VM; use exit.shadow.createTable()');
    }
    core.mmu.activeShadow = table;
    core.cpu.flushTlb();
  }

  /** The table the hardware currently uses. */
  get active(): ShadowTable | null {
    return this.#check('active').mmu.activeShadow;
  }
}

/**
 * One exit, handed to the VMM's handler. Read what happened (`kind`, `pc`, `instruction`,
 * `cause`, `address`...), act on the VM (`vcpu`, `skip`, `inject`, `ioRead`/`ioWrite`, guest
 * memory, `waitForInterrupt`...), and return; the hypervisor then resumes the guest.
 * Every operation is charged to the VM's emulation cycles.
 */
export class ExitContext {
  #core: VmCore;
  #exit: PendingExit;
  #active = true;
  #vcpu: VcpuHandle;
  #shadow: ShadowControl;
  #instruction: DecodedInstruction | null | undefined;

  /** @internal */
  constructor(token: symbol, core: VmCore, exit: PendingExit) {
    if (token !== CONSTRUCT) throw new SimError('PERMISSION_DENIED', 'ExitContext objects are created by the hypervisor');
    this.#core = core;
    this.#exit = exit;
    const active = (): boolean => this.#active;
    this.#vcpu = new VcpuHandle(CONSTRUCT, core, active);
    this.#shadow = new ShadowControl(CONSTRUCT, core, active);
  }

  /** @internal Ends the context's validity (called by the hypervisor after the handler). */
  static close(context: ExitContext): void {
    context.#active = false;
  }

  /** @internal */
  static create(core: VmCore, exit: PendingExit): ExitContext {
    return new ExitContext(CONSTRUCT, core, exit);
  }

  #check(what: string): VmCore {
    if (!this.#active) throw new SimError('INVALID_STATE', `exit.${what}: this exit has been handled; keep no references to it after your handler returns`);
    return this.#core;
  }

  /** Why the guest stopped. */
  get kind(): ExitKind {
    return this.#exit.kind;
  }

  /** The VM this exit belongs to. */
  get vm(): VmInfo {
    const core = this.#core;
    return Object.freeze({ id: core.id, name: core.name, memoryBytes: core.memory.size, mmu: core.mmu.mode });
  }

  /** The virtual CPU. */
  get vcpu(): VcpuHandle {
    this.#check('vcpu');
    return this.#vcpu;
  }

  /** Shadow page table control (VMs created with `mmu: 'shadow'`). */
  get shadow(): ShadowControl {
    this.#check('shadow');
    return this.#shadow;
  }

  /** Guest pc at the exit (see {@link ExitKind} for which instruction it points at). */
  get pc(): number {
    return this.#exit.pc;
  }

  /**
   * The instruction involved, decoded (privileged, sensitive, syscall, hypercall, exceptions,
   * and faults when the instruction could be fetched); null for interrupts.
   */
  get instruction(): DecodedInstruction | null {
    if (this.#instruction === undefined) {
      this.#instruction = this.#exit.kind === 'interrupt' || this.#exit.word === 0 ? null : decode(this.#exit.word);
    }
    return this.#instruction;
  }

  /**
   * The architectural trap cause bare hardware would raise for this event (a `Cause` value):
   * PRIVILEGED, SYSCALL, PAGE_FAULT_*, ILLEGAL, ... ; for `interrupt`, the cause of the lowest
   * raised line; 0 for hypercalls, callouts and memory violations.
   */
  get cause(): number {
    return this.#exit.cause;
  }

  /**
   * The trap value bare hardware would put in TVAL: faulting address, syscall number,
   * instruction word. For hypercalls the hypercall number; for memory violations the
   * guest-physical address.
   */
  get value(): number {
    return this.#exit.value;
  }

  /**
   * The address involved, as TVAL holds it: guest-virtual for a page fault, memory violation or
   * misalignment; for a bus error the physical address the bus refused (with paging off it equals
   * the virtual one; with paging on it is the page-table entry's or the frame's address).
   */
  get address(): number {
    return this.#exit.address >>> 0;
  }

  /** Guest-physical address of a memory violation (else -1). */
  get guestPhysicalAddress(): number {
    return this.#exit.kind === 'memory-violation' ? this.#exit.value >>> 0 : -1;
  }

  /** The access that faulted (page faults, memory violations), else null. */
  get access(): 'read' | 'write' | 'execute' | null {
    const kind = this.#exit.kind;
    if (kind !== 'page-fault' && kind !== 'memory-violation') return null;
    return ACCESS_NAMES[this.#exit.access] ?? null;
  }

  /** The hypercall number (`hcall n`), or null for other exits. */
  get hypercall(): number | null {
    return this.#exit.kind === 'hypercall' ? this.#exit.value : null;
  }

  /**
   * Advances the guest past the instruction at the exit pc (after emulating it). For a
   * `memory-violation` or `page-fault` exit the instruction had not run, so skipping it means the
   * VMM carried out the access (a store to a write-protected page-table page, say): the
   * instruction counts as retired once, as on bare hardware, and its emulation is charged.
   */
  skip(): void {
    const core = this.#check('skip');
    const exit = this.#exit;
    if ((exit.kind === 'memory-violation' || exit.kind === 'page-fault') && exit.retiredAt < 0) {
      core.cpu.retired++;
      core.emulated++;
      core.charge('emulation', core.host.costs.emulateInstruction);
      exit.retiredAt = exit.pc;
    }
    core.cpu.pc = (exit.pc + 4) >>> 0;
  }

  /**
   * Injects a trap or interrupt into the guest, exactly as bare hardware would deliver it:
   * ESTATUS ← STATUS, EPC ← the vCPU's current pc, CAUSE ← cause, TVAL ← value, supervisor
   * mode with interrupts disabled, pc ← TVEC. This is how a VMM reflects exceptions and system
   * calls and delivers virtual interrupts. (Injecting an interrupt while the guest has them
   * disabled is allowed but breaks equivalence.)
   */
  inject(cause: number, value = 0): void {
    const core = this.#check('inject');
    if (!Number.isInteger(cause) || cause < 1 || cause > 31) throw new SimError('INVALID_ARGUMENT', `exit.inject: cause must be a Cause value 1–31, got ${String(cause)}`);
    const tval = checkWord(value, 'exit.inject: value');
    core.charge('emulation', core.host.costs.inject);
    // An exception taken at the very instruction this exit counted as retired means it faulted
    // instead of retiring, as on bare hardware: take the count back (once). Interrupts arrive
    // between instructions (e.g. right after an emulated iret returned to itself), so never.
    if (cause < INTERRUPT_CAUSE_BASE && this.#exit.retiredAt >= 0 && core.cpu.pc >>> 0 === this.#exit.retiredAt >>> 0) {
      core.cpu.retired--;
      core.emulated--;
      this.#exit.retiredAt = -1;
    }
    core.inject(cause, tval);
  }

  /** The cause of the lowest raised virtual interrupt line, or null if none is raised. */
  pendingInterrupt(): number | null {
    const cause = this.#check('pendingInterrupt').pendingInterrupt();
    return cause < 0 ? null : cause;
  }

  /** Emulates `in port` against this VM's virtual devices. */
  ioRead(port: number): number {
    const core = this.#check('ioRead');
    if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new SimError('INVALID_ARGUMENT', `exit.ioRead: port must be 0–65535, got ${String(port)}`);
    core.charge('emulation', core.host.costs.emulateIo);
    return core.bus.read(port);
  }

  /** Emulates `out port, value` against this VM's virtual devices. */
  ioWrite(port: number, value: number): void {
    const core = this.#check('ioWrite');
    if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new SimError('INVALID_ARGUMENT', `exit.ioWrite: port must be 0–65535, got ${String(port)}`);
    core.charge('emulation', core.host.costs.emulateIo);
    core.bus.write(port, checkWord(value, 'exit.ioWrite: value'));
  }

  /** Reads a word of this VM's guest-physical memory. */
  readGuestPhysical(gpa: number): number {
    const core = this.#check('readGuestPhysical');
    core.memory.check(gpa, 'exit.readGuestPhysical');
    core.charge('emulation', core.host.costs.guestMemoryAccess);
    return core.memory.read(gpa) ?? 0;
  }

  /** Writes a word of this VM's guest-physical memory (ignores write protection). */
  writeGuestPhysical(gpa: number, value: number): void {
    const core = this.#check('writeGuestPhysical');
    core.memory.check(gpa, 'exit.writeGuestPhysical');
    core.charge('emulation', core.host.costs.guestMemoryAccess);
    core.memory.write(gpa, checkWord(value, 'exit.writeGuestPhysical: value'));
    // The write may change code that binary translation already scanned: forget that scan.
    // (The TLB is not coherent with memory, as on real hardware: the guest flushes it.)
    const translation = core.mmu.translation;
    const frame = core.memory.frameOf[gpa >>> 12]!;
    if (translation !== null && translation.scanned[frame] === 1) translation.invalidate(frame);
  }

  /**
   * Makes a guest-physical page read-only (or writable again) for direct execution: guest
   * stores to it become `memory-violation` exits. Used to track page-table writes and dirty pages.
   */
  protectPage(gpa: number, writable: boolean): void {
    const core = this.#check('protectPage');
    if (!Number.isInteger(gpa) || gpa < 0 || gpa >= core.memory.size) {
      throw new SimError('OUT_OF_RANGE', `exit.protectPage: guest-physical address ${String(gpa)} is outside this VM's ${core.memory.size} bytes`);
    }
    core.charge('emulation', core.host.costs.guestMemoryAccess);
    core.memory.protect(gpa, writable === true);
  }

  /** Flushes the vCPU's TLB (emulating `tlbflush`). */
  flushTlb(): void {
    this.#check('flushTlb').cpu.flushTlb();
  }

  /** Drops the vCPU's TLB entry for the page containing `va` (emulating `tlbi`). */
  invalidatePage(va: number): void {
    this.#check('invalidatePage').cpu.invalidatePage(checkWord(va, 'exit.invalidatePage: va'));
  }

  /**
   * Emulates `halt`: the vCPU sleeps until a virtual interrupt line is raised (then you get an
   * `interrupt` exit). If the guest has interrupts disabled it never wakes, as on bare hardware.
   */
  waitForInterrupt(): void {
    const core = this.#check('waitForInterrupt');
    if (!core.cpu.interruptsEnabled) core.setState('halted');
    else core.waiting = true;
  }

  /** Stops the VM for good (e.g. the guest did something the VMM will not allow). */
  powerOff(): void {
    this.#check('powerOff').setState('shut-down');
  }

  /**
   * Paravirtualization: deliver the guest's `syscall`s straight to its trap vector without an
   * exit (as Xen does with its fast system-call path). If `sharedFrame` is given (a
   * guest-physical address), every trap injected into the guest also writes
   * [cause, value, epc, estatus] there, so a paravirtual kernel can read them without `mfcr`.
   * Pass `false` to turn direct delivery off.
   */
  enableDirectSyscalls(enabled: boolean, sharedFrame?: number): void {
    const core = this.#check('enableDirectSyscalls');
    core.directSyscalls = enabled === true;
    if (sharedFrame !== undefined) {
      core.memory.check(sharedFrame, 'exit.enableDirectSyscalls: sharedFrame');
      if (sharedFrame + 16 > core.memory.size) throw new SimError('OUT_OF_RANGE', 'exit.enableDirectSyscalls: the shared frame needs 16 bytes inside guest memory');
      core.sharedFrame = sharedFrame;
    }
  }
}
