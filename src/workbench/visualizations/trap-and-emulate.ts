/**
 * The Trap-and-emulate lab's picture: for each VM a public test ran, the VMM's exits over guest
 * time (one row per exit kind, a bar per slice of guest time, with the kind's count), the share
 * of guest instructions that ran directly, and where the host's cycles went (direct execution,
 * exits, emulation, world switches) next to the same guest's cycles on bare hardware.
 *
 * The data comes from the public tests (`attach('exits', picture)` in
 * labs/trap-and-emulate/tests/public.ts, the picture made by `ExitLog` in tests/compare.ts from
 * the hypervisor's own accounting). Every bar has its numbers in words beside it, and a table
 * repeats them.
 */

import { element, headRow, isRecord, svgElement } from '../dom.ts';
import type { Attachment } from '../visualizations.ts';

interface KindRow {
  kind: string;
  total: number;
  perBin: number[];
}

interface Picture {
  title: string;
  vm: string;
  guestTime: number;
  binTicks: number;
  kinds: KindRow[];
  directInstructions: number;
  emulatedInstructions: number;
  directShare: number;
  cycles: { direct: number; trap: number; emulation: number; worldSwitch: number };
  bareCycles: number;
  state: string;
  differences: string[];
}


/** Makes the SVGs' title ids unique on the page. */
let figures = 0;

/** What each exit kind means, for the row labels' tooltips and the table. */
const KIND_NOTES: Record<string, string> = {
  'privileged-instruction': 'a privileged instruction trapped (emulated, or reflected from virtual user mode)',
  'sensitive-instruction': 'a callout from translated code',
  syscall: 'a system call, reflected into the guest kernel',
  hypercall: 'an hcall',
  'page-fault': 'the guest\u2019s page tables refused an access; reflected',
  exception: 'a fault (bus error, divide by zero, undefined instruction, breakpoint…); reflected',
  'memory-violation': 'a write-protected guest-physical page',
  interrupt: 'a virtual device raised an interrupt line',
};

/** The parts of a VM's busy cycles, in drawing order (lab 5's picture draws them too). */
export const CYCLE_PARTS = [
  { key: 'direct', label: 'direct execution', fill: 'var(--ok)' },
  { key: 'trap', label: 'exits (hardware)', fill: 'var(--bad)' },
  { key: 'worldSwitch', label: 'world switches', fill: 'var(--warn)' },
  { key: 'emulation', label: 'your VMM\u2019s work', fill: 'var(--accent)' },
] as const;

const STYLE = `
.tae-viz { color: var(--fg); }
.tae-viz table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
.tae-viz caption { text-align: start; font-weight: 600; padding-bottom: 0.25rem; }
.tae-viz th, .tae-viz td { border: 1px solid var(--border); padding: 0.2rem 0.45rem; text-align: start; vertical-align: top; }
.tae-viz th { background: var(--bg-alt); }
.tae-viz td.num { text-align: end; font-variant-numeric: tabular-nums; }
.tae-viz .ok { color: var(--ok); font-weight: 600; }
.tae-viz .bad { color: var(--bad); font-weight: 600; }
.tae-viz figure { margin: 0.8rem 0 1.2rem; padding: 0.5rem 0.7rem; border: 1px solid var(--border); border-radius: 6px; background: var(--bg); }
.tae-viz figcaption { font-weight: 600; margin-bottom: 0.3rem; }
.tae-viz svg { display: block; max-width: none; height: auto; font-family: var(--font-sans, sans-serif); }
.tae-viz svg text { fill: var(--fg); font-size: 12px; }
.tae-viz svg .muted { fill: var(--fg); opacity: 0.8; font-size: 12px; }
.tae-viz .differences { font-family: var(--font-mono, monospace); font-size: 0.8rem; overflow-wrap: anywhere; }
.tae-viz .scroll { overflow-x: auto; }
`;

