/**
 * The Consolidate lab's picture: the servers before (each on its own hardware) and the hosts
 * after (as the simulator loaded them), as bars of peak and mean CPU and memory against the
 * headroom line, with the servers on each host listed and replicas of one service marked.
 *
 * The data comes from the public tests (`attach('consolidation' | 'replicas', …)` in
 * labs/consolidate/tests/public.ts); every figure in it was measured by the simulator's Cluster.
 * Every bar has its numbers in text too, and over-limit bars and shared replicas carry a symbol
 * and words, not only a colour.
 */

import { element } from '../dom.ts';
import type { Attachment } from '../visualizations.ts';

interface ServerData {
  id: string;
  service: string;
  cpuCores: number;
  memoryGiB: number;
  meanCpu: number;
  peakCpu: number;
  meanMemory: number;
  peakMemory: number;
}

interface HostData {
  id: string;
  servers: { id: string; service: string }[];
  meanCpu: number;
  peakCpu: number;
  meanMemory: number;
  peakMemory: number;
}

interface Picture {
  host: { cpuCores: number; memoryGiB: number; headroom: number };
  servers: ServerData[];
  hosts: HostData[];
  capacityViolations: { hostId: string; resource: 'cpu' | 'memory' }[];
  antiAffinityViolations: { hostId: string; service: string }[];
  problems: string[];
  powerBeforeWatts: number;
  powerAfterWatts: number;
}

/** Shares of capacity drawn as one pair of bars. */
interface Usage {
  cpuMean: number;
  cpuPeak: number;
  memoryMean: number;
  memoryPeak: number;
}

const SVG = 'http://www.w3.org/2000/svg';
/** Bar heights at 100%: hosts get taller bars than the many small servers before. */
const HOST_BAR_HEIGHT = 90;
const SERVER_BAR_HEIGHT = 50;

export function visualize(target: HTMLElement, attachments: readonly Attachment[]): void {
  const pictures = attachments
    .filter((a) => a.name === 'consolidation' || a.name === 'replicas')
    .map((a) => ({ test: a.test, picture: asPicture(a.data) }))
    .filter((p): p is { test: string; picture: Picture } => p.picture !== null);
  if (pictures.length === 0) return;
  target.append(legend());
  for (const { test, picture } of pictures) target.append(figure(test, picture));
}

