/** The seed a learner types: a whole number, shown on the page so "seed 42" can be shared. */
export const DEFAULT_SEED = 42;
const MAX_SEED = 2 ** 31 - 1;

/** The seed in `text`, or null if it is not a whole number from 0 to 2³¹ − 1. */
export function parseSeed(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,10}$/.test(trimmed)) return null;
  const seed = Number(trimmed);
  return seed <= MAX_SEED ? seed : null;
}
