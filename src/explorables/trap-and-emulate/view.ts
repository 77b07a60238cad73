/**
 * Lesson 5's explorable in the page: the guest's code as a timeline (what ran directly, what
 * exited and what the monitor did, what ran silently), the VM's state beside bare hardware's,
 * and the exits as a table. A whole run is a few dozen simulated instructions, far under a
 * frame, so it runs on the page with no worker.
 */
import { el, factList, textTable } from '../dom.ts';
import type { ExplorableModule, ExplorableRun, ExplorableSettings, ExplorableUpdate, ExplorableView } from '../types.ts';
import { runOnBareHardware, TrapAndEmulateSession, type ExitRecord, type GuestLine } from './session.ts';
import type { CpuConfig } from '../../sim/machine/isa.ts';

const hex = (value: number) => `0x${value.toString(16).padStart(4, '0')}`;
const onOff = (on: boolean) => (on ? 'on' : 'off');

function cpuOf(settings: ExplorableSettings): CpuConfig {
  return settings.choices['cpu'] === 'x86-like' ? 'x86-like' : 'virtualizable';
}

/** A sensitive instruction that ran directly: the monitor never heard of it. */
const isSilent = (line: GuestLine) => line.ran && line.sensitive && line.exit === undefined;

function fate(line: GuestLine, exit: ExitRecord | undefined): string {
  if (!line.ran) return 'Not run yet.';
  if (exit) return `Exit ${exit.number} (${exit.kind}): the monitor ${exit.action}.`;
  if (isSilent(line)) return 'Sensitive, but not privileged on this CPU: it ran directly with no exit, so the monitor never saw it.';
  return 'Ran directly on the CPU.';
}

function drawPicture(session: TrapAndEmulateSession, bareOutput: string): HTMLElement {
  const lines = session.guestLines();
  const latest = session.exits.at(-1);
  const timeline = el(
    'ol',
    { class: 'tae-timeline', 'aria-label': 'The guest, instruction by instruction' },
    ...lines.map((line) => {
      const exit = line.exit === undefined ? undefined : session.exits[line.exit - 1];
      const kind = !line.ran ? 'pending' : exit ? 'exit' : isSilent(line) ? 'silent' : 'direct';
      return el(
        'li',
        { class: `tae-line tae-${kind}${exit && exit === latest ? ' tae-current' : ''}` },
        el('span', { class: 'tae-head' }, el('code', { class: 'tae-address' }, hex(line.address)), ' ', el('code', { class: 'tae-code' }, line.text), line.comment ? el('span', { class: 'tae-comment' }, line.comment) : null),
        el('span', { class: 'tae-fate' }, fate(line, exit)),
      );
    }),
  );
  const same = session.output === bareOutput;
  const state = factList([
    { term: 'CPU', value: session.cpu },
    { term: 'Exits so far', value: String(session.exits.length) },
    { term: 'Guest’s interrupts', value: onOff(session.interruptsOn) },
    { term: 'VM printed', value: session.output === '' ? '(nothing yet)' : `“${session.output}”` },
    { term: 'Bare hardware prints', value: `“${bareOutput}”` },
    { term: `Seed ${session.seed} put the guest's code in`, value: `host frame ${session.codeHostFrame}` },
    session.finished ? { term: 'Result', value: same ? 'the same as bare hardware' : 'different from bare hardware', tone: same ? 'good' : 'bad' } : null,
  ]);
  return el('div', { class: 'tae' }, state, timeline);
}

function drawTable(session: TrapAndEmulateSession): HTMLTableElement {
  return textTable(
    `Exits on the ${session.cpu} CPU, seed ${session.seed}`,
    ['Exit', 'Address', 'Instruction', 'Kind', 'What the monitor did', 'Guest’s interrupts after'],
    session.exits.map((exit) => [String(exit.number), hex(exit.pc), exit.instruction, exit.kind, exit.action, onOff(exit.interruptsOn)]),
    'No exits yet: the guest has not run.',
  );
}

function summary(session: TrapAndEmulateSession, bare: { output: string; cycles: number }): string {
  const same = session.output === bare.output;
  return (
    `Finished on the ${session.cpu} CPU, seed ${session.seed}: ${session.exits.length} exits, ${session.cycles} host cycles against ${bare.cycles} on bare hardware. ` +
    `The VM printed “${session.output}”; bare hardware prints “${bare.output}”: ${same ? 'the same' : 'different'}.`
  );
}

function start(settings: ExplorableSettings, view: ExplorableView): ExplorableRun {
  const cpu = cpuOf(settings);
  const session = new TrapAndEmulateSession(cpu, settings.seed);
  const bare = runOnBareHardware(cpu);
  let announced = 0; // guest lines already reported as silent

  const draw = (announcement: string): ExplorableUpdate => {
    view.picture.replaceChildren(drawPicture(session, bare.output));
    view.table.replaceChildren(drawTable(session));
    return { finished: session.finished, announcement };
  };
  /** Sensitive instructions that ran silently since the last report, named once. */
  const silentSinceLast = (): string => {
    const silent = session.guestLines().filter(isSilent).slice(announced);
    announced += silent.length;
    return silent.length ? ` Before it, ${silent.map((line) => line.text).join(' and ')} ran with no exit.` : '';
  };

  return {
    initial: draw(`Ready: the guest has not run yet (${cpu} CPU, seed ${settings.seed}). Bare hardware prints “${bare.output}”.`),
    step: () => {
      const exit = session.step();
      const silent = silentSinceLast();
      const told = exit ? `Exit ${exit.number} at ${hex(exit.pc)}, ${exit.instruction} (${exit.kind}): the monitor ${exit.action}.${silent}` : '';
      return draw(session.finished ? `${told} ${summary(session, bare)}`.trim() : told);
    },
    runToEnd: () => {
      session.runToEnd();
      announced = session.guestLines().filter(isSilent).length;
      return draw(summary(session, bare));
    },
  };
}

export { start };
// The registry's loader must get a module of the framework's shape.
({ start }) satisfies ExplorableModule;
