/**
 * Lab 4 reference, part 4: each approach's cost on one workload. The native figure is the bare
 * machine's busy cycles (idle time is not overhead); each VM's is what it cost the host.
 */
import { assemble, Hypervisor, Machine, referenceKernel, type ExitContext, type KernelOptions, type Program, type VirtualMachine } from '@virtlab/sim';
import { LECTURE_BANDS, type Band, type Measured, type OverheadReport } from '../starter/overhead.ts';
import { plainExit } from '../starter/trap-and-emulate.ts';
import { emulateCallout, handleExit as translatedExit, scanPage } from './translate.ts';
import { handleExit as paravirtualExit, paravirtualize } from './paravirt.ts';

const GUEST_BYTES = 256 * 1024;

/** Instructions that are privileged on the virtualizable CPU but only sensitive on the x86-like one. */
const SILENT_ON_X86 = new Set(['pushf', 'popf', 'rdmode', 'rdptb']);

export function bandOf(overhead: number): Band {
  for (const [band, { from, to }] of Object.entries(LECTURE_BANDS)) {
    if (overhead >= from && overhead <= to) return band as Band;
  }
  return 'neither';
}

/** Lab 3's monitor on the virtualizable CPU: the four instructions trap there, and are emulated as callouts are. */
function trapAndEmulate(exit: ExitContext): void {
  if (exit.kind === 'privileged-instruction' && SILENT_ON_X86.has(exit.instruction?.mnemonic ?? '')) emulateCallout(exit);
  else plainExit(exit);
}

/** Runs `program` alone in a VM under `handleExit` and returns the VM. */
function runVm(program: Program, cpu: 'virtualizable' | 'x86-like', handleExit: (exit: ExitContext) => void, translate = false): VirtualMachine {
  const hv = new Hypervisor({ cpu, hostMemoryBytes: 4 << 20 });
  const vm = hv.createVm({ name: 'measured', memoryBytes: GUEST_BYTES, ...(translate ? { translator: scanPage } : {}) });
  vm.load(program);
  hv.run(handleExit, { maxInstructions: 20_000_000, maxExits: 1_000_000 });
  return vm;
}

export function measure(workload: KernelOptions): OverheadReport {
  const source = referenceKernel(workload);
  const native = assemble(source);
  const bare = new Machine({ cpu: 'x86-like', memoryBytes: GUEST_BYTES });
  bare.load(native);
  bare.run({ maxInstructions: 20_000_000 });
  const nativeBusyCycles = bare.stats.cycles - bare.stats.idleCycles;
  const cost = (vm: VirtualMachine): Measured => {
    const overhead = vm.stats.cycles.total / nativeBusyCycles - 1;
    return { busyCycles: vm.stats.cycles.total, overhead, band: bandOf(overhead) };
  };
  return {
    nativeBusyCycles,
    trapAndEmulate: cost(runVm(native, 'virtualizable', trapAndEmulate)),
    binaryTranslation: cost(runVm(native, 'x86-like', translatedExit, true)),
    paravirtualization: cost(runVm(assemble(paravirtualize(source)), 'x86-like', paravirtualExit)),
  };
}
