/**
 * Style: a class per job. `PreCopy` keeps the migration's state in fields and counts how often
 * each page was seen dirty (a page seen twice is in the writable working set); the evacuation
 * is a depth-first search over move sequences that checks every intermediate state.
 */
import type { EvacuationInput, EvacuationMove, MigrationPolicy, MigrationSession } from './types.ts';
import { MIGRATION_CPU_STATE_BYTES } from './types.ts';

class PreCopy {
  private readonly stale = new Set<number>();
  private readonly timesDirty: Uint8Array;
  private readonly session: MigrationSession;
  private readonly policy: MigrationPolicy;
  private rounds = 0;
  private sentWhileRunning = 0;

  constructor(session: MigrationSession, policy: MigrationPolicy) {
    this.session = session;
    this.policy = policy;
    this.timesDirty = new Uint8Array(session.pageCount);
  }

  run(): void {
    this.send('all', this.session.pageCount);
    for (;;) {
      this.readLog();
      if (this.timeToStop()) break;
      const batch = [...this.stale].filter((page) => this.timesDirty[page]! < 2);
      this.send(batch, batch.length);
      for (const page of batch) this.stale.delete(page);
    }
    this.session.stop();
    // Writes land until the stop, and DMA may land after it.
    for (const page of this.session.takeDirtyPages()) this.stale.add(page);
    this.session.copyPages([...this.stale]);
    this.session.resume();
  }

  private send(pages: number[] | 'all', count: number): void {
    const limit = this.policy.rateLimitBytesPerMs;
    this.session.copyPages(pages, limit === null ? undefined : { maxBytesPerMs: limit });
    this.rounds += 1;
    this.sentWhileRunning += count;
  }

  /** A page dirtied in two reads running is hot; one read clean makes it cool again. */
  private readLog(): void {
    const dirty = new Set(this.session.takeDirtyPages());
    for (let page = 0; page < this.timesDirty.length; page++) {
      if (dirty.has(page)) {
        this.stale.add(page);
        if (this.timesDirty[page]! < 2) this.timesDirty[page]! += 1;
      } else if (this.timesDirty[page] === 1) {
        this.timesDirty[page] = 0;
      }
    }
  }

  private timeToStop(): boolean {
    const { policy, session } = this;
    const pending = this.stale.size;
    const downtime = 2 * session.latencyMs + (pending * session.pageSizeBytes + MIGRATION_CPU_STATE_BYTES) / session.bandwidthBytesPerMs;
    return this.rounds >= policy.maxRounds
      || pending < policy.minPendingPages
      || this.sentWhileRunning + pending > policy.maxSentFactor * session.pageCount
      || downtime <= policy.downtimeTargetMs;
  }
}

export function migrate(session: MigrationSession, policy: MigrationPolicy): void {
  new PreCopy(session, policy).run();
}

class EvacuationSearch {
  private readonly where = new Map<string, string>();
  private readonly moves: EvacuationMove[] = [];
  private readonly input: EvacuationInput;
  private readonly maxMoves: number;

  constructor(input: EvacuationInput, maxMoves: number) {
    this.input = input;
    this.maxMoves = maxMoves;
    for (const vm of input.vms) this.where.set(vm.id, vm.host);
  }

  solve(): EvacuationMove[] {
    if (!this.search()) throw new Error(`no evacuation of ${this.input.drain} within ${this.maxMoves} moves`);
    return this.moves;
  }

  private search(): boolean {
    if (this.input.vms.every((vm) => this.where.get(vm.id) !== this.input.drain)) return true;
    if (this.moves.length >= this.maxMoves) return false;
    // VMs on the drained host first, then the others (which may need to make room).
    const order = [...this.input.vms].sort((a, b) => Number(this.where.get(b.id) === this.input.drain) - Number(this.where.get(a.id) === this.input.drain));
    for (const vm of order) {
      for (const host of this.input.hosts) {
        if (host.state !== 'up' || host.id === this.input.drain || host.id === this.where.get(vm.id)) continue;
        if (!this.allowed(vm.id, host.id)) continue;
        const from = this.where.get(vm.id)!;
        this.where.set(vm.id, host.id);
        this.moves.push({ vm: vm.id, to: host.id });
        if (this.search()) return true;
        this.moves.pop();
        this.where.set(vm.id, from);
      }
    }
    return false;
  }

  private allowed(vmId: string, hostId: string): boolean {
    const vm = this.input.vms.find((v) => v.id === vmId)!;
    const host = this.input.hosts.find((h) => h.id === hostId)!;
    const there = this.input.vms.filter((v) => v.id !== vmId && this.where.get(v.id) === hostId);
    if (vm.service !== null && there.some((v) => v.service === vm.service)) return false;
    const cores = there.reduce((sum, v) => sum + v.vcpus, vm.vcpus);
    const memory = there.reduce((sum, v) => sum + v.memoryGiB, vm.memoryGiB);
    return cores <= host.cpuCores && memory <= host.memoryGiB;
  }
}

export function planEvacuation(input: EvacuationInput): EvacuationMove[] {
  const leaving = input.vms.filter((vm) => vm.host === input.drain).length;
  return new EvacuationSearch(input, 2 * leaving).solve();
}
