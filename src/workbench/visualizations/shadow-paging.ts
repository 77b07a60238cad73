/**
 * The Shadow page tables lab's picture: for each run a public test attached, the guest's own
 * page-table entry beside your shadow's for each page shown (guest virtual → guest physical →
 * host address), marked where they differ; the page faults your VMM handled over guest time,
 * hidden and true told apart by symbol; the counts; and, for the calibration kernel, the busy
 * cycles of shadow paging beside nested paging's and native, with where they went.
 *
 * The data comes from labs/shadow-paging/tests/public.ts (`attach('shadow', shadowPicture(…))`
 * from tests/shadow-check.ts, read from the guest's memory and the VM's last shadow table, and
 * `attach('overhead', …)` in the calibration test). Nothing here is worked out from the
 * learner's code; every number is the attachment's, in words as well as in shapes, and a table
 * repeats them.
 */

import { element, headRow, isRecord, svgElement } from '../dom.ts';
import type { Attachment } from '../visualizations.ts';
import { count, CYCLE_PARTS, percent } from './trap-and-emulate.ts';

interface Entry {
  gpa: number;
  writable: boolean;
  user: boolean;
}

interface PageRow {
  va: number;
  guest: Entry | null;
  shadow: (Entry & { hostAddress: number }) | null;
}

interface Fault {
  tick: number;
  va: number;
  access: string;
  mode: string;
  kind: 'hidden' | 'true';
}

interface Counts {
  hidden: number;
  true: number;
  tableStores: number;
  tableSwitches: number;
}

interface Picture {
  title: string;
  directory: number;
  pages: PageRow[];
  faults: Fault[];
  counts: Counts;
  differences: string[];
}

interface Cycles {
  direct: number;
  trap: number;
  emulation: number;
  worldSwitch: number;
  idle: number;
}

interface Overhead {
  native: number;
  shadow: number;
  nested: number;
  cycles: { shadow: Cycles; nested: Cycles };
}

/** Makes the SVGs' title ids unique on the page. */
let figures = 0;

const STYLE = `
.sp-viz { color: var(--fg); }
.sp-viz table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
.sp-viz caption { text-align: start; font-weight: 600; padding-bottom: 0.25rem; }
.sp-viz th, .sp-viz td { border: 1px solid var(--border); padding: 0.2rem 0.45rem; text-align: start; vertical-align: top; }
.sp-viz th { background: var(--bg-alt); }
.sp-viz td.num { text-align: end; font-variant-numeric: tabular-nums; }
.sp-viz .ok { color: var(--ok); font-weight: 600; }
.sp-viz .bad { color: var(--bad); font-weight: 600; }
.sp-viz .warn { color: var(--warn); font-weight: 600; }
.sp-viz figure { margin: 0.8rem 0 1.2rem; padding: 0.5rem 0.7rem; border: 1px solid var(--border); border-radius: 6px; background: var(--bg); }
.sp-viz figcaption { font-weight: 600; margin-bottom: 0.3rem; }
.sp-viz h4 { margin: 0.8rem 0 0.3rem; font-size: 1rem; }
.sp-viz svg { display: block; max-width: none; height: auto; font-family: var(--font-sans, sans-serif); }
.sp-viz svg text { fill: var(--fg); font-size: 12px; }
.sp-viz svg text.mono { font-family: var(--font-mono, monospace); }
.sp-viz svg text.ok { fill: var(--ok); }
.sp-viz svg text.bad { fill: var(--bad); }
.sp-viz svg text.warn { fill: var(--warn); }
.sp-viz .counts { display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; list-style: none; padding: 0; margin: 0.4rem 0; }
.sp-viz .counts strong { font-variant-numeric: tabular-nums; }
.sp-viz .differences { font-family: var(--font-mono, monospace); font-size: 0.8rem; overflow-wrap: anywhere; }
.sp-viz .scroll { overflow-x: auto; }
.sp-viz .faults { max-height: 18rem; overflow: auto; }
`;