export function visualize(target: HTMLElement, attachments: readonly Attachment[]): void {
  const pictures = attachments
    .filter((a) => a.name === 'exits')
    .map((a) => ({ test: a.test, picture: asPicture(a.data) }))
    .filter((p): p is { test: string; picture: Picture } => p.picture !== null);
  if (pictures.length === 0) return;
  const root = element('section', { class: 'tae-viz', 'aria-label': 'Your VMM\u2019s exits in the public tests' });
  root.append(element('style', {}, STYLE));
  root.append(element('h3', {}, 'Your VMM\u2019s exits'));
  root.append(
    element(
      'p',
      {},
      'Each VM of the public tests: how its run compared with bare hardware, how many guest instructions ran directly on the CPU, the exits your VMM handled, by kind, over guest time (timer ticks = retired instructions), and the host cycles against the same guest on bare hardware. These small kernels do little but kernel work, so their overhead is far above the 30\u201350% that trap-and-emulate costs on the calibration workload; the exits are what to look at.',
    ),
  );
  root.append(summaryTable(pictures.map((p) => p.picture)));
  for (const { test, picture } of pictures) root.append(figureFor(test, picture));
  target.append(root);
}

export function percent(value: number, digits = 1): string {
  return `${(value * 100).toFixed(digits)}%`;
}

export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** VM cycles ÷ bare busy cycles − 1, for runs that matched bare hardware (else it compares different work). */
function overhead(picture: Picture): number | null {
  if (picture.differences.length > 0) return null;
  const total = picture.cycles.direct + picture.cycles.trap + picture.cycles.emulation + picture.cycles.worldSwitch;
  return picture.bareCycles > 0 ? total / picture.bareCycles - 1 : null;
}

function summaryTable(pictures: readonly Picture[]): HTMLElement {
  const wrap = element('div', { class: 'scroll', role: 'region', tabindex: '0', 'aria-label': 'Summary of every VM' });
  const table = element('table');
  table.append(element('caption', {}, 'Every VM at a glance'));
  table.append(headRow(['VM', 'Same as bare hardware', 'Exits', 'Ran directly', 'Overhead']));
  const body = element('tbody');
  for (const picture of pictures) {
    const row = element('tr');
    row.append(element('th', { scope: 'row' }, picture.title));
    const same = picture.differences.length === 0;
    row.append(element('td', { class: same ? 'ok' : 'bad' }, same ? '\u2713 equivalent' : `\u2717 ${picture.differences[0] ?? 'differs'}`));
    const exits = picture.kinds.reduce((sum, k) => sum + k.total, 0);
    row.append(element('td', { class: 'num' }, count(exits)));
    row.append(element('td', { class: 'num' }, `${percent(picture.directShare)} of ${count(picture.directInstructions + picture.emulatedInstructions)}`));
    const o = overhead(picture);
    row.append(element('td', { class: 'num' }, o === null ? '\u2014' : `${o >= 0 ? '+' : ''}${percent(o, 0)}`));
    body.append(row);
  }
  table.append(body);
  wrap.append(table);
  return wrap;
}

function figureFor(test: string, picture: Picture): HTMLElement {
  const figure = element('figure');
  const same = picture.differences.length === 0;
  figure.append(element('figcaption', {}, `${same ? '\u2713' : '\u2717'} ${picture.title} \u2014 ${test}`));
  if (!same) {
    const list = element('ul', { class: 'differences', 'aria-label': 'Differences from bare hardware' });
    for (const difference of picture.differences) list.append(element('li', { class: 'bad' }, `\u2717 ${difference}`));
    figure.append(list);
  }
  // The timeline keeps its natural size (its text stays 12 px) and scrolls sideways on a phone.
  const scroller = element('div', { class: 'scroll', role: 'region', tabindex: '0', 'aria-label': `Timeline of ${picture.vm}` });
  scroller.append(timeline(picture));
  figure.append(scroller);
  figure.append(kindsTable(picture));
  return figure;
}

