/**
 * Lesson 7's two-dimensional-walk explorable in the page: the nested walk as a grid (one row per
 * guest-physical address, one column per nested level and one for the guest's own entry), each
 * cell lit as the hardware reads it, the counts natively, nested and shadowed, and at the end the
 * simulator's cost of one miss in each mode; the same facts as tables. A whole run is at most 24
 * references and a guest of about 150 instructions, far under a frame, so nothing yields.
 */
import { el, factList, textTable } from '../dom.ts';
import type { ExplorableModule, ExplorableRun, ExplorableSettings, ExplorableUpdate, ExplorableView } from '../types.ts';
import { DEFAULT_LEVELS, LEVELS, SIMULATOR_LEVELS } from './options.ts';
import { READS } from './measure.ts';
import { simulatorMissCost, WalkSession, type WalkSettings } from './session.ts';
import { nativeReferences, nestedReferences, rowName, type WalkReference } from './walk.ts';

const count = (value: number) => value.toLocaleString('en-US');
const refs = (value: number) => `${value} reference${value === 1 ? '' : 's'}`;

function levels(choices: Readonly<Record<string, string>>, name: string, fallback: number): number {
  const value = Number(choices[name]);
  return (LEVELS as readonly number[]).includes(value) ? value : fallback;
}

export function settingsOf(settings: ExplorableSettings): WalkSettings {
  return { seed: settings.seed, guestLevels: levels(settings.choices, 'guest', DEFAULT_LEVELS.guest), nestedLevels: levels(settings.choices, 'nested', DEFAULT_LEVELS.nested) };
}

export const formula = (n: number, m: number) => `(${n} + 1) × (${m} + 1) − 1 = ${nestedReferences(n, m)}`;

function cellState(reference: WalkReference, session: WalkSession): string {
  const current = session.current;
  if (current === reference) return 'tw-current';
  return current !== null && reference.number < current.number ? 'tw-read' : 'tw-todo';
}

/** The grid: rows are guest-physical addresses, columns nested levels then the guest entry. */
function grid(session: WalkSession): HTMLElement {
  const { guestLevels: n, nestedLevels: m } = session.settings;
  const header = ['', ...Array.from({ length: m }, (_, column) => `N${m - column}`), 'G'];
  const cells: HTMLElement[] = header.map((text) => el('span', { class: 'tw-head' }, text));
  for (let row = 0; row <= n; row++) {
    cells.push(el('span', { class: 'tw-row-name' }, row === n ? 'data page' : `guest L${n - row} table`));
    for (let column = 0; column <= m; column++) {
      const reference = session.references.find((each) => each.row === row && each.column === column);
      cells.push(reference ? el('span', { class: `tw-cell tw-${reference.table} ${cellState(reference, session)}` }, String(reference.number)) : el('span', { class: 'tw-cell tw-none' }, '—'));
    }
  }
  return el('div', { class: 'tw-grid', style: `grid-template-columns: auto repeat(${m + 1}, minmax(2.2rem, 1fr))`, 'aria-hidden': 'true' }, ...cells);
}

function nowLine(session: WalkSession): string {
  const current = session.current;
  if (!current) return 'Not started: each step makes one memory reference of the walk.';
  return `Reference ${current.number} of ${session.nested}: ${current.text}.`;
}

function simulatorFacts(session: WalkSession): HTMLElement | null {
  const measured = session.measured;
  if (!measured) return null;
  const cost = simulatorMissCost(measured);
  const perMiss = measured.walkCycles / measured.misses;
  return el(
    'div',
    { class: 'tw-sim' },
    el('p', { class: 'tw-sim-title' }, `The simulator (${SIMULATOR_LEVELS} levels of guest tables and ${SIMULATOR_LEVELS} of nested): one miss`),
    factList([
      { term: 'Bare hardware, measured here', value: `${count(measured.misses)} misses, ${count(measured.walkCycles)} cycles of walks: ${count(perMiss)} a miss` },
      { term: 'Nested paging (nestedTlbMiss)', value: `${cost.nested} cycles a miss: ${count(measured.misses * cost.nested)} for the same misses` },
      { term: 'Shadow paging (tlbMiss)', value: `${cost.shadow} cycles a miss, plus ≥ ${cost.exitAtLeast} for each exit` },
    ]),
  );
}

