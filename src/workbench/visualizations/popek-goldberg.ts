/**
 * The Popek–Goldberg lab's picture: for each public test, the exits per kind of each approach it
 * ran (the plain trap-and-emulate VMM, the learner's binary translator, the learner's
 * paravirtual kernel and monitor) side by side as bars with their counts in words: callouts
 * (sensitive-instruction) beside hypercalls and the other exits; whether each run matched bare
 * hardware, the share of instructions run directly, the overhead over native where the test
 * measured it, and the addresses where callouts happened. A table repeats every number.
 *
 * Below, for binary translation, each kernel code page the scanner saw, with the instructions
 * it intercepted marked (code-pages.ts).
 *
 * The data comes from labs/popek-goldberg/tests/public.ts (`attach('popek-goldberg', …)`): exit
 * counts the test itself made while the hypervisor ran, the VM's own statistics, and the pages
 * as the hypervisor handed them to the scanner.
 */

import { element, headRow, isRecord, svgElement } from '../dom.ts';
import type { Attachment } from '../visualizations.ts';
import { asCodePages, CODE_PAGE_STYLE, codePageFigure, type CodePage } from './popek-goldberg/code-pages.ts';

interface Approach {
  name: string;
  exits: Record<string, number>;
  directShare: number;
  differences: number;
  calloutSites: number[];
  /** Cycles over the native kernel's busy cycles, minus 1 (only where a test measured it). */
  overhead?: number;
  /** Kernel code pages as the scanner saw them (binary translation only). */
  codePages: CodePage[];
}

interface Picture {
  title: string;
  approaches: Approach[];
}

/** Makes the SVGs' title ids unique on the page. */
let figures = 0;

/** Fills per approach (first, second, third); each bar also carries the approach's name in words. */
const FILLS = ['var(--warn)', 'var(--accent)', 'var(--ok)'];

const STYLE = `
.pg-viz { color: var(--fg); }
.pg-viz table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
.pg-viz caption { text-align: start; font-weight: 600; padding-bottom: 0.25rem; }
.pg-viz th, .pg-viz td { border: 1px solid var(--border); padding: 0.2rem 0.45rem; text-align: start; vertical-align: top; }
.pg-viz th { background: var(--bg-alt); }
.pg-viz td.num { text-align: end; font-variant-numeric: tabular-nums; }
.pg-viz .ok { color: var(--ok); font-weight: 600; }
.pg-viz .bad { color: var(--bad); font-weight: 600; }
.pg-viz figure { margin: 0.8rem 0 1.2rem; padding: 0.5rem 0.7rem; border: 1px solid var(--border); border-radius: 6px; background: var(--bg); }
.pg-viz figcaption { font-weight: 600; margin-bottom: 0.3rem; }
.pg-viz svg { display: block; max-width: none; height: auto; font-family: var(--font-sans, sans-serif); }
.pg-viz svg text { fill: var(--fg); font-size: 12px; }
.pg-viz .scroll { overflow-x: auto; }
`;

