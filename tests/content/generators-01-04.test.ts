/**
 * The numeric quiz generators of lessons 1–4 (taxonomy overheads, consolidation, migration and
 * failures, OS-level isolation density).
 *
 * Every answer is re-derived here from the numbers printed in the generator's own prompt, by a
 * different route where one exists (the pre-copy rounds are simulated instead of summed as a
 * geometric series), and then judged by the site's own checker. So a prompt that drifts from the
 * arithmetic, or an explanation that drifts from the answer, fails here rather than in front of
 * a learner.
 */
import { describe, expect, it } from 'vitest';
import { checkNumeric, formatNumber } from '../../src/quiz/check.ts';
import { generators as lesson01 } from '../../src/quiz/generators/01-what-is-virtualization.ts';
import { generators as lesson02 } from '../../src/quiz/generators/02-why-virtualize.ts';
import { generators as lesson03 } from '../../src/quiz/generators/03-why-not.ts';
import { generators as lesson04 } from '../../src/quiz/generators/04-os-level-isolation.ts';
import { quizRandom } from '../../src/quiz/random.ts';
import { FIGURES, figureText } from '../../src/facts/figures.ts';
import { DOWNTIME_LIMIT_SECONDS, fewestRoundsWithinLimit } from '../../src/quiz/generators/03-why-not.ts';
import type { NumericGenerator, NumericInstance } from '../../src/quiz/types.ts';

const all: Record<string, NumericGenerator> = { ...lesson01, ...lesson02, ...lesson03, ...lesson04 };
const seeds = Array.from({ length: 3000 }, (_, i) => i * 104_729 - 9_000_000);

function draw(name: string, seed: number, questionId = 'q'): NumericInstance {
  const generator = all[name];
  if (!generator) throw new Error(`no generator ${name}`);
  return generator(quizRandom(seed, questionId));
}

/** The first capture of `pattern` in `text`, as a number. */
function num(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  if (!match?.[1]) throw new Error(`prompt does not match ${pattern}: ${text}`);
  return Number(match[1]);
}

/** Integer ceiling of a / b for positive integers, without floating-point division. */
function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

/** The site's own checker accepts `expected` for this instance, and the explanation states the answer. */
function expectConsistent(instance: NumericInstance, expected: number): void {
  const typed = String(Number(expected.toFixed(6)));
  expect(checkNumeric(instance, typed).correct, `${typed} should be accepted for: ${instance.prompt}`).toBe(true);
  expect(instance.explanation).toContain(String(instance.answer));
  expect(instance.prompt.length).toBeGreaterThan(40);
  expect(Number.isFinite(instance.answer)).toBe(true);
}

/** For each seed, draws the named generator and hands the instance to `check`. */
function forEachSeed(name: string, check: (instance: NumericInstance) => void): void {
  for (const seed of seeds) check(draw(name, seed));
}

describe('generators of lessons 1–4: registry and determinism', () => {
  const names = Object.keys(all);

  it('defines the generators the lessons use, with no name used twice', () => {
    const count = [lesson01, lesson02, lesson03, lesson04].reduce((sum, g) => sum + Object.keys(g).length, 0);
    expect(names.length).toBe(count);
    expect(names.sort()).toEqual(
      [
        'consolidation-hosts',
        'consolidation-power-saved',
        'consolidation-utilization',
        'containers-cpu-max',
        'isolation-density-contexts',
        'isolation-density-vs-vms',
        'migration-precopy-downtime',
        'migration-precopy-total',
        'migration-rounds-within-limit',
        'migration-stop-and-copy',
        'spof-any-outage',
        'taxonomy-overhead-gap',
        'taxonomy-overhead-runtime',
      ].sort(),
    );
  });

  it.each(names)('%s gives the same question for the same seed and question id', (name) => {
    expect(draw(name, 424242, 'some-question')).toEqual(draw(name, 424242, 'some-question'));
  });

  it.each(names)('%s varies its numbers across seeds', (name) => {
    const prompts = new Set(seeds.slice(0, 40).map((seed) => draw(name, seed).prompt));
    expect(prompts.size).toBeGreaterThan(5);
  });
});

