/**
 * Seeded randomness for quizzes: the same (learner seed, question id) always draws the same
 * numbers, so a learner who reloads sees the same question and an instructor can regenerate it.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** What a numeric question generator may draw from. */
export interface QuizRandom {
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** A number in [min, max] rounded to `decimals` places. */
  float(min: number, max: number, decimals?: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

/** FNV-1a: a stable 32-bit hash of a string, the same in every browser and in Node. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** A generator seeded by the learner's seed and the question's id. */
export function quizRandom(learnerSeed: number, questionId: string): QuizRandom {
  const generator = xoroshiro128plus(hashString(`${learnerSeed}:${questionId}`));
  const int = (min: number, max: number): number => uniformInt(generator, min, max);
  return {
    int,
    float(min, max, decimals = 2) {
      const scale = 10 ** decimals;
      return int(Math.ceil(min * scale), Math.floor(max * scale)) / scale;
    },
    pick(items) {
      if (items.length === 0) throw new RangeError('pick() needs a non-empty array');
      return items[int(0, items.length - 1)]!;
    },
  };
}

/** A shuffled copy of `items`, deterministic for one (seed, id) pair. */
export function seededShuffle<T>(items: readonly T[], learnerSeed: number, id: string): T[] {
  const rng = quizRandom(learnerSeed, `shuffle:${id}`);
  const result = items.slice();
  for (let i = result.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

/** Shuffles for display, never leaving the items in the answer's order. */
export function displayOrder(items: readonly string[], seed: number, id: string): string[] {
  const shuffled = seededShuffle(items, seed, id);
  const unchanged = shuffled.every((item, index) => item === items[index]);
  return unchanged && items.length > 1 ? [...shuffled.slice(1), shuffled[0]!] : shuffled;
}
