/**
 * Lesson 2's consolidation explorable in the page: the fleet and what the lesson's arithmetic
 * from averages says, then each host the plain first-fit switched on with its week of CPU and
 * memory against the headroom line, the server that forced it open and how close that server
 * came to fitting elsewhere, and machines, utilization and power before and after. A whole run
 * (23–29 servers, a week of hourly samples) took a few milliseconds in Node, under a frame, so
 * it runs on the page with no worker and no yielding.
 */
import { el, factList, textTable } from '../dom.ts';
import type { ExplorableModule, ExplorableRun, ExplorableSettings, ExplorableUpdate, ExplorableView } from '../types.ts';
import { loadChart } from './chart.ts';
import { DEFAULTS, HEADROOM_PERCENT, HOST_MODEL_IDS, type HostModelId } from './options.ts';
import { ConsolidationSession, type ConsolidationSettings, type Miss, type PlacementStep, type Resource } from './session.ts';

const number = (value: number) => Math.round(value).toLocaleString('en-US');
export const percent = (share: number) => `${Math.round(share * 100)} %`;
export const watts = (value: number) => `${number(value)} W`;
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
const closePercent = (share: number) => `${(Math.round(share * 1000) / 10).toFixed(1)} %`;

export function describeMiss(miss: Miss): string {
  return `${hostName(miss.hostId)}, whose ${RESOURCE[miss.resource]} would have reached ${closePercent(miss.utilization)} at ${hourOf(miss.sample)}`;
}

export function openedBecause(session: ConsolidationSession, step: PlacementStep): string {
  if (step.overHeadroom) return `${step.serverId}, which goes above the line even alone: it has this host to itself`;
  if (!step.nearestMiss) return `${step.serverId}, the first server`;
  return `${step.serverId}, which fitted on no open host; closest was ${describeMiss(step.nearestMiss)} (line at ${percent(1 - session.settings.headroom)})`;
}

/** One host's week: busiest samples of each resource, as shares of the host. */
function hostFacts(session: ConsolidationSession, hostId: string) {
  const load = session.hostLoad(hostId);
  const cpu = load.cpuCores.map((cores) => cores / session.hostCpuCores);
  const memory = load.memoryGiB.map((gib) => gib / session.hostMemoryGiB);
  const cpuPeak = peakSample(cpu);
  const memoryPeak = peakSample(memory);
  const opener = session.steps.find((step) => step.opened && step.hostId === hostId)!;
  return { load, cpu, memory, cpuPeak, memoryPeak, opener, watts: session.hostWatts(hostId) };
}

function drawHost(session: ConsolidationSession, hostId: string): HTMLLIElement {
  const facts = hostFacts(session, hostId);
  const limit = 1 - session.settings.headroom;
  // Mark the busiest sample of the resource that came nearer the line.
  const mark = facts.cpu[facts.cpuPeak]! >= facts.memory[facts.memoryPeak]! ? facts.cpuPeak : facts.memoryPeak;
  return el(
    'li',
    { class: `cn-host${facts.opener.overHeadroom ? ' cn-over' : ''}` },
    el('p', { class: 'cn-title' }, `${hostName(hostId)}: ${facts.load.vms.length} server${facts.load.vms.length === 1 ? '' : 's'}, ${watts(facts.watts)}`),
    loadChart({ cpu: facts.cpu, memory: facts.memory, limit, mark }),
    el(
      'p',
      { class: 'cn-text' },
      `Busiest: CPU ${percent(facts.cpu[facts.cpuPeak]!)} at ${hourOf(facts.cpuPeak)}, memory ${percent(facts.memory[facts.memoryPeak]!)} at ${hourOf(facts.memoryPeak)}. `,
      `Opened for ${openedBecause(session, facts.opener)}.`,
    ),
    el('p', { class: 'cn-text cn-servers' }, facts.load.vms.join(', ')),
  );
}

function drawPicture(session: ConsolidationSession): HTMLElement {
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
  const hosts = el('ol', { class: 'cn-hosts', 'aria-label': 'Each host switched on, its week of load' }, ...session.hostIds.map((hostId) => drawHost(session, hostId)));
  return el('div', { class: 'cn' }, state, session.hostIds.length ? key : null, hosts);
}

function drawTable(session: ConsolidationSession): HTMLTableElement {
  const { settings } = session;
  return textTable(
    `Hosts of ${session.hostCpuCores} cores and ${session.hostMemoryGiB} GiB, ${percent(settings.headroom)} headroom, seed ${settings.seed}`,
    ['Host', 'Servers', 'Busiest CPU', 'Busiest memory', 'Mean power', 'Opened for'],
    session.hostIds.map((hostId) => {
      const facts = hostFacts(session, hostId);
      return [
        hostName(hostId),
        facts.load.vms.join(', '),
        `${percent(facts.cpu[facts.cpuPeak]!)} at ${hourOf(facts.cpuPeak)}`,
        `${percent(facts.memory[facts.memoryPeak]!)} at ${hourOf(facts.memoryPeak)}`,
        watts(facts.watts),
        openedBecause(session, facts.opener),
      ];
    }),
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

function start(settings: ExplorableSettings, view: ExplorableView): ExplorableRun {
  const chosen = settingsOf(settings);
  const session = new ConsolidationSession(chosen);
  const draw = (announcement: string): ExplorableUpdate => {
    view.picture.replaceChildren(drawPicture(session));
    view.table.replaceChildren(drawTable(session));
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
    runToEnd: () => {
      session.runToEnd();
      return draw(summary(session));
    },
  };
}

export { start };
// The registry's loader must get a module of the framework's shape.
({ start }) satisfies ExplorableModule;
