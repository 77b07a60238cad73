/**
 * Lesson 6's fair-shares explorable in the page: three VMs with shares, a reservation and a
 * limit on two physical CPUs under the simulator's round robin, each VM's CPU per window against
 * its entitlement, and, if chosen, one VM going idle half-way. A whole run is 400 quanta of
 * three vCPUs, well under a millisecond in Node, so it runs in one go: no worker, no yielding.
 */
import { el, factList, textTable } from '../dom.ts';
import type { ExplorableModule, ExplorableRun, ExplorableSettings, ExplorableUpdate, ExplorableView } from '../types.ts';
import { shareChart } from './chart.ts';
import { DEFAULT_IDLE, IDLE_AT_MS, IDLE_CHOICES, PCPUS, RUN_MS, VMS, WINDOW_MS, WINDOWS, describeVm, type IdleChoice } from './options.ts';
import { FairSharesSession, meanOver, type Window } from './session.ts';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const ms = (value: number) => `${grouped.format(value)}\u00a0ms`;
/** Percent of one physical CPU, whole; a no-break space so the figure never wraps from its unit. */
export const percent = (value: number) => `${Math.round(value)}\u00a0%`;
const IDLE_WINDOW = IDLE_AT_MS / WINDOW_MS;

export function settingsOf(settings: ExplorableSettings): { seed: number; idle: IdleChoice } {
  const idle = settings.choices['idle'];
  return { seed: settings.seed, idle: (IDLE_CHOICES as readonly string[]).includes(idle ?? '') ? (idle as IdleChoice) : DEFAULT_IDLE };
}

/** The windows of each half: all busy, then (if one went idle) after. */
function halves(session: FairSharesSession) {
  const windows = session.windows;
  return { first: windows.slice(0, IDLE_WINDOW), second: windows.slice(IDLE_WINDOW) };
}

/** "web 67 %, db 67 %, batch 67 % (entitled 80 %, 90 %, 30 %)" over some windows. */
export function sharesOver(session: FairSharesSession, windows: readonly Window[]): string {
  const vms = VMS.map((vm, i) => ({ vm, i })).filter(({ vm }) => !session.isIdle(vm.id, windows[0]?.startMs ?? 0));
  const got = vms.map(({ vm, i }) => `${vm.id} ${percent(meanOver(windows, i, 'got'))}`).join(', ');
  const entitled = vms.map(({ i }) => percent(meanOver(windows, i, 'entitled'))).join(', ');
  return `${got} (entitled ${entitled})`;
}

export function describeWindow(session: FairSharesSession, window: Window): string {
  const went = window.startMs === IDLE_AT_MS && session.settings.idle !== 'none' ? `${session.settings.idle} goes idle. ` : '';
  return `${went}${ms(window.startMs)} to ${ms(window.endMs)}: ${sharesOver(session, [window])}.`;
}

export function summary(session: FairSharesSession): string {
  const { first, second } = halves(session);
  const idle = session.settings.idle;
  const after = idle === 'none' ? `and the same from ${ms(IDLE_AT_MS)} on: ${sharesOver(session, second)}` : `with ${idle} idle: ${sharesOver(session, second)}`;
  return `Done: while all three were busy, round robin gave ${sharesOver(session, first)}; ${after}.`;
}

function vmText(session: FairSharesSession, i: number): string {
  const { first, second } = halves(session);
  const vm = VMS[i]!;
  const parts = [`All busy: got ${percent(meanOver(first, i, 'got'))} on average, entitled ${percent(meanOver(first, i, 'entitled'))}.`];
  if (second.length) {
    const label = session.isIdle(vm.id, IDLE_AT_MS) ? 'Idle' : session.settings.idle === 'none' ? 'Second half' : `With ${session.settings.idle} idle`;
    parts.push(`${label}: got ${percent(meanOver(second, i, 'got'))}, entitled ${percent(meanOver(second, i, 'entitled'))}.`);
  }
  return parts.join(' ');
}

