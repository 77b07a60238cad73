/**
 * The settings lesson 2's consolidation explorable offers, shared by its form (Consolidation.astro)
 * and its model's reading of the form (view.ts). The fleet is the simulator's seeded generator
 * with its defaults (a week of hourly samples, servers 5–20 % busy); only the hosts and the
 * headroom change.
 */
export const FLEET_SERVICES = 12;
export const HEADROOM_PERCENT = [0, 10, 20, 30] as const;

/** Host sizes to consolidate onto; all draw the simulator's DEFAULT_HOST_POWER. */
export const HOST_MODELS = {
  small: { cpuCores: 8, memoryGiB: 32 },
  medium: { cpuCores: 16, memoryGiB: 64 },
  large: { cpuCores: 32, memoryGiB: 128 },
} as const;
export type HostModelId = keyof typeof HOST_MODELS;
export const HOST_MODEL_IDS = Object.keys(HOST_MODELS) as HostModelId[];

export const DEFAULTS = { headroomPercent: 10, host: 'medium' } as const satisfies { headroomPercent: number; host: HostModelId };
