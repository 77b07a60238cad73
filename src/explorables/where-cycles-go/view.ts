/**
 * Lesson 1's "where the cycles go" explorable in the page: for one workload mix, bare hardware's
 * busy cycles (run here) and each approach's VM (recorded, see session.ts) as bars split by the
 * hypervisor's cycle accounts, each overhead placed against the lecture's bands, and the same
 * figures as a table. The native calibration run is about 2.4 million simulated instructions
 * (30–70 ms in Node on an idle machine, over a second in a busy browser), so it runs in the
 * explorable's Web Worker (worker.ts), which says every 100 ms how far it got.
 */
import { el, factList, textTable } from '../dom.ts';
import type { ExplorableModule, ExplorableRun, ExplorableSettings, ExplorableUpdate, ExplorableView } from '../types.ts';
import { DISPOSED, ExplorableWorker } from '../worker/client.ts';
import { ACCOUNTS, BANDS, mixById, type Mix, type MixId } from './options.ts';
import { MEASURED_BY } from './measured.ts';
import { compare, type ApproachResult, type BandVerdict, type Comparison } from './comparison.ts';
import type { NativeProgress } from './session.ts';

const count = (value: number) => value.toLocaleString('en-US');
const percent = (fraction: number) => `${(fraction * 100).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;
const signed = (fraction: number) => `${fraction < 0 ? '−' : '+'}${percent(Math.abs(fraction))}`;
const range = (band: (typeof BANDS)[number]) => `${band.low * 100}–${band.high * 100} %`;

export const BAND_TEXT: Readonly<Record<BandVerdict, string>> = {
  below: `below both of the lecture’s bands (under ${BANDS[0].low * 100} %)`,
  xen: `in the lecture’s ${range(BANDS[0])} band for Xen`,
  between: 'between the lecture’s two bands',
  'full-virtualization': `in the lecture’s ${range(BANDS[1])} band for full virtualization`,
  above: `above both of the lecture’s bands (over ${BANDS[1].high * 100} %)`,
};

export const PRINTED_TEXT: Readonly<Record<ApproachResult['printed'], string>> = {
  same: 'the same as bare hardware',
  'interleaved-differently': 'the same characters; the two processes interleaved differently',
  different: 'different from bare hardware',
};

/** One bar: segments of `total` cycles each as wide as its share of `scale`. */
function bar(parts: readonly { key: string; cycles: number }[], scale: number, nativeCycles: number): HTMLElement {
  const width = (cycles: number) => `${((100 * cycles) / scale).toFixed(2)}%`;
  return el(
    'span',
    { class: 'wcg-track', 'aria-hidden': 'true' },
    ...parts.filter((part) => part.cycles > 0).map((part) => el('span', { class: `wcg-seg wcg-${part.key}`, style: `width: ${width(part.cycles)}` })),
    el('span', { class: 'wcg-native-mark', style: `left: ${width(nativeCycles)}` }),
  );
}

function approachItem(result: ApproachResult, scale: number, nativeCycles: number): HTMLElement {
  const parts = ACCOUNTS.map(({ key }) => ({ key, cycles: result.accounts[key] }));
  const split = ACCOUNTS.map(({ key, label }) => `${label} ${percent(result.accounts[key] / result.busyCycles)}`).join(', ');
  return el(
    'li',
    { class: `wcg-row wcg-band-${result.band}` },
    el('span', { class: 'wcg-name' }, result.approach.label, ': ', el('strong', {}, signed(result.overhead)), ` (${count(result.busyCycles)} busy cycles)`),
    el('span', { class: 'wcg-verdict' }, BAND_TEXT[result.band]),
    bar(parts, scale, nativeCycles),
    el('span', { class: 'wcg-split' }, split, `; ${count(result.exits)} exits`),
  );
}

function drawPicture(mix: Mix, seed: number, comparison: Comparison | null, progress: string): HTMLElement {
  const facts = factList([
    { term: 'Workload mix', value: mix.label },
    { term: 'Seed', value: `${seed} (no figure here depends on it)` },
    comparison ? { term: 'Bare hardware, run here', value: `${count(comparison.native.busyCycles)} busy cycles, ${count(comparison.native.instructions)} instructions` } : { term: 'Bare hardware, run here', value: progress },
    comparison
      ? {
          term: 'Recorded VM figures',
          value: comparison.recordFits ? `fit this simulator (same native cycles as when ${MEASURED_BY} ran)` : `out of date: bare hardware no longer gives the cycles they were measured against; run ${MEASURED_BY} again`,
          tone: comparison.recordFits ? 'good' : 'bad',
        }
      : null,
  ]);
  if (!comparison) return el('div', { class: 'wcg' }, facts);
  const nativeCycles = comparison.native.busyCycles;
  const scale = Math.max(nativeCycles, ...comparison.approaches.map((result) => result.busyCycles));
  const legend = el(
    'p',
    { class: 'wcg-legend' },
    ...ACCOUNTS.flatMap(({ key, label }) => [el('span', { class: `wcg-swatch wcg-${key}` }), ` ${label} `]),
    el('span', { class: 'wcg-swatch wcg-bare' }),
    ' bare hardware ',
    el('span', { class: 'wcg-swatch wcg-mark-swatch' }),
    ' where bare hardware ends. Bar length: busy cycles (the longest bar is the whole width).',
  );
  const rows = el(
    'ol',
    { class: 'wcg-rows', 'aria-label': 'Busy cycles of each approach, split by where they went' },
    el(
      'li',
      { class: 'wcg-row wcg-native' },
      el('span', { class: 'wcg-name' }, 'Bare hardware (run here): ', el('strong', {}, `${count(nativeCycles)} busy cycles`)),
      bar([{ key: 'bare', cycles: nativeCycles }], scale, nativeCycles),
    ),
    ...comparison.approaches.map((result) => approachItem(result, scale, nativeCycles)),
  );
  return el('div', { class: 'wcg' }, facts, legend, rows);
}

export const TABLE_HEADERS = ['Approach', 'Busy cycles', 'Overhead', 'Against the lecture’s bands', ...ACCOUNTS.map(({ label }) => label[0]!.toUpperCase() + label.slice(1)), 'Exits', 'Instructions run directly', 'Console output'];

/** The table's rows: bare hardware, then each approach (exported for the end-to-end test). */
export function tableCells(comparison: Comparison): string[][] {
  const native = comparison.native.busyCycles;
  return [
    ['Bare hardware (run here)', count(native), '—', '—', count(native), '—', '—', '—', '—', '—', 'the reference'],
    ...comparison.approaches.map((result) => [
      `${result.approach.label} (recorded)`,
      count(result.busyCycles),
      signed(result.overhead),
      BAND_TEXT[result.band],
      ...ACCOUNTS.map(({ key }) => count(result.accounts[key])),
      count(result.exits),
      percent(result.directShare),
      PRINTED_TEXT[result.printed],
    ]),
  ];
}

function drawTable(mix: Mix, seed: number, comparison: Comparison | null): HTMLTableElement {
  return textTable(`Busy cycles, ${mix.label.toLowerCase()} mix, seed ${seed}`, TABLE_HEADERS, comparison ? tableCells(comparison) : [], 'Nothing yet: run bare hardware first.');
}

export function summary(comparison: Comparison): string {
  const told = comparison.approaches.map((result) => `${result.approach.label} ${signed(result.overhead)}, ${BAND_TEXT[result.band]}`).join('; ');
  const stale = comparison.recordFits ? '' : ' Warning: the recorded figures are out of date.';
  return `${comparison.mix.label}: bare hardware took ${count(comparison.native.busyCycles)} busy cycles. ${told}.${stale}`;
}

const createWorker = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'where-cycles-go' });

function start(settings: ExplorableSettings, view: ExplorableView): ExplorableRun {
  const mix = mixById(settings.choices['mix']);
  const worker = new ExplorableWorker<MixId, NativeProgress>(createWorker, mix.id);
  const draw = (comparison: Comparison | null, announcement: string, progress = 'not run yet'): ExplorableUpdate => {
    view.picture.replaceChildren(drawPicture(mix, settings.seed, comparison, progress));
    view.table.replaceChildren(drawTable(mix, settings.seed, comparison));
    return { finished: comparison !== null, announcement };
  };
  return {
    initial: draw(null, `Ready: the ${mix.label.toLowerCase()} mix (${mix.does}), seed ${settings.seed}. Run it on bare hardware to compare.`),
    runToEnd: async () => {
      const showProgress = ({ instructions }: NativeProgress) => view.picture.replaceChildren(drawPicture(mix, settings.seed, null, `running… ${count(instructions)} instructions so far`));
      const answer = await worker.run(showProgress);
      if (!answer) return DISPOSED;
      const comparison = compare(mix, answer.snapshot.native!);
      return draw(comparison, summary(comparison));
    },
    dispose: () => worker.dispose(),
  };
}

export { start };
// The registry's loader must get a module of the framework's shape.
({ start }) satisfies ExplorableModule;
