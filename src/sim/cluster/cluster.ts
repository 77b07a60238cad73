/**
 * {@link Cluster}: virtualization hosts, the VMs placed on them, links between hosts, host
 * failures and live migration, with simulated time.
 *
 * The object is the privileged view (the grader's): it places VMs with capacity checks and
 * reports the truth (host loads over time, power, anti-affinity, what a failure took down, what
 * a migration really cost). Learners get plain data (server specs) or restricted handles
 * ({@link MigrationSession}); their claims are checked against this object.
 */
import { SimError, requireArgument } from '../common/errors.ts';
import { SeededRandom } from '../common/rng.ts';
import type { PhysicalServerSpec } from './fleet.ts';
import {
  MIGRATION_BURST_PAGES, MIGRATION_CPU_STATE_BYTES, MigrationSession, type MigrationEngine, type MigrationRecord,
} from './migration.ts';
import { DEFAULT_HOST_POWER, powerDraw, validatePowerModel, type HostPowerModel } from './power.ts';
import { VmMemory, validateWorkload, type VmMemoryWorkload } from './vm-memory.ts';

/** A virtualization host. */
export interface ClusterHostSpec {
  readonly id: string;
  readonly cpuCores: number;
  readonly memoryGiB: number;
  /** Default {@link DEFAULT_HOST_POWER}. */
  readonly power?: HostPowerModel;
}

/** A VM. Traces give its demand over time; without them it demands all its vCPUs and memory at every sample. */
export interface ClusterVmSpec {
  readonly id: string;
  /** Replicas of one service must not share a host (anti-affinity). */
  readonly service?: string;
  readonly vcpus: number;
  readonly memoryGiB: number;
  /** Cores used at each sample (length = the cluster's `samples`). */
  readonly cpuTrace?: readonly number[];
  /** GiB used at each sample. */
  readonly memoryTrace?: readonly number[];
  /** How the guest writes memory (for migration); default idle. */
  readonly workload?: VmMemoryWorkload;
  /** Guest memory size for paging and migration, MiB; default memoryGiB × 1024. */
  readonly memoryMiB?: number;
}

/** Options of a cluster. */
export interface ClusterOptions {
  /** Seeds the VMs' memory workloads. */
  readonly seed: number;
  /** Samples in every demand trace; default 168 (hourly for a week). */
  readonly samples?: number;
  /** Guest page size; default 4096 bytes. */
  readonly pageSizeBytes?: number;
}

/** A host as the cluster sees it. */
export interface ClusterHostInfo {
  readonly id: string;
  readonly cpuCores: number;
  readonly memoryGiB: number;
  readonly power: HostPowerModel;
  readonly state: 'up' | 'failed';
  /** VMs placed on it (running, paused or down with it). */
  readonly vms: readonly string[];
}

/** VM states: not yet placed, running, paused, or down because its host failed. */
export type ClusterVmState = 'unplaced' | 'running' | 'paused' | 'down';

export interface ClusterVmInfo {
  readonly id: string;
  readonly service: string | null;
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly host: string | null;
  readonly state: ClusterVmState;
  readonly migrating: boolean;
  readonly pageCount: number;
}

/** A host's load over time, from the demand traces of the VMs on it. */
export interface ClusterHostLoad {
  readonly hostId: string;
  readonly state: 'up' | 'failed';
  readonly vms: readonly string[];
  readonly cpuCores: readonly number[];
  readonly memoryGiB: readonly number[];
  readonly peakCpuCores: number;
  readonly peakMemoryGiB: number;
  /** Mean and peak CPU utilization (cores used / cores). */
  readonly meanCpuUtilization: number;
  readonly peakCpuUtilization: number;
  readonly peakMemoryUtilization: number;
}

/** Power of the cluster: hosts without running VMs, and failed hosts, are off. */
export interface ClusterPowerReport {
  readonly hostsOn: number;
  /** Mean watts over the trace period. */
  readonly totalWatts: number;
  readonly hosts: readonly { readonly hostId: string; readonly on: boolean; readonly meanWatts: number }[];
}