function figure(testName: string, picture: Picture): HTMLElement {
  const { host } = picture;
  const limit = 1 - host.headroom;
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const meanCores = sum(picture.servers.map((s) => s.meanCpu));
  const meanMemory = sum(picture.servers.map((s) => s.meanMemory));
  const hostsOn = picture.hosts.length;

  const root = element('figure', { style: 'margin: 1rem 0; padding: 0.75rem; border: 1px solid var(--border); border-radius: 6px; background: var(--bg); color: var(--fg);' });
  root.append(element('figcaption', { style: 'font-weight: 600; margin-bottom: 0.5rem;' }, `${testName}`));

  const summary = element('p', { style: 'margin: 0 0 0.5rem;' });
  summary.textContent = [
    `Before: ${picture.servers.length} servers, CPU ${percent(meanCores / sum(picture.servers.map((s) => s.cpuCores)))}`
      + ` and memory ${percent(meanMemory / sum(picture.servers.map((s) => s.memoryGiB)))} used on average, ${watts(picture.powerBeforeWatts)}.`,
    hostsOn === 0
      ? 'After: no host carries a server.'
      : `After: ${hostsOn} host${hostsOn === 1 ? '' : 's'} of ${host.cpuCores} cores and ${host.memoryGiB} GiB, CPU ${percent(meanCores / (hostsOn * host.cpuCores))}`
        + ` and memory ${percent(meanMemory / (hostsOn * host.memoryGiB))} used on average, ${watts(picture.powerAfterWatts)}.`,
    `Headroom ${percent(host.headroom)}: no host may go above ${percent(limit)} of its cores or memory at any hour.`,
  ].join(' ');
  root.append(summary);

  const problems = [
    ...picture.problems,
    ...picture.capacityViolations.map((v) => `${v.hostId} goes above ${percent(limit)} of its ${v.resource === 'cpu' ? 'cores' : 'memory'} at some hour.`),
    ...picture.antiAffinityViolations.map((v) => `${v.hostId} runs two or more replicas of ${v.service}: one failure takes them all down.`),
  ];
  if (problems.length > 0) {
    const box = element('div', { role: 'note', style: 'border-left: 4px solid var(--bad); padding: 0.25rem 0.5rem; margin: 0.5rem 0;' });
    box.append(element('p', { style: 'margin: 0; font-weight: 600;' }, `⚠ What the simulator found wrong (${problems.length})`));
    const list = element('ul', { style: 'margin: 0.25rem 0 0; padding-left: 1.25rem;' });
    for (const problem of problems.slice(0, 12)) list.append(element('li', {}, problem));
    if (problems.length > 12) list.append(element('li', {}, `… and ${problems.length - 12} more`));
    box.append(list);
    root.append(box);
  }

  // Services with more than one server are replicated: their servers get a mark.
  const replicas = new Map<string, number>();
  for (const s of picture.servers) replicas.set(s.service, (replicas.get(s.service) ?? 0) + 1);

  root.append(element('h4', { style: 'margin: 0.75rem 0 0.25rem;' }, `Before: each server on its own hardware (${picture.servers.length})`));
  const before = element('ul', { style: listStyle(), 'aria-label': 'Servers before consolidation' });
  for (const s of picture.servers) {
    const card = element('li', { style: cardStyle('7rem') });
    card.append(element('div', { style: 'font-weight: 600; overflow-wrap: anywhere;' }, s.id));
    const usage = { cpuMean: s.meanCpu / s.cpuCores, cpuPeak: s.peakCpu / s.cpuCores, memoryMean: s.meanMemory / s.memoryGiB, memoryPeak: s.peakMemory / s.memoryGiB };
    card.append(bars(usage, null, `${s.id}, ${s.cpuCores} cores and ${s.memoryGiB} GiB`, SERVER_BAR_HEIGHT));
    card.append(element('div', {}, `${s.cpuCores} cores, ${s.memoryGiB} GiB`));
    if ((replicas.get(s.service) ?? 0) > 1) card.append(replicaMark(s.service, replicas.get(s.service) ?? 0));
    before.append(card);
  }
  root.append(before);

  root.append(element('h4', { style: 'margin: 0.75rem 0 0.25rem;' }, `After: hosts switched on (${hostsOn})`));
  const after = element('ul', { style: listStyle(), 'aria-label': 'Hosts after consolidation' });
  const shared = new Set(picture.antiAffinityViolations.map((v) => `${v.hostId}\u0000${v.service}`));
  for (const h of picture.hosts) {
    const card = element('li', { style: cardStyle('12rem') });
    card.append(element('div', { style: 'font-weight: 600;' }, `${h.id} · ${h.servers.length} server${h.servers.length === 1 ? '' : 's'}`));
    const usage = { cpuMean: h.meanCpu / host.cpuCores, cpuPeak: h.peakCpu / host.cpuCores, memoryMean: h.meanMemory / host.memoryGiB, memoryPeak: h.peakMemory / host.memoryGiB };
    card.append(bars(usage, limit, h.id, HOST_BAR_HEIGHT));
    const names = element('ul', { style: 'margin: 0.25rem 0 0; padding-left: 1rem; font-size: 0.85em;' });
    for (const s of h.servers) {
      const item = element('li', {}, s.id);
      if ((replicas.get(s.service) ?? 0) > 1) {
        item.append(' ', replicaMark(s.service, replicas.get(s.service) ?? 0, shared.has(`${h.id}\u0000${s.service}`)));
      }
      names.append(item);
    }
    card.append(names);
    after.append(card);
  }
  root.append(after);
  return root;
}

