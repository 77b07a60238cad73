/** A generator the site's own tests use (tests/fixtures/content): the sum of two drawn numbers. */
import type { NumericGenerator } from '../types.ts';

export const generators: Record<string, NumericGenerator> = {
  'fixture-sum': (rng) => {
    const a = rng.int(10, 99);
    const b = rng.int(10, 99);
    return { prompt: `What is ${a} + ${b}?`, answer: a + b, tolerance: 0, explanation: `${a} + ${b} = ${a + b}.` };
  },
};