/** The SVG: one row of bars per exit kind over guest time, then the direct share and the cycles. */
function timeline(picture: Picture): SVGSVGElement {
  const labelWidth = 230;
  const plotWidth = 480;
  const rowHeight = 34;
  const top = 8;
  const bins = Math.max(1, ...picture.kinds.map((k) => k.perBin.length));
  const rows = picture.kinds.length;
  const axisY = top + rows * rowHeight + 4;
  const shareY = axisY + 34;
  const cyclesY = shareY + 40;
  const legendY = cyclesY + 30;
  const width = labelWidth + plotWidth + 10;
  const height = legendY + Math.ceil(CYCLE_PARTS.length / 2) * 18 + 8;
  const svg = svgElement('svg', { viewBox: `0 0 ${width} ${height}`, width: String(width), height: String(height), role: 'img' });
  const titleId = `tae-title-${++figures}`;
  const descId = `${titleId}-desc`;
  svg.setAttribute('aria-labelledby', `${titleId} ${descId}`);
  svg.append(svgElement('title', { id: titleId }, `Exits of ${picture.vm} over guest time`));
  const exitWords = picture.kinds.map((k) => `${k.total} ${k.kind}`).join(', ') || 'no exits';
  svg.append(
    svgElement(
      'desc',
      { id: descId },
      `${exitWords} over ${count(picture.guestTime)} ticks; ${percent(picture.directShare)} of the instructions ran directly.`,
    ),
  );

  const binWidth = plotWidth / bins;
  picture.kinds.forEach((row, i) => {
    const y = top + i * rowHeight;
    const label = svgElement('text', { x: '0', y: String(y + rowHeight / 2 + 4) }, `${row.kind}: ${count(row.total)}`);
    label.append(svgElement('title', {}, KIND_NOTES[row.kind] ?? row.kind));
    svg.append(label);
    svg.append(svgElement('line', { x1: String(labelWidth), x2: String(labelWidth + plotWidth), y1: String(y + rowHeight - 4), y2: String(y + rowHeight - 4), stroke: 'var(--border)' }));
    const max = Math.max(1, ...row.perBin);
    row.perBin.forEach((n, b) => {
      if (n === 0) return;
      const h = Math.max(2, ((rowHeight - 8) * n) / max);
      const bar = svgElement('rect', {
        x: (labelWidth + b * binWidth + 0.5).toFixed(1),
        y: (y + rowHeight - 4 - h).toFixed(1),
        width: Math.max(1, binWidth - 1).toFixed(1),
        height: h.toFixed(1),
        fill: 'var(--accent)',
      });
      bar.append(svgElement('title', {}, `${n} ${row.kind} exit${n === 1 ? '' : 's'} in ticks ${count(b * picture.binTicks)}\u2013${count((b + 1) * picture.binTicks)}`));
      svg.append(bar);
    });
  });
  if (rows === 0) svg.append(svgElement('text', { x: String(labelWidth), y: String(top + 14) }, 'No exits were recorded.'));

  // Guest-time axis.
  svg.append(svgElement('line', { x1: String(labelWidth), x2: String(labelWidth + plotWidth), y1: String(axisY), y2: String(axisY), stroke: 'var(--fg)' }));
  for (const fraction of [0, 0.5, 1]) {
    const x = labelWidth + fraction * plotWidth;
    svg.append(svgElement('line', { x1: String(x), x2: String(x), y1: String(axisY), y2: String(axisY + 4), stroke: 'var(--fg)' }));
    const anchor = fraction === 0 ? 'start' : fraction === 1 ? 'end' : 'middle';
    svg.append(svgElement('text', { x: String(x), y: String(axisY + 16), 'text-anchor': anchor, class: 'muted' }, `${count(fraction * picture.binTicks * bins)}`));
  }
  svg.append(svgElement('text', { x: '0', y: String(axisY + 16), class: 'muted' }, 'guest time (ticks)'));

  // Direct share.
  const total = picture.directInstructions + picture.emulatedInstructions;
  svg.append(svgElement('text', { x: '0', y: String(shareY + 12) }, `ran directly: ${percent(picture.directShare)}`));
  svg.append(svgElement('rect', { x: String(labelWidth), y: String(shareY), width: String(plotWidth), height: '14', fill: 'var(--bg-alt)', stroke: 'var(--border)' }));
  svg.append(svgElement('rect', { x: String(labelWidth), y: String(shareY), width: (plotWidth * Math.min(1, Math.max(0, picture.directShare))).toFixed(1), height: '14', fill: 'var(--ok)' }));
  svg.append(svgElement('text', { x: String(labelWidth), y: String(shareY + 28), class: 'muted' }, `${count(picture.directInstructions)} of ${count(total)} instructions directly, ${count(picture.emulatedInstructions)} emulated by your VMM`));

  // Where the cycles went.
  const cycles = CYCLE_PARTS.map((part) => ({ ...part, value: picture.cycles[part.key] }));
  const cycleTotal = cycles.reduce((sum, part) => sum + part.value, 0);
  const o = overhead(picture);
  svg.append(svgElement('text', { x: '0', y: String(cyclesY + 12) }, o === null ? 'host cycles (run differs from bare)' : `host cycles: ${o >= 0 ? '+' : ''}${percent(o, 0)} vs bare`));
  let x = labelWidth;
  for (const part of cycles) {
    if (cycleTotal <= 0 || part.value <= 0) continue;
    const w = (plotWidth * part.value) / cycleTotal;
    const segment = svgElement('rect', { x: x.toFixed(1), y: String(cyclesY), width: Math.max(0.5, w).toFixed(1), height: '14', fill: part.fill, stroke: 'var(--bg)' });
    segment.append(svgElement('title', {}, `${part.label}: ${count(part.value)} cycles (${percent(part.value / cycleTotal)})`));
    svg.append(segment);
    x += w;
  }
  svg.append(svgElement('text', { x: '0', y: String(legendY), class: 'muted' }, 'left to right:'));
  cycles.forEach((part, i) => {
    const lx = labelWidth + (i % 2) * (plotWidth / 2);
    const ly = legendY + Math.floor(i / 2) * 18;
    svg.append(svgElement('rect', { x: String(lx), y: String(ly - 10), width: '10', height: '10', fill: part.fill }));
    const share = cycleTotal > 0 ? percent(part.value / cycleTotal) : '0%';
    svg.append(svgElement('text', { x: String(lx + 14), y: String(ly), class: 'muted' }, `${i + 1}. ${part.label}: ${share} (${count(part.value)})`));
  });
  return svg;
}