/** Two bars (CPU, memory): the outline reaches the peak, the filled part the mean; a dashed line marks the limit. */
function bars(usage: Usage, limit: number | null, subject: string, barHeight: number): SVGSVGElement {
  // Drawn at its natural size (never scaled down), so its 12 px labels stay 12 px on a phone.
  const width = 96;
  const top = 16;
  const height = top + barHeight + 17;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('role', 'img');
  svg.setAttribute('style', 'max-width: none; flex: none;');
  const over = (peak: number) => limit !== null && peak > limit + 1e-9;
  const label = `${subject}: CPU mean ${percent(usage.cpuMean)}, peak ${percent(usage.cpuPeak)}${over(usage.cpuPeak) ? ' (over the limit)' : ''};`
    + ` memory mean ${percent(usage.memoryMean)}, peak ${percent(usage.memoryPeak)}${over(usage.memoryPeak) ? ' (over the limit)' : ''}`
    + (limit === null ? '' : `; limit ${percent(limit)}`);
  svg.setAttribute('aria-label', label);
  const title = document.createElementNS(SVG, 'title');
  title.textContent = label;
  svg.append(title);
  const y = (share: number) => top + barHeight * (1 - Math.min(1, Math.max(0, share)));
  // The frame of 100% capacity.
  svg.append(rect(4, top, width - 8, barHeight, 'none', 'var(--border)'));
  [['CPU', usage.cpuMean, usage.cpuPeak, 8], ['Mem', usage.memoryMean, usage.memoryPeak, 56]].forEach(([name, mean, peak, x]) => {
    const m = mean as number;
    const p = peak as number;
    const left = x as number;
    const bad = over(p);
    svg.append(rect(left, y(p), 28, top + barHeight - y(p), 'var(--bg-alt)', bad ? 'var(--bad)' : 'var(--fg)', bad ? 2 : 1));
    svg.append(rect(left + 4, y(m), 20, top + barHeight - y(m), 'var(--accent)', 'none'));
    svg.append(text(left + 14, Math.max(12, y(p) - 3), `${bad ? '⚠' : ''}${Math.round(p * 100)}%`, bad ? 'var(--bad)' : 'var(--fg)'));
    svg.append(text(left + 14, height - 3, name as string, 'var(--fg)'));
  });
  if (limit !== null) {
    const line = document.createElementNS(SVG, 'line');
    line.setAttribute('x1', '2');
    line.setAttribute('x2', String(width - 2));
    line.setAttribute('y1', String(y(limit)));
    line.setAttribute('y2', String(y(limit)));
    line.setAttribute('stroke', 'var(--warn)');
    line.setAttribute('stroke-width', '1.5');
    line.setAttribute('stroke-dasharray', '4 3');
    svg.append(line);
  }
  return svg;
}

function legend(): HTMLElement {
  const p = element('p', { style: 'margin: 0 0 0.5rem; font-size: 0.9em;' });
  p.textContent = 'What the simulator measured in the public tests. Each pair of bars is CPU and memory as a share of the machine: the outlined bar reaches '
    + 'the peak hour (its percentage is written above it), the filled part the mean over the trace, and on hosts the dashed line is the limit the headroom leaves. '
    + '⚠ marks a peak over the limit; "◆ web ×3" marks a server of service web, which has three replicas; "✖ shares host" marks a replica on the same host as another replica of its service.';
  return p;
}

function replicaMark(service: string, count: number, sharesHost = false): HTMLElement {
  const mark = element('span', { style: `${sharesHost ? 'color: var(--bad); font-weight: 600;' : 'color: var(--fg);'}` });
  mark.textContent = `◆ ${service} ×${count}${sharesHost ? ' ✖ shares host' : ''}`;
  return mark;
}

function rect(x: number, y: number, width: number, height: number, fill: string, stroke: string, strokeWidth = 1): SVGRectElement {
  const r = document.createElementNS(SVG, 'rect');
  r.setAttribute('x', String(x));
  r.setAttribute('y', String(y));
  r.setAttribute('width', String(Math.max(0, width)));
  r.setAttribute('height', String(Math.max(0, height)));
  r.setAttribute('fill', fill);
  r.setAttribute('stroke', stroke);
  r.setAttribute('stroke-width', String(strokeWidth));
  return r;
}

function text(x: number, y: number, content: string, fill: string): SVGTextElement {
  const t = document.createElementNS(SVG, 'text');
  t.setAttribute('x', String(x));
  t.setAttribute('y', String(y));
  t.setAttribute('text-anchor', 'middle');
  t.setAttribute('font-size', '12');
  t.setAttribute('fill', fill);
  t.textContent = content;
  return t;
}

function listStyle(): string {
  return 'list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem;';
}

function cardStyle(width: string): string {
  return `width: ${width}; padding: 0.35rem; border: 1px solid var(--border); border-radius: 4px; background: var(--bg-alt); font-size: 0.85em;`;
}

function percent(share: number): string {
  return Number.isFinite(share) ? `${Math.round(share * 1000) / 10}%` : '—';
}

function watts(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value)} W` : '— W';
}

/** The attachment as a picture, or null when it is not one (a changed test, a foreign lab). */
function asPicture(data: unknown): Picture | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Partial<Picture>;
  const ok = typeof d.host === 'object' && d.host !== null && Array.isArray(d.servers) && Array.isArray(d.hosts)
    && Array.isArray(d.capacityViolations) && Array.isArray(d.antiAffinityViolations) && Array.isArray(d.problems);
  return ok ? (d as Picture) : null;
}
