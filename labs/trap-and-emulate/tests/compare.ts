// Helpers the public and hidden tests share (public, so you can read exactly how you are
// graded): run a guest on bare hardware and under your VMM, and list every way the two runs
// differ; check that VMs kept to their own host frames. (Labs 3 and 5 share this file: lab 5's
// is a link to lab 3's.)
import { expect } from '@virtlab/test';
import { assemble, EXIT_KINDS, Hypervisor, Machine, type ExitContext, type ExitHandler, type ExitKind, type Program, type VirtualMachine } from '@virtlab/sim';

/** Guest-physical memory of the reference-kernel guests (the kernel's layout needs 256 KiB). */
export const KERNEL_GUEST_BYTES = 256 * 1024;

/** Guest-physical memory of the small hand-written guests. */
export const SMALL_GUEST_BYTES = 64 * 1024;

/** Most instructions a bare run may take: far more than any guest here needs. */
export const BARE_INSTRUCTION_LIMIT = 5_000_000;

/** How much a virtual run may do before the hypervisor stops it, over all its VMs. */
export interface RunBudget {
  readonly maxInstructions: number;
  readonly maxExits: number;
}

/** The most a virtual run may ever do: enough for every guest here, the calibration kernel included. */
const BUDGET_CAP: RunBudget = { maxInstructions: BARE_INSTRUCTION_LIMIT, maxExits: 50_000 };

/**
 * The budget of a virtual run whose guests retire `bareInstructions` in all on bare hardware.
 * An equivalent VMM retires exactly as many, with at most one exit per instruction and one per
 * interrupt (and every interrupt runs at least one instruction of its handler), so twice the
 * bare count and a margin never stop it; a VMM that loops on a small guest is stopped soon, so
 * its test fails quickly and leaves the file's time budget to the tests after it.
 */
export function budgetFor(bareInstructions: number): RunBudget {
  return {
    maxInstructions: Math.min(BUDGET_CAP.maxInstructions, 2 * bareInstructions + 10_000),
    maxExits: Math.min(BUDGET_CAP.maxExits, 2 * bareInstructions + 1_000),
  };
}

/** A budget in words, for failure messages. */
function budgetText(budget: RunBudget): string {
  return `${grouped(budget.maxInstructions)} instructions and ${grouped(budget.maxExits)} exits for all VMs together`;
}

