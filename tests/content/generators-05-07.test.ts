/**
 * The numeric quiz generators of lessons 5–7 (hypervisors, trade-offs, full virtualization).
 *
 * Each generator is checked by re-deriving its answer from the numbers printed in its own prompt,
 * so a prompt that drifts from the arithmetic (or an explanation that drifts from the answer)
 * fails here rather than in front of a learner.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generators as lesson05 } from '../../src/quiz/generators/05-hypervisors.ts';
import { generators as lesson06 } from '../../src/quiz/generators/06-hypervisor-tradeoffs.ts';
import { generators as lesson07 } from '../../src/quiz/generators/07-full-virtualization.ts';
import { quizRandom } from '../../src/quiz/random.ts';
import { FIGURES } from '../../src/facts/figures.ts';
import type { NumericGenerator, NumericInstance } from '../../src/quiz/types.ts';

const all: Record<string, NumericGenerator> = { ...lesson05, ...lesson06, ...lesson07 };
const seeds = Array.from({ length: 3000 }, (_, i) => i * 7919 - 40_000);
const hypervisorMax = FIGURES['lecture-hypervisor-overhead'].value.max;
const xenFigure = FIGURES['lecture-xen-overhead'].value;
const fullFigure = FIGURES['lecture-fullvirt-overhead'].value;

function draw(name: string, seed: number, questionId = 'q'): NumericInstance {
  const generator = all[name];
  if (!generator) throw new Error(`no generator ${name}`);
  return generator(quizRandom(seed, questionId));
}

/** The first capture of `pattern` in `text` as a number (commas as thousands separators allowed). */
function num(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  if (!match?.[1]) throw new Error(`prompt does not match ${pattern}: ${text}`);
  return Number(match[1].replace(/,/g, ''));
}

/** Accepts an answer within the instance's own tolerance (absolute or relative). */
function withinTolerance(instance: NumericInstance, expected: number): boolean {
  const allowed = instance.relative ? instance.tolerance * Math.abs(expected) : instance.tolerance;
  return Math.abs(instance.answer - expected) <= allowed + 1e-9;
}

/** Megabytes from "1.5 GB" or "512 MB". */
function megabytes(amount: string, unit: string): number {
  return unit === 'GB' ? Number(amount) * 1024 : Number(amount);
}

describe('lesson 5–7 generators: shared properties', () => {
  it('defines the generators the lessons use, and no others', () => {
    const used = new Set<string>();
    for (const lesson of ['05-hypervisors', '06-hypervisor-tradeoffs', '07-full-virtualization']) {
      const source = readFileSync(new URL(`../../content/lessons/${lesson}.mdx`, import.meta.url), 'utf8');
      for (const match of source.matchAll(/generator="([a-z0-9-]+)"/g)) used.add(match[1]!);
    }
    expect([...used].sort()).toEqual(Object.keys(all).sort());
  });

  for (const name of Object.keys(all)) {
    it(`${name}: the same seed and question id always give the same question`, () => {
      for (const seed of seeds.slice(0, 20)) {
        expect(draw(name, seed, 'a')).toEqual(draw(name, seed, 'a'));
      }
    });

    it(`${name}: varies across learners and returns a well-formed instance`, () => {
      const prompts = new Set(seeds.map((seed) => draw(name, seed).prompt));
      expect(prompts.size).toBeGreaterThan(5);
      for (const seed of seeds) {
        const instance = draw(name, seed);
        expect(Number.isFinite(instance.answer)).toBe(true);
        expect(instance.tolerance).toBeGreaterThanOrEqual(0);
        expect(instance.unit?.length ?? 0).toBeGreaterThan(0);
        // The explanation ends at the answer the learner is marked against.
        expect(instance.explanation.replace(/,/g, '')).toContain(String(instance.answer));
      }
    });
  }
});

