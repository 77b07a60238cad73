/** The model-free parts of explorables: the seed a learner types, and loading once. */
import { describe, expect, test } from 'vitest';
import { DEFAULT_SEED, parseSeed } from '../../src/explorables/seed.ts';
import { once } from '../../src/explorables/lazy.ts';

describe('explorable seeds', () => {
  test.each([
    ['42', 42],
    [' 7 ', 7],
    ['0', 0],
    ['2147483647', 2147483647],
  ])('"%s" is seed %d', (text, seed) => expect(parseSeed(text)).toBe(seed));

  test.each(['', 'forty-two', '-1', '4.2', '1e3', '2147483648', '99999999999'])('"%s" is refused', (text) => expect(parseSeed(text)).toBeNull());

  test('the default seed is one a learner could type', () => expect(parseSeed(String(DEFAULT_SEED))).toBe(DEFAULT_SEED));
});

describe('loading an explorable once', () => {
  test('every caller gets the same load, started once', async () => {
    let started = 0;
    const load = once(async () => ++started);
    const [a, b] = await Promise.all([load(), load()]);
    expect([a, b, await load()]).toEqual([1, 1, 1]);
    expect(started).toBe(1);
  });
});
