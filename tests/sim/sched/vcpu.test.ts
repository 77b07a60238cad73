/** vCPU scheduling: the simulator measures what each vCPU got; the stride scheduler is the tests' reference. */
import { describe, expect, it } from 'vitest';
import { SimError, VcpuSchedulingHost, type VcpuSchedulerPolicy, type VcpuSpec } from '../../../src/sim/index.ts';
import { createStrideScheduler } from './reference-schedulers.ts';

function host(pcpus: number, vcpus: readonly VcpuSpec[], policy?: VcpuSchedulerPolicy, seed = 1) {
  const h = new VcpuSchedulingHost({ pcpus, seed });
  for (const v of vcpus) h.addVcpu(v);
  if (policy) h.setScheduler(policy);
  return h;
}

/** Within `percent` % of `target`. */
function expectNear(value: number | undefined, target: number, percent = 2): void {
  expect(value).toBeGreaterThanOrEqual(target * (1 - percent / 100));
  expect(value).toBeLessThanOrEqual(target * (1 + percent / 100));
}

function ranMs(h: VcpuSchedulingHost): Record<string, number> {
  return Object.fromEntries(h.report().vcpus.map((v) => [v.id, v.ranMs]));
}

const WEIGHTED: readonly VcpuSpec[] = [
  { id: 'a', vm: 'A', weight: 256 },
  { id: 'b', vm: 'B', weight: 512 },
  { id: 'c', vm: 'C', weight: 1024 },
];

describe('proportional share', () => {
  it('gives busy vCPUs CPU time in proportion to their weights under stride scheduling', () => {
    const h = host(1, WEIGHTED, createStrideScheduler());
    h.run(7000);
    const ran = ranMs(h);
    expectNear(ran.a, 1000);
    expectNear(ran.b, 2000);
    expectNear(ran.c, 4000);
    expect(h.report().idleWhileRunnableMs).toBe(0);
  });

  it('ignores weights under the naive round robin', () => {
    const h = host(1, WEIGHTED);
    h.run(6000);
    const ran = ranMs(h);
    expect(ran.a).toBe(2000);
    expect(ran.b).toBe(2000);
    expect(ran.c).toBe(2000);
  });

  it('cannot give one vCPU more than one physical CPU', () => {
    const h = host(2, [
      { id: 'heavy', vm: 'H', weight: 3000 },
      { id: 'x', vm: 'X' }, { id: 'y', vm: 'Y' }, { id: 'z', vm: 'Z' },
    ], createStrideScheduler());
    h.run(3000);
    const report = h.report();
    const heavy = report.vcpus.find((v) => v.id === 'heavy');
    expect(heavy?.cpuPercent).toBeGreaterThanOrEqual(99);
    expect(heavy?.cpuPercent).toBeLessThanOrEqual(100);
    for (const id of ['x', 'y', 'z']) expectNear(report.vcpus.find((v) => v.id === id)?.ranMs, 1000);
    expect(report.busyMs).toBe(6000);
  });

  it('enforces caps by leaving the CPU idle, and measures that idleness', () => {
    const h = host(1, [{ id: 'capped', vm: 'C', capPercent: 25 }], createStrideScheduler());
    h.run(4000);
    const report = h.report();
    expect(report.vcpus[0]?.cpuPercent).toBeLessThanOrEqual(25.5);
    expect(report.vcpus[0]?.cpuPercent).toBeGreaterThanOrEqual(24);
    expect(report.idleWhileRunnableMs).toBeGreaterThan(2900);
  });

  it('serves an interactive vCPU promptly next to a CPU hog', () => {
    const h = host(1, [
      { id: 'hog', vm: 'H', weight: 256 },
      { id: 'shell', vm: 'S', weight: 256, demand: { kind: 'periodic', periodMs: 100, workMs: 10 } },
    ], createStrideScheduler());
    h.run(5000);
    const shell = h.report().vcpus.find((v) => v.id === 'shell');
    expect(shell?.ranMs).toBe(500);
    expect(shell?.waitingMs).toBeLessThanOrEqual(500);
    expect(h.report().busyMs).toBe(5000);
  });

  it('counts a vCPU whose work ends partway through a quantum as runnable only until then, not waiting', () => {
    // 3 ms of work every 100 ms, 10 ms quanta: each burst ends 3 ms into the quantum that runs it.
    const shell = { id: 'shell', vm: 'S', demand: { kind: 'periodic', periodMs: 100, workMs: 3 } } as const;
    const alone = host(1, [shell], createStrideScheduler());
    alone.run(1000);
    expect(alone.report().vcpus[0]).toMatchObject({ ranMs: 30, runnableMs: 30, waitingMs: 0 });
    // Next to a hog it may wait whole quanta first; runnable time is then exactly its waiting plus its running.
    const shared = host(1, [{ id: 'hog', vm: 'H' }, shell], createStrideScheduler());
    shared.run(1000);
    for (const v of shared.report().vcpus) expect(v.runnableMs).toBe(v.ranMs + v.waitingMs);
    const busy = shared.report().vcpus.find((v) => v.id === 'shell');
    expect(busy?.ranMs).toBe(30);
    expect((busy?.waitingMs ?? -1) % 10).toBe(0); // only whole quanta spent waiting
  });

  it('is deterministic for a seed with random demand', () => {
    const vcpus: VcpuSpec[] = [
      { id: 'r1', vm: 'R', demand: { kind: 'random', probability: 0.3 } },
      { id: 'r2', vm: 'R', demand: { kind: 'random', probability: 0.6 }, weight: 512 },
    ];
    const run = (seed: number) => {
      const h = host(1, vcpus, createStrideScheduler(), seed);
      h.run(2000);
      return h.report();
    };
    expect(run(5)).toEqual(run(5));
    expect(run(6)).not.toEqual(run(5));
  });
});

