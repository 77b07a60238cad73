/**
 * Virtual CPUs on a host's physical CPUs, scheduled quantum by quantum by a pluggable policy,
 * with the CPU time each vCPU really got measured by the simulator.
 *
 * Each vCPU has a weight (its proportional share, as in Xen's credit scheduler whose default
 * weight is 256) and an optional cap (the most it may use, in percent of one physical CPU, 0
 * for none). Proportional-share algorithms such as lottery and stride scheduling (C. A.
 * Waldspurger and W. E. Weihl, OSDI 1994 and MIT TR-528, 1995) give each runnable vCPU CPU
 * time in proportion to its weight; the simulator does not do that itself: a policy does, and
 * the measured times show whether it did. The default policy is plain round robin, which
 * ignores weights and caps.
 */
import { SimError, requireArgument } from '../common/errors.ts';
import { SeededRandom } from '../common/rng.ts';

/** When a vCPU has work. */
export type VcpuDemand =
  /** Always has work (a CPU-bound guest). */
  | { readonly kind: 'busy' }
  /** Receives `workMs` of work every `periodMs` (an interactive or I/O-bound guest); runnable while work is pending. */
  | { readonly kind: 'periodic'; readonly periodMs: number; readonly workMs: number }
  /** At each quantum, receives one quantum of work with probability `probability` (seeded). */
  | { readonly kind: 'random'; readonly probability: number };

export interface VcpuSpec {
  readonly id: string;
  /** The VM it belongs to. */
  readonly vm: string;
  /** Proportional share; default 256. */
  readonly weight?: number;
  /** Most CPU it may use, percent of one physical CPU; 0 (default) means no cap. */
  readonly capPercent?: number;
  /** Default busy. */
  readonly demand?: VcpuDemand;
}

/** What a scheduling policy sees of a vCPU. */
export interface VcpuView {
  readonly id: string;
  readonly vm: string;
  readonly weight: number;
  readonly capPercent: number;
  /** CPU time it has received so far, ms. */
  readonly ranMs: number;
  /** Work it has pending, ms (Infinity for busy vCPUs). */
  readonly pendingMs: number;
}

/** Asked once per quantum. */
export interface VcpuPickQuery {
  readonly nowMs: number;
  readonly quantumMs: number;
  readonly pcpus: number;
  /** The vCPUs that have work now. */
  readonly runnable: readonly VcpuView[];
  /** Every vCPU on the host, runnable or not (one removed with removeVcpu is absent from the next quantum on). */
  readonly all: readonly VcpuView[];
}

/**
 * A vCPU scheduling policy: returns the ids of the vCPUs to run for the next quantum, at most
 * one per physical CPU, each runnable and listed once. Leaving a physical CPU idle while a vCPU
 * is runnable is allowed (that is how caps are enforced) and measured.
 */
export interface VcpuSchedulerPolicy {
  readonly name?: string;
  pick(query: VcpuPickQuery): readonly string[];
}

/** Per-vCPU measurements. */
export interface VcpuUsage {
  readonly id: string;
  readonly vm: string;
  readonly weight: number;
  readonly capPercent: number;
  /** CPU time received, ms. */
  readonly ranMs: number;
  /** Time it had work, ms. */
  readonly runnableMs: number;
  /** Time it had work but did not run, ms. */
  readonly waitingMs: number;
  /** Share of the whole elapsed time on one physical CPU, percent (what a cap limits). */
  readonly cpuPercent: number;
}

export interface VcpuScheduleReport {
  readonly elapsedMs: number;
  readonly pcpus: number;
  readonly vcpus: readonly VcpuUsage[];
  /** Physical-CPU time left idle while some vCPU that was not chosen had work, ms. */
  readonly idleWhileRunnableMs: number;
  /** Physical-CPU time used, ms. */
  readonly busyMs: number;
}

/** Round robin: runs runnable vCPUs in turn, ignoring weights and caps. The naive default. */
export function createRoundRobinScheduler(): VcpuSchedulerPolicy {
  let next = 0;
  return {
    name: 'round robin',
    pick(query) {
      const chosen: string[] = [];
      const runnable = query.runnable;
      for (let i = 0; i < runnable.length && chosen.length < query.pcpus; i++) {
        chosen.push((runnable[(next + i) % runnable.length] as VcpuView).id);
      }
      next = runnable.length === 0 ? 0 : (next + chosen.length) % Math.max(1, runnable.length);
      return chosen;
    },
  };
}

interface VcpuRecord {
  readonly id: string;
  readonly vm: string;
  readonly weight: number;
  readonly capPercent: number;
  readonly demand: VcpuDemand;
  pendingMs: number;
  ranMs: number;
  runnableMs: number;
  waitingMs: number;
  readonly random: SeededRandom;
}

