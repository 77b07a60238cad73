/**
 * Lesson 2's consolidation explorable in the page: the fleet and what the lesson's arithmetic
 * from averages says, then each host the plain first-fit switched on with its week of CPU and
 * memory against the headroom line, the server that forced it open and how close that server
 * came to fitting elsewhere, and machines, utilization and power before and after. A whole run
 * (23–29 servers, a week of hourly samples) takes a few milliseconds in Node, but in headless
 * Chromium on the two-core build machine under load warmed-up runs took 9–55 ms and the first
 * one up to half a second: more than a frame. So the placement runs in the explorable's Web
 * Worker (worker.ts) and the page draws the state it sends back (session.ts's ConsolidationState).
 */
import { el, factList, textTable } from '../dom.ts';
import type { ExplorableModule, ExplorableRun, ExplorableSettings, ExplorableView } from '../types.ts';
import { answerDrawer, ExplorableWorker } from '../worker/client.ts';
import { loadChart } from './chart.ts';
import { DEFAULTS, HEADROOM_PERCENT, HOST_MODEL_IDS, type HostModelId } from './options.ts';
import type { ConsolidationSettings, ConsolidationState, HostWeek, Miss, PlacementStep, Resource } from './session.ts';

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

export function openedBecause(state: ConsolidationState, step: PlacementStep): string {
  if (step.overHeadroom) return `${step.serverId}, which goes above the line even alone: it has this host to itself`;
  if (!step.nearestMiss) return `${step.serverId}, the first server`;
  return `${step.serverId}, which fitted on no open host; closest was ${describeMiss(step.nearestMiss)} (line at ${percent(1 - state.settings.headroom)})`;
}

/** One host's week as shares of the host, with its busiest samples. */
function shares(state: ConsolidationState, host: HostWeek) {
  const cpu = host.load.cpuCores.map((cores) => cores / state.hostCpuCores);
  const memory = host.load.memoryGiB.map((gib) => gib / state.hostMemoryGiB);
  return { cpu, memory, cpuPeak: peakSample(cpu), memoryPeak: peakSample(memory) };
}

function drawHost(state: ConsolidationState, host: HostWeek): HTMLLIElement {
  const { cpu, memory, cpuPeak, memoryPeak } = shares(state, host);
  const servers = host.load.vms;
  // Mark the busiest sample of the resource that came nearer the line.
  const mark = cpu[cpuPeak]! >= memory[memoryPeak]! ? cpuPeak : memoryPeak;
  return el(
    'li',
    { class: `cn-host${host.opener.overHeadroom ? ' cn-over' : ''}` },
    el('p', { class: 'cn-title' }, `${hostName(host.hostId)}: ${servers.length} server${servers.length === 1 ? '' : 's'}, ${watts(host.meanWatts)}`),
    loadChart({ cpu, memory, limit: 1 - state.settings.headroom, mark }),
    el(
      'p',
      { class: 'cn-text' },
      `Busiest: CPU ${percent(cpu[cpuPeak]!)} at ${hourOf(cpuPeak)}, memory ${percent(memory[memoryPeak]!)} at ${hourOf(memoryPeak)}. `,
      `Opened for ${openedBecause(state, host.opener)}.`,
    ),
    el('p', { class: 'cn-text cn-servers' }, servers.join(', ')),
  );
}

