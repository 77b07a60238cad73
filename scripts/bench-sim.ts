/**
 * Simulator benchmark (`npm run bench:sim`): prints figures, asserts nothing.
 *
 * - guest instructions per second for direct execution: a bare machine, and a VM under the
 *   hypervisor (nested paging, no exits);
 * - the same for trap-heavy code: a user loop making a system call every 3 instructions, on
 *   bare hardware (native traps) and under a trap-and-emulate VMM (an exit per privileged
 *   instruction and per system call);
 * - host memory allocated per simulated MiB of guest memory;
 * - heap growth during a long run (there should be no per-instruction allocation).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { computeLoop, syscallLoop } from '../src/sim/guests/index.ts';
import { Hypervisor } from '../src/sim/hv/index.ts';
import { assemble, Machine } from '../src/sim/machine/index.ts';
import { trapAndEmulate } from '../tests/sim/hv/support/trap-and-emulate.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MiB = 1024 * 1024;

function measure(label: string, run: () => number): number {
  run(); // warm up the JIT on a first run
  const start = performance.now();
  const instructions = run();
  const seconds = (performance.now() - start) / 1000;
  const rate = instructions / seconds;
  console.log(`${label.padEnd(52)} ${(rate / 1e6).toFixed(1).padStart(7)} M instr/s  (${(instructions / 1e6).toFixed(1)} M in ${seconds.toFixed(2)} s)`);
  return rate;
}

const compute = assemble(computeLoop(20_000_000));
const traps = assemble(syscallLoop(300_000));

console.log('virtlab simulator benchmark\n');

measure('direct execution, bare machine', () => {
  const machine = new Machine({ memoryBytes: MiB });
  machine.load(compute);
  return machine.run({ maxInstructions: 200_000_000 }).instructions;
});

measure('direct execution, VM (nested paging, no exits)', () => {
  const hv = new Hypervisor({ hostMemoryBytes: 4 * MiB, traceCapacity: 0 });
  const vm = hv.createVm({ memoryBytes: MiB });
  vm.load(compute);
  // The only exit is the final halt.
  return hv.run(trapAndEmulate, { maxInstructions: 200_000_000 }).instructions;
});

measure('trap-heavy, bare machine (native traps)', () => {
  const machine = new Machine({ memoryBytes: MiB });
  machine.load(traps);
  return machine.run().instructions;
});

let exitsPerSecond = 0;
measure('trap-heavy, VM under trap-and-emulate (exits)', () => {
  const hv = new Hypervisor({ hostMemoryBytes: 4 * MiB, traceCapacity: 0 });
  const vm = hv.createVm({ memoryBytes: MiB });
  vm.load(traps);
  const start = performance.now();
  const result = hv.run(trapAndEmulate);
  exitsPerSecond = result.exits / ((performance.now() - start) / 1000);
  return result.instructions;
});
console.log(`${'  exits handled per second'.padEnd(52)} ${(exitsPerSecond / 1e6).toFixed(2).padStart(7)} M exits/s`);

// Memory: bytes the host allocates per MiB of simulated memory.
function allocated(make: () => unknown): number {
  gc();
  const before = process.memoryUsage();
  const keep = make();
  const after = process.memoryUsage();
  const bytes = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  if (keep === null) console.log('');
  return bytes;
}
console.log('');
const machineBytes = allocated(() => new Machine({ memoryBytes: 64 * MiB }));
console.log(`${'bare machine, 64 MiB'.padEnd(52)} ${(machineBytes / 64 / MiB).toFixed(3).padStart(7)} host MiB per guest MiB`);
const hvBytes = allocated(() => new Hypervisor({ hostMemoryBytes: 64 * MiB, traceCapacity: 0 }));
console.log(`${'hypervisor host memory, 64 MiB'.padEnd(52)} ${(hvBytes / 64 / MiB).toFixed(3).padStart(7)} host MiB per host MiB`);
const hv = new Hypervisor({ hostMemoryBytes: 128 * MiB, traceCapacity: 0 });
const vmBytes = allocated(() => hv.createVm({ memoryBytes: 64 * MiB }));
console.log(`${'VM on top of host memory, 64 MiB'.padEnd(52)} ${(vmBytes / 64 / MiB).toFixed(3).padStart(7)} extra host MiB per guest MiB (p2m, bookkeeping)`);

// Allocation during a run: heap growth over 100 M directly executed instructions.
{
  const machine = new Machine({ memoryBytes: MiB });
  machine.load(compute);
  machine.run({ maxInstructions: 1_000_000 });
  gc();
  const before = process.memoryUsage().heapUsed;
  const result = machine.run({ maxInstructions: 100_000_000 });
  const growth = process.memoryUsage().heapUsed - before;
  console.log(`\n${'heap growth over a direct run'.padEnd(52)} ${(growth / 1024).toFixed(1).padStart(7)} KiB for ${(result.instructions / 1e6).toFixed(0)} M instructions (${((growth / result.instructions) * 1e6).toFixed(1)} bytes per million)`);
}
