/**
 * Alternative (style: functions and a dispatch table). Plain records hold each VM's state; a
 * table of handlers by exit kind does the work. Every shadow entry records the addresses of the
 * two guest entries it was built from, and a page-table store is matched against those records
 * by scanning every filled entry of every cached space (no reverse map). The cache of spaces is a
 * ring of slots evicted by the clock (second-chance) algorithm.
 */
import { MAX_SHADOW_TABLES, Cause, Pte, Status, type ExitContext, type ExitHandler, type ExitKind, type ShadowTable } from '@virtlab/sim';
import { carryOutStore } from './guest-store.ts';
import { plainExit } from './trap-and-emulate.ts';

/** A filled shadow entry: where its guest directory and table entries live, and whether they changed since. */
interface Filled {
  readonly pdeAt: number;
  readonly pteAt: number;
  stale: boolean;
}

/** One cached address space in a clock slot. */
interface Slot {
  directory: number;
  readonly table: ShadowTable;
  readonly filled: Map<number, Filled>;
  /** The clock's second chance: set each time the space is entered. */
  referenced: boolean;
}

interface VmState {
  readonly slots: Slot[];
  hand: number;
  /** The slot whose table the hardware uses (null while paging is off). */
  current: Slot | null;
  readonly protectedPages: Set<number>;
}

type Handler = (exit: ExitContext, vm: VmState) => void;

const PTBR_REGISTER = 1;

const isPaging = (status: number): boolean => (status & Status.PAGING) !== 0;
const directoryOf = (exit: ExitContext): number => (exit.vcpu.getControl('ptbr') & Pte.FRAME_MASK) >>> 0;
const pageBase = (vpn: number): number => (vpn << 12) >>> 0;

/** The clock: a slot whose space was not entered since the hand last passed is reused. */
function victim(vm: VmState): Slot {
  for (;;) {
    const slot = vm.slots[vm.hand]!;
    vm.hand = (vm.hand + 1) % vm.slots.length;
    if (!slot.referenced) return slot;
    slot.referenced = false;
  }
}

/** The slot of `directory`: cached, a new table while fewer than 16 exist, or a reused victim. */
function slotFor(exit: ExitContext, vm: VmState, directory: number): Slot {
  const cached = vm.slots.find((slot) => slot.directory === directory);
  if (cached !== undefined) return cached;
  if (vm.slots.length < MAX_SHADOW_TABLES) {
    const fresh: Slot = { directory, table: exit.shadow.createTable(), filled: new Map(), referenced: false };
    vm.slots.push(fresh);
    return fresh;
  }
  const reused = victim(vm);
  // Nothing of the evicted space may act on the new owner: its records go with its entries.
  reused.table.clearAll();
  reused.filled.clear();
  reused.directory = directory;
  return reused;
}

/** After a PTBR write or a paging change: the space the hardware must now use. */
function enterSpace(exit: ExitContext, vm: VmState): void {
  if (!isPaging(exit.vcpu.getControl('status'))) {
    vm.current = null;
    return;
  }
  const slot = slotFor(exit, vm, directoryOf(exit));
  slot.referenced = true;
  vm.current = slot;
  exit.shadow.activate(slot.table);
}

function dropEntry(slot: Slot, vpn: number): void {
  slot.filled.delete(vpn);
  slot.table.clear(pageBase(vpn));
}

/** A flush point of the space in use: its translations become the guest's tables again. */
function dropStaleEntries(vm: VmState): void {
  const slot = vm.current;
  if (slot === null) return;
  for (const [vpn, entry] of [...slot.filled]) if (entry.stale) dropEntry(slot, vpn);
}

/** A guest page-table word changed: stale where in use (as the TLB), gone everywhere else. */
function guestEntryChanged(vm: VmState, word: number): void {
  for (const slot of vm.slots) {
    for (const [vpn, entry] of [...slot.filled]) {
      if (entry.pdeAt !== word && entry.pteAt !== word) continue;
      if (slot === vm.current) entry.stale = true;
      else dropEntry(slot, vpn);
    }
  }
}

function protectTablePage(exit: ExitContext, vm: VmState, word: number): void {
  const page = word >>> 12;
  if (vm.protectedPages.has(page)) return;
  vm.protectedPages.add(page);
  exit.protectPage(page << 12, false);
}

