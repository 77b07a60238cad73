import { describe, expect, it } from 'vitest';
import { referenceKernel } from '../../../src/sim/guests/index.ts';
import { Hypervisor, type ExitContext } from '../../../src/sim/hv/index.ts';
import { assemble, Cause } from '../../../src/sim/machine/index.ts';
import { expectEquivalent, GUEST_BYTES, runNative } from './helpers.ts';
import { trapAndEmulate } from './support/trap-and-emulate.ts';

/** A guest that probes physical memory up to 1 MiB (past its 256 KiB) and reports how far it got. */
const PROBE = assemble(`
start:
    li r1, trap
    mtcr tvec, r1
    li r2, 0x1000
    li r3, 0x100000
    li r4, 0x5a5a5a5a
probe:
    st r4, [r2+0]          ; scribble over every page it can reach
    addi r2, r2, 4096
    bne r2, r3, probe
    halt
trap:
    mfcr r10, cause
    mfcr r11, tval
    li r5, 1
    out BLOCK_SECTOR, r5
    li r5, 0x7fff0         ; DMA from beyond the VM's memory
    out BLOCK_ADDRESS, r5
    li r5, 2
    out BLOCK_COMMAND, r5
    in r12, BLOCK_STATUS
    halt
`);

describe('resource control', () => {
  it('a guest cannot reach memory beyond its allocation: it gets the bus error bare hardware would give', () => {
    const hv = new Hypervisor({ hostMemoryBytes: 4 << 20, seed: 3 });
    const [a, b] = [hv.createVm({ memoryBytes: GUEST_BYTES }), hv.createVm({ memoryBytes: GUEST_BYTES })];
    a!.load(PROBE);
    b!.load(assemble(referenceKernel()));
    hv.run(trapAndEmulate);
    const machine = runNative(PROBE);
    expectEquivalent(machine, a!);
    expect(a!.cpuState.registers[10]).toBe(Cause.BUS_ERROR);
    expect(a!.cpuState.registers[11]).toBe(GUEST_BYTES);
    expect(a!.cpuState.registers[12]).toBe(1); // the DMA failed
    // B still ran correctly next to it.
    expect(b!.console.output).toBe(runNative(assemble(referenceKernel())).console.output);
    // Every host frame a VM touched is one of its own, and the two sets are disjoint.
    for (const vm of [a!, b!]) {
      const own = new Set(vm.hostFrames());
      expect(vm.touchedHostFrames().length).toBeGreaterThan(0);
      expect(vm.touchedHostFrames().every((frame) => own.has(frame))).toBe(true);
    }
    const framesA = new Set(a!.hostFrames());
    expect(b!.hostFrames().some((frame) => framesA.has(frame))).toBe(false);
    // Host frames outside both VMs were never written.
    const owned = new Set([...a!.hostFrames(), ...b!.hostFrames()]);
    for (let frame = 0; frame < hv.hostMemory.size / 4096; frame++) {
      if (owned.has(frame)) continue;
      const words = hv.hostMemory.words.subarray(frame << 10, (frame + 1) << 10);
      expect(words.every((w) => w === 0)).toBe(true);
    }
  });

  it('a guest-physical page is not host-physical page 0 and frames are scattered by the seed', () => {
    const hv = new Hypervisor({ hostMemoryBytes: 4 << 20, seed: 5 });
    const vm = hv.createVm({ memoryBytes: 64 * 1024 });
    const frames = vm.hostFrames();
    expect(frames).not.toContain(0);
    expect(new Set(frames).size).toBe(16);
    expect(frames.some((frame, i) => i > 0 && frame !== frames[i - 1]! + 1)).toBe(true);
    expect(vm.hostAddressOf(0x1234)).toBe(frames[1]! * 4096 + 0x234);
    expect(vm.hostAddressOf(64 * 1024)).toBe(-1);
  });

  it('each VM has its own devices', () => {
    const hv = new Hypervisor({ hostMemoryBytes: 4 << 20 });
    const writer = hv.createVm();
    const quiet = hv.createVm();
    writer.load(assemble("li r1, 'x'\n out CONSOLE_DATA, r1\n halt"));
    quiet.load(assemble('halt'));
    hv.run(trapAndEmulate);
    expect(writer.console.output).toBe('x');
    expect(quiet.console.output).toBe('');
  });

  it('write-protected guest pages turn stores into memory-violation exits', () => {
    const hv = new Hypervisor({ hostMemoryBytes: 4 << 20 });
    const vm = hv.createVm({ memoryBytes: 64 * 1024 });
    vm.load(assemble('cli\n li r1, 0x8000\n li r2, 7\n ld r3, [r1+0]\n st r2, [r1+0]\n halt'));
    const seen: string[] = [];
    let first = true;
    hv.run((exit: ExitContext) => {
      if (first) {
        first = false;
        exit.protectPage(0x8000, false);
      }
      seen.push(exit.kind);
      if (exit.kind === 'memory-violation') {
        expect([exit.access, exit.guestPhysicalAddress, exit.address]).toEqual(['write', 0x8000, 0x8000]);
        expect(exit.instruction?.mnemonic).toBe('st');
        exit.protectPage(0x8000, true); // like dirty logging: note it, unprotect, retry
        return;
      }
      trapAndEmulate(exit);
    });
    expect(seen).toEqual(['privileged-instruction', 'memory-violation', 'privileged-instruction']);
    expect(vm.readGuestPhysical(0x8000)).toBe(7);
    expect(vm.state).toBe('halted');
  });
});
