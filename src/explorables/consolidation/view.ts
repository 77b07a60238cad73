/**
 * Lesson 2's consolidation explorable in the page: the fleet and what the lesson's arithmetic
 * from averages says, then each host the plain first-fit switched on with its week of CPU and
 * memory against the headroom line, the server that forced it open and how close that server
 * came to fitting elsewhere, and machines, utilization and power before and after. A whole run
 * (23–29 servers, a week of hourly samples) takes a few milliseconds in Node. In headless
 * Chromium on the two-core build machine, under a load average above 10, warmed-up runs took
 * 9–55 ms and the first one up to half a second: more than a frame. So Run to the end yields to
 * the browser between placements (frames.ts, as pre-copy does); the longest gap between frames
 * measured 19–40 ms warmed up, mostly the drawing at the end, which is one task. Runs this small
 * need no worker.
 */
import { el, factList, textTable } from '../dom.ts';
import { advanceInFrames } from '../frames.ts';
import type { ExplorableModule, ExplorableRun, ExplorableSettings, ExplorableUpdate, ExplorableView } from '../types.ts';
import { loadChart } from './chart.ts';
import { DEFAULTS, HEADROOM_PERCENT, HOST_MODEL_IDS, type HostModelId } from './options.ts';
import { ConsolidationSession, type ConsolidationSettings, type HostWeek, type Miss, type PlacementStep, type Resource } from './session.ts';

// One formatter: toLocaleString builds a new one on every call, which showed in profiles.
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const number = (value: number) => grouped.format(Math.round(value));
// A no-break space before % and W, so a figure never wraps away from its unit.
export const percent = (share: number) => `${Math.round(share * 100)}\u00a0%`;
export const watts = (value: number) => `${number(value)}\u00a0W`;
/** Sample t of the week, hourly from Monday 00:00 (day 1). */
export const hourOf = (sample: number) => `day ${Math.floor(sample / 24) + 1}, ${String(sample % 24).padStart(2, '0')}:00`;
const RESOURCE: Readonly<Record<Resource, string>> = { cpu: 'CPU', memory: 'memory' };
const hostName = (hostId: string) => hostId.replace('host-', 'Host ');

export function settingsOf(settings: ExplorableSettings): ConsolidationSettings {
  const headroom = Number(settings.choices['headroom']);
  const host = settings.choices['host'];
  return {
    seed: settings.seed,
    headroom: (HEADROOM_PERCENT as readonly number[]).includes(headroom) ? headroom / 100 : DEFAULTS.headroomPercent / 100,
    host: HOST_MODEL_IDS.includes(host as HostModelId) ? (host as HostModelId) : DEFAULTS.host,
  };
}

/** The sample at which a series is highest (the first, if several). */
function peakSample(series: readonly number[]): number {
  let best = 0;
  for (let t = 1; t < series.length; t++) if (series[t]! > series[best]!) best = t;
  return best;
}

/** A share to one decimal, so a miss just above the line does not read as on it. */
const closePercent = (share: number) => `${(Math.round(share * 1000) / 10).toFixed(1)}\u00a0%`;

export function describeMiss(miss: Miss): string {
  return `${hostName(miss.hostId)}, whose ${RESOURCE[miss.resource]} would have reached ${closePercent(miss.utilization)} at ${hourOf(miss.sample)}`;
}

export function openedBecause(session: ConsolidationSession, step: PlacementStep): string {
  if (step.overHeadroom) return `${step.serverId}, which goes above the line even alone: it has this host to itself`;
  if (!step.nearestMiss) return `${step.serverId}, the first server`;
  return `${step.serverId}, which fitted on no open host; closest was ${describeMiss(step.nearestMiss)} (line at ${percent(1 - session.settings.headroom)})`;
}

/** One host's week as shares of the host, with its busiest samples. */
function shares(session: ConsolidationSession, host: HostWeek) {
  const cpu = host.load.cpuCores.map((cores) => cores / session.hostCpuCores);
  const memory = host.load.memoryGiB.map((gib) => gib / session.hostMemoryGiB);
  return { cpu, memory, cpuPeak: peakSample(cpu), memoryPeak: peakSample(memory) };
}

function drawHost(session: ConsolidationSession, host: HostWeek): HTMLLIElement {
  const { cpu, memory, cpuPeak, memoryPeak } = shares(session, host);
  const servers = host.load.vms;
  // Mark the busiest sample of the resource that came nearer the line.
  const mark = cpu[cpuPeak]! >= memory[memoryPeak]! ? cpuPeak : memoryPeak;
  return el(
    'li',
    { class: `cn-host${host.opener.overHeadroom ? ' cn-over' : ''}` },
    el('p', { class: 'cn-title' }, `${hostName(host.hostId)}: ${servers.length} server${servers.length === 1 ? '' : 's'}, ${watts(host.meanWatts)}`),
    loadChart({ cpu, memory, limit: 1 - session.settings.headroom, mark }),
    el(
      'p',
      { class: 'cn-text' },
      `Busiest: CPU ${percent(cpu[cpuPeak]!)} at ${hourOf(cpuPeak)}, memory ${percent(memory[memoryPeak]!)} at ${hourOf(memoryPeak)}. `,
      `Opened for ${openedBecause(session, host.opener)}.`,
    ),
    el('p', { class: 'cn-text cn-servers' }, servers.join(', ')),
  );
}