describe('05-hypervisors', () => {
  it('hypervisors-trap-speed: speed = 1 / (1 + traps × cost), between 50% and 100%', () => {
    for (const seed of seeds) {
      const q = draw('hypervisors-trap-speed', seed);
      const traps = num(q.prompt, /causes ([\d,]+) traps per second/);
      const micros = num(q.prompt, /costs (\d+) µs/);
      const expected = 100 / (1 + (traps * micros) / 1e6);
      expect(withinTolerance(q, expected)).toBe(true);
      expect(q.answer).toBeGreaterThan(50);
      expect(q.answer).toBeLessThan(100);
      expect(q.unit).toBe('%');
    }
  });

  it('hypervisors-trap-budget: traps × cost uses exactly the overhead budget', () => {
    for (const seed of seeds) {
      const q = draw('hypervisors-trap-budget', seed);
      const budget = num(q.prompt, /within (\d+)% overhead/);
      const micros = num(q.prompt, /each trap costs (\d+) µs/);
      expect([hypervisorMax / 2, hypervisorMax]).toContain(budget);
      // At the answer, the extra time per native second is exactly the budget.
      expect((q.answer * micros) / 1e6).toBeCloseTo(budget / 100, 9);
      expect(Number.isInteger(q.answer)).toBe(true);
    }
  });
});

