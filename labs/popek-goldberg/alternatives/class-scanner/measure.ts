// Style: a bench object. Each approach is a method that builds its own hypervisor; the report is
// assembled from the bench's readings, and a band is found by searching the lecture's table.
import { assemble, Hypervisor, Machine, referenceKernel, type ExitContext, type KernelOptions, type VirtualMachine } from '@virtlab/sim';
import { LECTURE_BANDS, type Band, type Measured, type OverheadReport } from './overhead.ts';
import { plainExit } from './trap-and-emulate.ts';
import { emulateCallout, handleExit as translated, scanPage } from './translate.ts';
import { handleExit as paravirtual, paravirtualize } from './paravirt.ts';

export function bandOf(overhead: number): Band {
  const hit = (Object.keys(LECTURE_BANDS) as Array<keyof typeof LECTURE_BANDS>).find((band) => LECTURE_BANDS[band].from <= overhead && overhead <= LECTURE_BANDS[band].to);
  return hit ?? 'neither';
}

class Bench {
  static readonly MEMORY = 256 * 1024;
  static readonly BUDGET = { maxInstructions: 50_000_000, maxExits: 5_000_000 };
  readonly #source: string;

  constructor(workload: KernelOptions) {
    this.#source = referenceKernel(workload);
  }

  native(): number {
    const machine = new Machine({ cpu: 'x86-like', memoryBytes: Bench.MEMORY });
    machine.load(assemble(this.#source));
    machine.run({ maxInstructions: Bench.BUDGET.maxInstructions });
    return machine.stats.cycles - machine.stats.idleCycles;
  }

  trapAndEmulate(): VirtualMachine {
    // On the virtualizable CPU the silent four are privileged: they trap, and are emulated as callouts are.
    return this.#run('virtualizable', this.#source, (exit) => (exit.kind === 'privileged-instruction' && ['pushf', 'popf', 'rdmode', 'rdptb'].includes(exit.instruction?.mnemonic ?? '') ? emulateCallout(exit) : plainExit(exit)), false);
  }

  binaryTranslation(): VirtualMachine {
    return this.#run('x86-like', this.#source, translated, true);
  }

  paravirtualization(): VirtualMachine {
    return this.#run('x86-like', paravirtualize(this.#source), paravirtual, false);
  }

  #run(cpu: 'virtualizable' | 'x86-like', source: string, handler: (exit: ExitContext) => void, translate: boolean): VirtualMachine {
    const hv = new Hypervisor({ cpu, hostMemoryBytes: 4 << 20, seed: 11 });
    const vm = hv.createVm({ memoryBytes: Bench.MEMORY, ...(translate ? { translator: scanPage } : {}) });
    vm.load(assemble(source));
    hv.run(handler, Bench.BUDGET);
    return vm;
  }
}

export function measure(workload: KernelOptions): OverheadReport {
  const bench = new Bench(workload);
  const nativeBusyCycles = bench.native();
  const reading = (vm: VirtualMachine): Measured => {
    const busyCycles = vm.stats.cycles.total;
    const overhead = (busyCycles - nativeBusyCycles) / nativeBusyCycles;
    return { busyCycles, overhead, band: bandOf(overhead) };
  };
  return {
    nativeBusyCycles,
    trapAndEmulate: reading(bench.trapAndEmulate()),
    binaryTranslation: reading(bench.binaryTranslation()),
    paravirtualization: reading(bench.paravirtualization()),
  };
}
