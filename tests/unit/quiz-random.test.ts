import { describe, expect, test } from 'vitest';
import { displayOrder, hashString, quizRandom, seededShuffle } from '../../src/quiz/random.ts';
import { generators } from '../../src/quiz/generators/index.ts';

function draw(seed: number, id: string) {
  const rng = quizRandom(seed, id);
  return [rng.int(1, 1000), rng.float(0, 1, 3), rng.pick(['a', 'b', 'c', 'd'])];
}

describe('seeded quiz parameters', () => {
  test('the same seed and question give the same numbers', () => {
    expect(draw(1234, 'q/overhead')).toEqual(draw(1234, 'q/overhead'));
  });
  test('another learner or another question draws differently', () => {
    const draws = new Set([draw(1, 'q'), draw(2, 'q'), draw(1, 'r'), draw(3, 'q')].map((d) => JSON.stringify(d)));
    expect(draws.size).toBeGreaterThan(2);
  });
  test('int stays within its inclusive bounds and reaches both ends', () => {
    const rng = quizRandom(7, 'bounds');
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(rng.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });
  test('float honours its decimals', () => {
    const rng = quizRandom(7, 'decimals');
    for (let i = 0; i < 100; i++) {
      const value = rng.float(1, 2, 1);
      expect(value).toBeGreaterThanOrEqual(1);
      expect(value).toBeLessThanOrEqual(2);
      expect(Math.round(value * 10)).toBeCloseTo(value * 10, 9);
    }
  });
  test('the hash is stable (the same in every browser)', () => {
    expect(hashString('virtlab')).toBe(hashString('virtlab'));
    expect(hashString('virtlab')).not.toBe(hashString('virtlab!'));
  });
  test('shuffles are permutations and repeatable', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    const shuffled = seededShuffle(items, 99, 'x');
    expect([...shuffled].sort()).toEqual(items);
    expect(seededShuffle(items, 99, 'x')).toEqual(shuffled);
  });
  test('the displayed order is never the answer', () => {
    const items = ['1', '2', '3'];
    for (let seed = 0; seed < 200; seed++) expect(displayOrder(items, seed, 'o')).not.toEqual(items);
  });
  test('generated questions regenerate identically for one seed', () => {
    const generate = generators.get('fixture-sum')!;
    expect(generate(quizRandom(5, 'quiz/q'))).toEqual(generate(quizRandom(5, 'quiz/q')));
    const instance = generate(quizRandom(5, 'quiz/q'));
    const [a, b] = instance.prompt.match(/\d+/g)!.map(Number);
    expect(instance.answer).toBe(a! + b!);
  });
});
