/**
 * The Scheduling lab's picture: for each public test of Part 1, every vCPU's CPU share per
 * window against its entitlement (a bar for what it got, a mark at what it was entitled to, and
 * ✓ or ✗ with words for within or outside the tolerance); for Part 2, every VM's allocation,
 * working set and balloon per balance period against its reservation. Every bar has its numbers
 * in the same table cell, so the table is the text alternative.
 *
 * The data comes from the public tests (`attach('scheduling', …)` in
 * labs/scheduling/tests/cpu-checks.ts and memory-checks.ts); every figure in it was measured by
 * the simulator's VcpuSchedulingHost and BalloonMemoryHost, and each entitlement computed by the
 * tests from the configuration.
 */

import { element, headRow, isRecord } from '../dom.ts';
import type { Attachment } from '../visualizations.ts';

/** Must match SHARE_TOLERANCE_POINTS in labs/scheduling/tests/cpu-checks.ts (the picture cannot import lab files). */
const TOLERANCE_POINTS = 3;
/** Periods of a memory run shown in the table: the start, convergence, and the end. */
const SHOWN_PERIODS = [0, 4, 9, 14, 19, 29, 44];

interface CpuPicture {
  kind: 'cpu';
  title: string;
  windowMs: number;
  pcpus: number;
  vcpus: { id: string; weight: number; capPercent: number; reservationPercent: number; windows: { percent: number | null; entitledPercent: number | null }[] }[];
}

interface MemoryPicture {
  kind: 'memory';
  title: string;
  periodMs: number;
  physicalMiB: number;
  vms: { id: string; configuredMiB: number; reservationMiB: number; shares: number; periods: { balloonMiB: number; allocatedMiB: number; workingSetMiB: number }[] }[];
}

export function visualize(target: HTMLElement, attachments: readonly Attachment[]): void {
  for (const attachment of attachments.filter((a) => a.name === 'scheduling')) {
    const data = attachment.data;
    if (!isRecord(data) || !Array.isArray(data['vcpus'] ?? data['vms'])) continue;
    if (data['kind'] === 'cpu') target.append(cpuFigure(attachment.test, data as unknown as CpuPicture));
    else if (data['kind'] === 'memory') target.append(memoryFigure(attachment.test, data as unknown as MemoryPicture));
  }
}

function frame(testName: string, title: string): { root: HTMLElement; scroller: HTMLElement } {
  const root = element('figure', { style: 'margin: 1rem 0; padding: 0.75rem; border: 1px solid var(--border); border-radius: 6px; background: var(--bg); color: var(--fg);' });
  root.append(element('figcaption', { style: 'font-weight: 600; margin-bottom: 0.5rem;' }, `${testName}: ${title}`));
  const scroller = element('div', { style: 'overflow-x: auto;', tabindex: '0', role: 'region', 'aria-label': `${title}: table` });
  root.append(scroller);
  return { root, scroller };
}

/** A bar of `fraction` of the cell's width with an optional mark at `markFraction`; decorative (the numbers are in the cell). */
function bar(fraction: number, markFraction?: number): HTMLElement {
  const track = element('div', { 'aria-hidden': 'true', style: 'position: relative; height: 0.5rem; min-width: 5rem; background: var(--border); border-radius: 2px; margin-top: 0.2rem;' });
  track.append(element('div', { style: `height: 100%; width: ${Math.max(0, Math.min(1, fraction)) * 100}%; background: var(--accent); border-radius: 2px;` }));
  if (markFraction !== undefined) {
    track.append(element('div', { style: `position: absolute; top: -0.15rem; bottom: -0.15rem; left: calc(${Math.max(0, Math.min(1, markFraction)) * 100}% - 1px); width: 2px; background: var(--fg);` }));
  }
  return track;
}