/** A host's physical CPUs shared by vCPUs under a scheduling policy. */
export class VcpuSchedulingHost {
  readonly pcpus: number;
  readonly quantumMs: number;
  readonly #random: SeededRandom;
  readonly #vcpus = new Map<string, VcpuRecord>();
  #policy: VcpuSchedulerPolicy = createRoundRobinScheduler();
  #nowMs = 0;
  #idleWhileRunnableMs = 0;
  #busyMs = 0;

  /** @param options.quantumMs scheduling quantum; default 10 ms (Xen's credit scheduler accounts every 10 ms). */
  constructor(options: { readonly pcpus: number; readonly seed: number; readonly quantumMs?: number }) {
    requireArgument(typeof options === 'object' && options !== null, 'options { pcpus, seed, quantumMs? } are required');
    requireArgument(Number.isSafeInteger(options.pcpus) && options.pcpus > 0, 'pcpus must be a positive integer');
    requireArgument(Number.isSafeInteger(options.seed), 'seed must be an integer');
    this.pcpus = options.pcpus;
    this.quantumMs = options.quantumMs ?? 10;
    requireArgument(Number.isFinite(this.quantumMs) && this.quantumMs > 0, 'quantumMs must be a positive number');
    this.#random = new SeededRandom(options.seed);
  }

  get nowMs(): number {
    return this.#nowMs;
  }