function drawPicture(session: ConsolidationSession, hosts: readonly HostWeek[]): HTMLElement {
  const { settings, servers } = session;
  const bound = session.averagesBound();
  const before = session.before();
  const after = session.finished ? session.after() : null;
  const saved = after ? before.watts - after.watts : 0;
  const state = factList([
    { term: 'Fleet', value: `${servers.length} servers, seed ${settings.seed}` },
    { term: 'Each host', value: `${session.hostCpuCores} cores, ${session.hostMemoryGiB} GiB, ${percent(settings.headroom)} kept free` },
    { term: 'Averages say at least', value: `${bound.hosts} host${bound.hosts === 1 ? '' : 's'} (CPU ${bound.cpu}, memory ${bound.memory})` },
    { term: 'Servers placed', value: `${session.steps.length} of ${servers.length}` },
    { term: 'Hosts switched on', value: String(session.hostIds.length) },
    after ? { term: 'Machines', value: `${before.machines} → ${after.machines}` } : null,
    after ? { term: 'CPU utilization', value: `${percent(before.cpuUtilization)} → ${percent(after.cpuUtilization)}` } : null,
    after ? { term: 'Memory utilization', value: `${percent(before.memoryUtilization)} → ${percent(after.memoryUtilization)}` } : null,
    after ? { term: 'Mean power', value: `${watts(before.watts)} → ${watts(after.watts)}`, tone: saved > 0 ? 'good' : 'bad' } : null,
    after ? { term: saved >= 0 ? 'Power saved' : 'Power added', value: watts(Math.abs(saved)) } : null,
    after ? { term: 'Replicas sharing a host', value: String(session.replicasSharing()) } : null,
  ]);
  const key = el(
    'p',
    { class: 'cn-key' },
    el('span', { class: 'cn-swatch cn-swatch-cpu' }), ' CPU ',
    el('span', { class: 'cn-swatch cn-swatch-memory' }), ' memory ',
    el('span', { class: 'cn-swatch cn-swatch-limit' }), ` line at ${percent(1 - settings.headroom)} (top: the whole host), over the week`,
  );
  const cards = el('ol', { class: 'cn-hosts', 'aria-label': 'Each host switched on, its week of load' }, ...hosts.map((host) => drawHost(session, host)));
  return el('div', { class: 'cn' }, state, hosts.length ? key : null, cards);
}

/** A host's row of the table: the same facts as its card. */
export function hostRow(session: ConsolidationSession, host: HostWeek): string[] {
  const { cpu, memory, cpuPeak, memoryPeak } = shares(session, host);
  return [
    hostName(host.hostId),
    host.load.vms.join(', '),
    `${percent(cpu[cpuPeak]!)} at ${hourOf(cpuPeak)}`,
    `${percent(memory[memoryPeak]!)} at ${hourOf(memoryPeak)}`,
    watts(host.meanWatts),
    openedBecause(session, host.opener),
  ];
}

function drawTable(session: ConsolidationSession, hosts: readonly HostWeek[]): HTMLTableElement {
  const { settings } = session;
  return textTable(
    `Hosts of ${session.hostCpuCores} cores and ${session.hostMemoryGiB} GiB, ${percent(settings.headroom)} headroom, seed ${settings.seed}`,
    ['Host', 'Servers', 'Busiest CPU', 'Busiest memory', 'Mean power', 'Opened for'],
    hosts.map((host) => hostRow(session, host)),
    'No hosts yet: no server has been placed.',
  );
}

export function describeStep(session: ConsolidationSession, step: PlacementStep): string {
  return step.opened ? `${hostName(step.hostId)} switched on for ${openedBecause(session, step)}.` : `${step.serverId} placed on ${hostName(step.hostId)}.`;
}

export function summary(session: ConsolidationSession): string {
  const before = session.before();
  const after = session.after();
  const bound = session.averagesBound();
  return (
    `Done: ${before.machines} servers on ${after.machines} hosts; the averages said at least ${bound.hosts}. ` +
    `CPU utilization ${percent(before.cpuUtilization)} → ${percent(after.cpuUtilization)}, memory ${percent(before.memoryUtilization)} → ${percent(after.memoryUtilization)}, ` +
    `mean power ${watts(before.watts)} → ${watts(after.watts)}.`
  );
}

/** The run each picture shows now, so that a run replaced while it yielded stops. */
const latest = new WeakMap<HTMLElement, ConsolidationSession>();

function start(settings: ExplorableSettings, view: ExplorableView): ExplorableRun {
  const chosen = settingsOf(settings);
  const session = new ConsolidationSession(chosen);
  latest.set(view.picture, session);
  const draw = (announcement: string): ExplorableUpdate => {
    const hosts = session.hosts();
    view.picture.replaceChildren(drawPicture(session, hosts));
    view.table.replaceChildren(drawTable(session, hosts));
    return { finished: session.finished, announcement };
  };
  const bound = session.averagesBound();
  return {
    initial: draw(
      `Ready: ${session.servers.length} servers (seed ${chosen.seed}) to place on hosts of ${session.hostCpuCores} cores and ${session.hostMemoryGiB} GiB with ${percent(chosen.headroom)} kept free; the averages say at least ${bound.hosts} hosts.`,
    ),
    step: () => {
      const step = session.step()!;
      const told = describeStep(session, step);
      return draw(session.finished ? `${told} ${summary(session)}` : told);
    },
    runToEnd: async () => {
      latest.set(view.picture, session);
      const advance = () => session.step() !== null && !session.finished;
      if (!(await advanceInFrames(advance, () => latest.get(view.picture) === session))) return { finished: false, announcement: '' }; // replaced: the framework drops this
      return draw(summary(session));
    },
  };
}

export { start };
// The registry's loader must get a module of the framework's shape.
({ start }) satisfies ExplorableModule;
