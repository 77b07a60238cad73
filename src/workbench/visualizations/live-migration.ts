/**
 * The Live migration lab's picture: a migration's rounds (pages sent and pages the log had
 * dirtied before each round, as bars), the stop point and the downtime; and an evacuation as the
 * sequence of cluster states after each move, with anti-affinity and capacity problems marked.
 *
 * The data comes from the public tests (`attach('migration' | 'evacuation', …)` in
 * labs/live-migration/tests/checks.ts): the simulator's migration record, its answer to each
 * copy round, and the cluster's own checks after each move. Every bar has a table beside it,
 * and every problem carries a symbol and words, not only a colour.
 */

import { element, svgElement } from '../dom.ts';
import type { Attachment } from '../visualizations.ts';

interface RoundData {
  pagesSent: number;
  ms: number;
  dirtiedBefore: number;
  stopped: boolean;
}

interface MigrationData {
  record: { downtimeMs: number | null; totalMs: number | null; rounds: number; pagesSent: number; stalePages: number; consistent: boolean | null; peakRunningBytesPerMs?: number };
  pageCount: number;
  rounds: RoundData[];
}

interface EvacuationData {
  drain: string;
  states: { move: { vm: string; to: string } | null; hosts: { id: string; state: string; vms: string[] }[]; antiAffinity: string[]; capacity: string[] }[];
}

const BAR_WIDTH = 18;
const CHART_HEIGHT = 120;

export function visualize(target: HTMLElement, attachments: readonly Attachment[]): void {
  for (const a of attachments) {
    if (a.name === 'migration' && isMigration(a.data)) target.append(migrationFigure(a.test, a.data));
    if (a.name === 'evacuation' && isEvacuation(a.data)) target.append(evacuationFigure(a.test, a.data));
  }
}

function frame(caption: string): HTMLElement {
  const root = element('figure', { style: 'margin: 1rem 0; padding: 0.75rem; border: 1px solid var(--border); border-radius: 6px; background: var(--bg); color: var(--fg);' });
  root.append(element('figcaption', { style: 'font-weight: 600; margin-bottom: 0.5rem;' }, caption));
  return root;
}

function migrationFigure(testName: string, data: MigrationData): HTMLElement {
  const root = frame(testName);
  const r = data.record;
  const verdict = r.consistent === true ? '✔ no write lost' : `✖ ${r.stalePages} stale pages at resume`;
  root.append(element('p', { style: 'margin: 0 0 0.5rem;' },
    `${r.rounds} rounds, ${r.pagesSent} pages sent (${(r.pagesSent / data.pageCount).toFixed(2)} × memory of ${data.pageCount} pages), `
    + `downtime ${fixed(r.downtimeMs)} ms, total ${fixed(r.totalMs)} ms${peakRate(r.peakRunningBytesPerMs)}; ${verdict}.`));
  // Many rounds make a wide chart: its frame scrolls sideways (and can be focused to scroll by keyboard) so text stays 12 px.
  const scroller = element('div', { style: 'overflow-x: auto; max-width: 100%;', tabindex: '0', role: 'region', 'aria-label': 'Chart of rounds (scrolls sideways)' });
  scroller.append(chart(data));
  root.append(scroller);
  const table = element('table', { style: 'border-collapse: collapse; margin-top: 0.5rem; font-size: 0.9em;' });
  table.append(element('caption', { style: 'text-align: left;' }, 'Rounds as a table'));
  const head = element('tr');
  for (const label of ['Round', 'Pages dirtied before it', 'Pages sent', 'Time (ms)', 'VM']) head.append(element('th', { scope: 'col', style: cell() }, label));
  table.append(head);
  data.rounds.forEach((round, index) => {
    const row = element('tr');
    for (const value of [String(index + 1), String(round.dirtiedBefore), String(round.pagesSent), fixed(round.ms), round.stopped ? '■ stopped (final copy)' : 'running']) {
      row.append(element('td', { style: cell() }, value));
    }
    table.append(row);
  });
  root.append(table);
  return root;
}