describe('vCPUs leaving', () => {
  it('takes a removed vCPU out of the policy\'s view and the report, and keeps the host\'s totals', () => {
    const seen: string[][] = [];
    const h = host(1, [{ id: 'stays', vm: 'S' }, { id: 'leaves', vm: 'L' }], {
      pick(q) {
        seen.push(q.all.map((v) => v.id));
        return q.runnable.slice(0, q.pcpus).map((v) => v.id);
      },
    });
    h.run(20);
    h.removeVcpu('leaves');
    h.run(20);
    expect(seen).toEqual([['stays', 'leaves'], ['stays', 'leaves'], ['stays'], ['stays']]);
    const report = h.report();
    expect(report.vcpus.map((v) => v.id)).toEqual(['stays']);
    expect(report.busyMs).toBe(40);
    expect(report.elapsedMs).toBe(40);
  });

  it('lets the remaining vCPUs share what the one that left had, under stride scheduling', () => {
    const h = host(1, [{ id: 'a', vm: 'A' }, { id: 'b', vm: 'B' }, { id: 'c', vm: 'C' }], createStrideScheduler());
    h.run(3000);
    h.removeVcpu('c');
    h.run(2000);
    const ran = ranMs(h);
    expectNear(ran.a, 2000);
    expectNear(ran.b, 2000);
    expect(ran.c).toBeUndefined();
  });

  it('adds an id again as a new vCPU with no history', () => {
    const h = host(1, [{ id: 'v', vm: 'V', weight: 512 }]);
    h.run(100);
    h.removeVcpu('v');
    h.addVcpu({ id: 'v', vm: 'W' });
    expect(h.report().vcpus).toEqual([expect.objectContaining({ id: 'v', vm: 'W', weight: 256, ranMs: 0, runnableMs: 0, waitingMs: 0 })]);
    h.run(10);
    expect(h.report().vcpus[0]?.ranMs).toBe(10);
  });

  it('throws NOT_FOUND for an id that is not on the host', () => {
    const h = host(1, [{ id: 'v', vm: 'V' }]);
    h.removeVcpu('v');
    expect(() => h.removeVcpu('v')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('"v"') }));
    expect(() => h.removeVcpu('nobody')).toThrow(SimError);
  });
});

describe('misuse', () => {
  it('throws SimError for invalid specs and invalid picks', () => {
    const h = new VcpuSchedulingHost({ pcpus: 1, seed: 1 });
    h.addVcpu({ id: 'v', vm: 'V', demand: { kind: 'periodic', periodMs: 100, workMs: 10 } });
    expect(() => h.addVcpu({ id: 'v', vm: 'V' })).toThrow(/already exists/);
    expect(() => h.addVcpu({ id: 'w', vm: 'W', weight: 0 })).toThrow(SimError);
    expect(() => h.addVcpu({ id: 'w', vm: 'W', capPercent: 150 })).toThrow(/capPercent/);
    h.setScheduler({ pick: () => ['nope'] });
    expect(() => h.run(10)).toThrow(/unknown vCPU/);
    h.setScheduler({ pick: () => ['v', 'v'] });
    expect(() => h.run(10)).toThrow(/2 vCPUs for 1 physical/);
    const idle = new VcpuSchedulingHost({ pcpus: 1, seed: 1 });
    idle.addVcpu({ id: 'sleepy', vm: 'S', demand: { kind: 'periodic', periodMs: 1000, workMs: 10 } });
    idle.setScheduler({ pick: (q) => (q.nowMs === 0 ? ['sleepy'] : ['sleepy']) });
    expect(() => idle.run(100)).toThrow(/has no work/);
    expect(() => new VcpuSchedulingHost({ pcpus: 0, seed: 1 })).toThrow(SimError);
  });
});
