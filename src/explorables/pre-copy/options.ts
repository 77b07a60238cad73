/**
 * The settings lesson 3's pre-copy explorable offers, shared by its form (PreCopy.astro) and its
 * model's reading of the form (view.ts). Sizes stay small so a whole run takes under a frame.
 */
export const MEMORY_MIB = [16, 32, 64] as const;
export const BANDWIDTH_MBPS = [100, 1000] as const;
export const WRITES_PER_SECOND = [0, 2_000, 10_000, 40_000] as const;
/** The hot set: pages that get 90 % of the writes when the learner chooses a writable working set. */
export const HOT_PAGES = 1024;
/** The share of writes that go to the hot set. */
export const HOT_SHARE = 0.9;
export const DEFAULTS = { memoryMiB: 64, bandwidthMBps: 100, writesPerSecond: 10_000 } as const;

/** Xen's stop rules as lesson 3 states them (tools/libxc/xc_domain_save.c). */
export const XEN_MAX_ROUNDS = 30;
export const XEN_FEW_DIRTY_PAGES = 50;
export const XEN_MAX_SENT_FACTOR = 3;