describe('06-hypervisor-tradeoffs', () => {
  it('hypervisor-guests-fit: the answer is the largest number of guests that fits', () => {
    for (const seed of seeds) {
      const q = draw('hypervisor-guests-fit', seed);
      const host = num(q.prompt, /has (\d+) GB of RAM/);
      const reserved = num(q.prompt, /keeps (\d+) GB for itself/);
      const parts = /needs ([\d.]+) (GB|MB) for its own operating system, ([\d.]+) (GB|MB) for its application, and (\d+) MB/.exec(q.prompt);
      expect(parts).not.toBeNull();
      const perGuest = megabytes(parts![1]!, parts![2]!) + megabytes(parts![3]!, parts![4]!) + Number(parts![5]);
      const usable = (host - reserved) * 1024;
      expect(Number.isInteger(q.answer)).toBe(true);
      expect(q.answer * perGuest).toBeLessThanOrEqual(usable);
      expect((q.answer + 1) * perGuest).toBeGreaterThan(usable);
      expect(q.answer).toBeGreaterThanOrEqual(4);
      expect(q.tolerance).toBe(0);
    }
  });

  it('hypervisor-cpu-hosts: the fewest hosts whose capacity covers demand plus overhead', () => {
    for (const seed of seeds) {
      const q = draw('hypervisor-cpu-hosts', seed);
      const services = num(q.prompt, /move (\d+) services/);
      const busy = num(q.prompt, /keeps (\d+)% of one host/);
      const overhead = num(q.prompt, /needs (\d+)% more CPU/);
      const target = num(q.prompt, /at most (\d+)% CPU/);
      expect(overhead).toBeGreaterThanOrEqual(xenFigure.low);
      expect(overhead).toBeLessThanOrEqual(hypervisorMax);
      // In hundredths of a percent, to compare exactly.
      const demand = services * busy * (100 + overhead);
      expect(q.answer * target * 100).toBeGreaterThanOrEqual(demand);
      expect((q.answer - 1) * target * 100).toBeLessThan(demand);
    }
  });

  it('hypervisor-page-sharing: saves (guests − 1) copies of the identical pages', () => {
    for (const seed of seeds) {
      const q = draw('hypervisor-page-sharing', seed);
      const guests = num(q.prompt, /^(\d+) guests/);
      const size = num(q.prompt, /each with (\d+) MB/);
      const identical = num(q.prompt, /(\d+)% of each guest's memory/);
      const expected = ((guests - 1) * size * identical) / 100;
      expect(withinTolerance(q, expected)).toBe(true);
      // Sharing can never save more than all but one guest's memory.
      expect(q.answer).toBeLessThan((guests - 1) * size);
      expect(q.answer).toBeGreaterThan(0);
    }
  });
});

describe('06-hypervisor-tradeoffs: the idle memory tax', () => {
  it('hypervisor-idle-tax: active MB once, idle MB k = 1 / (1 − τ) times, more than the guest holds', () => {
    const defaultTax = FIGURES['waldspurger-tax-rate'].value.value;
    let sawDefault = false;
    for (const seed of seeds) {
      const q = draw('hypervisor-idle-tax', seed);
      const size = num(q.prompt, /holds (\d+) MB/);
      const active = num(q.prompt, /of which sampling finds (\d+)% actively used/);
      const tax = num(q.prompt, /tax rate of (\d+)%/);
      const k = 1 / (1 - tax / 100);
      const expected = (size * active) / 100 + k * ((size * (100 - active)) / 100);
      expect(withinTolerance(q, expected)).toBe(true);
      // An idle page costs more than an active one, so the charge exceeds the memory held.
      expect(q.answer).toBeGreaterThan(size);
      expect(q.prompt.includes("(the paper's default)")).toBe(tax === defaultTax);
      sawDefault ||= tax === defaultTax;
    }
    expect(sawDefault).toBe(true);
  });
});

describe('06-hypervisor-tradeoffs: sharing a host', () => {
  /** Entitlements by water-filling (bisection on λ): clamp(λ × weight, 0, most), summing to the capacity. */
  function entitlements(capacity: number, vcpus: readonly { weight: number; most: number }[]): number[] {
    const at = (lambda: number) => vcpus.map((v) => Math.min(v.most, lambda * v.weight));
    const total = (lambda: number) => at(lambda).reduce((a, b) => a + b, 0);
    let lo = 0;
    let hi = 1;
    while (total(hi) < capacity) hi *= 2;
    for (let i = 0; i < 100; i++) {
      const mid = (lo + hi) / 2;
      if (total(mid) < capacity) lo = mid;
      else hi = mid;
    }
    return at(hi);
  }

  it('hypervisor-vcpu-entitlement: the share the weights, the cap and the idle vCPU imply', () => {
    for (const seed of seeds) {
      const q = draw('hypervisor-vcpu-entitlement', seed);
      const pcpus = num(q.prompt, /has (\d+) physical CPU/);
      const idle = /(\w+) is idle/.exec(q.prompt)![1]!;
      const target = /does (\w+) get/.exec(q.prompt)![1]!;
      const vcpus = [...q.prompt.matchAll(/(\w+) \(weight (\d+)(?:, cap (\d+)%)?\)/g)].map((m) => ({
        name: m[1]!, weight: Number(m[2]), cap: m[3] === undefined ? undefined : Number(m[3]),
      }));
      expect(vcpus.length).toBeGreaterThanOrEqual(4);
      const busy = vcpus.filter((v) => v.name !== idle);
      const shares = entitlements(100 * pcpus, busy.map((v) => ({ weight: v.weight, most: Math.min(v.cap ?? 100, 100) })));
      const expected = shares[busy.findIndex((v) => v.name === target)]!;
      expect(withinTolerance(q, expected)).toBe(true);
      // The question discriminates: ignoring the idle vCPU, or the cap, gives a wrong answer.
      const targetWeight = busy.find((v) => v.name === target)!.weight;
      const allWeights = vcpus.reduce((sum, v) => sum + v.weight, 0);
      const busyWeights = busy.reduce((sum, v) => sum + v.weight, 0);
      expect(withinTolerance(q, (100 * pcpus * targetWeight) / allWeights)).toBe(false);
      expect(withinTolerance(q, (100 * pcpus * targetWeight) / busyWeights)).toBe(false);
      // The cap binds, and no busy vCPU is held back by the one-physical-CPU ceiling instead.
      const capped = busy.findIndex((v) => v.cap !== undefined);
      expect(shares[capped]).toBeCloseTo(busy[capped]!.cap!, 6);
      expect(Math.max(...shares)).toBeLessThan(100);
      expect(target).not.toBe(busy[capped]!.name);
    }
  });

  it('hypervisor-balloon-split: the idle memory tax fills the host, every VM above its working set', () => {
    const taxPercent = FIGURES['waldspurger-tax-rate'].value.value;
    const k = 1 / (1 - taxPercent / 100);
    for (const seed of seeds) {
      const q = draw('hypervisor-balloon-split', seed);
      const host = num(q.prompt, /has (\d+) MiB for its VMs/);
      const configured = num(q.prompt, /each configured with (\d+) MiB/);
      const busyActive = num(q.prompt, /busy VM with a working set of (\d+) MiB/);
      const idleVms = num(q.prompt, /and (\d+) idle VMs/);
      const idleActive = num(q.prompt, /working sets of (\d+) MiB each/);
      expect(q.prompt).toContain(`τ = ${taxPercent}%`);
      // Solve the prompt's rule for L, then check what it implies.
      const level = (k * host - (k - 1) * (busyActive + idleVms * idleActive)) / (idleVms + 1);
      const allocation = (active: number) => ((k - 1) * active + level) / k;
      expect(withinTolerance(q, allocation(idleActive))).toBe(true);
      expect(allocation(busyActive) + idleVms * allocation(idleActive)).toBeCloseTo(host, 6);
      // Overcommitted, and the rule's clamps never bind: each VM between its working set and its configured size.
      expect((idleVms + 1) * configured).toBeGreaterThan(host);
      expect(allocation(busyActive)).toBeLessThanOrEqual(configured);
      expect(allocation(busyActive)).toBeGreaterThan(busyActive);
      expect(q.answer).toBeGreaterThan(idleActive);
      expect(q.answer).toBeLessThan(configured);
    }
  });
});

describe('07-full-virtualization', () => {
  it('fullvirt-vs-xen-time: native time × (full − Xen overhead), with the lecture ranges', () => {
    for (const seed of seeds) {
      const q = draw('fullvirt-vs-xen-time', seed);
      const minutes = num(q.prompt, /takes (\d+) minutes/);
      const xen = num(q.prompt, /has (\d+)% overhead under Xen/);
      const full = num(q.prompt, /and (\d+)% overhead under full/);
      expect(xen).toBeGreaterThanOrEqual(xenFigure.low);
      expect(xen).toBeLessThanOrEqual(xenFigure.high);
      expect(full).toBeGreaterThanOrEqual(fullFigure.low);
      expect(full).toBeLessThanOrEqual(fullFigure.high);
      expect(withinTolerance(q, (minutes * (full - xen)) / 100)).toBe(true);
      expect(q.answer).toBeGreaterThan(0);
    }
  });

  it('fullvirt-emulation-speedup: emulated time / (native time + interventions), always above 1', () => {
    for (const seed of seeds) {
      const q = draw('fullvirt-emulation-speedup', seed);
      const emulatedNs = num(q.prompt, /spends (\d+) ns on average/);
      const interventions = num(q.prompt, /but (\d+) of every million/);
      const micros = num(q.prompt, /need the VMM, at (\d+) µs/);
      const expected = emulatedNs / (1 + (interventions * micros) / 1000);
      expect(withinTolerance(q, expected)).toBe(true);
      expect(q.answer).toBeGreaterThan(1);
    }
  });

  it('fullvirt-hosts-compare: the difference of two exact host counts, at least one', () => {
    for (const seed of seeds) {
      const q = draw('fullvirt-hosts-compare', seed);
      const services = num(q.prompt, /^(\d+) services/);
      const busy = num(q.prompt, /keep (\d+)% of one host/);
      const target = num(q.prompt, /at most (\d+)% CPU/);
      const xen = num(q.prompt, /each service needs (\d+)% more CPU/);
      const full = num(q.prompt, /under full virtualization, (\d+)% more/);
      expect(xen).toBeGreaterThanOrEqual(xenFigure.low);
      expect(xen).toBeLessThanOrEqual(xenFigure.high);
      expect(full).toBeGreaterThanOrEqual(fullFigure.low);
      expect(full).toBeLessThanOrEqual(fullFigure.high);
      const hosts = (overhead: number) => Math.ceil((services * busy * (100 + overhead)) / (target * 100));
      expect(q.answer).toBe(hosts(full) - hosts(xen));
      expect(q.answer).toBeGreaterThanOrEqual(1);
    }
  });

  it('fullvirt-nested-walk: the references a step-by-step 2-D walk makes, 24 for four levels each', () => {
    // Counts the walk as the hardware does it rather than by the closed formula the generator uses.
    const walkReferences = (guestLevels: number, nestedLevels: number): number => {
      let references = 0;
      const translateGuestPhysical = () => { references += nestedLevels; };
      for (let level = 0; level < guestLevels; level++) {
        translateGuestPhysical(); // where this level's guest table lives
        references += 1; // read the guest entry
      }
      translateGuestPhysical(); // the data page the last entry names
      return references;
    };
    expect(walkReferences(4, 4)).toBe(24);
    const seen = new Set<string>();
    for (const seed of seeds) {
      const q = draw('fullvirt-nested-walk', seed);
      const guest = num(q.prompt, /guest's page tables \((\d+) levels\)/);
      const nested = num(q.prompt, /nested tables \((\d+) levels\)/);
      seen.add(`${guest}/${nested}`);
      expect(q.answer).toBe(walkReferences(guest, nested));
      expect(q.tolerance).toBe(0);
    }
    expect(seen).toContain('4/4');
  });
});
