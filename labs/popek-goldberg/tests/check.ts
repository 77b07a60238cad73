// Shared by the public and hidden tests of lab 4 (shipped to the browser): run a guest on a bare
// x86-like machine and in a VM under a monitor, and list every difference bare hardware would show.
import { assemble, Hypervisor, Machine, type CodePage, type CpuConfig, type ExitContext, type ExitKind, type Program, type TranslationScanner, type VirtualMachine } from '@virtlab/sim';
import { expect } from '@virtlab/test';

/** Guest memory of every VM in this lab's tests. */
export const GUEST_BYTES = 256 * 1024;

/** The most a bare run may retire (the calibration kernel needs about 600 000). */
const BARE_LIMIT = 3_000_000;

/** A monitor under test: its exit handler and, for binary translation, its scanner. */
export interface Monitor {
  readonly handleExit: (exit: ExitContext) => void;
  readonly scanner?: TranslationScanner;
}

/** A kernel code page as the scanner last saw it (for the results panel only: nothing is graded on it). */
export interface ScannedPage {
  readonly address: number;
  /** The page's words, as the hypervisor handed them to the scanner. */
  readonly words: readonly number[];
  /** What the scanner returned that the hypervisor keeps (inside the page, multiples of 4), ascending. */
  readonly marked: readonly number[];
}

/** The most marks the hypervisor reads of one scan (it stops runaway iterables there too). */
const MARKS_READ = 4 * 1024;

/**
 * What a scanner returned, read once as the hypervisor reads it (at most MARKS_READ items), so
 * the same values can go on to the hypervisor and into the picture; anything not iterable is
 * passed on as it is (the hypervisor ignores it).
 */
function readMarks(marks: unknown): unknown {
  if (marks === null || marks === undefined || typeof (marks as Iterable<unknown>)[Symbol.iterator] !== 'function') return marks;
  const read: unknown[] = [];
  for (const mark of marks as Iterable<unknown>) {
    if (read.length === MARKS_READ) break;
    read.push(mark);
  }
  return read;
}

/** The marks the hypervisor keeps (inside the page, multiples of 4), ascending. */
function keptMarks(page: CodePage, marks: unknown): number[] {
  if (!Array.isArray(marks)) return [];
  const end = page.address + 4 * page.words.length;
  const kept = marks.filter((mark): mark is number => Number.isInteger(mark) && mark >= page.address && mark < end && (mark - page.address) % 4 === 0);
  return [...new Set(kept)].sort((a, b) => a - b);
}

/** What one guest did on bare hardware and in its VM. */
export interface Comparison {
  readonly machine: Machine;
  readonly vm: VirtualMachine;
  readonly differences: string[];
  /** Exits the monitor saw, by kind (counted by the test, not by the monitor). */
  readonly exits: Readonly<Record<string, number>>;
  /** Distinct guest addresses where a callout happened, ascending. */
  readonly calloutSites: readonly number[];
  /** Each kernel code page the scanner saw, by address (the last scan of each). */
  readonly scannedPages: readonly ScannedPage[];
}

/** What the test saw of one VM's exits. */
interface ExitCount {
  readonly byKind: Record<string, number>;
  readonly sites: Set<number>;
  /** The scanner's last view of each page, by page address. */
  readonly pages: Map<number, ScannedPage>;
}

function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}

/** Runs `program` on a bare x86-like machine. */
export function runBare(program: Program): { machine: Machine; ended: string } {
  const machine = new Machine({ cpu: 'x86-like', memoryBytes: GUEST_BYTES });
  machine.load(program);
  const outcome = machine.run({ maxInstructions: BARE_LIMIT }).outcome;
  return { machine, ended: outcome === 'halted' || outcome === 'powered-off' ? outcome : 'stuck' };
}

/** Bare runs of the sources tests ran most recently: a bare machine only ever runs the same way again. */
const bareRuns = new Map<string, { machine: Machine; ended: string }>();
const BARE_RUNS_KEPT = 4;

/**
 * `runBare` of an assembly source, run once however many tests compare with it (the calibration
 * kernel takes about a second; the result is only read, never changed).
 */
export function bareRunOf(source: string): { machine: Machine; ended: string } {
  const kept = bareRuns.get(source);
  if (kept !== undefined) return kept;
  const run = runBare(assemble(source));
  if (bareRuns.size >= BARE_RUNS_KEPT) bareRuns.delete(bareRuns.keys().next().value!);
  bareRuns.set(source, run);
  return run;
}