  addVcpu(spec: VcpuSpec): void {
    requireArgument(typeof spec === 'object' && spec !== null, 'addVcpu needs { id, vm, weight?, capPercent?, demand? }');
    requireArgument(typeof spec.id === 'string' && spec.id !== '', 'a vCPU id is a non-empty string');
    requireArgument(typeof spec.vm === 'string' && spec.vm !== '', 'a vCPU belongs to a VM (non-empty string)');
    if (this.#vcpus.has(spec.id)) throw new SimError('ALREADY_EXISTS', `vCPU ${spec.id} already exists`);
    const weight = spec.weight ?? 256;
    const capPercent = spec.capPercent ?? 0;
    requireArgument(Number.isFinite(weight) && weight > 0, `weight must be a positive number, got ${String(weight)}`);
    requireArgument(Number.isFinite(capPercent) && capPercent >= 0 && capPercent <= 100, `capPercent must be in 0..100, got ${String(capPercent)}`);
    const demand = validateDemand(spec.demand ?? { kind: 'busy' });
    this.#vcpus.set(spec.id, {
      id: spec.id, vm: spec.vm, weight, capPercent, demand, pendingMs: demand.kind === 'busy' ? Infinity : 0,
      ranMs: 0, runnableMs: 0, waitingMs: 0, random: this.#random.fork(),
    });
  }

  /**
   * Takes a vCPU off the host (its VM shut down or moved away). From the next quantum on the
   * policy no longer sees it in `query.all` or `query.runnable`, and `report().vcpus` no longer
   * lists it; the host's totals (`busyMs`, `idleWhileRunnableMs`) keep what happened while it
   * was there. Its id may be added again later, as a new vCPU with no history. Throws SimError
   * NOT_FOUND for an id that is not on the host.
   */
  removeVcpu(id: string): void {
    if (!this.#vcpus.delete(id)) throw new SimError('NOT_FOUND', `no vCPU ${JSON.stringify(id)} on this host to remove`);
  }

  /** Installs the scheduling policy consulted from the next quantum on. */
  setScheduler(policy: VcpuSchedulerPolicy): void {
    requireArgument(typeof policy === 'object' && policy !== null && typeof policy.pick === 'function', 'a scheduler is an object with pick(query)');
    this.#policy = policy;
  }

  /**
   * Runs for `ms` (whole quanta). Throws SimError if the policy picks an unknown, non-runnable
   * or duplicate vCPU, more vCPUs than physical CPUs, or throws itself.
   */
  run(ms: number): void {
    requireArgument(Number.isFinite(ms) && ms >= 0, 'run needs a non-negative number of ms');
    const quanta = Math.round(ms / this.quantumMs);
    for (let q = 0; q < quanta; q++) this.#quantum();
  }

  #quantum(): void {
    const quantum = this.quantumMs;
    for (const v of this.#vcpus.values()) this.#addWork(v);
    const runnable = [...this.#vcpus.values()].filter((v) => v.pendingMs > 0);
    const query: VcpuPickQuery = Object.freeze({
      nowMs: this.#nowMs, quantumMs: quantum, pcpus: this.pcpus,
      runnable: Object.freeze(runnable.map(view)), all: Object.freeze([...this.#vcpus.values()].map(view)),
    });
    let answer: unknown;
    try {
      answer = this.#policy.pick(query);
    } catch (thrown) {
      throw new SimError('INVALID_STATE', `the scheduler's pick() threw: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    }
    const chosen = this.#validate(answer, runnable);
    for (const v of runnable) {
      // A chosen vCPU runs until its work is done (at most the quantum) and is then idle, not waiting;
      // one left out has work, and waits, for the whole quantum.
      const ran = chosen.has(v) ? Math.min(quantum, v.pendingMs) : 0;
      const hadWorkMs = chosen.has(v) ? ran : quantum;
      v.ranMs += ran;
      v.pendingMs -= ran;
      v.runnableMs += hadWorkMs;
      v.waitingMs += hadWorkMs - ran;
      this.#busyMs += ran;
    }
    const idlePcpus = this.pcpus - chosen.size;
    if (idlePcpus > 0 && runnable.some((v) => !chosen.has(v))) {
      this.#idleWhileRunnableMs += Math.min(idlePcpus, runnable.length - chosen.size) * quantum;
    }
    this.#nowMs += quantum;
  }

  #addWork(v: VcpuRecord): void {
    const d = v.demand;
    if (d.kind === 'periodic') {
      // Work arrives at the start of each period.
      if (Math.floor(this.#nowMs / d.periodMs) !== Math.floor((this.#nowMs - this.quantumMs) / d.periodMs) || this.#nowMs === 0) {
        v.pendingMs += d.workMs;
      }
    } else if (d.kind === 'random') {
      if (v.pendingMs === 0 && v.random.chance(d.probability)) v.pendingMs += this.quantumMs;
    }
  }

  #validate(answer: unknown, runnable: readonly VcpuRecord[]): Set<VcpuRecord> {
    if (!Array.isArray(answer)) throw new SimError('INVALID_ARGUMENT', "the scheduler's pick() must return an array of vCPU ids");
    if (answer.length > this.pcpus) throw new SimError('INVALID_ARGUMENT', `the scheduler picked ${answer.length} vCPUs for ${this.pcpus} physical CPUs`);
    const chosen = new Set<VcpuRecord>();
    for (const id of answer) {
      const v = typeof id === 'string' ? this.#vcpus.get(id) : undefined;
      if (v === undefined) throw new SimError('INVALID_ARGUMENT', `the scheduler picked unknown vCPU ${JSON.stringify(id)}`);
      if (!runnable.includes(v)) throw new SimError('INVALID_ARGUMENT', `the scheduler picked vCPU ${v.id}, which has no work`);
      if (chosen.has(v)) throw new SimError('INVALID_ARGUMENT', `the scheduler picked vCPU ${v.id} twice in one quantum`);
      chosen.add(v);
    }
    return chosen;
  }

  /** What each vCPU really got. */
  report(): VcpuScheduleReport {
    const elapsed = this.#nowMs;
    return Object.freeze({
      elapsedMs: elapsed,
      pcpus: this.pcpus,
      vcpus: Object.freeze([...this.#vcpus.values()].map((v) => Object.freeze({
        id: v.id, vm: v.vm, weight: v.weight, capPercent: v.capPercent, ranMs: v.ranMs, runnableMs: v.runnableMs,
        waitingMs: v.waitingMs, cpuPercent: elapsed === 0 ? 0 : (100 * v.ranMs) / elapsed,
      }))),
      idleWhileRunnableMs: this.#idleWhileRunnableMs,
      busyMs: this.#busyMs,
    });
  }
}

function view(v: VcpuRecord): VcpuView {
  return Object.freeze({ id: v.id, vm: v.vm, weight: v.weight, capPercent: v.capPercent, ranMs: v.ranMs, pendingMs: v.pendingMs });
}

function validateDemand(demand: VcpuDemand): VcpuDemand {
  requireArgument(typeof demand === 'object' && demand !== null, 'a demand is { kind, ... }');
  switch (demand.kind) {
    case 'busy':
      return Object.freeze({ kind: 'busy' });
    case 'periodic':
      requireArgument(Number.isFinite(demand.periodMs) && demand.periodMs > 0, 'periodMs must be positive');
      requireArgument(Number.isFinite(demand.workMs) && demand.workMs >= 0, 'workMs must be non-negative');
      return Object.freeze({ kind: 'periodic', periodMs: demand.periodMs, workMs: demand.workMs });
    case 'random':
      requireArgument(demand.probability >= 0 && demand.probability <= 1, 'probability must be in [0, 1]');
      return Object.freeze({ kind: 'random', probability: demand.probability });
    default:
      return requireArgument(false, `unknown demand kind ${JSON.stringify((demand as { kind: unknown }).kind)}`) as never;
  }
}