/**
 * Resolves a page-fault exit by the guest's tables, in bare hardware's order (directory entry,
 * table entry, permissions, frame): fills the shadow, or injects the true fault.
 */
function resolveFault(exit: ExitContext, vm: VmState, slot: Slot): void {
  const va = exit.address;
  const memoryBytes = exit.vm.memoryBytes;
  const pdeAt = directoryOf(exit) + ((va >>> 22) << 2);
  if (pdeAt >= memoryBytes) return exit.inject(Cause.BUS_ERROR, pdeAt | 0);
  const pde = exit.readGuestPhysical(pdeAt);
  if ((pde & Pte.PRESENT) === 0) return exit.inject(exit.cause, va | 0);
  const pteAt = ((pde & Pte.FRAME_MASK) >>> 0) + (((va >>> 12) & 1023) << 2);
  if (pteAt >= memoryBytes) return exit.inject(Cause.BUS_ERROR, pteAt | 0);
  const pte = exit.readGuestPhysical(pteAt);
  if ((pte & Pte.PRESENT) === 0) return exit.inject(exit.cause, va | 0);
  const both = pde & pte;
  const user = (both & Pte.USER) !== 0;
  const writable = (both & Pte.WRITABLE) !== 0;
  const refused = (exit.vcpu.mode === 'user' && !user) || (exit.access === 'write' && !writable);
  if (refused) return exit.inject(exit.cause, va | 0);
  const frame = (pte & Pte.FRAME_MASK) >>> 0;
  if (frame >= memoryBytes) return exit.inject(Cause.BUS_ERROR, (frame + (va & 0xfff)) | 0);
  slot.table.set(va, frame, { writable, user });
  record(exit, vm, slot, va >>> 12, { pdeAt, pteAt, stale: false });
}

/** Remembers where a new entry came from and makes sure the guest cannot change that unseen. */
function record(exit: ExitContext, vm: VmState, slot: Slot, vpn: number, filled: Filled): void {
  slot.filled.set(vpn, filled); // replaces a stale record: the entry is fresh again
  protectTablePage(exit, vm, filled.pdeAt);
  protectTablePage(exit, vm, filled.pteAt);
}

const onPageFault: Handler = (exit, vm) => {
  if (vm.current === null) enterSpace(exit, vm);
  if (vm.current === null) return plainExit(exit);
  resolveFault(exit, vm, vm.current);
};

const onMemoryViolation: Handler = (exit, vm) => {
  const store = carryOutStore(exit);
  if (store === null) return plainExit(exit);
  if (store.after !== store.before) guestEntryChanged(vm, store.gpa);
};

/** What a privileged instruction did to translation, seen by comparing before and after. */
const onPrivileged: Handler = (exit, vm) => {
  const decoded = exit.instruction;
  const wasSupervisor = exit.vcpu.mode === 'supervisor';
  const pagingBefore = isPaging(exit.vcpu.getControl('status'));
  plainExit(exit);
  if (!wasSupervisor || decoded === null) return; // reflected in user mode: nothing happened
  const { mnemonic, rd, imm } = decoded;
  const reloaded = mnemonic === 'mtcr' && imm === PTBR_REGISTER;
  const toggled = pagingBefore !== isPaging(exit.vcpu.getControl('status'));
  if (mnemonic === 'tlbi' && vm.current !== null) dropEntry(vm.current, exit.vcpu.getRegister(rd) >>> 12);
  if (mnemonic === 'tlbflush' || reloaded || toggled) dropStaleEntries(vm);
  if (reloaded || toggled) enterSpace(exit, vm);
};

const HANDLERS: Partial<Record<ExitKind, Handler>> = {
  'page-fault': onPageFault,
  'memory-violation': onMemoryViolation,
  'privileged-instruction': onPrivileged,
};

function stateOf(vms: Map<number, VmState>, id: number): VmState {
  let vm = vms.get(id);
  if (vm === undefined) vms.set(id, (vm = { slots: [], hand: 0, current: null, protectedPages: new Set() }));
  return vm;
}

export function createShadowVmm(): ExitHandler {
  const vms = new Map<number, VmState>();
  return (exit: ExitContext) => {
    const handle = HANDLERS[exit.kind];
    if (handle === undefined) return plainExit(exit);
    handle(exit, stateOf(vms, exit.vm.id));
  };
}
