// Shared by the public and hidden tests of lab 4, part 3 (shipped to the browser): run the native
// kernel on bare hardware and your paravirtualized kernel under your handlers, and list what differs.
import { assemble, Hypervisor, type CpuConfig, type ExitContext, type Program, type VirtualMachine } from '@virtlab/sim';
import { expect } from '@virtlab/test';
import { bareRunOf, consoleDifference, GUEST_BYTES } from './check.ts';

/** The most your paravirtual kernel's source may differ from the native one (see changedLines). */
export const CHANGED_LINES_LIMIT = 80;

/** Guest-physical range the user processes own (their code, data, stacks and remapped frames). */
const USER_FRAMES = { from: 0x9000, to: 0x10000 } as const;

/** Lines of `before` not kept plus lines of `after` that are new, by the longest common subsequence. */
export function changedLines(before: string, after: string): number {
  const a = before.split('\n');
  const b = after.split('\n');
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) row[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, row[j - 1]!);
    previous = row;
  }
  const kept = previous[b.length]!;
  return a.length - kept + (b.length - kept);
}

/** Assembles your kernel, naming the assembler's complaint if it does not assemble. */
export function assemblePatched(source: string): Program {
  try {
    return assemble(source);
  } catch (error) {
    return expect.fail(`your paravirtualized source does not assemble: ${String((error as { message?: unknown })?.message ?? error)}`);
  }
}

/** Runs each program in its own VM on one hypervisor under `handleExit`; `onExit` sees every exit first. */
export function runParavirtual(programs: readonly Program[], handleExit: (exit: ExitContext) => void, options: { cpu?: CpuConfig; seed?: number; onExit?: (exit: ExitContext) => void } = {}): { hv: Hypervisor; vms: VirtualMachine[] } {
  const hv = new Hypervisor({ cpu: options.cpu ?? 'x86-like', hostMemoryBytes: 4 << 20, seed: options.seed ?? 5, traceCapacity: 0 });
  const vms = programs.map((program, i) => {
    const vm = hv.createVm({ name: `pv${i}`, memoryBytes: GUEST_BYTES });
    vm.load(program);
    return vm;
  });
  hv.run(
    (exit) => {
      options.onExit?.(exit);
      handleExit(exit);
    },
    { maxInstructions: 20_000_000, maxExits: 1_000_000 },
  );
  return { hv, vms };
}

/** The console with the timer-tick count masked: your kernel runs other instructions, so its timer counts differ. */
function consoleFacts(output: string): string {
  return output.replace(/ticks=\d+/, 'ticks=…');
}

/** Every way the paravirtual VM's run differs from the native kernel's bare run, naming each quantity and both values. */
export function pvDifferences(nativeSource: string, vm: VirtualMachine): string[] {
  const bare = bareRunOf(nativeSource);
  const found: string[] = [];
  if (vm.failure !== null) found.push(`your handler threw: ${String((vm.failure as { message?: unknown })?.message ?? vm.failure)}`);
  const state = vm.state === 'runnable' ? 'stuck' : vm.state;
  if (state !== bare.ended) found.push(`the run ended ${state} (bare ${bare.ended})`);
  const mine = consoleFacts(vm.console.output);
  const want = consoleFacts(bare.machine.console.output);
  if (mine !== want) found.push(consoleDifference(mine, want));
  const words: string[] = [];
  let differing = 0;
  for (let a = USER_FRAMES.from; a < USER_FRAMES.to; a += 4) {
    const expected = bare.machine.memory.readWord(a) >>> 0;
    const got = vm.readGuestPhysical(a) >>> 0;
    if (expected === got) continue;
    if (++differing <= 3) words.push(`[0x${a.toString(16)}] = 0x${got.toString(16)} (bare 0x${expected.toString(16)})`);
  }
  if (differing > 0) found.push(`${differing} word(s) of user memory differ: ${words.join(', ')}${differing > 3 ? ', …' : ''}`);
  return found;
}

/**
 * Privileged or sensitive instructions your kernel still runs in supervisor mode, found by running
 * it on the `virtualizable` CPU, where every one of them traps: `cli at 0x1a4 (×1)`, …
 */
export function kernelLeftovers(program: Program, handleExit: (exit: ExitContext) => void): string[] {
  const seen = new Map<string, number>();
  runParavirtual([program], handleExit, {
    cpu: 'virtualizable',
    onExit: (exit) => {
      if (exit.kind !== 'privileged-instruction' || exit.vcpu.mode !== 'supervisor') return;
      const site = `${exit.instruction?.mnemonic ?? '?'} at 0x${exit.pc.toString(16)}`;
      seen.set(site, (seen.get(site) ?? 0) + 1);
    },
  });
  return [...seen].map(([site, count]) => `${site} (×${count})`);
}

/** Overhead of a VM over the native kernel's busy cycles on bare hardware (idle time is not overhead). */
export function overheadOver(nativeSource: string, vm: VirtualMachine): number {
  return vm.stats.cycles.total / nativeBusyCycles(nativeSource) - 1;
}

/** The native kernel's cycles on bare hardware, less those it spent idle. */
export function nativeBusyCycles(nativeSource: string): number {
  const bare = bareRunOf(nativeSource).machine;
  return bare.stats.cycles - bare.stats.idleCycles;
}

/** Words a hand-made guest must leave, compared one by one: `what = 0x… (expected 0x…)`. */
export function wordFacts(vm: VirtualMachine, expected: ReadonlyArray<readonly [string, number, number]>): string[] {
  const facts: string[] = [];
  if (vm.failure !== null) facts.push(`your handler threw: ${String((vm.failure as { message?: unknown })?.message ?? vm.failure)}`);
  if (vm.state !== 'halted') facts.push(`the run ended ${vm.state === 'runnable' ? 'stuck' : vm.state} (expected halted)`);
  for (const [what, at, want] of expected) {
    const got = vm.readGuestPhysical(at) | 0;
    if (got !== (want | 0)) facts.push(`${what} = 0x${(got >>> 0).toString(16)} (expected 0x${(want >>> 0).toString(16)})`);
  }
  return facts;
}

/** Fails naming the first differences unless there are none. */
export function expectNone(what: string, found: readonly string[]): void {
  if (found.length === 0) return;
  expect.fail(`${what}: ${found.length} problem(s): ${found.slice(0, 6).join('; ')}${found.length > 6 ? `; and ${found.length - 6} more` : ''}`);
}