export function visualize(target: HTMLElement, attachments: readonly Attachment[]): void {
  const pictures = attachments
    .filter((a) => a.name === 'popek-goldberg')
    .map((a) => ({ test: a.test, picture: asPicture(a.data) }))
    .filter((p): p is { test: string; picture: Picture } => p.picture !== null);
  if (pictures.length === 0) return;
  const root = element('section', { class: 'pg-viz', 'aria-label': 'Exits and callouts of each approach in the public tests' });
  root.append(element('style', {}, STYLE + CODE_PAGE_STYLE));
  root.append(element('h3', {}, 'Trap-and-emulate, binary translation and paravirtualization'));
  root.append(
    element(
      'p',
      {},
      'The same guest under each approach a test ran: the exits each handled, by kind. Callouts (sensitive-instruction) replace the silent instructions the plain VMM never sees; hypercalls are the paravirtual kernel asking the hypervisor instead; every other instruction still runs directly.',
    ),
  );
  for (const { test, picture } of pictures) root.append(figureFor(test, picture));
  target.append(root);
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function figureFor(test: string, picture: Picture): HTMLElement {
  const figure = element('figure');
  figure.append(element('figcaption', {}, `${picture.title} \u2014 ${test}`));
  const scroller = element('div', { class: 'scroll', role: 'region', tabindex: '0', 'aria-label': `Exits per kind: ${picture.title}` });
  scroller.append(chart(picture));
  figure.append(scroller);
  figure.append(table(picture));
  for (const approach of picture.approaches) {
    const ran = new Set(approach.calloutSites);
    for (const page of approach.codePages) figure.append(codePageFigure(approach.name, page, ran));
  }
  return figure;
}

/** Every exit kind any approach had, in a stable order. */
function kindsOf(picture: Picture): string[] {
  return [...new Set(picture.approaches.flatMap((a) => Object.keys(a.exits)))].sort();
}

/** Grouped horizontal bars: one group per exit kind, one bar per approach, the count in words. */
function chart(picture: Picture): SVGSVGElement {
  const kinds = kindsOf(picture);
  const labelWidth = 170;
  const plotWidth = 300;
  const barHeight = 16;
  const groupHeight = picture.approaches.length * (barHeight + 4) + 10;
  const legendY = 8;
  const top = legendY + picture.approaches.length * 18 + 6;
  const width = labelWidth + plotWidth + 230;
  const height = top + kinds.length * groupHeight + 4;
  const svg = svgElement('svg', { viewBox: `0 0 ${width} ${height}`, width: String(width), height: String(height), role: 'img' });
  const titleId = `pg-title-${++figures}`;
  svg.setAttribute('aria-labelledby', titleId);
  const words = picture.approaches.map((a) => `${a.name}: ${kinds.map((k) => `${a.exits[k] ?? 0} ${k}`).join(', ')}`).join('; ');
  svg.append(svgElement('title', { id: titleId }, `Exits per kind. ${words}`));
  picture.approaches.forEach((approach, i) => {
    const y = legendY + i * 18;
    svg.append(svgElement('rect', { x: '0', y: String(y), width: '12', height: '12', fill: FILLS[i % FILLS.length]! }));
    const cost = approach.overhead === undefined ? '' : `, overhead ${percent(approach.overhead)}`;
    svg.append(svgElement('text', { x: '18', y: String(y + 11) }, `${approach.name} (${approach.differences === 0 ? '\u2713 same as bare hardware' : `\u2717 ${approach.differences} differences`}${cost})`));
  });
  const max = Math.max(1, ...picture.approaches.flatMap((a) => Object.values(a.exits)));
  kinds.forEach((kind, g) => {
    const y0 = top + g * groupHeight;
    svg.append(svgElement('text', { x: '0', y: String(y0 + barHeight) }, kind));
    picture.approaches.forEach((approach, i) => {
      const n = approach.exits[kind] ?? 0;
      const y = y0 + i * (barHeight + 4);
      const w = n === 0 ? 0 : Math.max(2, (plotWidth * n) / max);
      svg.append(svgElement('rect', { x: String(labelWidth), y: String(y), width: w.toFixed(1), height: String(barHeight), fill: FILLS[i % FILLS.length]! }));
      svg.append(svgElement('text', { x: (labelWidth + w + 4).toFixed(1), y: String(y + 12) }, `${n} \u2014 ${approach.name}`));
    });
  });
  return svg;
}

function table(picture: Picture): HTMLElement {
  const kinds = kindsOf(picture);
  const wrap = element('div', { class: 'scroll', role: 'region', tabindex: '0', 'aria-label': `Table: ${picture.title}` });
  const t = element('table');
  t.append(element('caption', {}, 'The same numbers as a table'));
  const measured = picture.approaches.some((a) => a.overhead !== undefined);
  t.append(headRow(['Approach', 'Same as bare hardware', 'Ran directly', ...(measured ? ['Overhead over native'] : []), ...kinds, 'Callout addresses']));
  const body = element('tbody');
  for (const approach of picture.approaches) {
    const row = element('tr');
    row.append(element('th', { scope: 'row' }, approach.name));
    const same = approach.differences === 0;
    row.append(element('td', { class: same ? 'ok' : 'bad' }, same ? '\u2713 yes' : `\u2717 ${approach.differences} differences`));
    row.append(element('td', { class: 'num' }, percent(approach.directShare)));
    if (measured) row.append(element('td', { class: 'num' }, approach.overhead === undefined ? 'not measured' : percent(approach.overhead)));
    for (const kind of kinds) row.append(element('td', { class: 'num' }, String(approach.exits[kind] ?? 0)));
    const sites = approach.calloutSites.map((a) => `0x${a.toString(16)}`);
    row.append(element('td', {}, sites.length === 0 ? 'none' : sites.slice(0, 12).join(', ') + (sites.length > 12 ? ', …' : '')));
    body.append(row);
  }
  t.append(body);
  wrap.append(t);
  return wrap;
}

function asPicture(data: unknown): Picture | null {
  if (!isRecord(data) || typeof data.title !== 'string' || !Array.isArray(data.approaches)) return null;
  const approaches: Approach[] = [];
  for (const a of data.approaches) {
    if (!isRecord(a) || typeof a.name !== 'string' || !isRecord(a.exits) || typeof a.directShare !== 'number' || typeof a.differences !== 'number') return null;
    const exits: Record<string, number> = {};
    for (const [kind, n] of Object.entries(a.exits)) if (typeof n === 'number') exits[kind] = n;
    const sites = Array.isArray(a.calloutSites) ? a.calloutSites.filter((s): s is number => typeof s === 'number') : [];
    approaches.push({ name: a.name, exits, directShare: a.directShare, differences: a.differences, calloutSites: sites, codePages: asCodePages(a.codePages), ...(typeof a.overhead === 'number' ? { overhead: a.overhead } : {}) });
  }
  return approaches.length === 0 ? null : { title: data.title, approaches };
}