describe('lesson 1: overhead and running time', () => {
  const isolation = FIGURES['lecture-isolation-overhead'].value;
  const xen = FIGURES['lecture-xen-overhead'].value;
  const full = FIGURES['lecture-fullvirt-overhead'].value;
  const ranges: Record<string, [number, number]> = {
    [figureText('lecture-isolation-overhead')]: [isolation.low, isolation.high],
    [`${figureText('lecture-xen-overhead')} for Xen`]: [xen.low, xen.high],
    [figureText('lecture-fullvirt-overhead')]: [full.low, full.high],
  };

  it('taxonomy-overhead-runtime: native × (1 + overhead), with the overhead inside the lecture range it quotes', () => {
    forEachSeed('taxonomy-overhead-runtime', (q) => {
      const native = num(q.prompt, /takes (\d+) minutes on bare hardware/);
      const overhead = num(q.prompt, /assume (\d+)%/);
      const figure = /gives (.+?) overhead/.exec(q.prompt)?.[1] ?? '';
      const range = ranges[figure];
      expect(range, `unknown lecture figure "${figure}"`).toBeDefined();
      expect(overhead).toBeGreaterThanOrEqual(range![0]);
      expect(overhead).toBeLessThanOrEqual(range![1]);
      const expected = native + (native * overhead) / 100;
      expectConsistent(q, expected);
      expect(q.unit).toBe('minutes');
      expect(q.answer).toBeGreaterThan(native);
      expect(q.answer).toBeLessThanOrEqual(native * 1.5);
    });
  });

  it('taxonomy-overhead-gap: native × (heavy − light) / 100, light and heavy inside the lecture figures', () => {
    forEachSeed('taxonomy-overhead-gap', (q) => {
      const native = num(q.prompt, /takes (\d+) minutes on bare hardware/);
      const light = num(q.prompt, /assume (\d+)% overhead in a jail/);
      const heavy = num(q.prompt, /and (\d+)% under full virtualization/);
      expect(light).toBeGreaterThanOrEqual(isolation.low);
      expect(light).toBeLessThanOrEqual(isolation.high);
      expect(heavy).toBeGreaterThanOrEqual(full.low);
      expect(heavy).toBeLessThanOrEqual(full.high);
      expectConsistent(q, native * (1 + heavy / 100) - native * (1 + light / 100));
      expect(q.answer).toBeGreaterThan(0);
    });
  });
});

