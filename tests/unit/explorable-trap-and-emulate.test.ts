/**
 * Lesson 5's trap-and-emulate explorable, checked against the simulator's own figures: the same
 * guest on a bare Machine, and the instruction table's privilege column for each CPU.
 */
import { describe, expect, test } from 'vitest';
import { TrapAndEmulateSession } from '../../src/explorables/trap-and-emulate/session.ts';
import { GUEST_MEMORY_BYTES, guestProgram } from '../../src/explorables/trap-and-emulate/guest.ts';
import { resolveExit } from '../../src/explorables/trap-and-emulate/monitor.ts';
import { assemble, CPU_CONFIGS, decode, Hypervisor, Machine, type CpuConfig } from '../../src/sim/index.ts';

function bareOutput(cpu: CpuConfig): string {
  const machine = new Machine({ cpu, memoryBytes: GUEST_MEMORY_BYTES });
  machine.load(guestProgram());
  expect(machine.run({ maxInstructions: 1000 }).outcome).toBe('powered-off');
  return machine.console.output;
}

/** Addresses of the guest's instructions that trap in user mode on `cpu`, per the simulator's table. */
function privilegedAddresses(cpu: CpuConfig): number[] {
  const { origin, words } = guestProgram();
  return Array.from(words, (word, index) => ({ address: origin + index * 4, spec: decode(word).spec })).flatMap(({ address, spec }) => (spec?.privileged[cpu] ? [address] : []));
}

const addressOf = (mnemonic: string) => {
  const { origin, words } = guestProgram();
  return origin + 4 * Array.from(words).findIndex((word) => decode(word).spec?.mnemonic === mnemonic);
};

describe('trap-and-emulate explorable', () => {
  for (const cpu of CPU_CONFIGS) {
    test(`${cpu}: one exit per privileged instruction of the guest, in program order`, () => {
      const session = new TrapAndEmulateSession(cpu, 42);
      session.runToEnd();
      expect(session.exits.map((exit) => exit.pc)).toEqual(privilegedAddresses(cpu));
      expect(session.exits.every((exit) => exit.kind === 'privileged-instruction')).toBe(true);
      expect(session.exits.map((exit) => exit.number)).toEqual(session.exits.map((_, index) => index + 1));
      expect(session.instructions).toBe(guestProgram().words.length);
    });

    test(`${cpu}: stepping one exit at a time gives the same run as running to the end, for the same seed`, () => {
      const stepped = new TrapAndEmulateSession(cpu, 42);
      const records = [];
      for (let record = stepped.step(); record; record = stepped.step()) records.push(record);
      const whole = new TrapAndEmulateSession(cpu, 42);
      expect(records).toEqual([...whole.runToEnd()]);
      expect(stepped.output).toBe(whole.output);
      expect(stepped.cycles).toBe(whole.cycles);
      expect(stepped.finished).toBe(true);
    });

    test(`${cpu}: the VM costs more cycles than bare hardware, and the monitor's record lines up with the guest's code`, () => {
      const session = new TrapAndEmulateSession(cpu, 42);
      session.runToEnd();
      const machine = new Machine({ cpu, memoryBytes: GUEST_MEMORY_BYTES });
      machine.load(guestProgram());
      machine.run({ maxInstructions: 1000 });
      expect(session.cycles).toBeGreaterThan(machine.stats.cycles);
      const lines = session.guestLines();
      expect(lines.every((line) => line.ran)).toBe(true);
      expect(lines.flatMap((line) => (line.exit === undefined ? [] : [line.address]))).toEqual(privilegedAddresses(cpu));
    });
  }

  test('virtualizable: popf exits and is emulated, and the VM prints what bare hardware prints', () => {
    const session = new TrapAndEmulateSession('virtualizable', 42);
    session.runToEnd();
    expect(session.exits.map((exit) => exit.pc)).toContain(addressOf('popf'));
    expect(session.output).toBe(bareOutput('virtualizable'));
    expect(session.interruptsOn).toBe(true);
  });

  test('x86-like: popf runs with no exit, the guest\'s interrupts stay off and its output differs from bare hardware', () => {
    const session = new TrapAndEmulateSession('x86-like', 42);
    session.runToEnd();
    expect(session.exits.map((exit) => exit.pc)).not.toContain(addressOf('popf'));
    const popf = session.guestLines().find((line) => line.address === addressOf('popf'))!;
    expect(popf).toMatchObject({ sensitive: true, privileged: false, ran: true });
    expect(popf.exit).toBeUndefined();
    expect(session.output).not.toBe(bareOutput('x86-like'));
    expect(bareOutput('x86-like')).toBe(bareOutput('virtualizable'));
    expect(session.interruptsOn).toBe(false);
    expect(session.exits.length).toBeLessThan(new TrapAndEmulateSession('virtualizable', 42).runToEnd().length);
  });

  test('before it runs, no line has run; after the first step, the lines up to the first exit have', () => {
    const session = new TrapAndEmulateSession('virtualizable', 7);
    expect(session.guestLines().some((line) => line.ran)).toBe(false);
    const first = session.step()!;
    const ran = session.guestLines().filter((line) => line.ran);
    expect(ran.at(-1)!.address).toBe(first.pc);
    expect(ran.at(-1)!.exit).toBe(1);
    expect(session.finished).toBe(false);
  });

  test('the seed chooses where the VM lives in host memory, not what it does', () => {
    const frames = new Set<number>();
    const outputs = new Set<string>();
    for (const seed of [1, 2, 3, 42, 1000]) {
      const session = new TrapAndEmulateSession('x86-like', seed);
      session.runToEnd();
      frames.add(session.codeHostFrame);
      outputs.add(JSON.stringify(session.exits.map(({ pc, action }) => [pc, action])) + session.output);
    }
    expect(frames.size).toBeGreaterThan(1);
    expect(outputs.size).toBe(1);
  });

  test('the monitor emulates only what the lesson\'s guest uses and stops any other guest', () => {
    const hv = new Hypervisor({ cpu: 'virtualizable', seed: 1, hostMemoryBytes: 64 * 1024 });
    const vm = hv.createVm({ memoryBytes: GUEST_MEMORY_BYTES });
    vm.load(assemble('start:\n  li r1, 0x1000\n  mtcr ptbr, r1\n  out POWER_OFF, r0'));
    const actions: string[] = [];
    hv.run((exit) => void actions.push(resolveExit(exit)), { maxInstructions: 1000 });
    expect(vm.state).toBe('shut-down');
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatch(/stopped the VM/);
  });
});
