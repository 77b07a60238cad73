/**
 * Long runs in the page without a worker: simulate in slices and let the browser draw a frame
 * between them, so Run to the end never freezes the page for long.
 */

/** Simulation per task before the browser gets to draw a frame. */
export const FRAME_BUDGET_MS = 8;

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/**
 * Calls `advance` until it returns false (the run is over), yielding to the browser whenever a
 * slice has used its budget. Resolves false if `current()` turned false while it yielded: the
 * run was replaced (Reset, new settings) and must draw nothing more.
 */
export async function advanceInFrames(advance: () => boolean, current: () => boolean): Promise<boolean> {
  let sliceStart = performance.now();
  while (advance()) {
    if (performance.now() - sliceStart < FRAME_BUDGET_MS) continue;
    await nextFrame();
    if (!current()) return false;
    sliceStart = performance.now();
  }
  return true;
}
