import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../src/sim/common/rng.ts';
import { referenceKernel } from '../../../src/sim/guests/index.ts';
import { Hypervisor, MAX_SHADOW_TABLES, ShadowTable, type ExitContext } from '../../../src/sim/hv/index.ts';
import { assemble } from '../../../src/sim/machine/index.ts';
import { expectEquivalent, runNative, runVirtual } from './helpers.ts';
import { createShadowVmm, type ShadowVmmStats } from './support/shadow-paging.ts';
import { trapAndEmulate } from './support/trap-and-emulate.ts';

describe('shadow page tables (lab 5 reference VMM)', () => {
  it('run the reference kernel equivalently, with hidden and true faults told apart', () => {
    const program = assemble(referenceKernel());
    const stats: ShadowVmmStats = { hiddenFaults: 0, trueFaults: 0 };
    const { vm } = runVirtual(program, createShadowVmm(stats), { vm: { mmu: 'shadow' } });
    expectEquivalent(runNative(program), vm);
    expect(vm.mmu).toBe('shadow');
    expect(stats.hiddenFaults).toBeGreaterThan(20);
    expect(stats.trueFaults).toBe(1); // process B's deliberate page fault
    expect(vm.stats.exitsByKind['page-fault']).toBe(stats.hiddenFaults + stats.trueFaults);
  });

  it('stay equivalent on seeded random kernels', () => {
    const rng = new SeededRandom(77);
    for (let i = 0; i < 5; i++) {
      const program = assemble(
        referenceKernel({ iterations: rng.int(1, 15), work: rng.int(1, 100), timerPeriod: rng.int(100, 2000), remapEvery: rng.int(0, 3), yieldEvery: rng.int(0, 3) }),
      );
      const { vm } = runVirtual(program, createShadowVmm(), { vm: { mmu: 'shadow' } });
      expectEquivalent(runNative(program), vm);
    }
  });

  it('a VMM that forgets to drop shadow entries on tlbi breaks equivalence (the stale-mapping bug)', () => {
    const program = assemble(referenceKernel({ remapEvery: 1, iterations: 6 }));
    const correct = createShadowVmm();
    const forgetful = createShadowVmm();
    const buggy = runVirtual(program, (exit) => {
      if (exit.kind === 'privileged-instruction' && exit.instruction?.mnemonic === 'tlbi') {
        exit.skip(); // "emulates" tlbi without touching the shadow table
        return;
      }
      forgetful(exit);
    }, { vm: { mmu: 'shadow' } });
    const good = runVirtual(program, correct, { vm: { mmu: 'shadow' } });
    const native = runNative(program);
    expect(good.vm.console.output).toBe(native.console.output);
    let differences = 0;
    for (let a = 0; a < native.memory.size; a += 4) if (buggy.vm.readGuestPhysical(a) !== native.memory.readWord(a)) differences++;
    expect(differences).toBeGreaterThan(0);
  });

  it('shadow tables only map the VM\'s own guest-physical memory and cannot be shared between VMs', () => {
    const hv = new Hypervisor({ hostMemoryBytes: 2 << 20 });
    const a = hv.createVm({ memoryBytes: 64 * 1024, mmu: 'shadow' });
    const b = hv.createVm({ memoryBytes: 64 * 1024, mmu: 'shadow' });
    a.load(assemble('cli\n halt'));
    b.load(assemble('cli\n halt'));
    let tableOfA: ShadowTable | null = null;
    const errors: string[] = [];
    const seen = new Set<number>();
    hv.run((exit) => {
      if (seen.has(exit.vm.id)) return trapAndEmulate(exit);
      seen.add(exit.vm.id);
      if (exit.vm.id === a.id) {
        tableOfA = exit.shadow.createTable();
        try {
          tableOfA.set(0x1000, 64 * 1024, { writable: true });
        } catch (error) {
          errors.push((error as Error).message);
        }
        tableOfA.set(0x1000, 0x3000, { writable: true, user: true });
        expect(tableOfA.get(0x1abc)).toEqual({ guestPhysical: 0x3000, writable: true, user: true });
        expect(tableOfA.get(0x2000)).toBeNull();
      } else {
        try {
          exit.shadow.activate(tableOfA);
        } catch (error) {
          errors.push((error as Error).message);
        }
      }
      trapAndEmulate(exit);
    });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/outside this VM/);
    expect(errors[1]).toMatch(/not created for this VM/);
  });

  it('a store the VMM carries out with skip() counts as retired once, so instructions and virtual time match bare hardware', () => {
    // Stores to a write-protected page, with a timer running: emulating them must not shift the ticks.
    const program = assemble(`
      cli
      li r1, 0x8000
      li r2, 7
      li r5, 40
    again:
      st r2, [r1+0]
      stb r5, [r1+5]
      addi r2, r2, 1
      addi r5, r5, -1
      bne r5, r0, again
      ld r3, [r1+0]
      ld r4, [r1+4]
      halt`);
    let violations = 0;
    let protectedOnce = false;
    const { vm } = runVirtual(program, (exit: ExitContext) => {
      if (!protectedOnce) {
        protectedOnce = true;
        exit.protectPage(0x8000, false);
      }
      if (exit.kind !== 'memory-violation') return trapAndEmulate(exit);
      violations++;
      const ins = exit.instruction!;
      const value = exit.vcpu.getRegister(ins.rd);
      const word = exit.guestPhysicalAddress & ~3;
      if (ins.mnemonic === 'st') exit.writeGuestPhysical(word, value);
      else {
        const shift = (exit.guestPhysicalAddress & 3) * 8;
        exit.writeGuestPhysical(word, (exit.readGuestPhysical(word) & ~(0xff << shift)) | ((value & 0xff) << shift));
      }
      exit.skip();
      exit.skip(); // a second skip moves nothing and counts nothing more
    });
    expect(violations).toBe(80);
    expectEquivalent(runNative(program), vm);
  });

  it(`a VM may create at most ${MAX_SHADOW_TABLES} shadow tables, and the refusal says to reuse one`, () => {
    const hv = new Hypervisor({ hostMemoryBytes: 1 << 20 });
    const vm = hv.createVm({ memoryBytes: 64 * 1024, mmu: 'shadow' });
    vm.load(assemble('cli\n halt'));
    let created = 0;
    let refusal = '';
    let first = true;
    hv.run((exit) => {
      if (first) {
        first = false;
        try {
          for (;;) {
            exit.shadow.createTable();
            created++;
          }
        } catch (error) {
          refusal = (error as Error).message;
        }
      }
      trapAndEmulate(exit);
    });
    expect(created).toBe(MAX_SHADOW_TABLES);
    expect(refusal).toMatch(/at most 16 shadow tables.*reuse an evicted table/);
  });
});
