/**
 * Per-lab pictures of what the simulator did, drawn in the results panel after a run.
 * Each lab registers a renderer for its id; a lab without one shows nothing extra.
 */
import type { GradeResult } from '../../grader/core/types.ts';

export type Visualizer = (target: HTMLElement, result: GradeResult) => void;

const visualizers = new Map<string, Visualizer>();

/** Registers the picture for a lab (called by the lab's visualization module). */
export function registerVisualizer(labId: string, visualize: Visualizer): void {
  visualizers.set(labId, visualize);
}

export function renderVisualization(target: HTMLElement, labId: string, result: GradeResult): void {
  target.replaceChildren();
  visualizers.get(labId)?.(target, result);
}