export interface AntiAffinityViolation {
  readonly service: string;
  readonly hostId: string;
  readonly vms: readonly string[];
}

export interface CapacityViolation {
  readonly hostId: string;
  readonly resource: 'cpu' | 'memory';
  /** Peak demand over the traces and the limit it exceeded. */
  readonly peak: number;
  readonly limit: number;
  /** First sample at which it exceeded. */
  readonly sample: number;
}

export interface ServiceStatus {
  readonly service: string;
  readonly replicas: number;
  /** Replicas placed on hosts that are up. */
  readonly running: number;
}

/** A link between two hosts. */
export interface ClusterLinkSpec {
  /** Megabytes (10^6 bytes) per second. */
  readonly bandwidthMBps: number;
  /** One-way latency, ms. */
  readonly latencyMs: number;
}

interface HostRecord {
  readonly id: string;
  readonly cpuCores: number;
  readonly memoryGiB: number;
  readonly power: HostPowerModel;
  state: 'up' | 'failed';
  readonly vms: Set<string>;
}

interface VmRecord {
  readonly id: string;
  readonly service: string | null;
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly cpuTrace: readonly number[];
  readonly memoryTrace: readonly number[];
  readonly pageCount: number;
  host: string | null;
  state: ClusterVmState;
  migration: MigrationState | null;
  workload: VmMemoryWorkload;
  memory: VmMemory | null;
  readonly random: SeededRandom;
}

interface MigrationState {
  readonly id: number;
  readonly vm: VmRecord;
  readonly from: HostRecord;
  readonly to: HostRecord;
  readonly link: ClusterLinkSpec;
  readonly destVersions: Uint32Array;
  readonly sends: Uint32Array;
  state: MigrationRecord['state'];
  startMs: number;
  stopMs: number | null;
  endMs: number | null;
  rounds: number;
  pagesSent: number;
  pagesSentWhileStopped: number;
  bytesSent: number;
  peakRunningBytesPerMs: number;
  consistent: boolean | null;
  stalePages: number;
}

/** Tolerance for sums of trace values written with three decimals. */
const EPSILON = 1e-9;

export class Cluster {
  readonly samples: number;
  readonly pageSizeBytes: number;
  readonly #random: SeededRandom;
  readonly #hosts = new Map<string, HostRecord>();
  readonly #vms = new Map<string, VmRecord>();
  readonly #links = new Map<string, ClusterLinkSpec>();
  readonly #migrations: MigrationState[] = [];
  #nowMs = 0;

  constructor(options: ClusterOptions) {
    requireArgument(typeof options === 'object' && options !== null && Number.isSafeInteger(options.seed), 'a cluster needs { seed: integer }');
    this.samples = options.samples ?? 168;
    this.pageSizeBytes = options.pageSizeBytes ?? 4096;
    requireArgument(Number.isSafeInteger(this.samples) && this.samples > 0, 'samples must be a positive integer');
    requireArgument(Number.isSafeInteger(this.pageSizeBytes) && this.pageSizeBytes > 0, 'pageSizeBytes must be a positive integer');
    this.#random = new SeededRandom(options.seed);
  }

  /** Simulated time, ms. */
  get nowMs(): number {
    return this.#nowMs;
  }

  // ---------------------------------------------------------------- building

