// Style: a table of set-ups. Each approach is a row (CPU, program, handler, translator), measured
// by one function; the bands are tested one by one with explicit limits.
import { assemble, Hypervisor, Machine, referenceKernel, type ExitContext, type KernelOptions, type Program, type TranslationScanner } from '@virtlab/sim';
import { LECTURE_BANDS, type Band, type OverheadReport } from './overhead.ts';
import { plainExit } from './trap-and-emulate.ts';
import { emulateCallout, handleExit as translatedExit, scanPage } from './translate.ts';
import { handleExit as paravirtualExit, paravirtualize } from './paravirt.ts';

export function bandOf(overhead: number): Band {
  const { xen, 'full-virtualization': full } = LECTURE_BANDS;
  if (xen.from <= overhead && overhead <= xen.to) return 'xen';
  if (full.from <= overhead && overhead <= full.to) return 'full-virtualization';
  return 'neither';
}

const SILENT_ON_X86 = new Set(['pushf', 'popf', 'rdmode', 'rdptb']);

interface SetUp {
  readonly cpu: 'virtualizable' | 'x86-like';
  readonly program: Program;
  readonly handler: (exit: ExitContext) => void;
  readonly translator?: TranslationScanner;
}

/** Host cycles one VM costs under a set-up (idle is not counted in `total`). */
function busyCyclesOf({ cpu, program, handler, translator }: SetUp): number {
  const hv = new Hypervisor({ cpu, hostMemoryBytes: 2 << 20 });
  const vm = hv.createVm({ name: 'bench', memoryBytes: 0x40000, ...(translator === undefined ? {} : { translator }) });
  vm.load(program);
  hv.run({ handleExit: handler }, { maxInstructions: 30_000_000, maxExits: 3_000_000 });
  return vm.stats.cycles.total;
}

export function measure(workload: KernelOptions): OverheadReport {
  const source = referenceKernel(workload);
  const program = assemble(source);
  const machine = new Machine({ cpu: 'x86-like', memoryBytes: 0x40000 });
  machine.load(program);
  machine.run({ maxInstructions: 30_000_000 });
  const nativeBusyCycles = machine.stats.cycles - machine.stats.idleCycles;
  const setUps = {
    trapAndEmulate: { cpu: 'virtualizable', program, handler: (exit: ExitContext) => (exit.kind === 'privileged-instruction' && SILENT_ON_X86.has(exit.instruction?.mnemonic ?? '') ? emulateCallout(exit) : plainExit(exit)) },
    binaryTranslation: { cpu: 'x86-like', program, handler: translatedExit, translator: scanPage },
    paravirtualization: { cpu: 'x86-like', program: assemble(paravirtualize(source)), handler: paravirtualExit },
  } satisfies Record<string, SetUp>;
  const rows = Object.entries(setUps).map(([field, setUp]) => {
    const busyCycles = busyCyclesOf(setUp);
    const overhead = busyCycles / nativeBusyCycles - 1;
    return [field, { busyCycles, overhead, band: bandOf(overhead) }] as const;
  });
  return { nativeBusyCycles, ...Object.fromEntries(rows) } as OverheadReport;
}
