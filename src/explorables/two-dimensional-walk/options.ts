/**
 * What lesson 7's two-dimensional-walk explorable offers, shared by its form
 * (TwoDimensionalWalk.astro), its model and its tests.
 */
/** Page-table levels the learner may choose for the guest's tables and for the nested tables. */
export const LEVELS = [1, 2, 3, 4] as const;
/** 64-bit x86: four levels on both sides, the lesson's 24 references. */
export const DEFAULT_LEVELS = { guest: 4, nested: 4 } as const;
/** The simulator's tables have two levels (10/10/12 bits), guest and native alike. */
export const SIMULATOR_LEVELS = 2;