export function visualize(target: HTMLElement, attachments: readonly Attachment[]): void {
  const pictures = attachments
    .filter((a) => a.name === 'shadow')
    .map((a) => ({ test: a.test, picture: asPicture(a.data), overhead: overheadOf(attachments, a.test) }))
    .filter((p): p is { test: string; picture: Picture; overhead: Overhead | null } => p.picture !== null);
  if (pictures.length === 0) return;
  const root = element('section', { class: 'sp-viz', 'aria-label': 'Your shadow page tables in the public tests' });
  root.append(element('style', {}, STYLE));
  root.append(element('h3', {}, 'Your shadow page tables'));
  root.append(
    element(
      'p',
      {},
      'Each run of the public tests, at its end: for each page shown, the guest\u2019s own page-table entry (guest virtual \u2192 guest physical) beside the entry of your shadow table, which the hardware used, and the host address the shadow leads to; then every page fault your VMM handled over guest time (timer ticks = retired instructions). A hidden fault is one the guest never saw: your VMM filled the shadow and the guest retried. A true fault is one the guest\u2019s own tables refused: your VMM reflected it.',
    ),
  );
  for (const { test, picture, overhead } of pictures) root.append(figureFor(test, picture, overhead));
  target.append(root);
}

/** The overhead the same test attached, if any. */
function overheadOf(attachments: readonly Attachment[], test: string): Overhead | null {
  const found = attachments.find((a) => a.name === 'overhead' && a.test === test);
  return found === undefined ? null : asOverhead(found.data);
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(5, '0')}`;
}

function permissions(entry: Entry): string {
  return `${entry.user ? 'user' : 'supervisor'}, ${entry.writable ? 'read-write' : 'read-only'}`;
}

type Mark = { symbol: string; words: string; tone: 'ok' | 'warn' | 'bad' };

/**
 * A shadow entry that no longer matches the guest's: legitimate until the guest invalidates it
 * (the TLB would keep it too), so shown as a warning, not an error.
 */
function stale(words: string): Mark {
  return { symbol: '\u2260', words: `stale (as a TLB may be until the guest invalidates): ${words}`, tone: 'warn' };
}

/** How the shadow's entry stands against the guest's (both as attached). */
function markOf(row: PageRow): Mark {
  const { guest, shadow } = row;
  if (guest === null && shadow === null) return { symbol: '\u2713', words: 'same: neither maps it', tone: 'ok' };
  if (guest !== null && shadow === null) return { symbol: '\u25cb', words: 'not filled: the next access takes a hidden fault', tone: 'warn' };
  if (guest === null && shadow !== null) return stale('the shadow still maps a page the guest does not');
  const g = guest!;
  const s = shadow!;
  if (s.gpa !== g.gpa) return stale(`the shadow leads to ${hex(s.gpa)}, the guest to ${hex(g.gpa)}`);
  const looser = (s.writable && !g.writable ? ['writes'] : []).concat(s.user && !g.user ? ['user access'] : []);
  if (looser.length > 0) return stale(`the shadow allows ${looser.join(' and ')} the guest forbids`);
  const stricter = (!s.writable && g.writable ? ['read-only'] : []).concat(!s.user && g.user ? ['supervisor only'] : []);
  if (stricter.length > 0) return { symbol: '\u25d0', words: `stricter: ${stricter.join(' and ')} in the shadow (a first write or access faults to your VMM)`, tone: 'warn' };
  return { symbol: '\u2713', words: 'same', tone: 'ok' };
}

function figureFor(test: string, picture: Picture, overhead: Overhead | null): HTMLElement {
  const figure = element('figure');
  const same = picture.differences.length === 0;
  figure.append(element('figcaption', {}, `${same ? '\u2713' : '\u2717'} ${picture.title} \u2014 ${test}`));
  if (same) figure.append(element('p', { class: 'ok' }, '\u2713 Equivalent to bare hardware.'));
  else {
    figure.append(element('p', { class: 'bad' }, `\u2717 Differs from bare hardware${picture.differences.length > 1 ? ' (first differences)' : ''}:`));
    const list = element('ul', { class: 'differences', 'aria-label': 'Differences from bare hardware' });
    for (const difference of picture.differences) list.append(element('li', { class: 'bad' }, `\u2717 ${difference}`));
    figure.append(list);
  }

  figure.append(element('h4', {}, `Pages (guest page directory at ${hex(picture.directory)})`));
  const pages = element('div', { class: 'scroll', role: 'region', tabindex: '0', 'aria-label': `Pages: ${picture.title}` });
  pages.append(pagesChart(picture));
  figure.append(pages);

  figure.append(element('h4', {}, 'Page faults over guest time'));
  figure.append(countsList(picture.counts));
  const faults = element('div', { class: 'scroll', role: 'region', tabindex: '0', 'aria-label': `Page faults: ${picture.title}` });
  faults.append(faultChart(picture));
  figure.append(faults);

  if (overhead !== null) {
    figure.append(element('h4', {}, 'Overhead over native: shadow paging beside nested paging'));
    const cost = element('div', { class: 'scroll', role: 'region', tabindex: '0', 'aria-label': `Overhead: ${picture.title}` });
    cost.append(overheadChart(overhead));
    cost.append(overheadTable(overhead));
    figure.append(cost);
  }
  figure.append(tables(picture));
  return figure;
}

function countsList(counts: Counts): HTMLElement {
  const list = element('ul', { class: 'counts', 'aria-label': 'Counts' });
  const items: [string, number][] = [
    ['\u25cb hidden faults', counts.hidden],
    ['\u25b2 true faults', counts.true],
    ['page-table stores carried out', counts.tableStores],
    ['PTBR writes', counts.tableSwitches],
  ];
  for (const [label, value] of items) {
    const item = element('li', {}, `${label}: `);
    item.append(element('strong', {}, count(value)));
    list.append(item);
  }
  return list;
}

/** One row per page: virtual page → guest's entry beside the shadow's → host address, and the mark. */
function pagesChart(picture: Picture): SVGSVGElement {
  const columns = { va: 0, guest: 104, shadow: 284, host: 484 };
  const boxWidth = 170;
  const boxHeight = 36;
  // Each row: the boxes, then how the shadow stands against the guest in words on a line below,
  // so a narrow screen sees the mark without scrolling.
  const rowHeight = boxHeight + 26;
  const top = 22;
  const width = columns.host + 96;
  const height = top + Math.max(1, picture.pages.length) * rowHeight + 4;
  const svg = svgElement('svg', { viewBox: `0 0 ${width} ${height}`, width: String(width), height: String(height), role: 'img' });
  const titleId = `sp-pages-${++figures}`;
  svg.setAttribute('aria-labelledby', `${titleId} ${titleId}-desc`);
  svg.append(svgElement('title', { id: titleId }, `The guest\u2019s entry beside the shadow\u2019s for ${picture.pages.length} pages`));
  const words = picture.pages.map((row) => `${hex(row.va)}: ${markOf(row).words}`).join('; ');
  svg.append(svgElement('desc', { id: `${titleId}-desc` }, words || 'No pages were attached.'));
  const heads: [number, string][] = [
    [columns.va, 'guest virtual'],
    [columns.guest, 'guest\u2019s entry'],
    [columns.shadow, 'shadow\u2019s entry'],
    [columns.host, 'host address'],
  ];
  for (const [x, label] of heads) svg.append(svgElement('text', { x: String(x), y: '13', 'font-weight': '600' }, label));
  if (picture.pages.length === 0) svg.append(svgElement('text', { x: '0', y: String(top + 16) }, 'No pages were attached.'));

  const arrow = (x1: number, x2: number, y: number): void => {
    const group = svgElement('g', { 'aria-hidden': 'true' });
    group.append(svgElement('line', { x1: String(x1), x2: String(x2 - 5), y1: String(y), y2: String(y), stroke: 'var(--fg)' }));
    group.append(svgElement('path', { d: `M${x2 - 6},${y - 4} L${x2},${y} L${x2 - 6},${y + 4} Z`, fill: 'var(--fg)' }));
    svg.append(group);
  };
  const box = (x: number, y: number, w: number, lines: readonly string[], dashed: boolean): void => {
    svg.append(svgElement('rect', { x: String(x), y: String(y), width: String(w), height: String(boxHeight), rx: '4', fill: 'var(--bg-alt)', stroke: 'var(--border)', ...(dashed ? { 'stroke-dasharray': '4 3' } : {}) }));
    lines.forEach((line, i) => svg.append(svgElement('text', { x: String(x + 6), y: String(y + 15 + i * 15), class: i === 0 ? 'mono' : '' }, line)));
  };

  picture.pages.forEach((row, i) => {
    const y = top + i * rowHeight;
    const mid = y + boxHeight / 2;
    box(columns.va, y, 84, [hex(row.va)], false);
    arrow(columns.va + 86, columns.guest, mid);
    box(columns.guest, y, boxWidth, row.guest === null ? ['not mapped', 'a touch is a true fault'] : [`\u2192 ${hex(row.guest.gpa)}`, permissions(row.guest)], row.guest === null);
    box(columns.shadow, y, boxWidth, row.shadow === null ? ['not filled', '(no entry)'] : [`\u2192 ${hex(row.shadow.gpa)}`, permissions(row.shadow)], row.shadow === null);
    if (row.shadow !== null) {
      arrow(columns.shadow + boxWidth + 2, columns.host, mid);
      box(columns.host, y, 92, [hex(row.shadow.hostAddress)], false);
    } else svg.append(svgElement('text', { x: String(columns.host + 6), y: String(y + 15) }, '\u2014'));
    const mark = markOf(row);
    svg.append(svgElement('text', { x: '0', y: String(y + boxHeight + 16), class: mark.tone }, `${mark.symbol} shadow vs guest: ${mark.words}`));
  });
  return svg;
}

const LANES = [
  { kind: 'hidden', access: 'read' },
  { kind: 'hidden', access: 'write' },
  { kind: 'hidden', access: 'execute' },
  { kind: 'true', access: 'read' },
  { kind: 'true', access: 'write' },
  { kind: 'true', access: 'execute' },
] as const;

/** The mark of a fault: a hollow circle for hidden, a filled triangle for true (the legend says so). */
function faultMark(kind: 'hidden' | 'true', x: number, y: number): SVGElement {
  if (kind === 'hidden') return svgElement('circle', { cx: x.toFixed(1), cy: String(y), r: '4', fill: 'none', stroke: 'var(--accent)', 'stroke-width': '1.5' });
  return svgElement('path', { d: `M${x.toFixed(1)},${y - 5} L${(x + 5).toFixed(1)},${y + 4} L${(x - 5).toFixed(1)},${y + 4} Z`, fill: 'var(--bad)' });
}

/** One lane per kind and access; a mark per fault at its guest tick. */
function faultChart(picture: Picture): SVGSVGElement {
  const labelWidth = 150;
  const plotWidth = 540;
  const laneHeight = 20;
  const legendY = 14;
  const top = legendY + 28;
  const axisY = top + LANES.length * laneHeight + 4;
  const width = labelWidth + plotWidth + 20;
  const shown = picture.faults.length;
  const total = picture.counts.hidden + picture.counts.true;
  const height = axisY + 38 + (total > shown ? 16 : 0);
  const svg = svgElement('svg', { viewBox: `0 0 ${width} ${height}`, width: String(width), height: String(height), role: 'img' });
  const titleId = `sp-faults-${++figures}`;
  svg.setAttribute('aria-labelledby', `${titleId} ${titleId}-desc`);
  svg.append(svgElement('title', { id: titleId }, `Page faults of ${picture.title} over guest time`));
  const laneWords = LANES.map((lane) => `${picture.faults.filter((f) => f.kind === lane.kind && f.access === lane.access).length} ${lane.kind} ${lane.access}`).join(', ');
  svg.append(svgElement('desc', { id: `${titleId}-desc` }, `${count(picture.counts.hidden)} hidden and ${count(picture.counts.true)} true faults; of the ${count(shown)} drawn: ${laneWords}.`));

  // Legend: the symbols in words.
  const legend = svgElement('g', {});
  legend.append(faultMark('hidden', 6, legendY - 4));
  legend.append(svgElement('text', { x: '16', y: String(legendY) }, 'hidden fault (your VMM filled the shadow; the guest retried)'));
  legend.append(faultMark('true', 6, legendY + 14));
  legend.append(svgElement('text', { x: '16', y: String(legendY + 18) }, 'true fault (your VMM reflected it to the guest)'));
  svg.append(legend);

  const maxTick = Math.max(1, ...picture.faults.map((f) => f.tick));
  const xOf = (tick: number): number => labelWidth + 6 + ((plotWidth - 12) * tick) / maxTick;
  LANES.forEach((lane, i) => {
    const y = top + i * laneHeight + laneHeight / 2;
    const n = picture.faults.filter((f) => f.kind === lane.kind && f.access === lane.access).length;
    svg.append(svgElement('text', { x: '0', y: String(y + 4) }, `${lane.kind}, ${lane.access}: ${count(n)}`));
    svg.append(svgElement('line', { x1: String(labelWidth), x2: String(labelWidth + plotWidth), y1: String(y), y2: String(y), stroke: 'var(--border)', 'stroke-dasharray': '2 3', 'aria-hidden': 'true' }));
  });
  for (const fault of picture.faults) {
    const lane = LANES.findIndex((l) => l.kind === fault.kind && l.access === fault.access);
    if (lane < 0) continue;
    const mark = faultMark(fault.kind, xOf(fault.tick), top + lane * laneHeight + laneHeight / 2);
    mark.append(svgElement('title', {}, `tick ${count(fault.tick)}: ${fault.kind} fault, ${fault.access} of ${hex(fault.va)} in ${fault.mode} mode`));
    svg.append(mark);
  }
  if (shown === 0) svg.append(svgElement('text', { x: String(labelWidth + 6), y: String(top + 14) }, 'No page faults were recorded.'));

  // Guest-time axis.
  svg.append(svgElement('line', { x1: String(labelWidth), x2: String(labelWidth + plotWidth), y1: String(axisY), y2: String(axisY), stroke: 'var(--fg)' }));
  for (const fraction of [0, 0.5, 1]) {
    const x = xOf(fraction * maxTick);
    svg.append(svgElement('line', { x1: x.toFixed(1), x2: x.toFixed(1), y1: String(axisY), y2: String(axisY + 4), stroke: 'var(--fg)' }));
    const anchor = fraction === 0 ? 'start' : fraction === 1 ? 'end' : 'middle';
    svg.append(svgElement('text', { x: x.toFixed(1), y: String(axisY + 16), 'text-anchor': anchor }, count(fraction * maxTick)));
  }
  svg.append(svgElement('text', { x: '0', y: String(axisY + 16) }, 'guest time (ticks)'));
  if (total > shown) svg.append(svgElement('text', { x: '0', y: String(axisY + 34) }, `The first ${count(shown)} of ${count(total)} faults are drawn; the counts above are for all.`));
  return svg;
}

const RUNS = [
  { key: 'shadow', label: 'shadow paging (your VMM)' },
  { key: 'nested', label: 'nested paging' },
] as const;

function overheadWords(cycles: number, native: number): string {
  if (native <= 0) return '';
  const o = cycles / native - 1;
  return `${o >= 0 ? '+' : ''}${percent(o)} over native`;
}

/** Busy cycles of native, shadow and nested: the two VMs' bars split by where the cycles went. */
function overheadChart(overhead: Overhead): SVGSVGElement {
  // Each run: its numbers in words on a line, its bar below (all bars on one scale), so a narrow
  // screen reads the numbers without scrolling.
  const plotWidth = 540;
  const barHeight = 16;
  const rowHeight = barHeight + 30;
  const width = plotWidth + 10;
  const legendY = 3 * rowHeight + 16;
  const height = legendY + CYCLE_PARTS.length * 18 + 4;
  const svg = svgElement('svg', { viewBox: `0 0 ${width} ${height}`, width: String(width), height: String(height), role: 'img' });
  const titleId = `sp-cost-${++figures}`;
  svg.setAttribute('aria-labelledby', `${titleId} ${titleId}-desc`);
  svg.append(svgElement('title', { id: titleId }, 'Busy cycles of the calibration kernel: native, shadow paging, nested paging'));
  svg.append(
    svgElement(
      'desc',
      { id: `${titleId}-desc` },
      `native ${count(overhead.native)} cycles; shadow paging ${count(overhead.shadow)} (${overheadWords(overhead.shadow, overhead.native)}); nested paging ${count(overhead.nested)} (${overheadWords(overhead.nested, overhead.native)}).`,
    ),
  );
  const scale = plotWidth / Math.max(1, overhead.native, overhead.shadow, overhead.nested);
  const barY = (i: number): number => i * rowHeight + 20;
  svg.append(svgElement('text', { x: '0', y: '14' }, `native (bare hardware): ${count(overhead.native)} busy cycles`));
  svg.append(svgElement('rect', { x: '0', y: String(barY(0)), width: Math.max(1, overhead.native * scale).toFixed(1), height: String(barHeight), fill: 'var(--fg-muted, var(--border))' }));
  RUNS.forEach((run, i) => {
    const busy = overhead[run.key];
    const y = barY(i + 1);
    svg.append(svgElement('text', { x: '0', y: String(y - 6) }, `${run.label}: ${count(busy)} busy cycles, ${overheadWords(busy, overhead.native)}`));
    let x = 0;
    for (const part of CYCLE_PARTS) {
      const value = overhead.cycles[run.key][part.key];
      if (value <= 0) continue;
      const w = value * scale;
      const segment = svgElement('rect', { x: x.toFixed(1), y: String(y), width: Math.max(0.5, w).toFixed(1), height: String(barHeight), fill: part.fill, stroke: 'var(--bg)' });
      segment.append(svgElement('title', {}, `${run.label}, ${part.label}: ${count(value)} cycles`));
      svg.append(segment);
      x += w;
    }
  });
  svg.append(svgElement('text', { x: '0', y: String(legendY - 4) }, 'Each VM\u2019s bar, left to right:'));
  CYCLE_PARTS.forEach((part, i) => {
    const y = legendY + 14 + i * 18;
    svg.append(svgElement('rect', { x: '0', y: String(y - 10), width: '10', height: '10', fill: part.fill, 'aria-hidden': 'true' }));
    svg.append(svgElement('text', { x: '14', y: String(y) }, `${i + 1}. ${part.label}: shadow ${count(overhead.cycles.shadow[part.key])}, nested ${count(overhead.cycles.nested[part.key])}`));
  });
  return svg;
}

function overheadTable(overhead: Overhead): HTMLElement {
  const details = element('details');
  details.append(element('summary', {}, 'The cycles as a table'));
  const table = element('table');
  table.append(element('caption', {}, 'Busy cycles of the calibration kernel'));
  table.append(headRow(['Run', 'Busy cycles', 'Over native', ...CYCLE_PARTS.map((p) => p.label), 'idle (not counted)']));
  const body = element('tbody');
  const native = element('tr');
  native.append(element('th', { scope: 'row' }, 'native (bare hardware)'));
  native.append(element('td', { class: 'num' }, count(overhead.native)));
  for (let i = 0; i < CYCLE_PARTS.length + 2; i++) native.append(element('td', { class: 'num' }, '\u2014'));
  body.append(native);
  for (const run of RUNS) {
    const row = element('tr');
    row.append(element('th', { scope: 'row' }, run.label));
    row.append(element('td', { class: 'num' }, count(overhead[run.key])));
    row.append(element('td', { class: 'num' }, overheadWords(overhead[run.key], overhead.native) || '\u2014'));
    for (const part of CYCLE_PARTS) row.append(element('td', { class: 'num' }, count(overhead.cycles[run.key][part.key])));
    row.append(element('td', { class: 'num' }, count(overhead.cycles[run.key].idle)));
    body.append(row);
  }
  table.append(body);
  details.append(table);
  return details;
}

/** The same facts as tables: pages, counts and every fault drawn. */
function tables(picture: Picture): HTMLElement {
  const details = element('details');
  details.append(element('summary', {}, 'The pages and faults as tables'));
  const pagesWrap = element('div', { class: 'scroll', role: 'region', tabindex: '0', 'aria-label': `Pages table: ${picture.title}` });
  const pages = element('table');
  pages.append(element('caption', {}, `Pages, guest page directory at ${hex(picture.directory)}`));
  pages.append(headRow(['Guest virtual', 'Guest\u2019s entry', 'Shadow\u2019s entry', 'Host address', 'Shadow vs guest']));
  const body = element('tbody');
  for (const row of picture.pages) {
    const tr = element('tr');
    tr.append(element('th', { scope: 'row' }, hex(row.va)));
    tr.append(element('td', {}, row.guest === null ? 'not mapped' : `${hex(row.guest.gpa)} (${permissions(row.guest)})`));
    tr.append(element('td', {}, row.shadow === null ? 'not filled' : `${hex(row.shadow.gpa)} (${permissions(row.shadow)})`));
    tr.append(element('td', {}, row.shadow === null ? '\u2014' : hex(row.shadow.hostAddress)));
    const mark = markOf(row);
    tr.append(element('td', { class: mark.tone }, `${mark.symbol} ${mark.words}`));
    body.append(tr);
  }
  pages.append(body);
  pagesWrap.append(pages);
  details.append(pagesWrap);

  const counts = element('table');
  counts.append(element('caption', {}, 'Counts'));
  counts.append(headRow(['Hidden faults', 'True faults', 'Page-table stores carried out', 'PTBR writes']));
  const countRow = element('tr');
  for (const value of [picture.counts.hidden, picture.counts.true, picture.counts.tableStores, picture.counts.tableSwitches]) countRow.append(element('td', { class: 'num' }, count(value)));
  const countBody = element('tbody');
  countBody.append(countRow);
  counts.append(countBody);
  details.append(counts);

  const faultsWrap = element('div', { class: 'faults', role: 'region', tabindex: '0', 'aria-label': `Faults table: ${picture.title}` });
  const faults = element('table');
  faults.append(element('caption', {}, `Page faults, in order (${count(picture.faults.length)} drawn)`));
  faults.append(headRow(['Tick', 'Kind', 'Access', 'Address', 'Mode']));
  const faultBody = element('tbody');
  for (const fault of picture.faults) {
    const tr = element('tr');
    tr.append(element('td', { class: 'num' }, count(fault.tick)));
    tr.append(element('td', {}, fault.kind === 'hidden' ? '\u25cb hidden' : '\u25b2 true'));
    tr.append(element('td', {}, fault.access));
    tr.append(element('td', {}, hex(fault.va)));
    tr.append(element('td', {}, fault.mode));
    faultBody.append(tr);
  }
  faults.append(faultBody);
  faultsWrap.append(faults);
  details.append(faultsWrap);
  return details;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function asEntry(data: unknown): Entry | null {
  if (!isRecord(data) || typeof data.gpa !== 'number') return null;
  return { gpa: data.gpa, writable: data.writable === true, user: data.user === true };
}

function asPicture(data: unknown): Picture | null {
  if (!isRecord(data) || typeof data.title !== 'string' || !Array.isArray(data.pages) || !isRecord(data.counts)) return null;
  const pages = data.pages.flatMap((row): PageRow[] => {
    if (!isRecord(row) || typeof row.va !== 'number') return [];
    const shadow = asEntry(row.shadow);
    const host = isRecord(row.shadow) ? row.shadow.hostAddress : undefined;
    return [{ va: row.va, guest: asEntry(row.guest), shadow: shadow === null ? null : { ...shadow, hostAddress: num(host) } }];
  });
  const faults = (Array.isArray(data.faults) ? data.faults : []).flatMap((f): Fault[] => {
    if (!isRecord(f) || typeof f.tick !== 'number' || typeof f.va !== 'number' || (f.kind !== 'hidden' && f.kind !== 'true')) return [];
    return [{ tick: f.tick, va: f.va, access: typeof f.access === 'string' ? f.access : 'read', mode: typeof f.mode === 'string' ? f.mode : '', kind: f.kind }];
  });
  const c = data.counts;
  return {
    title: data.title,
    directory: num(data.directory),
    pages,
    faults,
    counts: { hidden: num(c.hidden), true: num(c.true), tableStores: num(c.tableStores), tableSwitches: num(c.tableSwitches) },
    differences: Array.isArray(data.differences) ? data.differences.filter((d): d is string => typeof d === 'string') : [],
  };
}

function asCycles(data: unknown): Cycles {
  const c = isRecord(data) ? data : {};
  return { direct: num(c.direct), trap: num(c.trap), emulation: num(c.emulation), worldSwitch: num(c.worldSwitch), idle: num(c.idle) };
}

function asOverhead(data: unknown): Overhead | null {
  if (!isRecord(data) || typeof data.native !== 'number' || typeof data.shadow !== 'number' || typeof data.nested !== 'number' || !isRecord(data.cycles)) return null;
  return { native: data.native, shadow: data.shadow, nested: data.nested, cycles: { shadow: asCycles(data.cycles.shadow), nested: asCycles(data.cycles.nested) } };
}