  addHost(spec: ClusterHostSpec): ClusterHostInfo {
    requireArgument(typeof spec === 'object' && spec !== null, 'addHost needs { id, cpuCores, memoryGiB, power? }');
    requireId(spec.id, 'host id');
    if (this.#hosts.has(spec.id)) throw new SimError('ALREADY_EXISTS', `host ${spec.id} already exists`);
    requirePositive(spec.cpuCores, 'cpuCores');
    requirePositive(spec.memoryGiB, 'memoryGiB');
    const host: HostRecord = {
      id: spec.id, cpuCores: spec.cpuCores, memoryGiB: spec.memoryGiB,
      power: validatePowerModel(spec.power ?? DEFAULT_HOST_POWER), state: 'up', vms: new Set(),
    };
    this.#hosts.set(host.id, host);
    return this.#hostInfo(host);
  }

  addVm(spec: ClusterVmSpec): ClusterVmInfo {
    requireArgument(typeof spec === 'object' && spec !== null, 'addVm needs { id, vcpus, memoryGiB, ... }');
    requireId(spec.id, 'VM id');
    if (this.#vms.has(spec.id)) throw new SimError('ALREADY_EXISTS', `VM ${spec.id} already exists`);
    requirePositive(spec.vcpus, 'vcpus');
    requirePositive(spec.memoryGiB, 'memoryGiB');
    requireArgument(spec.service === undefined || (typeof spec.service === 'string' && spec.service !== ''), 'service must be a non-empty string');
    const cpuTrace = this.#trace(spec.cpuTrace, spec.vcpus, 'cpuTrace');
    const memoryTrace = this.#trace(spec.memoryTrace, spec.memoryGiB, 'memoryTrace');
    const memoryMiB = spec.memoryMiB ?? spec.memoryGiB * 1024;
    requirePositive(memoryMiB, 'memoryMiB');
    const pageCount = Math.ceil((memoryMiB * 1024 * 1024) / this.pageSizeBytes);
    const workload = validateWorkload(spec.workload ?? { kind: 'idle' }, pageCount);
    const vm: VmRecord = {
      id: spec.id, service: spec.service ?? null, vcpus: spec.vcpus, memoryGiB: spec.memoryGiB, cpuTrace, memoryTrace,
      pageCount, host: null, state: 'unplaced', migration: null, workload, memory: null, random: this.#random.fork(),
    };
    this.#vms.set(vm.id, vm);
    return this.#vmInfo(vm);
  }

  /** P2V: a VM for each physical server, with its traces and service (not placed). */
  addServersAsVms(servers: readonly PhysicalServerSpec[]): ClusterVmInfo[] {
    requireArgument(Array.isArray(servers), 'addServersAsVms needs an array of servers');
    return servers.map((s) => this.addVm({
      id: s.id, service: s.service, vcpus: s.cpuCores, memoryGiB: s.memoryGiB, cpuTrace: s.cpuTrace, memoryTrace: s.memoryTrace,
    }));
  }

  /** Connects two hosts (both directions). */
  addLink(a: string, b: string, spec: ClusterLinkSpec): void {
    this.#host(a);
    this.#host(b);
    requireArgument(a !== b, 'a link joins two different hosts');
    requirePositive(spec.bandwidthMBps, 'bandwidthMBps');
    requireArgument(Number.isFinite(spec.latencyMs) && spec.latencyMs >= 0, 'latencyMs must be a non-negative number');
    this.#links.set(linkKey(a, b), Object.freeze({ bandwidthMBps: spec.bandwidthMBps, latencyMs: spec.latencyMs }));
  }

  #trace(trace: readonly number[] | undefined, constant: number, name: string): readonly number[] {
    if (trace === undefined) return Object.freeze(new Array<number>(this.samples).fill(constant));
    requireArgument(Array.isArray(trace) && trace.length === this.samples, `${name} must have exactly ${this.samples} samples`);
    for (const value of trace) requireArgument(Number.isFinite(value) && value >= 0, `${name} values must be non-negative numbers`);
    return Object.freeze([...trace]);
  }

  // ---------------------------------------------------------------- placement

  /** Whether `vmId` would fit on `hostId` at every sample, keeping `headroom` (0..1) of each resource free. */
  canPlace(vmId: string, hostId: string, headroom = 0): boolean {
    return this.#firstOverload(this.#vm(vmId), this.#host(hostId), headroom) === null;
  }

  /**
   * Starts an unplaced (or down) VM on a host. Throws SimError CAPACITY_EXCEEDED if, at some
   * sample, the host's VMs would need more CPU or memory than it has; INVALID_STATE if the host
   * failed or the VM already runs somewhere.
   */
  place(vmId: string, hostId: string): void {
    const vm = this.#vm(vmId);
    const host = this.#host(hostId);
    if (vm.state !== 'unplaced' && vm.state !== 'down') throw new SimError('INVALID_STATE', `VM ${vmId} is already ${vm.state} on ${vm.host ?? '?'}`);
    if (host.state !== 'up') throw new SimError('INVALID_STATE', `host ${hostId} has failed`);
    const overload = this.#firstOverload(vm, host, 0);
    if (overload !== null) {
      throw new SimError('CAPACITY_EXCEEDED', `VM ${vmId} does not fit on host ${hostId}: ${overload.resource} would reach ${round(overload.peak)} of ${overload.limit} at sample ${overload.sample}`);
    }
    if (vm.host !== null) this.#hosts.get(vm.host)?.vms.delete(vm.id);
    vm.host = host.id;
    vm.state = 'running';
    host.vms.add(vm.id);
  }

  /** Removes a VM from its host (shut down); it can be placed again. */
  unplace(vmId: string): void {
    const vm = this.#vm(vmId);
    if (vm.migration !== null) throw new SimError('INVALID_STATE', `VM ${vmId} is migrating`);
    if (vm.host !== null) this.#hosts.get(vm.host)?.vms.delete(vm.id);
    vm.host = null;
    vm.state = 'unplaced';
  }

  #firstOverload(vm: VmRecord, host: HostRecord, headroom: number): Omit<CapacityViolation, 'hostId'> | null {
    requireArgument(Number.isFinite(headroom) && headroom >= 0 && headroom < 1, 'headroom must be in [0, 1)');
    const others = [...host.vms].map((id) => this.#vms.get(id) as VmRecord).filter((v) => v !== vm && v.state !== 'down');
    return overloadOf([...others, vm], host, headroom);
  }

  // ---------------------------------------------------------------- observation

  hosts(): ClusterHostInfo[] {
    return [...this.#hosts.values()].map((h) => this.#hostInfo(h));
  }

  vms(): ClusterVmInfo[] {
    return [...this.#vms.values()].map((v) => this.#vmInfo(v));
  }

  vm(vmId: string): ClusterVmInfo {
    return this.#vmInfo(this.#vm(vmId));
  }

  host(hostId: string): ClusterHostInfo {
    return this.#hostInfo(this.#host(hostId));
  }

  /** The real load of a host over time, from the VMs running or paused on it. */
  hostLoad(hostId: string): ClusterHostLoad {
    const host = this.#host(hostId);
    const vms = this.#activeVms(host);
    const cpu = new Array<number>(this.samples).fill(0);
    const memory = new Array<number>(this.samples).fill(0);
    for (const vm of vms) {
      for (let t = 0; t < this.samples; t++) {
        cpu[t] = (cpu[t] as number) + (vm.cpuTrace[t] as number);
        memory[t] = (memory[t] as number) + (vm.memoryTrace[t] as number);
      }
    }
    const peakCpu = Math.max(0, ...cpu);
    const peakMemory = Math.max(0, ...memory);
    const meanCpu = cpu.reduce((a, b) => a + b, 0) / this.samples;
    return Object.freeze({
      hostId: host.id, state: host.state, vms: Object.freeze(vms.map((v) => v.id)),
      cpuCores: Object.freeze(cpu), memoryGiB: Object.freeze(memory), peakCpuCores: peakCpu, peakMemoryGiB: peakMemory,
      meanCpuUtilization: meanCpu / host.cpuCores, peakCpuUtilization: peakCpu / host.cpuCores,
      peakMemoryUtilization: peakMemory / host.memoryGiB,
    });
  }

  /** Hosts that would be over `1 − headroom` of their CPU or memory at some sample. */
  capacityViolations(headroom = 0): CapacityViolation[] {
    const found: CapacityViolation[] = [];
    for (const host of this.#hosts.values()) {
      const overload = overloadOf(this.#activeVms(host), host, headroom);
      if (overload !== null) found.push(Object.freeze({ hostId: host.id, ...overload }));
    }
    return found;
  }

  /** Services with two or more replicas running on the same host. */
  antiAffinityViolations(): AntiAffinityViolation[] {
    const found: AntiAffinityViolation[] = [];
    for (const host of this.#hosts.values()) {
      const byService = new Map<string, string[]>();
      for (const vm of this.#activeVms(host)) {
        if (vm.service === null) continue;
        byService.set(vm.service, [...(byService.get(vm.service) ?? []), vm.id]);
      }
      for (const [service, vms] of byService) {
        if (vms.length > 1) found.push(Object.freeze({ service, hostId: host.id, vms: Object.freeze(vms) }));
      }
    }
    return found;
  }

  /** For each service, how many replicas exist and how many run on hosts that are up. */
  serviceStatus(): ServiceStatus[] {
    const status = new Map<string, { replicas: number; running: number }>();
    for (const vm of this.#vms.values()) {
      if (vm.service === null) continue;
      const entry = status.get(vm.service) ?? { replicas: 0, running: 0 };
      entry.replicas++;
      if (vm.state === 'running' || vm.state === 'paused') entry.running++;
      status.set(vm.service, entry);
    }
    return [...status].map(([service, s]) => Object.freeze({ service, ...s }));
  }

  /** Mean power over the trace period, with the hosts' power models. Hosts with no VM up are off. */
  powerReport(): ClusterPowerReport {
    const hosts = [...this.#hosts.values()].map((host) => {
      const vms = this.#activeVms(host);
      const on = host.state === 'up' && vms.length > 0;
      let watts = 0;
      if (on) {
        const load = this.hostLoad(host.id);
        let sum = 0;
        for (const cores of load.cpuCores) sum += powerDraw(host.power, cores / host.cpuCores);
        watts = sum / this.samples;
      }
      return Object.freeze({ hostId: host.id, on, meanWatts: watts });
    });
    return Object.freeze({
      hostsOn: hosts.filter((h) => h.on).length,
      totalWatts: hosts.reduce((sum, h) => sum + h.meanWatts, 0),
      hosts: Object.freeze(hosts),
    });
  }

  #activeVms(host: HostRecord): VmRecord[] {
    if (host.state !== 'up') return [];
    return [...host.vms].map((id) => this.#vms.get(id) as VmRecord).filter((vm) => vm.state === 'running' || vm.state === 'paused');
  }

  // ---------------------------------------------------------------- failures

  /** Fails a host: every VM on it goes down, and migrations to or from it are aborted. */
  failHost(hostId: string): { readonly hostId: string; readonly lostVms: readonly string[] } {
    const host = this.#host(hostId);
    if (host.state === 'failed') throw new SimError('INVALID_STATE', `host ${hostId} has already failed`);
    for (const migration of this.#migrations) {
      if (migration.state === 'in-progress' && (migration.from === host || migration.to === host)) this.#abortMigration(migration);
    }
    host.state = 'failed';
    const lost: string[] = [];
    for (const id of host.vms) {
      const vm = this.#vms.get(id) as VmRecord;
      if (vm.state === 'running' || vm.state === 'paused') {
        vm.state = 'down';
        lost.push(id);
      }
    }
    return Object.freeze({ hostId, lostVms: Object.freeze(lost) });
  }

  /** Brings a failed host back, empty: its VMs stay down until placed again. */
  repairHost(hostId: string): void {
    const host = this.#host(hostId);
    if (host.state !== 'failed') throw new SimError('INVALID_STATE', `host ${hostId} has not failed`);
    for (const id of host.vms) (this.#vms.get(id) as VmRecord).host = null;
    host.vms.clear();
    host.state = 'up';
  }

  // ---------------------------------------------------------------- time and guest memory

  /** Lets `ms` of simulated time pass: running VMs write memory according to their workloads. */
  advance(ms: number): void {
    requireArgument(Number.isFinite(ms) && ms >= 0, 'advance needs a non-negative number of ms');
    this.#advance(ms);
  }

  #advance(ms: number): void {
    for (const vm of this.#vms.values()) {
      if (vm.state !== 'running' || vm.workload.kind === 'idle') continue;
      this.#memory(vm).run(ms);
    }
    this.#nowMs += ms;
  }

  pause(vmId: string): void {
    const vm = this.#vm(vmId);
    if (vm.state !== 'running') throw new SimError('INVALID_STATE', `VM ${vmId} is ${vm.state}, not running`);
    if (vm.migration !== null) throw new SimError('INVALID_STATE', `VM ${vmId} is migrating; its migration controls pausing`);
    vm.state = 'paused';
  }

  resume(vmId: string): void {
    const vm = this.#vm(vmId);
    if (vm.state !== 'paused') throw new SimError('INVALID_STATE', `VM ${vmId} is ${vm.state}, not paused`);
    if (vm.migration !== null) throw new SimError('INVALID_STATE', `VM ${vmId} is migrating; its migration controls resuming`);
    vm.state = 'running';
  }

  /** Changes how a VM writes memory from now on. */
  setWorkload(vmId: string, workload: VmMemoryWorkload): void {
    const vm = this.#vm(vmId);
    vm.workload = validateWorkload(workload, vm.pageCount);
    if (vm.memory !== null) vm.memory.workload = vm.workload;
  }

  /**
   * One write to page `page` of a VM's memory, by its CPUs or by a device's DMA. Both bump the
   * page's version and mark it in the dirty log: a hypervisor must log DMA writes too (QEMU
   * marks pages its device models write dirty), or pre-copy would lose them. The CPUs write only
   * while the VM runs; a device may finish DMA into a paused VM (a request completing at the
   * stop of a migration).
   */
  writePage(vmId: string, page: number, source: 'cpu' | 'dma' = 'cpu'): void {
    const vm = this.#vm(vmId);
    requireArgument(source === 'cpu' || source === 'dma', `a write comes from 'cpu' or 'dma', got ${String(source)}`);
    requireArgument(Number.isSafeInteger(page) && page >= 0 && page < vm.pageCount, `page ${String(page)} is not a page of VM ${vmId} (0..${vm.pageCount - 1})`);
    const writable = vm.state === 'running' || (source === 'dma' && vm.state === 'paused');
    if (!writable) throw new SimError('INVALID_STATE', `VM ${vmId} is ${vm.state}: ${source === 'cpu' ? 'its CPUs write only while it runs' : 'no device writes into it'}`);
    this.#memory(vm).write(page);
  }

  /** Total page writes a VM's guest has made. */
  pageWrites(vmId: string): number {
    return this.#vm(vmId).memory?.writes ?? 0;
  }

  #memory(vm: VmRecord): VmMemory {
    vm.memory ??= new VmMemory(vm.pageCount, vm.workload, vm.random);
    return vm.memory;
  }

  // ---------------------------------------------------------------- migration

  /**
   * Begins live migration of a running VM to another host over their link and returns the
   * handle a migration algorithm drives. The destination must be up, linked to the source and
   * have room for the VM at every sample (else CAPACITY_EXCEEDED).
   */
  beginMigration(vmId: string, destinationHostId: string): MigrationSession {
    const vm = this.#vm(vmId);
    const to = this.#host(destinationHostId);
    if (vm.state !== 'running') throw new SimError('INVALID_STATE', `VM ${vmId} is ${vm.state}; only a running VM is live-migrated`);
    if (vm.migration !== null) throw new SimError('INVALID_STATE', `VM ${vmId} is already migrating`);
    const from = this.#host(vm.host as string);
    if (from === to) throw new SimError('INVALID_ARGUMENT', `VM ${vmId} already runs on ${to.id}`);
    if (to.state !== 'up') throw new SimError('INVALID_STATE', `host ${to.id} has failed`);
    const link = this.#links.get(linkKey(from.id, to.id));
    if (link === undefined) throw new SimError('NOT_FOUND', `no link between ${from.id} and ${to.id}`);
    const overload = this.#firstOverload(vm, to, 0);
    if (overload !== null) throw new SimError('CAPACITY_EXCEEDED', `VM ${vmId} does not fit on ${to.id} (${overload.resource})`);
    const memory = this.#memory(vm);
    memory.startDirtyLog();
    const migration: MigrationState = {
      id: this.#migrations.length + 1, vm, from, to, link,
      destVersions: new Uint32Array(vm.pageCount).fill(0xffffffff), sends: new Uint32Array(vm.pageCount),
      state: 'in-progress', startMs: this.#nowMs, stopMs: null, endMs: null, rounds: 0, pagesSent: 0,
      pagesSentWhileStopped: 0, bytesSent: 0, peakRunningBytesPerMs: 0, consistent: null, stalePages: 0,
    };
    this.#migrations.push(migration);
    vm.migration = migration;
    return new MigrationSession(this.#engine(migration), vm.id, from.id, to.id);
  }

  /** What every migration really did (frozen records). */
  migrations(): MigrationRecord[] {
    return this.#migrations.map((m) => recordOf(m));
  }

  /** How many times each page of migration `id` was sent. */
  migrationPageSends(id: number): number[] {
    const migration = this.#migrations[id - 1];
    if (migration === undefined) throw new SimError('NOT_FOUND', `no migration ${id}`);
    return [...migration.sends];
  }

  #engine(m: MigrationState): MigrationEngine {
    const bandwidthBytesPerMs = (m.link.bandwidthMBps * 1e6) / 1000;
    const memory = this.#memory(m.vm);
    return Object.freeze({
      pageCount: m.vm.pageCount,
      pageSizeBytes: this.pageSizeBytes,
      bandwidthBytesPerMs,
      latencyMs: m.link.latencyMs,
      now: () => this.#nowMs - m.startMs,
      send: (pages: readonly number[], bytesPerMs: number) => {
        m.rounds++;
        this.#advance(m.link.latencyMs);
        const stopped = m.vm.state === 'paused';
        const pageMs = this.pageSizeBytes / bytesPerMs;
        if (!stopped && pages.length > 0) m.peakRunningBytesPerMs = Math.max(m.peakRunningBytesPerMs, bytesPerMs);
        for (let start = 0; start < pages.length; start += MIGRATION_BURST_PAGES) {
          const burst = pages.slice(start, start + MIGRATION_BURST_PAGES);
          for (const page of burst) {
            m.destVersions[page] = memory.version(page);
            m.sends[page] = (m.sends[page] as number) + 1;
          }
          m.pagesSent += burst.length;
          if (stopped) m.pagesSentWhileStopped += burst.length;
          m.bytesSent += burst.length * this.pageSizeBytes;
          this.#advance(burst.length * pageMs);
        }
      },
      takeDirty: () => memory.takeDirty(),
      stop: () => {
        m.vm.state = 'paused';
        m.stopMs = this.#nowMs;
      },
      resume: () => {
        this.#advance(m.link.latencyMs + MIGRATION_CPU_STATE_BYTES / bandwidthBytesPerMs);
        m.bytesSent += MIGRATION_CPU_STATE_BYTES;
        let stale = 0;
        for (let page = 0; page < m.vm.pageCount; page++) if (m.destVersions[page] !== memory.version(page)) stale++;
        m.stalePages = stale;
        m.consistent = stale === 0;
        m.endMs = this.#nowMs;
        m.state = 'completed';
        memory.stopDirtyLog();
        m.from.vms.delete(m.vm.id);
        m.to.vms.add(m.vm.id);
        m.vm.host = m.to.id;
        m.vm.state = 'running';
        m.vm.migration = null;
        return recordOf(m);
      },
      abort: () => this.#abortMigration(m),
      record: () => recordOf(m),
    });
  }

  #abortMigration(m: MigrationState): MigrationRecord {
    m.state = 'aborted';
    m.endMs = this.#nowMs;
    this.#memory(m.vm).stopDirtyLog();
    if (m.vm.state === 'paused') m.vm.state = 'running';
    m.vm.migration = null;
    return recordOf(m);
  }

  // ---------------------------------------------------------------- lookups

  #host(id: string): HostRecord {
    const host = this.#hosts.get(id);
    if (host === undefined) throw new SimError('NOT_FOUND', `no host ${JSON.stringify(id)}`);
    return host;
  }

