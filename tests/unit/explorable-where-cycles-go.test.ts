/**
 * Lesson 1's "where the cycles go" explorable, checked against the simulator: the recorded VM
 * figures are measured again with the reference monitors (so a change to the simulator or its
 * costs that the record does not follow fails here), the native run in slices is the simulator's
 * uninterrupted run, the seed changes no figure, and the claims the lesson's explanation makes
 * about the mixes hold.
 */
import { describe, expect, test } from 'vitest';
import { bareRun, measureAll, measureVm } from '../../scripts/measure-where-cycles-go.ts';
import { MEASURED } from '../../src/explorables/where-cycles-go/measured.ts';
import { APPROACHES, BANDS, MIXES, mixById, type MixId } from '../../src/explorables/where-cycles-go/options.ts';
import { bandOf, compare, type Comparison } from '../../src/explorables/where-cycles-go/comparison.ts';
import { NativeRun } from '../../src/explorables/where-cycles-go/session.ts';
import { CALIBRATION_KERNEL } from '../../src/sim/index.ts';

const comparisons = new Map<MixId, Comparison>(MIXES.map((mix) => [mix.id, compare(mix, new NativeRun(mix).runToEnd())]));
const overheads = (id: MixId) => Object.fromEntries(comparisons.get(id)!.approaches.map((result) => [result.approach.id, result.overhead]));

describe('where the cycles go', () => {
  test('the recorded VM figures are what the simulator measures now, with the reference monitors', () => {
    expect(MEASURED).toEqual(measureAll());
  });

  test('the native run in slices gives the uninterrupted run\'s busy cycles, and the record was measured against them', () => {
    for (const mix of MIXES) {
      const sliced = new NativeRun(mix);
      let slices = 0;
      while (!sliced.slice(50_000)) slices++;
      expect(slices, mix.id).toBeGreaterThan(3);
      const result = sliced.result()!;
      expect(result.busyCycles).toBe(bareRun(mix).busyCycles);
      expect(result.output).toBe(bareRun(mix).output);
      expect(comparisons.get(mix.id)!.recordFits).toBe(true);
      expect(MEASURED[mix.id].nativeBusyCycles).toBe(result.busyCycles);
    }
  });

  test('the seed only picks host frames: another seed measures the same cycles', () => {
    const mix = mixById('page-tables');
    for (const { id } of APPROACHES) for (const seed of [0, 2 ** 31 - 1]) expect(measureVm(mix, id, seed)).toEqual(MEASURED[mix.id].vms[id]);
  });

  test('the overhead is busy cycles over native busy cycles, and each VM\'s accounts add up to its busy cycles', () => {
    for (const comparison of comparisons.values()) {
      for (const result of comparison.approaches) {
        const { direct, trap, emulation, worldSwitch } = result.accounts;
        expect(direct + trap + emulation + worldSwitch).toBe(result.busyCycles);
        expect(result.overhead).toBeCloseTo(result.busyCycles / comparison.native.busyCycles - 1, 12);
        expect(result.directShare).toBeGreaterThan(0.95); // the lesson: "nearly all instructions still run directly"
        expect(result.printed).not.toBe('different');
      }
    }
  });

  test('the calibration mix is the simulator\'s, and lands where its README and the lesson say', () => {
    expect(mixById('calibration').kernel).toBe(CALIBRATION_KERNEL);
    const results = comparisons.get('calibration')!.approaches;
    const band = (id: string) => results.find((result) => result.approach.id === id)!.band;
    expect(band('paravirtualization')).toBe('xen');
    expect(band('binary-translation')).toBe('full-virtualization');
    expect(band('trap-and-emulate')).toBe('full-virtualization');
    // The README's figures: 5.2 %, 36.3 %, 46.0 %.
    expect(overheads('calibration')).toEqual({
      paravirtualization: expect.closeTo(0.052, 3),
      'binary-translation': expect.closeTo(0.363, 3),
      'trap-and-emulate': expect.closeTo(0.46, 3),
    });
  });

  test('the order is the same on every mix: paravirtualization, binary translation, trap-and-emulate (the prediction\'s answer)', () => {
    for (const mix of MIXES) {
      const o = overheads(mix.id);
      expect(o['paravirtualization']!, mix.id).toBeLessThan(o['binary-translation']!);
      expect(o['binary-translation']!, mix.id).toBeLessThan(o['trap-and-emulate']!);
    }
  });

  test('compute-bound code stays under 10 % everywhere; system calls and page-table changes push each approach above its calibration band', () => {
    for (const overhead of Object.values(overheads('compute'))) expect(overhead).toBeLessThan(0.1);
    const calibration = comparisons.get('calibration')!.approaches;
    for (const id of ['syscalls', 'page-tables'] as const) {
      for (const result of comparisons.get(id)!.approaches) {
        const was = BANDS.find((band) => band.id === calibration.find((c) => c.approach.id === result.approach.id)!.band)!;
        expect(result.overhead, `${id}: ${result.approach.id}`).toBeGreaterThan(was.high);
      }
    }
  });

  test('bands include their limits', () => {
    expect([0, 0.0299, 0.03, 0.08, 0.0801, 0.2, 0.3, 0.5, 0.5001, 3].map(bandOf)).toEqual(['below', 'below', 'xen', 'xen', 'between', 'between', 'full-virtualization', 'full-virtualization', 'above', 'above']);
    expect(BANDS.map(({ low, high }) => [low, high])).toEqual([[0.03, 0.08], [0.3, 0.5]]);
  });
});