/** Bars per round: sent (filled) and dirtied before it (outlined), the final copy after a dashed stop line. */
function chart(data: MigrationData): SVGSVGElement {
  const max = Math.max(1, ...data.rounds.flatMap((r) => [r.pagesSent, r.dirtiedBefore]));
  const width = 40 + data.rounds.length * (2 * BAR_WIDTH + 8);
  const height = CHART_HEIGHT + 40;
  const label = `Pages sent and pages dirtied per round, ${data.rounds.length} rounds; the table below gives the numbers`;
  const svg = svgElement('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width: String(width),
    height: String(height),
    role: 'img',
    style: 'max-width: none; display: block; overflow: visible;',
    'aria-label': label,
  });
  svg.append(svgElement('title', {}, label));
  const y = (pages: number) => 16 + CHART_HEIGHT * (1 - pages / max);
  svg.append(text(4, 12, `max ${max} pages`, 'start'));
  data.rounds.forEach((round, index) => {
    const x = 36 + index * (2 * BAR_WIDTH + 8);
    if (round.stopped) {
      svg.append(line(x - 4, 14, x - 4, 16 + CHART_HEIGHT));
      svg.append(text(x - 2, height - 4, '■ stop', 'start'));
    }
    svg.append(rect(x, y(round.dirtiedBefore), BAR_WIDTH, 16 + CHART_HEIGHT - y(round.dirtiedBefore), 'none', 'var(--fg)'));
    svg.append(rect(x + BAR_WIDTH, y(round.pagesSent), BAR_WIDTH, 16 + CHART_HEIGHT - y(round.pagesSent), 'var(--accent)', 'none'));
    if (!round.stopped) svg.append(text(x + BAR_WIDTH, height - 20, String(index + 1), 'middle'));
  });
  return svg;
}

function evacuationFigure(testName: string, data: EvacuationData): HTMLElement {
  const root = frame(testName);
  root.append(element('p', { style: 'margin: 0 0 0.5rem;' }, `Draining ${data.drain}: the cluster after each move, as the simulator checked it.`));
  const table = element('table', { style: 'border-collapse: collapse; font-size: 0.9em;' });
  const head = element('tr');
  for (const label of ['Step', ...data.states[0]!.hosts.map((h) => h.id + (h.state === 'up' ? '' : ' (failed)')), 'Problems']) head.append(element('th', { scope: 'col', style: cell() }, label));
  table.append(head);
  data.states.forEach((state, index) => {
    const row = element('tr');
    row.append(element('th', { scope: 'row', style: cell() }, state.move === null ? 'start' : `${index}. ${state.move.vm} → ${state.move.to}`));
    for (const h of state.hosts) row.append(element('td', { style: cell() }, h.vms.join(', ') || '—'));
    const problems = [...state.antiAffinity.map((p) => `✖ replicas together: ${p}`), ...state.capacity.map((p) => `⚠ over capacity: ${p}`)];
    row.append(element('td', { style: cell() + (problems.length > 0 ? ' color: var(--bad); font-weight: 600;' : '') }, problems.join('; ') || '✔ none'));
    table.append(row);
  });
  root.append(table);
  return root;
}

/** The fastest round while the VM ran, from the simulator's record (1000 bytes per ms = 1 MB/s). */
function peakRate(bytesPerMs: number | undefined): string {
  return bytesPerMs === undefined || bytesPerMs === 0 ? '' : `, fastest rate while running ${(bytesPerMs / 1000).toFixed(1)} MB/s`;
}

function cell(): string {
  return 'border: 1px solid var(--border); padding: 0.2rem 0.4rem; text-align: left;';
}

function fixed(value: number | null): string {
  return value === null ? '—' : value.toFixed(1);
}

function rect(x: number, y: number, width: number, height: number, fill: string, stroke: string): SVGRectElement {
  return svgElement('rect', { x: String(x), y: String(y), width: String(width), height: String(Math.max(0, height)), fill, stroke });
}

function line(x1: number, y1: number, x2: number, y2: number): SVGLineElement {
  return svgElement('line', { x1: String(x1), y1: String(y1), x2: String(x2), y2: String(y2), stroke: 'var(--warn)', 'stroke-dasharray': '4 3' });
}

function text(x: number, y: number, content: string, anchor: 'start' | 'middle'): SVGTextElement {
  return svgElement('text', { x: String(x), y: String(y), 'font-size': '12', fill: 'var(--fg)', 'text-anchor': anchor }, content);
}

function isMigration(data: unknown): data is MigrationData {
  const d = data as MigrationData;
  return typeof d === 'object' && d !== null && Array.isArray(d.rounds) && typeof d.pageCount === 'number' && typeof d.record === 'object' && d.record !== null;
}

function isEvacuation(data: unknown): data is EvacuationData {
  const d = data as EvacuationData;
  return typeof d === 'object' && d !== null && typeof d.drain === 'string' && Array.isArray(d.states) && d.states.length > 0;
}
