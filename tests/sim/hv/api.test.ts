import { describe, expect, it } from 'vitest';
import { SimError } from '../../../src/sim/common/errors.ts';
import { Hypervisor, type ExitContext } from '../../../src/sim/hv/index.ts';
import { assemble } from '../../../src/sim/machine/index.ts';
import { trapAndEmulate } from './support/trap-and-emulate.ts';

function expectSimError(fn: () => unknown, code: string, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SimError);
  expect((caught as SimError).code).toBe(code);
  expect((caught as SimError).message).toMatch(message);
}

describe('hypervisor API errors', () => {
  it('rejects invalid configuration and calls with SimErrors naming the problem', () => {
    expectSimError(() => new Hypervisor({ hostMemoryBytes: 123 }), 'INVALID_ARGUMENT', /hostMemoryBytes/);
    expectSimError(() => new Hypervisor({ cpu: 'sparc' as never }), 'INVALID_ARGUMENT', /cpu must be one of/);
    const hv = new Hypervisor({ hostMemoryBytes: 1 << 20 });
    expectSimError(() => hv.createVm({ memoryBytes: 2 << 20 }), 'CAPACITY_EXCEEDED', /host frames/);
    expectSimError(() => hv.createVm({ mmu: 'magic' as never }), 'INVALID_ARGUMENT', /nested.*shadow/);
    expectSimError(() => hv.run(42 as never), 'INVALID_ARGUMENT', /handler must be a function/);
    expectSimError(() => hv.run(() => {}, { maxExits: -3 }), 'INVALID_ARGUMENT', /maxExits/);
    const other = new Hypervisor({ hostMemoryBytes: 1 << 20 }).createVm({ memoryBytes: 4096 });
    expectSimError(() => hv.run(() => {}, { vms: [other] }), 'NOT_FOUND', /does not belong/);
    const vm = hv.createVm({ memoryBytes: 8192 });
    expectSimError(() => vm.load(new Array(3000).fill(0)), 'OUT_OF_RANGE', /do not fit/);
    expectSimError(() => vm.readGuestPhysical(8192), 'OUT_OF_RANGE', /guest-physical address/);
  });

  it('destroying a VM returns its frames', () => {
    const hv = new Hypervisor({ hostMemoryBytes: 1 << 20 });
    const before = hv.freeFrames;
    const vm = hv.createVm({ memoryBytes: 64 * 1024 });
    expect(hv.freeFrames).toBe(before - 16);
    hv.destroyVm(vm);
    expect(hv.freeFrames).toBe(before);
    expect(hv.vms).toEqual([]);
    expectSimError(() => hv.destroyVm(vm), 'NOT_FOUND', /destroyed/);
  });

  it('exit contexts check their arguments and die when the handler returns', () => {
    const hv = new Hypervisor({ hostMemoryBytes: 1 << 20 });
    const vm = hv.createVm({ memoryBytes: 64 * 1024 });
    vm.load(assemble('cli\n halt'));
    let kept: ExitContext | null = null;
    const errors: string[] = [];
    hv.run((exit) => {
      kept ??= exit;
      for (const bad of [
        () => exit.vcpu.setRegister(16, 1),
        () => exit.vcpu.setRegister(1, 2 ** 40),
        () => exit.vcpu.getControl('flags' as never),
        () => exit.inject(0),
        () => exit.readGuestPhysical(64 * 1024),
        () => exit.ioWrite(-1, 0),
        () => exit.shadow.createTable(),
        () => (exit.vcpu.pc = 2),
      ]) {
        try {
          bad();
        } catch (error) {
          errors.push((error as SimError).code);
        }
      }
      trapAndEmulate(exit);
    });
    expect(errors.slice(0, 8)).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'OUT_OF_RANGE', 'INVALID_ARGUMENT', 'INVALID_STATE', 'INVALID_ARGUMENT']);
    expectSimError(() => kept!.skip(), 'INVALID_STATE', /has been handled/);
    expectSimError(() => kept!.vcpu, 'INVALID_STATE', /has been handled/);
    expect(kept!.kind).toBe('privileged-instruction');
    expect(vm.state).toBe('halted');
  });

  it('a handler that throws fails its VM only; the other VM keeps running', () => {
    const hv = new Hypervisor({ hostMemoryBytes: 1 << 20 });
    const bad = hv.createVm({ name: 'bad', memoryBytes: 16 * 1024 });
    const good = hv.createVm({ name: 'good', memoryBytes: 16 * 1024 });
    bad.load(assemble('cli\n halt'));
    good.load(assemble("li r1, 'k'\n out CONSOLE_DATA, r1\n halt"));
    const result = hv.run((exit) => {
      if (exit.vm.name === 'bad') throw new Error('learner bug');
      trapAndEmulate(exit);
    });
    expect(result.outcome).toBe('stopped');
    expect(bad.state).toBe('failed');
    expect((bad.failure as Error).message).toBe('learner bug');
    expect(good.console.output).toBe('k');
  });

  it('calling run from inside a handler is refused', () => {
    const hv = new Hypervisor({ hostMemoryBytes: 1 << 20 });
    const vm = hv.createVm({ memoryBytes: 16 * 1024 });
    vm.load(assemble('cli\n halt'));
    hv.run(() => hv.run(() => {}));
    expect(vm.state).toBe('failed');
    expect((vm.failure as SimError).code).toBe('INVALID_STATE');
  });
});

describe('budgets stop runaway guests and VMMs', () => {
  it('an endless guest loop stops at maxInstructions, and run can continue', () => {
    const hv = new Hypervisor({ hostMemoryBytes: 1 << 20 });
    const vm = hv.createVm({ memoryBytes: 16 * 1024 });
    vm.load(assemble('loop: addi r1, r1, 1\n jmp loop'));
    const first = hv.run(trapAndEmulate, { maxInstructions: 100_000 });
    expect(first).toMatchObject({ outcome: 'budget', instructions: 100_000, exits: 0 });
    const second = hv.run(trapAndEmulate, { maxCycles: 5_000 });
    expect(second.outcome).toBe('budget');
    expect(second.cycles).toBe(5_000);
    expect(vm.cpuState.registers[1]).toBe(52_500);
  });

  it('a VMM that never resolves an exit is stopped by maxExits', () => {
    const hv = new Hypervisor({ hostMemoryBytes: 1 << 20 });
    const vm = hv.createVm({ memoryBytes: 16 * 1024 });
    vm.load(assemble('cli\n halt'));
    const result = hv.run(() => {}, { maxExits: 1000 });
    expect(result).toMatchObject({ outcome: 'budget', exits: 1000 });
    expect(vm.stats.exits).toBe(1000);
    expect(vm.cpuState.pc).toBe(0);
  });
});

describe('what learner code can and cannot reach', () => {
  it('exit objects expose no internals', () => {
    const hv = new Hypervisor({ hostMemoryBytes: 1 << 20 });
    const vm = hv.createVm({ memoryBytes: 16 * 1024 });
    vm.load(assemble('cli\n halt'));
    hv.run((exit) => {
      expect(Object.keys(exit)).toEqual([]);
      expect(Object.keys(exit.vcpu)).toEqual([]);
      expect(Object.isFrozen(exit.vm)).toBe(true);
      expect(Object.isFrozen(exit.instruction)).toBe(true);
      expect(() => new (exit.constructor as new (...args: unknown[]) => unknown)(Symbol('x'), {}, {})).toThrow(SimError);
      trapAndEmulate(exit);
    });
  });
});