  #vm(id: string): VmRecord {
    const vm = this.#vms.get(id);
    if (vm === undefined) throw new SimError('NOT_FOUND', `no VM ${JSON.stringify(id)}`);
    return vm;
  }

  #hostInfo(host: HostRecord): ClusterHostInfo {
    return Object.freeze({
      id: host.id, cpuCores: host.cpuCores, memoryGiB: host.memoryGiB, power: host.power, state: host.state,
      vms: Object.freeze([...host.vms]),
    });
  }

  #vmInfo(vm: VmRecord): ClusterVmInfo {
    return Object.freeze({
      id: vm.id, service: vm.service, vcpus: vm.vcpus, memoryGiB: vm.memoryGiB, host: vm.host, state: vm.state,
      migrating: vm.migration !== null, pageCount: vm.pageCount,
    });
  }
}

function overloadOf(vms: readonly VmRecord[], host: HostRecord, headroom: number): Omit<CapacityViolation, 'hostId'> | null {
  const cpuLimit = host.cpuCores * (1 - headroom);
  const memoryLimit = host.memoryGiB * (1 - headroom);
  const samples = vms[0]?.cpuTrace.length ?? 0;
  let worst: Omit<CapacityViolation, 'hostId'> | null = null;
  for (const [resource, limit] of [['cpu', cpuLimit], ['memory', memoryLimit]] as const) {
    let peak = 0;
    let first = -1;
    for (let t = 0; t < samples; t++) {
      let sum = 0;
      for (const vm of vms) sum += (resource === 'cpu' ? vm.cpuTrace[t] : vm.memoryTrace[t]) as number;
      if (sum > limit + EPSILON && first < 0) first = t;
      peak = Math.max(peak, sum);
    }
    if (first >= 0 && worst === null) worst = { resource, peak, limit, sample: first };
  }
  return worst;
}

function recordOf(m: MigrationState): MigrationRecord {
  return Object.freeze({
    id: m.id, vmId: m.vm.id, from: m.from.id, to: m.to.id, state: m.state, startMs: m.startMs, stopMs: m.stopMs,
    endMs: m.endMs,
    downtimeMs: m.state === 'completed' && m.stopMs !== null && m.endMs !== null ? m.endMs - m.stopMs : null,
    totalMs: m.state === 'completed' && m.endMs !== null ? m.endMs - m.startMs : null,
    rounds: m.rounds, pagesSent: m.pagesSent, pagesSentWhileStopped: m.pagesSentWhileStopped, bytesSent: m.bytesSent,
    peakRunningBytesPerMs: m.peakRunningBytesPerMs, consistent: m.consistent, stalePages: m.stalePages,
  });
}

function linkKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

function requireId(id: unknown, what: string): asserts id is string {
  requireArgument(typeof id === 'string' && id !== '', `${what} must be a non-empty string`);
}

function requirePositive(value: unknown, what: string): asserts value is number {
  requireArgument(typeof value === 'number' && Number.isFinite(value) && value > 0, `${what} must be a positive number, got ${String(value)}`);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
