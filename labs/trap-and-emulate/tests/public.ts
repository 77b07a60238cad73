// Public tests of lab 3 (they run in your browser too). Each runs a guest twice — on a bare
// machine and in a VM under your VMM — and lists every difference: how the run ended, console
// output, registers, control registers, memory, instructions retired and virtual time.
import { assemble, Hypervisor, Machine, referenceKernel, type Program, type VirtualMachine } from '@virtlab/sim';
import { describe, expect, test } from '@virtlab/test';
import { createVmm } from '../starter/vmm.ts';

const SMALL = 64 * 1024;
const KERNEL = 256 * 1024;
const BUDGET = { maxInstructions: 5_000_000, maxExits: 200_000 } as const;

const hex = (value: number): string => `0x${(value >>> 0).toString(16)}`;

/** Runs `program` on a bare machine; returns it and the VM state its ending corresponds to. */
function runBare(program: Program, memoryBytes: number): { machine: Machine; state: string } {
  const machine = new Machine({ memoryBytes });
  machine.load(program);
  const outcome = machine.run({ maxInstructions: BUDGET.maxInstructions }).outcome;
  return { machine, state: outcome === 'budget' ? 'runnable' : outcome };
}

/** Everything that differs between a bare run and a VM run of the same guest. */
function differences(bare: { machine: Machine; state: string }, vm: VirtualMachine): string[] {
  const { machine } = bare;
  const found: string[] = [];
  if (vm.failure !== null) found.push(`your VMM threw: ${(vm.failure as Error)?.message ?? String(vm.failure)}`);
  if (vm.state !== bare.state) found.push(`the VM ended ${vm.state}, bare hardware ${bare.state === 'runnable' ? 'ran out of budget' : bare.state}`);
  if (vm.console.output !== machine.console.output) found.push(`console: VM ${JSON.stringify(vm.console.output.slice(0, 300))}, bare ${JSON.stringify(machine.console.output.slice(0, 300))}`);
  const mine = vm.cpuState;
  const theirs = machine.state;
  if (mine.pc !== theirs.pc) found.push(`pc: VM ${hex(mine.pc)}, bare ${hex(theirs.pc)}`);
  for (let r = 1; r < 16; r++) if (mine.registers[r] !== theirs.registers[r]) found.push(`r${r}: VM ${hex(mine.registers[r]!)}, bare ${hex(theirs.registers[r]!)}`);
  for (const [name, value] of Object.entries(theirs.control)) {
    const v = (mine.control as Record<string, number>)[name] ?? 0;
    if (v !== value) found.push(`${name}: VM ${hex(v)}, bare ${hex(value)}`);
  }
  const retired = vm.stats.directInstructions + vm.stats.emulatedInstructions;
  if (retired !== machine.stats.instructions) found.push(`instructions retired: VM ${retired}, bare ${machine.stats.instructions}`);
  if (vm.stats.guestTime !== machine.time) found.push(`virtual time: VM ${vm.stats.guestTime} ticks, bare ${machine.time}`);
  let differing = 0;
  let first = '';
  for (let address = 0; address < machine.memory.size; address += 4) {
    if (vm.readGuestPhysical(address) !== machine.memory.readWord(address)) {
      if (differing++ === 0) first = `${hex(address)}: VM ${hex(vm.readGuestPhysical(address))}, bare ${hex(machine.memory.readWord(address))}`;
    }
  }
  if (differing > 0) found.push(`${differing} memory word(s) differ, first ${first}`);
  return found;
}

/** Runs each guest in its own VM, all on one hypervisor under one VMM of yours. */
function runVirtual(guests: readonly { program: Program; memoryBytes: number }[], slice = 20_000): { hv: Hypervisor; vms: VirtualMachine[] } {
  const hv = new Hypervisor({ hostMemoryBytes: 4 << 20, seed: 5, traceCapacity: 0 });
  const vms = guests.map((guest, i) => {
    const vm = hv.createVm({ name: `guest${i}`, memoryBytes: guest.memoryBytes });
    vm.load(guest.program);
    return vm;
  });
  hv.run(createVmm(), { ...BUDGET, sliceInstructions: slice });
  return { hv, vms };
}

/** Runs one guest bare and virtualized; returns the differences and the VM. */
function compare(source: string, memoryBytes: number): { differences: string[]; vm: VirtualMachine } {
  const program = assemble(source);
  const { vms } = runVirtual([{ program, memoryBytes }]);
  return { differences: differences(runBare(program, memoryBytes), vms[0]!), vm: vms[0]! };
}