function drawPicture(session: WalkSession): HTMLElement {
  const { guestLevels: n, nestedLevels: m, seed } = session.settings;
  const facts = factList([
    { term: 'Natively', value: refs(session.native) },
    { term: 'Nested paging', value: formula(n, m) },
    { term: 'Shadow paging', value: `${refs(session.shadow)}, but exits` },
    { term: 'References so far', value: `${session.done.length} of ${session.nested}` },
  ]);
  const key = el(
    'p',
    { class: 'tw-key' },
    `Rows: each guest-physical address the walk meets. N${m} … N1: the nested levels that translate it; G (round): the guest’s own entry, read once its address is known. `,
    el('span', { class: 'tw-swatch tw-read' }),
    ' read ',
    el('span', { class: 'tw-swatch tw-current' }),
    ' reading now ',
    el('span', { class: 'tw-swatch tw-todo' }),
    ' to come',
  );
  const note = el('p', { class: 'tw-note' }, `Seed ${seed}: it picks the ${READS} pages the simulator’s tiny guest reads at the end.`);
  return el('div', { class: 'tw' }, facts, key, el('div', { class: 'tw-grid-scroll' }, grid(session)), el('p', { class: 'tw-now' }, nowLine(session)), simulatorFacts(session), note);
}

export const WALK_HEADERS = ['#', 'Reads', 'For the guest-physical address of', 'Which came from'];

/** The walk's rows so far (exported for the end-to-end test). */
export function walkCells(references: readonly WalkReference[], guestLevels: number): string[][] {
  return references.map((reference) => {
    const { address, from } = rowName(reference.row, guestLevels);
    return [String(reference.number), `${reference.table} L${reference.level} entry`, address, from];
  });
}

/** One miss in each mode on the simulator (exported for the end-to-end test). */
export function simulatorCells(session: WalkSession): string[][] {
  const measured = session.measured!;
  const cost = simulatorMissCost(measured);
  const levels = SIMULATOR_LEVELS;
  return [
    ['Bare hardware (measured here)', String(nativeReferences(levels)), count(measured.walkCycles / measured.misses), count(measured.walkCycles)],
    ['Nested paging', String(nestedReferences(levels, levels)), String(cost.nested), count(measured.misses * cost.nested)],
    ['Shadow paging', String(levels), `${cost.shadow}, plus ≥ ${cost.exitAtLeast} an exit`, `${count(measured.misses * cost.shadow)} plus exits`],
  ];
}

function drawTables(session: WalkSession): HTMLElement[] {
  const { guestLevels: n, nestedLevels: m, seed } = session.settings;
  const walk = textTable(`The nested walk for ${n} guest and ${m} nested levels`, WALK_HEADERS, walkCells(session.done, n), 'No reference yet: the walk has not started.');
  if (!session.measured) return [walk];
  const simulator = textTable(
    `One TLB miss in the simulator (${SIMULATOR_LEVELS} levels each), seed ${seed}: ${count(session.measured.misses)} misses`,
    ['Mode', 'References a miss', 'Cycles a miss', `Cycles for these misses`],
    simulatorCells(session),
    '',
  );
  return [walk, simulator];
}

export function summary(session: WalkSession): string {
  const { guestLevels: n, nestedLevels: m } = session.settings;
  const measured = session.measured!;
  const cost = simulatorMissCost(measured);
  return (
    `Walk done: ${refs(session.nested)} under nested paging with ${n} guest and ${m} nested levels, against ${refs(session.native)} natively and ${refs(session.shadow)} with a shadow table. ` +
    `Simulator: ${count(measured.misses)} misses measured at ${count(measured.walkCycles / measured.misses)} cycles each on bare hardware; nested paging charges ${cost.nested}, a shadow walk ${cost.shadow} plus exits.`
  );
}

function start(settings: ExplorableSettings, view: ExplorableView): ExplorableRun {
  const chosen = settingsOf(settings);
  const session = new WalkSession(chosen);
  const draw = (announcement: string): ExplorableUpdate => {
    view.picture.replaceChildren(drawPicture(session));
    view.table.replaceChildren(...drawTables(session));
    return { finished: session.finished, announcement };
  };
  const told = () => (session.finished ? summary(session) : nowLine(session));
  return {
    initial: draw(`Ready: ${chosen.guestLevels} guest levels and ${chosen.nestedLevels} nested levels, seed ${chosen.seed}.`),
    step: () => {
      session.step();
      return draw(told());
    },
    runToEnd: () => {
      session.runToEnd();
      return draw(told());
    },
  };
}

export { start };
// The registry's loader must get a module of the framework's shape.
({ start }) satisfies ExplorableModule;
