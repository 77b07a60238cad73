/**
 * Fleets of under-used physical servers with seeded utilization traces, the input of the
 * consolidation lab. A trace has one sample per period (hourly by default): CPU in cores used
 * and memory in GiB used, with a daily cycle, noise and occasional spikes, so that peaks of
 * different servers do not all coincide.
 */
import { requireArgument } from '../common/errors.ts';
import { SeededRandom } from '../common/rng.ts';
import { DEFAULT_LEGACY_SERVER_POWER, powerDraw, type HostPowerModel } from './power.ts';

/** A physical server to consolidate: its hardware and what it actually used. */
export interface PhysicalServerSpec {
  readonly id: string;
  /** The service it runs; servers of one service are replicas of each other. */
  readonly service: string;
  /** Cores of its own hardware. */
  readonly cpuCores: number;
  /** Memory of its own hardware, GiB. */
  readonly memoryGiB: number;
  /** Its own power model (what it draws today). */
  readonly power: HostPowerModel;
  /** Cores in use at each sample. */
  readonly cpuTrace: readonly number[];
  /** GiB in use at each sample. */
  readonly memoryTrace: readonly number[];
}

/** Parameters of {@link generateServerFleet}. */
export interface ServerFleetOptions {
  readonly seed: number;
  /** Number of services; each gets 1–`maxReplicas` servers. */
  readonly services: number;
  /** Default 3. */
  readonly maxReplicas?: number;
  /** Samples per trace; default 168 (hourly for a week). */
  readonly samples?: number;
  /** Samples per day, for the daily cycle; default 24. */
  readonly samplesPerDay?: number;
  /** Range of mean CPU utilization of a server's own cores; default [0.05, 0.2] (the lecture's under-used servers). */
  readonly meanCpuUtilization?: readonly [number, number];
}

const CORE_CHOICES = [2, 4, 8] as const;
const MEMORY_CHOICES = [4, 8, 16, 32] as const;

/** A seeded fleet: same options, same fleet, everywhere. Returned objects are frozen. */
export function generateServerFleet(options: ServerFleetOptions): readonly PhysicalServerSpec[] {
  requireArgument(Number.isSafeInteger(options.seed), 'seed must be an integer');
  requireArgument(Number.isSafeInteger(options.services) && options.services > 0, 'services must be a positive integer');
  const maxReplicas = options.maxReplicas ?? 3;
  const samples = options.samples ?? 168;
  const perDay = options.samplesPerDay ?? 24;
  const [lowCpu, highCpu] = options.meanCpuUtilization ?? [0.05, 0.2];
  requireArgument(Number.isSafeInteger(maxReplicas) && maxReplicas > 0, 'maxReplicas must be a positive integer');
  requireArgument(Number.isSafeInteger(samples) && samples > 0, 'samples must be a positive integer');
  requireArgument(Number.isSafeInteger(perDay) && perDay > 0, 'samplesPerDay must be a positive integer');
  requireArgument(lowCpu >= 0 && highCpu <= 1 && lowCpu <= highCpu, 'meanCpuUtilization must be a range within [0, 1]');
  const random = new SeededRandom(options.seed);
  const servers: PhysicalServerSpec[] = [];
  for (let s = 0; s < options.services; s++) {
    const service = `svc-${String(s).padStart(2, '0')}`;
    const replicas = random.int(1, maxReplicas);
    const cpuCores = random.pick(CORE_CHOICES);
    const memoryGiB = random.pick(MEMORY_CHOICES);
    const meanCpu = lowCpu + (highCpu - lowCpu) * random.float();
    const meanMemory = 0.3 + 0.4 * random.float();
    const phase = random.int(0, perDay - 1);
    for (let r = 0; r < replicas; r++) {
      servers.push(makeServer(random.fork(), {
        id: `${service}-${r}`, service, cpuCores, memoryGiB, meanCpu, meanMemory, phase, samples, perDay,
      }));
    }
  }
  return Object.freeze(servers);
}

interface ServerShape {
  readonly id: string;
  readonly service: string;
  readonly cpuCores: number;
  readonly memoryGiB: number;
  readonly meanCpu: number;
  readonly meanMemory: number;
  readonly phase: number;
  readonly samples: number;
  readonly perDay: number;
}

function makeServer(random: SeededRandom, shape: ServerShape): PhysicalServerSpec {
  const cpuTrace: number[] = [];
  const memoryTrace: number[] = [];
  for (let t = 0; t < shape.samples; t++) {
    const daily = dailyWave(((t + shape.phase) % shape.perDay) / shape.perDay);
    const spike = random.chance(0.02) ? 2 + random.float() * 2 : 1;
    const cpu = shape.meanCpu * (1 + 0.6 * daily) * (0.85 + 0.3 * random.float()) * spike;
    cpuTrace.push(round3(Math.min(1, Math.max(0.01, cpu)) * shape.cpuCores));
    const memory = shape.meanMemory * (0.95 + 0.1 * random.float());
    memoryTrace.push(round3(Math.min(1, memory) * shape.memoryGiB));
  }
  return Object.freeze({
    id: shape.id, service: shape.service, cpuCores: shape.cpuCores, memoryGiB: shape.memoryGiB,
    power: DEFAULT_LEGACY_SERVER_POWER, cpuTrace: Object.freeze(cpuTrace), memoryTrace: Object.freeze(memoryTrace),
  });
}

/**
 * sin(2π · position) for a position in [0, 1) of the day, with + − × ÷ only. ECMA-262 leaves
 * `Math.sin` implementation-approximated, so engines may differ in the last bit and a fleet
 * generated in the browser could differ from the grader's; basic arithmetic is exactly rounded
 * everywhere. The angle is folded into [−π/2, π/2] and the Taylor series taken to θ²¹ (error
 * within a few ulps, far under the traces' 0.001 resolution).
 */
export function dailyWave(position: number): number {
  const folded = position <= 0.25 ? position : position <= 0.75 ? 0.5 - position : position - 1;
  const angle = 2 * Math.PI * folded;
  const square = angle * angle;
  // Horner form of θ − θ³/3! + θ⁵/5! − … : θ(1 − θ²/(2·3)(1 − θ²/(4·5)(1 − …))).
  let factor = 1;
  for (let k = 21; k >= 3; k -= 2) factor = 1 - (square / (k * (k - 1))) * factor;
  return angle * factor;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Mean power of servers running on their own hardware, from their traces (watts). */
export function fleetPowerWatts(servers: readonly PhysicalServerSpec[]): number {
  let total = 0;
  for (const server of servers) {
    let sum = 0;
    for (const cores of server.cpuTrace) sum += powerDraw(server.power, cores / server.cpuCores);
    // A server without samples is on but has no recorded load: its idle draw.
    total += server.cpuTrace.length === 0 ? powerDraw(server.power, 0) : sum / server.cpuTrace.length;
  }
  return total;
}
