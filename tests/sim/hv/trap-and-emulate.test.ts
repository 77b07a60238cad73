import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../src/sim/common/rng.ts';
import { referenceKernel, type KernelOptions } from '../../../src/sim/guests/index.ts';
import { Hypervisor } from '../../../src/sim/hv/index.ts';
import { assemble } from '../../../src/sim/machine/index.ts';
import { expectEquivalent, GUEST_BYTES, runNative, runVirtual } from './helpers.ts';
import { trapAndEmulate } from './support/trap-and-emulate.ts';

describe('trap-and-emulate on the virtualizable CPU (the lab 3 reference VMM)', () => {
  it('runs the reference kernel equivalently to bare hardware', () => {
    const program = assemble(referenceKernel());
    const machine = runNative(program);
    const { vm } = runVirtual(program, trapAndEmulate);
    expect(vm.state).toBe('halted');
    expectEquivalent(machine, vm);
    expect(vm.stats.exitsByKind['privileged-instruction']).toBeGreaterThan(100);
    expect(vm.stats.exitsByKind.syscall).toBe(34);
    expect(vm.stats.exitsByKind.interrupt).toBeGreaterThan(10);
  });

  it('stays equivalent on seeded random kernels (timer periods, work, processes, faults, sensitive instructions)', () => {
    const rng = new SeededRandom(2024);
    for (let i = 0; i < 8; i++) {
      const options: KernelOptions = {
        iterations: rng.int(1, 20),
        work: rng.int(1, 200),
        timerPeriod: rng.int(50, 3000),
        processes: rng.pick([1, 2] as const),
        faults: rng.chance(0.5),
        sensitive: rng.chance(0.5),
        remapEvery: rng.int(0, 5),
        idleTicks: rng.int(0, 3),
      };
      const program = assemble(referenceKernel(options));
      const machine = runNative(program);
      const { vm } = runVirtual(program, trapAndEmulate);
      expect(machine.console.output).toContain('idle done');
      expectEquivalent(machine, vm);
    }
  });

  it('is efficient: most guest instructions run directly', () => {
    const program = assemble(referenceKernel({ work: 400, iterations: 10 }));
    const { vm } = runVirtual(program, trapAndEmulate);
    expect(vm.stats.directShare).toBeGreaterThan(0.95);
    expect(vm.stats.cycles.total).toBe(
      vm.stats.cycles.direct + vm.stats.cycles.trap + vm.stats.cycles.emulation + vm.stats.cycles.worldSwitch,
    );
  });

  it('is deterministic: two runs give the same counters, cycles and trace', () => {
    const program = assemble(referenceKernel({ iterations: 6 }));
    const a = runVirtual(program, trapAndEmulate, { hv: { seed: 9 } });
    const b = runVirtual(program, trapAndEmulate, { hv: { seed: 9 } });
    expect(a.vm.stats).toEqual(b.vm.stats);
    expect(a.hv.trace).toEqual(b.hv.trace);
    expect(a.vm.hostFrames()).toEqual(b.vm.hostFrames());
    expect(a.hv.trace.length).toBeGreaterThan(100);
    expect(Object.isFrozen(a.hv.trace[0])).toBe(true);
  });

  it('runs two VMs round-robin, each equivalent to its own bare machine', () => {
    const programs = [assemble(referenceKernel({ timerPeriod: 400 })), assemble(referenceKernel({ timerPeriod: 700, processes: 1 }))];
    const hv = new Hypervisor({ hostMemoryBytes: 4 << 20 });
    const vms = programs.map((program, i) => {
      const vm = hv.createVm({ name: `guest${i}`, memoryBytes: GUEST_BYTES });
      vm.load(program);
      return vm;
    });
    const result = hv.run(trapAndEmulate, { sliceInstructions: 500 });
    expect(result.outcome).toBe('stopped');
    programs.forEach((program, i) => expectEquivalent(runNative(program), vms[i]!));
    expect(hv.trace.some((event) => event.type === 'vm-switch')).toBe(true);
    expect(hv.cycles.worldSwitch).toBeGreaterThan(vms[0]!.stats.cycles.worldSwitch);
  });
});
