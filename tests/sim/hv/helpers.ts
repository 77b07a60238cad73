import { expect } from 'vitest';
import { Hypervisor, type ExitHandler, type HypervisorOptions, type VirtualMachine, type VmOptions } from '../../../src/sim/hv/index.ts';
import { Machine, type CpuConfig, type Program } from '../../../src/sim/machine/index.ts';

export const GUEST_BYTES = 256 * 1024;

/** Runs a program on a bare machine of `GUEST_BYTES`. */
export function runNative(program: Program, cpu: CpuConfig = 'virtualizable', maxInstructions = 50_000_000): Machine {
  const machine = new Machine({ cpu, memoryBytes: GUEST_BYTES });
  machine.load(program);
  machine.run({ maxInstructions });
  return machine;
}

/** Runs a program in one VM under `handler`. */
export function runVirtual(
  program: Program,
  handler: ExitHandler,
  options: { hv?: HypervisorOptions; vm?: VmOptions; maxInstructions?: number } = {},
): { hv: Hypervisor; vm: VirtualMachine } {
  const hv = new Hypervisor({ hostMemoryBytes: 4 << 20, ...options.hv });
  const vm = hv.createVm({ memoryBytes: GUEST_BYTES, ...options.vm });
  vm.load(program);
  hv.run(handler, { maxInstructions: options.maxInstructions ?? 50_000_000 });
  return { hv, vm };
}

/** Popek–Goldberg equivalence: same output, same CPU state, same memory, same instruction count. */
export function expectEquivalent(machine: Machine, vm: VirtualMachine): void {
  expect(vm.failure).toBeNull();
  expect(vm.console.output).toBe(machine.console.output);
  expect(vm.cpuState).toEqual(machine.state);
  expect(vm.stats.directInstructions + vm.stats.emulatedInstructions).toBe(machine.stats.instructions);
  expect(vm.stats.guestTime).toBe(machine.time);
  let differences = 0;
  for (let address = 0; address < machine.memory.size; address += 4) {
    if (vm.readGuestPhysical(address) !== machine.memory.readWord(address)) differences++;
  }
  expect(differences).toBe(0);
}