/** Runs each program in its own VM on one hypervisor (x86-like unless `cpu` says otherwise) under `monitor`. */
export function runVirtual(programs: readonly Program[], monitor: Monitor, seed = 5, budget = 2 * BARE_LIMIT, cpu: CpuConfig = 'x86-like'): { hv: Hypervisor; vms: VirtualMachine[]; exits: ExitCount[] } {
  const hv = new Hypervisor({ cpu, hostMemoryBytes: 4 << 20, seed, traceCapacity: 0 });
  const exits: ExitCount[] = programs.map(() => ({ byKind: {}, sites: new Set<number>(), pages: new Map<number, ScannedPage>() }));
  const vms = programs.map((program, i) => {
    const scanner = monitor.scanner;
    // The scanner's answer goes to the hypervisor unchanged; the test keeps a copy for the picture.
    const translator = scanner === undefined ? {} : {
      translator: (page: CodePage) => {
        const marks = readMarks(scanner(page));
        exits[i]!.pages.set(page.address, { address: page.address, words: page.words, marked: keptMarks(page, marks) });
        return marks as Iterable<number>;
      },
    };
    const vm = hv.createVm({ name: `vm${i}`, memoryBytes: GUEST_BYTES, ...translator });
    vm.load(program);
    return vm;
  });
  const slot = new Map(vms.map((vm, i) => [vm.id, i]));
  hv.run(
    (exit) => {
      const seen = exits[slot.get(exit.vm.id) ?? 0]!;
      const kind: ExitKind = exit.kind;
      seen.byKind[kind] = (seen.byKind[kind] ?? 0) + 1;
      if (kind === 'sensitive-instruction') seen.sites.add(exit.pc);
      monitor.handleExit(exit);
    },
    { maxInstructions: budget, maxExits: budget },
  );
  return { hv, vms, exits };
}

/** Where two console outputs part: `console from character 12: "ab…" (bare "ac…")`. */
export function consoleDifference(mine: string, bare: string): string {
  let at = 0;
  while (at < mine.length && at < bare.length && mine[at] === bare[at]) at++;
  const from = Math.max(0, at - 10);
  return `console from character ${at}: ${JSON.stringify(mine.slice(from, at + 20))} (bare ${JSON.stringify(bare.slice(from, at + 20))})`;
}

/** Every way the VM's run differs from the bare machine's, each naming the quantity and both values. */
export function differences(machine: Machine, ended: string, vm: VirtualMachine): string[] {
  const found: string[] = [];
  if (vm.failure !== null) found.push(`your monitor threw: ${String((vm.failure as { message?: unknown })?.message ?? vm.failure)}`);
  // A VM still runnable here was stopped by the budget: it would have run on and on.
  const state = vm.state === 'runnable' ? 'stuck' : vm.state;
  if (state !== ended) found.push(`the run ended ${state} (bare ${ended})`);
  if (vm.console.output !== machine.console.output) found.push(consoleDifference(vm.console.output, machine.console.output));
  const mine = vm.cpuState;
  const bare = machine.state;
  if (mine.pc !== bare.pc) found.push(`pc = ${hex(mine.pc)} (bare ${hex(bare.pc)})`);
  for (let r = 1; r < 16; r++) if (mine.registers[r] !== bare.registers[r]) found.push(`r${r} = ${hex(mine.registers[r]!)} (bare ${hex(bare.registers[r]!)})`);
  for (const [name, value] of Object.entries(bare.control)) {
    const got = (mine.control as Record<string, number>)[name] ?? 0;
    if (got !== value) found.push(`${name} = ${hex(got)} (bare ${hex(value)})`);
  }
  const words: string[] = [];
  let differing = 0;
  for (let a = 0; a < machine.memory.size; a += 4) {
    const want = machine.memory.readWord(a);
    const got = vm.readGuestPhysical(a);
    if ((want >>> 0) === (got >>> 0)) continue;
    if (++differing <= 3) words.push(`[${hex(a)}] = ${hex(got)} (bare ${hex(want)})`);
  }
  if (differing > 0) found.push(`${differing} memory word(s) differ: ${words.join(', ')}${differing > 3 ? ', …' : ''}`);
  const retired = vm.stats.directInstructions + vm.stats.emulatedInstructions;
  if (retired !== machine.stats.instructions) found.push(`instructions retired ${retired} (bare ${machine.stats.instructions})`);
  if (vm.stats.guestTime !== machine.time) found.push(`virtual time ${vm.stats.guestTime} ticks (bare ${machine.time})`);
  return found;
}

/** Runs `source` bare (x86-like) and in one VM under `monitor` (on the x86-like CPU unless `cpu` says otherwise). */
export function compare(source: string | Program, monitor: Monitor, seed = 5, cpu: CpuConfig = 'x86-like'): Comparison {
  const program = typeof source === 'string' ? assemble(source) : source;
  const { machine, ended } = typeof source === 'string' ? bareRunOf(source) : runBare(program);
  // A monitor that matches bare hardware retires as many instructions, with at most one exit
  // each; twice that and a margin never stops it, and a looping one is stopped soon.
  const { vms, exits } = runVirtual([program], monitor, seed, 2 * machine.stats.instructions + 10_000, cpu);
  const seen = exits[0]!;
  const scannedPages = [...seen.pages.values()].sort((a, b) => a.address - b.address);
  return { machine, vm: vms[0]!, differences: differences(machine, ended, vms[0]!), exits: seen.byKind, calloutSites: [...seen.sites].sort((a, b) => a - b), scannedPages };
}

/** Fails with the first differences (and how many there are) unless the list is empty. */
export function expectSame(what: string, found: readonly string[]): void {
  if (found.length === 0) return;
  const shown = found.slice(0, 6).join('; ');
  expect.fail(`${what}: ${found.length} difference(s) from bare hardware: ${shown}${found.length > 6 ? `; and ${found.length - 6} more` : ''}`);
}