/** A guest's trap handler logs [cause, tval, epc, estatus] at 0x7000 + 16 × n. */
const LOG_TRAP = `
    mfcr r10, cause
    mfcr r11, tval
    mfcr r12, epc
    mfcr r13, estatus
    ld r14, [zero+0x6ffc]
    shli r14, r14, 4
    st r10, [r14+0x7000]
    st r11, [r14+0x7004]
    st r12, [r14+0x7008]
    st r13, [r14+0x700c]
    ld r14, [zero+0x6ffc]
    addi r14, r14, 1
    st r14, [zero+0x6ffc]`;

describe('first steps', () => {
  test('boots a small guest: control registers, console output and the final halt', { points: 2, timeoutMs: 3000 }, () => {
    const { differences: found } = compare(
      `
    li sp, 0x8000
    li r1, trap
    mtcr tvec, r1
    li r1, 0x1234
    mtcr scratch, r1
    mfcr r2, scratch
    st r2, [zero+0x7000]
    sti
    mfcr r3, status
    cli
    mfcr r4, status
    st r3, [zero+0x7004]
    st r4, [zero+0x7008]
    li r1, 'h'
    out CONSOLE_DATA, r1
    li r1, 'i'
    out CONSOLE_DATA, r1
    li r1, 10
    out CONSOLE_DATA, r1
    cli
    halt
trap:
    halt`,
      SMALL,
    );
    expect(found).toEqual([]);
  });

  test('reflects system calls and faults from user mode into the guest kernel', { points: 2, timeoutMs: 3000 }, () => {
    const { differences: found } = compare(
      `
    li sp, 0x8000
    li r1, trap
    mtcr tvec, r1
    li r1, user
    mtcr epc, r1
    mtcr estatus, zero        ; user mode, interrupts off
    iret
trap:
${LOG_TRAP}
    li r14, CAUSE_SYSCALL
    bne r10, r14, fault
    out CONSOLE_DATA, r11     ; syscall n prints the character n
    iret
fault:
    li r1, '!'
    out CONSOLE_DATA, r1
    cli
    halt
user:
    syscall 'o'
    syscall 'k'
    syscall 10
    cli                       ; privileged in user mode: the kernel's fault path`,
      SMALL,
    );
    expect(found).toEqual([]);
  });

  test('delivers timer interrupts only while the guest has them enabled', { points: 2, timeoutMs: 3000 }, () => {
    const loop = (label: string, n: number): string => `    li r3, ${n}\n${label}:\n    addi r3, r3, -1\n    bne r3, zero, ${label}`;
    const { differences: found } = compare(
      `
    li sp, 0x8000
    li r1, trap
    mtcr tvec, r1
    li r1, 50
    out TIMER_PERIOD, r1
    sti
${loop('a', 60)}
    cli
${loop('b', 60)}
    sti                       ; the tick that came while masked is taken here
${loop('c', 30)}
    cli
    out TIMER_PERIOD, zero
    ld r1, [zero+0x6ffc]
    addi r1, r1, 'a'
    out CONSOLE_DATA, r1
    halt
trap:
${LOG_TRAP}
    out TIMER_ACK, zero
    iret`,
      SMALL,
    );
    expect(found).toEqual([]);
  });
});

describe('guest kernels', () => {
  test('runs the reference kernel exactly as bare hardware does', { points: 3, timeoutMs: 5000 }, () => {
    const { differences: found, vm } = compare(referenceKernel(), KERNEL);
    expect(found).toEqual([]);
    expect(vm.console.output).toContain('idle done');
  });

  test('two guest kernels on one VMM stay apart, each equivalent to its own bare machine', { points: 2, timeoutMs: 5000 }, () => {
    const guests = [
      { program: assemble(referenceKernel({ timerPeriod: 400 })), memoryBytes: KERNEL },
      { program: assemble(referenceKernel({ timerPeriod: 700, processes: 1 })), memoryBytes: KERNEL },
    ];
    const { vms } = runVirtual(guests, 500);
    const found: Record<string, string[]> = {};
    guests.forEach((guest, i) => {
      const diff = differences(runBare(guest.program, guest.memoryBytes), vms[i]!);
      const own = new Set(vms[i]!.hostFrames());
      if (!vms[i]!.touchedHostFrames().every((frame) => own.has(frame))) diff.push('touched a host frame it does not own');
      if (diff.length > 0) found[`guest ${i}`] = diff;
    });
    expect(found).toEqual({});
  });

  test('runs at least 95% of the guest\'s instructions directly on the CPU', { points: 1, timeoutMs: 5000 }, () => {
    const { differences: found, vm } = compare(referenceKernel({ work: 400, iterations: 10 }), KERNEL);
    expect(found).toEqual([]);
    expect(vm.stats.directShare).toBeGreaterThanOrEqual(0.95);
  });
});