function cpuFigure(testName: string, picture: CpuPicture): HTMLElement {
  const { root, scroller } = frame(testName, picture.title);
  const windows = Math.max(0, ...picture.vcpus.map((v) => v.windows.length));
  const table = element('table', { style: 'border-collapse: collapse; font-size: 0.875rem;' });
  table.append(element('caption', { style: 'text-align: left; margin-bottom: 0.25rem;' }, `CPU per ${picture.windowMs} ms window, percent of one physical CPU (${picture.pcpus} on the host): got / entitled; the bar is what it got, the line its entitlement (tolerance ±${TOLERANCE_POINTS} points)`));
  table.append(headRow(['vCPU', ...Array.from({ length: windows }, (_, w) => `window ${w + 1}`)]));
  const body = element('tbody');
  for (const v of picture.vcpus) {
    const row = element('tr');
    const config = [`weight ${v.weight}`, v.capPercent ? `cap ${v.capPercent}%` : '', v.reservationPercent ? `reservation ${v.reservationPercent}%` : ''].filter(Boolean).join(', ');
    row.append(element('th', { scope: 'row', style: 'text-align: left; padding: 0.25rem 0.5rem;' }, `${v.id} (${config})`));
    for (const w of v.windows) {
      const cell = element('td', { style: 'padding: 0.25rem 0.5rem; vertical-align: top;' });
      if (w.percent === null || w.entitledPercent === null) {
        cell.textContent = 'not on the host yet';
      } else {
        const ok = Math.abs(w.percent - w.entitledPercent) <= TOLERANCE_POINTS;
        cell.append(element('span', {}, `${ok ? '✓' : '✗'} ${w.percent}% / ${w.entitledPercent}%${ok ? '' : ' (outside the tolerance)'}`));
        cell.append(bar(w.percent / 100, w.entitledPercent / 100));
      }
      row.append(cell);
    }
    body.append(row);
  }
  table.append(body);
  scroller.append(table);
  return root;
}

function memoryFigure(testName: string, picture: MemoryPicture): HTMLElement {
  const { root, scroller } = frame(testName, picture.title);
  const periods = Math.max(0, ...picture.vms.map((vm) => vm.periods.length));
  const shown = SHOWN_PERIODS.filter((p) => p < periods);
  if (periods > 0 && !shown.includes(periods - 1)) shown.push(periods - 1);
  const table = element('table', { style: 'border-collapse: collapse; font-size: 0.875rem;' });
  table.append(element('caption', { style: 'text-align: left; margin-bottom: 0.25rem;' }, `Memory per VM at the end of balance periods (${picture.periodMs} ms each; host ${picture.physicalMiB} MiB): allocated, working set and balloon in MiB; the bar is the allocation out of configured memory, the line the working set; ▲ below its working set`));
  table.append(headRow(['VM', ...shown.map((p) => `after ${((p + 1) * picture.periodMs) / 1000} s`)]));
  const body = element('tbody');
  for (const vm of picture.vms) {
    const row = element('tr');
    row.append(element('th', { scope: 'row', style: 'text-align: left; padding: 0.25rem 0.5rem;' }, `${vm.id} (configured ${vm.configuredMiB}, reservation ${vm.reservationMiB}, shares ${vm.shares})`));
    for (const p of shown) {
      const s = vm.periods[p];
      const cell = element('td', { style: 'padding: 0.25rem 0.5rem; vertical-align: top;' });
      if (s !== undefined) {
        const short = s.allocatedMiB < s.workingSetMiB;
        cell.append(element('span', {}, `${short ? '▲ ' : ''}${s.allocatedMiB} allocated, ${s.workingSetMiB} working set, ${s.balloonMiB} balloon${short ? ' (below its working set)' : ''}`));
        cell.append(bar(s.allocatedMiB / vm.configuredMiB, s.workingSetMiB / vm.configuredMiB));
      }
      row.append(cell);
    }
    body.append(row);
  }
  table.append(body);
  scroller.append(table);
  return root;
}