function kindsTable(picture: Picture): HTMLElement {
  const details = element('details');
  details.append(element('summary', {}, 'The numbers as a table'));
  const table = element('table');
  table.append(element('caption', {}, `Exits of ${picture.vm} (${count(picture.guestTime)} ticks, ended ${picture.state})`));
  table.append(headRow(['Exit kind', 'Count', 'Busiest slice of guest time', 'Meaning']));
  const body = element('tbody');
  for (const row of picture.kinds) {
    const tr = element('tr');
    tr.append(element('th', { scope: 'row' }, row.kind));
    tr.append(element('td', { class: 'num' }, count(row.total)));
    const peak = row.perBin.reduce((best, n, i) => (n > (row.perBin[best] ?? 0) ? i : best), 0);
    tr.append(element('td', {}, `${row.perBin[peak] ?? 0} in ticks ${count(peak * picture.binTicks)}\u2013${count((peak + 1) * picture.binTicks)}`));
    tr.append(element('td', {}, KIND_NOTES[row.kind] ?? ''));
    body.append(tr);
  }
  table.append(body);
  details.append(table);
  return details;
}

// ------------------------------------------------------------------ checking the attached data

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function asPicture(data: unknown): Picture | null {
  if (!isRecord(data) || !Array.isArray(data.kinds) || !isRecord(data.cycles)) return null;
  const kinds: KindRow[] = [];
  for (const k of data.kinds) {
    if (!isRecord(k) || typeof k.kind !== 'string' || !Array.isArray(k.perBin)) return null;
    kinds.push({ kind: k.kind, total: num(k.total), perBin: k.perBin.slice(0, 500).map(num) });
  }
  const c = data.cycles;
  return {
    title: typeof data.title === 'string' ? data.title : 'A VM',
    vm: typeof data.vm === 'string' ? data.vm : 'vm',
    guestTime: num(data.guestTime),
    binTicks: Math.max(1, num(data.binTicks)),
    kinds,
    directInstructions: num(data.directInstructions),
    emulatedInstructions: num(data.emulatedInstructions),
    directShare: num(data.directShare),
    cycles: { direct: num(c.direct), trap: num(c.trap), emulation: num(c.emulation), worldSwitch: num(c.worldSwitch) },
    bareCycles: num(data.bareCycles),
    state: typeof data.state === 'string' ? data.state : '',
    differences: Array.isArray(data.differences) ? data.differences.filter((d): d is string => typeof d === 'string') : [],
  };
}
