import { describe, expect, it } from 'vitest';
import { referenceKernel } from '../../../src/sim/guests/index.ts';
import { Hypervisor, type CodePage } from '../../../src/sim/hv/index.ts';
import { assemble } from '../../../src/sim/machine/index.ts';
import { expectEquivalent, runNative, runVirtual } from './helpers.ts';
import { scanPrivilegedOnly, scanSensitive } from './support/binary-translation.ts';
import { createShadowVmm } from './support/shadow-paging.ts';
import { trapAndEmulate } from './support/trap-and-emulate.ts';

/** The kernel variant that uses rdmode and pushf/cli/popf, as 2000s kernels did. */
const SENSITIVE = assemble(referenceKernel({ sensitive: true }));
const WARNING = 'warning: kernel is not in supervisor mode!';

describe('the x86-like CPU (Popek–Goldberg violations)', () => {
  it('on bare hardware the sensitive kernel sees supervisor mode', () => {
    expect(runNative(SENSITIVE, 'x86-like').console.output).not.toContain(WARNING);
  });

  it('plain trap-and-emulate is not equivalent: rdmode and popf run directly and see the real state', () => {
    const { vm } = runVirtual(SENSITIVE, trapAndEmulate, { hv: { cpu: 'x86-like' } });
    expect(vm.console.output).toContain(WARNING);
    expect(vm.stats.exitsByKind['privileged-instruction']).toBeGreaterThan(0);
  });

  it('the same VMM is equivalent on the virtualizable CPU, where those instructions trap', () => {
    const { vm } = runVirtual(SENSITIVE, trapAndEmulate);
    expectEquivalent(runNative(SENSITIVE), vm);
  });

  it('binary translation with a complete scanner restores equivalence', () => {
    const { vm } = runVirtual(SENSITIVE, trapAndEmulate, { hv: { cpu: 'x86-like' }, vm: { translator: scanSensitive } });
    expectEquivalent(runNative(SENSITIVE, 'x86-like'), vm);
    expect(vm.stats.exitsByKind['sensitive-instruction']).toBeGreaterThan(100);
    // Privileged instructions became callouts: no kernel privileged-instruction exits remain.
    expect(vm.stats.exitsByKind['privileged-instruction']).toBe(1); // process A's user-mode cli
    expect(vm.stats.cycles.emulation).toBeGreaterThan(0);
  });

  it('a scanner that misses the sensitive-but-unprivileged instructions is not', () => {
    const { vm } = runVirtual(SENSITIVE, trapAndEmulate, { hv: { cpu: 'x86-like' }, vm: { translator: scanPrivilegedOnly } });
    expect(vm.console.output).toContain(WARNING);
  });

  it('binary translation also composes with shadow paging', () => {
    const { vm } = runVirtual(SENSITIVE, createShadowVmm(), { hv: { cpu: 'x86-like' }, vm: { mmu: 'shadow', translator: scanSensitive } });
    expectEquivalent(runNative(SENSITIVE, 'x86-like'), vm);
  });

  it('scanners see frozen copies of kernel code pages only, once per page', () => {
    const pages: CodePage[] = [];
    runVirtual(SENSITIVE, trapAndEmulate, {
      hv: { cpu: 'x86-like' },
      vm: {
        translator: (page) => {
          pages.push(page);
          expect(Object.isFrozen(page.words)).toBe(true);
          expect(page.words).toHaveLength(1024);
          return scanSensitive(page);
        },
      },
    });
    const addresses = pages.map((p) => p.address);
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(addresses.every((a) => a < 0x9000)).toBe(true); // kernel pages; user code runs directly
  });

  it('guest writes to translated code invalidate the translation', () => {
    const hv = new Hypervisor({ cpu: 'x86-like', hostMemoryBytes: 1 << 20 });
    const vm = hv.createVm({ memoryBytes: 16 * 1024 });
    let scans = 0;
    hv.setTranslator(vm, (page) => {
      scans++;
      return scanSensitive(page);
    });
    // Patches its own code page (the word at `patch`), then jumps to another page and back.
    vm.load(assemble(`
start:
      li r1, patch
      li r2, 0x04000000    ; nop
      st r2, [r1+0]
      jmp far
back: halt
patch: .word 0
      .org 0x1000
far:  jmp back`));
    hv.run(trapAndEmulate);
    expect(vm.state).toBe('halted');
    expect(scans).toBe(3);
  });
});

describe('a faulty scanner', () => {
  it('fails its VM instead of crashing the host program', () => {
    const hv = new Hypervisor({ cpu: 'x86-like', hostMemoryBytes: 1 << 20 });
    const vm = hv.createVm({
      memoryBytes: 16 * 1024,
      translator: () => {
        throw new Error('scanner bug');
      },
    });
    vm.load(assemble('halt'));
    expect(hv.run(trapAndEmulate).outcome).toBe('stopped');
    expect(vm.state).toBe('failed');
    expect((vm.failure as Error).message).toBe('scanner bug');
  });

  it('an endless iterable of marks is cut off', () => {
    const { vm } = runVirtual(assemble('li r1, 5\n halt'), trapAndEmulate, {
      hv: { cpu: 'x86-like' },
      vm: {
        translator: function* endless(page) {
          for (;;) yield page.address + 4; // the halt
        },
      },
    });
    expect(vm.state).toBe('halted');
    expect(vm.stats.exitsByKind['sensitive-instruction']).toBe(1);
  });
});