function drawVm(session: FairSharesSession, i: number): HTMLLIElement {
  const vm = VMS[i]!;
  const windows = session.windows;
  return el(
    'li',
    { class: 'fs-vm' },
    el('p', { class: 'fs-title' }, `${vm.id}: ${describeVm(vm)}`),
    shareChart({
      got: windows.map((window) => window.got[i]!),
      entitled: windows.map((window) => window.entitled[i]!),
      windows: WINDOWS,
      idleFrom: session.settings.idle === 'none' ? null : IDLE_WINDOW,
    }),
    windows.length ? el('p', { class: 'fs-text' }, vmText(session, i)) : el('p', { class: 'fs-text' }, 'Not run yet.'),
  );
}

function drawPicture(session: FairSharesSession): HTMLElement {
  const { seed, idle } = session.settings;
  const last = session.windows.at(-1);
  const state = factList([
    { term: 'Host', value: `${PCPUS} physical CPUs, round robin (the simulator's built-in scheduler)` },
    { term: 'Seed', value: `${seed} (no figure here depends on it: every VM is busy or idle, nothing is random)` },
    { term: 'Goes idle', value: idle === 'none' ? 'none' : `${idle} at ${ms(IDLE_AT_MS)}` },
    { term: 'Simulated', value: `${ms(last?.endMs ?? 0)} of ${ms(RUN_MS)}` },
    last ? { term: 'Physical CPU used, last window', value: `${percent(last.used)} of ${percent(100 * PCPUS)}` } : null,
  ]);
  const key = el(
    'p',
    { class: 'fs-key' },
    el('span', { class: 'fs-swatch fs-swatch-got' }), ' CPU it got ',
    el('span', { class: 'fs-swatch fs-swatch-entitled' }), ' its entitlement ',
    idle === 'none' ? null : el('span', { class: 'fs-swatch fs-swatch-mark' }),
    idle === 'none' ? null : ` ${idle} goes idle`,
    `; per ${ms(WINDOW_MS)} window, 0 to 100\u00a0% of one physical CPU`,
  );
  const cards = el('ol', { class: 'fs-vms', 'aria-label': 'Each VM: the CPU it got and its entitlement' }, ...VMS.map((_, i) => drawVm(session, i)));
  return el('div', { class: 'fs' }, state, key, cards);
}

/** One window as a table row: its time and, per VM, what it got and was entitled to. */
export function windowRow(session: FairSharesSession, window: Window): string[] {
  return [
    `${ms(window.startMs)} to ${ms(window.endMs)}`,
    ...VMS.map((vm, i) => `${session.isIdle(vm.id, window.startMs) ? 'idle: ' : ''}${percent(window.got[i]!)} (entitled ${percent(window.entitled[i]!)})`),
    percent(window.used),
  ];
}

function drawTable(session: FairSharesSession): HTMLTableElement {
  const { seed, idle } = session.settings;
  return textTable(
    `CPU per window in percent of one physical CPU, round robin on ${PCPUS} physical CPUs, ${idle === 'none' ? 'no VM idle' : `${idle} idle from ${ms(IDLE_AT_MS)}`}, seed ${seed}`,
    ['Window', ...VMS.map((vm) => `${vm.id} got`), 'Physical CPU used'],
    session.windows.map((window) => windowRow(session, window)),
    'Nothing yet: run it.',
  );
}

function start(settings: ExplorableSettings, view: ExplorableView): ExplorableRun {
  const chosen = settingsOf(settings);
  const session = new FairSharesSession(chosen);
  const draw = (announcement: string): ExplorableUpdate => {
    view.picture.replaceChildren(drawPicture(session));
    view.table.replaceChildren(drawTable(session));
    return { finished: session.finished, announcement };
  };
  const idle = chosen.idle === 'none' ? 'no VM goes idle' : `${chosen.idle} goes idle at ${ms(IDLE_AT_MS)}`;
  return {
    initial: draw(`Ready: web, db and batch, all busy, on ${PCPUS} physical CPUs under round robin; ${idle}; seed ${chosen.seed}.`),
    step: () => {
      const window = session.step()!;
      const told = describeWindow(session, window);
      return draw(session.finished ? `${told} ${summary(session)}` : told);
    },
    runToEnd: () => {
      session.runToEnd();
      return draw(summary(session));
    },
  };
}

export { start };
// The registry's loader must get a module of the framework's shape.
({ start }) satisfies ExplorableModule;