describe('lesson 2: consolidation arithmetic', () => {
  it('consolidation-hosts: the larger of the CPU and memory requirements, exactly', () => {
    let cpuBinds = 0;
    let memoryBinds = 0;
    forEachSeed('consolidation-hosts', (q) => {
      const servers = num(q.prompt, /consolidate (\d+) servers/);
      const util = num(q.prompt, /averages (\d+)% of one host's CPU/);
      const memory = num(q.prompt, /needs (\d+) GB of memory/);
      const hostMemory = num(q.prompt, /host has (\d+) GB/);
      const target = num(q.prompt, /at most (\d+)% busy/);
      const byCpu = ceilDiv(servers * util, target);
      const byMemory = ceilDiv(servers * memory, hostMemory);
      if (byCpu > byMemory) cpuBinds++;
      if (byMemory > byCpu) memoryBinds++;
      expect(q.tolerance).toBe(0);
      expectConsistent(q, Math.max(byCpu, byMemory));
      expect(checkNumeric(q, String(q.answer - 1)).correct).toBe(false);
      expect(q.answer).toBeGreaterThanOrEqual(1);
      expect(q.answer).toBeLessThan(servers);
    });
    // Both constraints must matter for some learners, or the question teaches only one of them.
    expect(cpuBinds).toBeGreaterThan(10);
    expect(memoryBinds).toBeGreaterThan(10);
  });

  it('consolidation-utilization: demand with overhead shared by the hosts, between the old average and 100%', () => {
    forEachSeed('consolidation-utilization', (q) => {
      const servers = num(q.prompt, /^(\d+) servers/);
      const util = num(q.prompt, /average (\d+)% CPU/);
      const hosts = num(q.prompt, /onto (\d+) hosts/);
      const overhead = num(q.prompt, /adds (\d+)% to each/);
      const expected = (servers * util * (1 + overhead / 100)) / hosts;
      expectConsistent(q, expected);
      expect(q.unit).toBe('%');
      expect(q.answer).toBeGreaterThan(util);
      expect(q.answer).toBeLessThanOrEqual(100);
    });
  });

  it('consolidation-power-saved: idle-plus-proportional model before minus after, mostly idle power', () => {
    forEachSeed('consolidation-power-saved', (q) => {
      const servers = num(q.prompt, /^(\d+) servers/);
      const util = num(q.prompt, /average (\d+)% utilization/);
      const idle = num(q.prompt, /draws (\d+) W idle/);
      const peak = num(q.prompt, /and (\d+) W at full load/);
      const hosts = num(q.prompt, /onto (\d+) hosts/);
      const overhead = num(q.prompt, /adds (\d+)% to the CPU demand/);
      const power = (u: number) => idle + (peak - idle) * u;
      // Before: every server at its own utilization. After: the same work plus overhead, spread evenly.
      const before = servers * power(util / 100);
      const perHost = (servers * util * (1 + overhead / 100)) / hosts / 100;
      const after = hosts * power(perHost);
      expectConsistent(q, before - after);
      expect(q.unit).toBe('W');
      expect(perHost).toBeLessThanOrEqual(1);
      // The explanation's claim: most of the saving is the idle power of the machines switched off.
      const idleOfSwitchedOff = (servers - hosts) * idle;
      expect(q.answer).toBeLessThanOrEqual(idleOfSwitchedOff);
      expect(q.answer).toBeGreaterThan(0.9 * idleOfSwitchedOff);
      expect(q.explanation).toContain(`${idleOfSwitchedOff} W`);
    });
  });
});

describe('lesson 3: failures and migration', () => {
  /** Pre-copy simulated round by round: each round sends what was dirtied while the previous one was sent. */
  function simulate(memory: number, bandwidth: number, dirty: number, rounds: number) {
    let toSend = memory;
    let total = 0;
    for (let round = 1; round <= rounds; round++) {
      const seconds = toSend / bandwidth;
      total += seconds;
      toSend = dirty * seconds;
    }
    const downtime = toSend / bandwidth;
    return { downtime, total: total + downtime };
  }

  function precopyParameters(prompt: string) {
    return {
      memory: num(prompt, /with (\d+) MiB of memory/),
      bandwidth: num(prompt, /carries (\d+) MiB\/s/),
      dirty: num(prompt, /steady (\d+(?:\.\d+)?) MiB\/s/),
      rounds: num(prompt, /Pre-copy runs (\d+) rounds/),
    };
  }

  it('migration-precopy-downtime: the last dirty set sent at link speed, shorter than a cold copy', () => {
    forEachSeed('migration-precopy-downtime', (q) => {
      const p = precopyParameters(q.prompt);
      expect(p.dirty).toBeLessThan(p.bandwidth);
      const { downtime } = simulate(p.memory, p.bandwidth, p.dirty, p.rounds);
      expectConsistent(q, downtime * 1000);
      expect(q.unit).toBe('ms');
      expect(q.answer).toBeGreaterThan(1);
      expect(downtime).toBeLessThan(p.memory / p.bandwidth);
      // Realistic: within QEMU's default downtime limit, after the fewest rounds that achieve it or one more.
      expect(downtime).toBeLessThanOrEqual(DOWNTIME_LIMIT_SECONDS);
      expect(p.rounds - fewestRoundsWithinLimit(p.memory, p.bandwidth, p.dirty)).toBeOneOf([0, 1]);
      expect(q.prompt).toContain('idealised model');
    });
  });

  it('migration-precopy-total: all rounds plus the stop-and-copy, between one full copy and the infinite series', () => {
    forEachSeed('migration-precopy-total', (q) => {
      const p = precopyParameters(q.prompt);
      const { total } = simulate(p.memory, p.bandwidth, p.dirty, p.rounds);
      expectConsistent(q, total);
      expect(q.unit).toBe('s');
      // The bounds hold for the exact total; the answer itself is rounded to three figures.
      const oneCopy = p.memory / p.bandwidth;
      expect(total).toBeGreaterThan(oneCopy);
      expect(total).toBeLessThan(oneCopy / (1 - p.dirty / p.bandwidth));
    });
  });

  it('migration-rounds-within-limit: the first round after which the final copy fits in QEMU\'s default limit', () => {
    forEachSeed('migration-rounds-within-limit', (q) => {
      const memory = num(q.prompt, /with (\d+) MiB of memory/);
      const bandwidth = num(q.prompt, /carries (\d+) MiB\/s/);
      const dirty = num(q.prompt, /steady (\d+(?:\.\d+)?) MiB\/s/);
      expect(q.prompt).toContain(`downtime limit of ${figureText('qemu-downtime-limit')}`);
      expect(q.prompt).toContain('idealised model');
      // Run rounds one by one, as the hypervisor would, until the last dirty set can be sent within the limit.
      let rounds = 1;
      while (simulate(memory, bandwidth, dirty, rounds).downtime > DOWNTIME_LIMIT_SECONDS) rounds++;
      expectConsistent(q, rounds);
      expect(q.tolerance).toBe(0);
      expect(q.unit).toBe('rounds');
      // One round fewer would not do, and no case sits so close to the limit that rounding could decide it.
      expect(simulate(memory, bandwidth, dirty, rounds - 1).downtime).toBeGreaterThan(DOWNTIME_LIMIT_SECONDS);
      expect(Math.abs(simulate(memory, bandwidth, dirty, rounds).downtime - DOWNTIME_LIMIT_SECONDS)).toBeGreaterThan(1e-6);
      expect(q.explanation).toContain(`comes after round ${rounds},`);
    });
  });

  it('migration-stop-and-copy: all memory at link speed', () => {
    forEachSeed('migration-stop-and-copy', (q) => {
      const gib = num(q.prompt, /with (\d+) GiB of memory/);
      const bandwidth = num(q.prompt, /at (\d+) MiB\/s/);
      expectConsistent(q, (gib * 1024) / bandwidth);
      expect(q.answer).toBeGreaterThan(0.5);
      expect(q.answer).toBeLessThan(200);
    });
  });

  it('spof-any-outage: one minus the chance that every machine survives; above one machine, below the union bound', () => {
    forEachSeed('spof-any-outage', (q) => {
      const machines = num(q.prompt, /^(\d+) services/);
      const percent = num(q.prompt, /a (\d+(?:\.\d+)?)% chance/);
      let allSurvive = 1;
      for (let i = 0; i < machines; i++) allSurvive *= 1 - percent / 100;
      expectConsistent(q, 100 * (1 - allSurvive));
      expect(q.unit).toBe('%');
      expect(q.answer).toBeGreaterThan(percent);
      expect(q.answer).toBeLessThanOrEqual(machines * percent);
    });
  });
});

describe('lesson 4: density of contexts and virtual machines', () => {
  function densityParameters(prompt: string) {
    const host = num(prompt, /host has (\d+) GiB/);
    const reserved = num(prompt, /of which (\d+) GiB/);
    return {
      available: (host - reserved) * 1024,
      service: num(prompt, /needs (\d+) MiB for its processes/),
      context: num(prompt, /adds (\d+) MiB of overhead/),
      guestOs: num(prompt, /it adds (\d+) MiB for its guest operating system/),
    };
  }

  it('isolation-density-contexts: whole contexts that fit in the available memory', () => {
    forEachSeed('isolation-density-contexts', (q) => {
      const p = densityParameters(q.prompt);
      const per = p.service + p.context;
      expect(q.tolerance).toBe(0);
      expectConsistent(q, Math.floor(p.available / per));
      // Whole contexts only: one more would not fit.
      expect(q.answer * per).toBeLessThanOrEqual(p.available);
      expect((q.answer + 1) * per).toBeGreaterThan(p.available);
      expect(q.answer).toBeGreaterThanOrEqual(50);
    });
  });

  it('isolation-density-vs-vms: contexts minus virtual machines, always in favour of contexts', () => {
    forEachSeed('isolation-density-vs-vms', (q) => {
      const p = densityParameters(q.prompt);
      const contexts = Math.floor(p.available / (p.service + p.context));
      const vms = Math.floor(p.available / (p.service + p.guestOs));
      expectConsistent(q, contexts - vms);
      expect(q.answer).toBeGreaterThan(0);
      expect(q.explanation).toContain(`= ${contexts}.`);
      expect(q.explanation).toContain(`= ${vms}.`);
    });
  });
});

describe('number formatting in prompts', () => {
  it('never prints floating-point noise', () => {
    for (const name of Object.keys(all)) {
      for (const seed of seeds.slice(0, 50)) {
        const q = draw(name, seed);
        expect(`${q.prompt} ${q.explanation}`, name).not.toMatch(/\d\.\d{7,}/);
        expect(formatNumber(q.answer)).not.toMatch(/e/);
      }
    }
  });
});

describe('lesson 4: cgroup v2 cpu.max', () => {
  it('containers-cpu-max: min(threads, quota / period), a multiple of a quarter CPU', () => {
    let quotaBinds = 0;
    let threadsBind = 0;
    forEachSeed('containers-cpu-max', (q) => {
      const match = /cpu\.max set to "(\d+) (\d+)"/.exec(q.prompt);
      expect(match, q.prompt).not.toBeNull();
      const [quota, period] = [Number(match![1]), Number(match![2])];
      const threads = num(q.prompt, /It runs (\d+) CPU-bound/);
      expect(period).toBeGreaterThanOrEqual(1000);
      const expected = Math.min(threads, quota / period);
      expectConsistent(q, expected);
      expect(q.answer).toBeGreaterThan(0);
      expect(q.answer).toBeLessThanOrEqual(16);
      if (quota / period < threads) quotaBinds++;
      else threadsBind++;
    });
    // Both limits decide some questions, so neither shortcut (always quota / period, always threads) passes.
    expect(quotaBinds).toBeGreaterThan(100);
    expect(threadsBind).toBeGreaterThan(100);
  });
});
