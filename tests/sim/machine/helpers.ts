import { assemble, Machine, type MachineOptions } from '../../../src/sim/machine/index.ts';

/** Assembles `source`, runs it on a fresh bare machine and returns the machine. */
export function runBare(source: string, options: MachineOptions = {}, maxInstructions = 1_000_000): Machine {
  const machine = new Machine({ memoryBytes: 64 * 1024, ...options });
  machine.load(assemble(source));
  machine.run({ maxInstructions });
  return machine;
}