/** 5000000 as `5,000,000` (not toLocaleString: the same text on every engine). */
function grouped(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** Runs `program` on a bare machine of `memoryBytes`; returns the machine and how its run ended. */
export function runBare(program: Program, memoryBytes: number): { machine: Machine; outcome: string } {
  const machine = new Machine({ cpu: 'virtualizable', memoryBytes });
  machine.load(program);
  const outcome = machine.run({ maxInstructions: BARE_INSTRUCTION_LIMIT }).outcome;
  return { machine, outcome };
}

/** One VM to create: its program and memory. */
export interface GuestSpec {
  readonly program: Program;
  readonly memoryBytes: number;
}

/** Called before the VMM sees each exit (for the workbench's picture); test code only. */
export type ExitObserver = (vm: VirtualMachine, kind: ExitKind) => void;

/** Calls a VMM the way the hypervisor would: a function, or an object with `handleExit`. */
export function callVmm(vmm: ExitHandler, exit: ExitContext): void {
  if (typeof vmm === 'function') vmm(exit);
  else vmm.handleExit(exit);
}

/** How to run VMs: the hypervisor's seed, the slice length, an exit observer and the VMs' memory virtualization (lab 5: `shadow`). */
export interface RunOptions {
  readonly seed?: number;
  readonly slice?: number;
  readonly observe?: ExitObserver;
  readonly mmu?: 'nested' | 'shadow';
}

/**
 * Creates one VM per spec on a fresh hypervisor and runs them all under `handler` (one VMM for
 * every VM, as a real hypervisor has), `slice` instructions at a time, within `budget`.
 */
export function runVirtual(specs: readonly GuestSpec[], handler: ExitHandler, budget: RunBudget, options: RunOptions = {}): { hv: Hypervisor; vms: VirtualMachine[] } {
  const hv = new Hypervisor({ cpu: 'virtualizable', hostMemoryBytes: 4 << 20, seed: options.seed ?? 11, traceCapacity: 0 });
  const vms = specs.map((spec, i) => {
    const vm = hv.createVm({ name: `guest${i}`, memoryBytes: spec.memoryBytes, mmu: options.mmu ?? 'nested' });
    vm.load(spec.program);
    return vm;
  });
  const observe = options.observe;
  const byId = new Map(vms.map((vm) => [vm.id, vm]));
  const run: ExitHandler =
    observe === undefined
      ? handler
      : (exit: ExitContext) => {
          const vm = byId.get(exit.vm.id);
          if (vm !== undefined) observe(vm, exit.kind);
          callVmm(handler, exit);
        };
  hv.run(run, { ...budget, sliceInstructions: options.slice ?? 20_000 });
  return { hv, vms };
}

/** What the workbench draws for one VM: its exits over guest time and its accounting. */
export interface ExitPicture {
  readonly title: string;
  readonly vm: string;
  /** Guest time at the end of the run, in timer ticks. */
  readonly guestTime: number;
  /** Ticks per bin of `perBin`. */
  readonly binTicks: number;
  /** Exit kinds that happened, in `EXIT_KINDS` order, with their counts per bin of guest time. */
  readonly kinds: readonly { readonly kind: ExitKind; readonly total: number; readonly perBin: readonly number[] }[];
  readonly directInstructions: number;
  readonly emulatedInstructions: number;
  readonly directShare: number;
  readonly cycles: { readonly direct: number; readonly trap: number; readonly emulation: number; readonly worldSwitch: number };
  /** Busy cycles of the same guest on bare hardware. */
  readonly bareCycles: number;
  readonly state: string;
  /** The first differences from bare hardware (none: equivalent). */
  readonly differences: readonly string[];
}

/** Records every exit's guest time and kind, per VM, for {@link exitPicture}. */
export class ExitLog {
  readonly #events = new Map<VirtualMachine, [number, ExitKind][]>();
  readonly #limit: number;

  constructor(limit = 200_000) {
    this.#limit = limit;
  }

  /** The observer to pass to {@link runVirtual}. */
  readonly observe: ExitObserver = (vm, kind) => {
    let events = this.#events.get(vm);
    if (events === undefined) this.#events.set(vm, (events = []));
    if (events.length < this.#limit) events.push([vm.stats.guestTime, kind]);
  };

  /** Summarizes one VM's run (a few kilobytes whatever the run's length). */
  picture(title: string, vm: VirtualMachine, machine: Machine, differences: readonly string[], maxBins = 60): ExitPicture {
    let bins = maxBins;
    const events = this.#events.get(vm) ?? [];
    const stats = vm.stats;
    const guestTime = Math.max(1, stats.guestTime);
    bins = Math.max(1, Math.min(bins, guestTime));
    const binTicks = Math.max(1, Math.ceil(guestTime / bins));
    const kinds = EXIT_KINDS.map((kind) => {
      const perBin = new Array<number>(bins).fill(0);
      let total = 0;
      for (const [time, k] of events) {
        if (k !== kind) continue;
        total++;
        perBin[Math.min(bins - 1, Math.floor(time / binTicks))]!++;
      }
      return { kind, total, perBin };
    }).filter((row) => row.total > 0);
    const { direct, trap, emulation, worldSwitch } = stats.cycles;
    return {
      title,
      vm: vm.name,
      guestTime: stats.guestTime,
      binTicks,
      kinds,
      directInstructions: stats.directInstructions,
      emulatedInstructions: stats.emulatedInstructions,
      directShare: stats.directShare,
      cycles: { direct, trap, emulation, worldSwitch },
      bareCycles: machine.stats.cycles - machine.stats.idleCycles,
      state: vm.state,
      differences: differences.slice(0, 3),
    };
  }
}

const hex = (value: number): string => `0x${(value >>> 0).toString(16)}`;

/** The VM state that corresponds to a bare machine's run outcome. */
function expectedState(outcome: string): string {
  if (outcome === 'powered-off') return 'powered-off';
  if (outcome === 'halted') return 'halted';
  return 'runnable';
}

/** How the VM ended against how bare hardware did; a VM still running was stopped by `budget`. */
function stateDifference(state: string, bare: string, budget: RunBudget | undefined): string {
  const versus = `(bare hardware ${bare === 'runnable' ? 'ran out of budget' : bare})`;
  if (state !== 'runnable') return `the VM ended ${state} ${versus}`;
  return `the VM was still running ${versus} when the run's budget${budget === undefined ? '' : ` of ${budgetText(budget)}`} ran out`;
}

/** `count noun` with the noun in the plural unless count is 1. */
const counted = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** Where two console outputs first differ, with some context on each side. */
function consoleDifference(vmOut: string, bareOut: string): string {
  let i = 0;
  while (i < vmOut.length && i < bareOut.length && vmOut[i] === bareOut[i]) i++;
  const from = Math.max(0, i - 20);
  const excerpt = (text: string): string => JSON.stringify(text.slice(from, i + 30));
  return `console ${excerpt(vmOut)} (bare ${excerpt(bareOut)})${from > 0 ? ` from character ${from}` : ''}`;
}

/** A run of consecutive differing memory words. */
interface WordRun {
  readonly start: number;
  readonly vm: number[];
  readonly bare: number[];
}

/** Runs shown, and words shown per run, in a memory difference. */
const SHOWN_RUNS = 3;
const SHOWN_WORDS = 4;

/** One fact for every differing memory word: how many, and the first runs with both values. */
function memoryDifference(runs: readonly WordRun[]): string | null {
  const total = runs.reduce((sum, run) => sum + run.vm.length, 0);
  if (total === 0) return null;
  const values = (words: readonly number[]): string => words.slice(0, SHOWN_WORDS).map(hex).join(', ') + (words.length > SHOWN_WORDS ? ', …' : '');
  const shown = runs.slice(0, SHOWN_RUNS).map((run) => {
    const last = run.start + 4 * (run.vm.length - 1);
    return `${run.vm.length === 1 ? hex(run.start) : `${hex(run.start)}–${hex(last)}`}: ${values(run.vm)} (bare ${values(run.bare)})`;
  });
  const rest = runs.length > SHOWN_RUNS ? `; and ${counted(runs.length - SHOWN_RUNS, 'more run')}` : '';
  return `${counted(total, 'memory word')} at ${shown.join('; ')}${rest}`;
}

/** The differing words of two memories of `size` bytes, grouped into runs of consecutive words. */
function differingWords(size: number, vmWord: (address: number) => number, bareWord: (address: number) => number): WordRun[] {
  const runs: WordRun[] = [];
  let current: WordRun | null = null;
  for (let address = 0; address < size; address += 4) {
    const mine = vmWord(address);
    const theirs = bareWord(address);
    if (mine === theirs) {
      current = null;
      continue;
    }
    if (current === null) runs.push((current = { start: address, vm: [], bare: [] }));
    current.vm.push(mine);
    current.bare.push(theirs);
  }
  return runs;
}

/**
 * Every observable difference between a bare run and a VM run of the same guest (empty when
 * they are equivalent), each a fact with both values, e.g. `r3 = 0x5 (bare 0x7)`, the most
 * telling first: how each ended, console output, pc and control registers, memory, general
 * registers, exit code and, unless `instructions` is false, the instruction count and virtual time.
 */
export function differences(machine: Machine, outcome: string, vm: VirtualMachine, options: { instructions?: boolean; budget?: RunBudget } = {}): string[] {
  const found: string[] = [];
  if (vm.failure !== null) {
    const failure = vm.failure as { message?: unknown };
    found.push(`your VMM threw: ${typeof failure?.message === 'string' ? failure.message : String(vm.failure)}`);
  }
  const want = expectedState(outcome);
  if (vm.state !== want) found.push(stateDifference(vm.state, want, options.budget));
  if (vm.console.output !== machine.console.output) found.push(consoleDifference(vm.console.output, machine.console.output));
  const vs = vm.cpuState;
  const bs = machine.state;
  if (vs.pc !== bs.pc) found.push(`pc = ${hex(vs.pc)} (bare ${hex(bs.pc)})`);
  for (const [name, value] of Object.entries(bs.control)) {
    const mine = (vs.control as Record<string, number>)[name] ?? 0;
    if (mine !== value) found.push(`${name} = ${hex(mine)} (bare ${hex(value)})`);
  }
  const memory = memoryDifference(differingWords(machine.memory.size, (a) => vm.readGuestPhysical(a), (a) => machine.memory.readWord(a)));
  if (memory !== null) found.push(memory);
  for (let r = 1; r < 16; r++) if (vs.registers[r] !== bs.registers[r]) found.push(`r${r} = ${hex(vs.registers[r]!)} (bare ${hex(bs.registers[r]!)})`);
  if (outcome === 'powered-off' && vm.exitCode !== machine.devices.exitCode) found.push(`exit code ${vm.exitCode} (bare ${machine.devices.exitCode})`);
  if (options.instructions !== false) {
    const retired = vm.stats.directInstructions + vm.stats.emulatedInstructions;
    if (retired !== machine.stats.instructions) found.push(`instructions retired ${retired} (bare ${machine.stats.instructions})`);
    if (vm.stats.guestTime !== machine.time) found.push(`virtual time ${vm.stats.guestTime} ticks (bare ${machine.time})`);
  }
  return found;
}

/** Facts named in one failure message; the rest are counted. */
const SHOWN_FACTS = 6;

/** `a; b; c`: at most {@link SHOWN_FACTS} facts, then how many more. */
function listed(facts: readonly string[]): string {
  const rest = facts.length > SHOWN_FACTS ? `; and ${facts.length - SHOWN_FACTS} more` : '';
  return facts.slice(0, SHOWN_FACTS).join('; ') + rest;
}

/** Differences per guest, by name (e.g. `guest 1`, `seed 7`). */
export type DifferenceReport = Readonly<Record<string, readonly string[]>>;

/**
 * Fails the test unless every guest matched bare hardware and no VM broke resource control
 * (`violations`, from {@link isolationViolations}), with a message that names each difference
 * and its values: `guest 1: 2 differences from bare hardware: r3 = 0x5 (bare 0x7); …`.
 */
export function expectEquivalent(found: readonly string[] | DifferenceReport, violations: readonly string[] = []): void {
  const report: DifferenceReport = isList(found) ? { '': found } : found;
  const parts: string[] = [];
  for (const [name, facts] of Object.entries(report)) {
    if (facts.length === 0) continue;
    parts.push(`${name === '' ? '' : `${name}: `}${counted(facts.length, 'difference')} from bare hardware: ${listed(facts)}`);
  }
  if (violations.length > 0) parts.push(`resource control: ${counted(violations.length, 'violation')}: ${listed(violations)}`);
  if (parts.length > 0) expect.fail(parts.join('. '));
}

function isList(found: readonly string[] | DifferenceReport): found is readonly string[] {
  return Array.isArray(found);
}

/** `97.1%`, with more decimals when needed to tell `value` from `bound`. */
function percentAgainst(value: number, bound: number): string {
  for (let digits = 1; digits < 4; digits++) {
    const shown = (value * 100).toFixed(digits);
    if (shown !== (bound * 100).toFixed(digits)) return `${shown}%`;
  }
  return `${(value * 100).toFixed(4)}%`;
}

/** Fails the test unless `value` (a fraction) is within `bound`: e.g. `overhead 63% (needs ≤ 50%)`. */
export function expectPercent(name: string, value: number, relation: '≥' | '≤', bound: number): void {
  const ok = relation === '≥' ? value >= bound : value <= bound;
  if (!ok) expect.fail(`${name} ${percentAgainst(value, bound)} (needs ${relation} ${+(bound * 100).toFixed(4)}%)`);
}

/** Runs `source` bare and in one VM under `handler`; returns the differences, the VM and the machine. */
export function compareAlone(
  source: string | Program,
  memoryBytes: number,
  handler: ExitHandler,
  options: RunOptions & { instructions?: boolean } = {},
): { differences: string[]; vm: VirtualMachine; machine: Machine } {
  const prog = typeof source === 'string' ? assemble(source) : source;
  const { machine, outcome } = runBare(prog, memoryBytes);
  const budget = budgetFor(machine.stats.instructions);
  const { vms } = runVirtual([{ program: prog, memoryBytes }], handler, budget, options);
  const vm = vms[0]!;
  return { differences: differences(machine, outcome, vm, { instructions: options.instructions, budget }), vm, machine };
}

/** Several guests run together under one VMM, each compared with its own bare machine. */
export interface TogetherResult {
  /** Differences per guest, as `guest 0`, `guest 1`, … (only those that differ). */
  readonly report: Record<string, string[]>;
  /** Resource-control violations seen from the host ({@link isolationViolations}). */
  readonly violations: string[];
  readonly vms: VirtualMachine[];
  readonly bare: { machine: Machine; outcome: string }[];
}

/** Runs `specs` each alone on bare hardware, then together under `handler` (see {@link runVirtual}) within {@link budgetFor} their total. */
export function compareTogether(specs: readonly GuestSpec[], handler: ExitHandler, options: RunOptions = {}): TogetherResult {
  const bare = specs.map((spec) => runBare(spec.program, spec.memoryBytes));
  const budget = budgetFor(bare.reduce((sum, run) => sum + run.machine.stats.instructions, 0));
  const { hv, vms } = runVirtual(specs, handler, budget, options);
  const report: Record<string, string[]> = {};
  bare.forEach(({ machine, outcome }, i) => {
    const found = differences(machine, outcome, vms[i]!, { budget });
    if (found.length > 0) report[`guest ${i}`] = found;
  });
  return { report, violations: isolationViolations(hv, vms), vms, bare };
}

/**
 * Resource control, seen from the host: every host frame a VM touched is one of its own, no
 * two VMs share a frame, and no host frame outside every VM was written. Returns the violations.
 */
export function isolationViolations(hv: Hypervisor, vms: readonly VirtualMachine[]): string[] {
  const found: string[] = [];
  const owner = new Map<number, string>();
  for (const vm of vms) {
    for (const frame of vm.hostFrames()) {
      const other = owner.get(frame);
      if (other !== undefined) found.push(`host frame ${frame} belongs to ${other} and ${vm.name}`);
      owner.set(frame, vm.name);
    }
  }
  for (const vm of vms) {
    const own = new Set(vm.hostFrames());
    const foreign = vm.touchedHostFrames().filter((frame) => !own.has(frame));
    if (foreign.length > 0) found.push(`${vm.name} touched host frames it does not own: ${foreign.slice(0, 5).join(', ')}`);
  }
  const words = hv.hostMemory.words;
  for (let frame = 0; frame < hv.hostMemory.size / 4096; frame++) {
    if (owner.has(frame)) continue;
    const page = words.subarray(frame << 10, (frame + 1) << 10);
    if (page.some((word) => word !== 0)) found.push(`host frame ${frame}, which no VM owns, was written`);
  }
  return found;
}
