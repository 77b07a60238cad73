/**
 * Lesson 3's pre-copy explorable in the page: each round as a bar (pages sent, and the pages
 * dirtied meanwhile that the next round must send), the stop-and-copy marked, the rule that
 * ended the rounds, downtime and total time, and the rounds as a table. Runs stay small (at most
 * 64 MiB), yet in headless Chromium a whole run took up to about 50 ms the first time, more than
 * a frame, so the migration runs in the explorable's Web Worker (worker.ts) and the page draws
 * the state it sends back (session.ts's PreCopyState).
 */
import { el, factList, textTable } from '../dom.ts';
import type { ExplorableModule, ExplorableRun, ExplorableSettings, ExplorableView } from '../types.ts';
import { answerDrawer, ExplorableWorker } from '../worker/client.ts';
import { BANDWIDTH_MBPS, DEFAULTS, HOT_PAGES, HOT_SHARE, MEMORY_MIB, WRITES_PER_SECOND, XEN_FEW_DIRTY_PAGES, XEN_MAX_ROUNDS, XEN_MAX_SENT_FACTOR } from './options.ts';
import type { PreCopySettings, PreCopyState, RoundRecord, StopReason } from './session.ts';

const number = (value: number) => value.toLocaleString('en-US');
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** The chosen value if the page offers it, else the default. */
function pick(choices: Readonly<Record<string, string>>, name: string, allowed: readonly number[], fallback: number): number {
  const value = Number(choices[name]);
  return allowed.includes(value) ? value : fallback;
}

export function settingsOf(settings: ExplorableSettings): PreCopySettings {
  return {
    seed: settings.seed,
    memoryMiB: pick(settings.choices, 'memory', MEMORY_MIB, DEFAULTS.memoryMiB),
    bandwidthMBps: pick(settings.choices, 'link', BANDWIDTH_MBPS, DEFAULTS.bandwidthMBps),
    writesPerSecond: pick(settings.choices, 'writes', WRITES_PER_SECOND, DEFAULTS.writesPerSecond),
    hotPages: settings.choices['spread'] === 'hot' ? HOT_PAGES : null,
  };
}

export const STOP_RULES: Readonly<Record<StopReason, string>> = {
  'few-dirty': `fewer than ${XEN_FEW_DIRTY_PAGES} pages were dirtied in the last round`,
  'max-rounds': `${XEN_MAX_ROUNDS} rounds had been made`,
  'sent-cap': `more than ${XEN_MAX_SENT_FACTOR} × memory had been sent`,
};

const roundName = (round: RoundRecord) => (round.stopped ? 'Stop-and-copy' : `Round ${round.number}`);

function drawPicture(session: PreCopyState): HTMLElement {
  const pages = session.pageCount;
  const width = (count: number) => `${Math.min(100, (100 * count) / pages).toFixed(2)}%`;
  const bars = el(
    'ol',
    { class: 'pc-rounds', 'aria-label': 'Each round: pages sent, and pages dirtied meanwhile' },
    ...session.rounds.map((round) =>
      el(
        'li',
        { class: `pc-round${round.stopped ? ' pc-final' : ''}` },
        el('span', { class: 'pc-label' }, `${roundName(round)}: sent ${number(round.pagesSent)} pages in ${ms(round.ms)}${round.stopped ? '' : `; ${number(round.pagesDirtied)} dirtied meanwhile`}`),
        el('span', { class: 'pc-bar pc-sent', style: `width: ${width(round.pagesSent)}` }),
        round.stopped ? null : el('span', { class: 'pc-bar pc-dirty', style: `width: ${width(round.pagesDirtied)}` }),
      ),
    ),
  );
  const { settings, record, stopReason } = session;
  const state = factList([
    { term: 'Memory', value: `${settings.memoryMiB} MiB = ${number(pages)} pages` },
    { term: 'Seed', value: String(settings.seed) },
    { term: 'Rounds so far', value: String(session.rounds.length) },
    stopReason ? { term: 'Rounds ended because', value: STOP_RULES[stopReason], tone: stopReason === 'few-dirty' ? 'good' : 'bad' } : null,
    record ? { term: 'Downtime', value: ms(record.downtimeMs!) } : null,
    record ? { term: 'Total migration time', value: ms(record.totalMs!) } : null,
    record ? { term: 'Pages sent', value: `${number(record.pagesSent)} (${(record.pagesSent / pages).toFixed(2)} × memory)` } : null,
  ]);
  return el('div', { class: 'pc' }, state, session.rounds.length ? el('p', { class: 'pc-key' }, el('span', { class: 'pc-swatch pc-sent' }), ' sent ', el('span', { class: 'pc-swatch pc-dirty' }), ' dirtied meanwhile (bar length: share of memory)') : null, bars);
}

function drawTable(session: PreCopyState): HTMLTableElement {
  const { settings } = session;
  return textTable(
    `Rounds for ${settings.memoryMiB} MiB over ${settings.bandwidthMBps} MB/s, seed ${settings.seed}`,
    ['Round', 'Pages sent', 'Time', 'Pages dirtied meanwhile'],
    session.rounds.map((round) => [roundName(round), number(round.pagesSent), ms(round.ms), round.stopped ? '(VM stopped)' : number(round.pagesDirtied)]),
    'No rounds yet: the migration has not started.',
  );
}

function summary(session: PreCopyState): string {
  const record = session.record!;
  return (
    `Finished after ${session.rounds.length - 1} rounds and the stop-and-copy: the rounds ended because ${STOP_RULES[session.stopReason!]}. ` +
    `Downtime ${ms(record.downtimeMs!)}, total migration time ${ms(record.totalMs!)}, ${number(record.pagesSent)} pages sent.`
  );
}

function describeSettings({ memoryMiB, bandwidthMBps, writesPerSecond, hotPages, seed }: PreCopySettings): string {
  const writes = writesPerSecond === 0 ? 'an idle guest' : `${number(writesPerSecond)} page writes a second ${hotPages === null ? 'spread over all memory' : `${HOT_SHARE * 100} % into ${number(hotPages)} hot pages`}`;
  return `${memoryMiB} MiB over ${bandwidthMBps} MB/s, ${writes}, seed ${seed}`;
}

const createWorker = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'pre-copy' });

function start(settings: ExplorableSettings, view: ExplorableView): ExplorableRun {
  const chosen = settingsOf(settings);
  const worker = new ExplorableWorker<PreCopySettings, PreCopyState>(createWorker, chosen);
  const draw = answerDrawer(view, drawPicture, drawTable);
  const toldRound = (state: PreCopyState) => {
    const round = state.rounds.at(-1)!;
    const told = `${roundName(round)}: sent ${number(round.pagesSent)} pages in ${ms(round.ms)}${round.stopped ? '.' : `; ${number(round.pagesDirtied)} pages dirtied meanwhile.`}`;
    return state.finished ? `${told} ${summary(state)}` : told;
  };
  return {
    initial: worker.started.then((answer) => draw(answer, () => `Ready: the migration has not started (${describeSettings(chosen)}).`)),
    step: async () => draw(await worker.step(), toldRound),
    runToEnd: async () => draw(await worker.run(), summary),
    dispose: () => worker.dispose(),
  };
}

export { start };
// The registry's loader must get a module of the framework's shape.
({ start }) satisfies ExplorableModule;