function drawPicture(state: ConsolidationState): HTMLElement {
  const { settings, bound, before, after, hosts } = state;
  const saved = after ? before.watts - after.watts : 0;
  const facts = factList([
    { term: 'Fleet', value: `${state.serverCount} servers, seed ${settings.seed}` },
    { term: 'Each host', value: `${state.hostCpuCores} cores, ${state.hostMemoryGiB} GiB, ${percent(settings.headroom)} kept free` },
    { term: 'Averages say at least', value: `${bound.hosts} host${bound.hosts === 1 ? '' : 's'} (CPU ${bound.cpu}, memory ${bound.memory})` },
    { term: 'Servers placed', value: `${state.steps.length} of ${state.serverCount}` },
    { term: 'Hosts switched on', value: String(hosts.length) },
    after ? { term: 'Machines', value: `${before.machines} → ${after.machines}` } : null,
    after ? { term: 'CPU utilization', value: `${percent(before.cpuUtilization)} → ${percent(after.cpuUtilization)}` } : null,
    after ? { term: 'Memory utilization', value: `${percent(before.memoryUtilization)} → ${percent(after.memoryUtilization)}` } : null,
    after ? { term: 'Mean power', value: `${watts(before.watts)} → ${watts(after.watts)}`, tone: saved > 0 ? 'good' : 'bad' } : null,
    after ? { term: saved >= 0 ? 'Power saved' : 'Power added', value: watts(Math.abs(saved)) } : null,
    after ? { term: 'Replicas sharing a host', value: String(state.replicasSharing) } : null,
  ]);
  const key = el(
    'p',
    { class: 'cn-key' },
    el('span', { class: 'cn-swatch cn-swatch-cpu' }), ' CPU ',
    el('span', { class: 'cn-swatch cn-swatch-memory' }), ' memory ',
    el('span', { class: 'cn-swatch cn-swatch-limit' }), ` line at ${percent(1 - settings.headroom)} (top: the whole host), over the week`,
  );
  const cards = el('ol', { class: 'cn-hosts', 'aria-label': 'Each host switched on, its week of load' }, ...hosts.map((host) => drawHost(state, host)));
  return el('div', { class: 'cn' }, facts, hosts.length ? key : null, cards);
}

/** A host's row of the table: the same facts as its card. */
export function hostRow(state: ConsolidationState, host: HostWeek): string[] {
  const { cpu, memory, cpuPeak, memoryPeak } = shares(state, host);
  return [
    hostName(host.hostId),
    host.load.vms.join(', '),
    `${percent(cpu[cpuPeak]!)} at ${hourOf(cpuPeak)}`,
    `${percent(memory[memoryPeak]!)} at ${hourOf(memoryPeak)}`,
    watts(host.meanWatts),
    openedBecause(state, host.opener),
  ];
}

function drawTable(state: ConsolidationState): HTMLTableElement {
  const { settings, hosts } = state;
  return textTable(
    `Hosts of ${state.hostCpuCores} cores and ${state.hostMemoryGiB} GiB, ${percent(settings.headroom)} headroom, seed ${settings.seed}`,
    ['Host', 'Servers', 'Busiest CPU', 'Busiest memory', 'Mean power', 'Opened for'],
    hosts.map((host) => hostRow(state, host)),
    'No hosts yet: no server has been placed.',
  );
}

export function describeStep(state: ConsolidationState, step: PlacementStep): string {
  return step.opened ? `${hostName(step.hostId)} switched on for ${openedBecause(state, step)}.` : `${step.serverId} placed on ${hostName(step.hostId)}.`;
}

/** After the last placement (state.after is there). */
export function summary(state: ConsolidationState): string {
  const { before, bound } = state;
  const after = state.after!;
  return (
    `Done: ${before.machines} servers on ${after.machines} hosts; the averages said at least ${bound.hosts}. ` +
    `CPU utilization ${percent(before.cpuUtilization)} → ${percent(after.cpuUtilization)}, memory ${percent(before.memoryUtilization)} → ${percent(after.memoryUtilization)}, ` +
    `mean power ${watts(before.watts)} → ${watts(after.watts)}.`
  );
}

const createWorker = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'consolidation' });

function start(settings: ExplorableSettings, view: ExplorableView): ExplorableRun {
  const chosen = settingsOf(settings);
  const worker = new ExplorableWorker<ConsolidationSettings, ConsolidationState>(createWorker, chosen);
  const draw = answerDrawer(view, drawPicture, drawTable);
  const ready = (state: ConsolidationState) =>
    `Ready: ${state.serverCount} servers (seed ${chosen.seed}) to place on hosts of ${state.hostCpuCores} cores and ${state.hostMemoryGiB} GiB with ${percent(chosen.headroom)} kept free; the averages say at least ${state.bound.hosts} hosts.`;
  const toldStep = (state: ConsolidationState) => {
    const told = describeStep(state, state.steps.at(-1)!);
    return state.finished ? `${told} ${summary(state)}` : told;
  };
  return {
    initial: worker.started.then((answer) => draw(answer, ready)),
    step: async () => draw(await worker.step(), toldStep),
    runToEnd: async () => draw(await worker.run(), summary),
    dispose: () => worker.dispose(),
  };
}

export { start };
// The registry's loader must get a module of the framework's shape.
({ start }) satisfies ExplorableModule;
