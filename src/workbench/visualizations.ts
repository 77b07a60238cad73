/**
 * Per-lab pictures of what the simulator did, drawn in the results panel after a run.
 * A lab's visualizer lives in `visualizations/<lab-id>.ts` and is loaded only on that lab's page;
 * it receives what the public tests recorded with `attach(name, data)` from `@virtlab/test`.
 */
import type { GradeResult } from '../../grader/core/types.ts';

/** One thing a public test attached for the picture. */
export interface Attachment {
  /** The full name of the test that attached it. */
  test: string;
  name: string;
  data: unknown;
}

export type Visualize = (target: HTMLElement, attachments: readonly Attachment[]) => void;

const modules = import.meta.glob<{ visualize: Visualize }>('./visualizations/*.ts');

/** Everything the run's tests attached, in test order. */
export function attachmentsOf(result: GradeResult): Attachment[] {
  return result.tests.flatMap((test) => (test.attachments ?? []).map((attachment) => ({ test: test.fullName, ...attachment })));
}

export async function renderVisualization(target: HTMLElement, labId: string, result: GradeResult): Promise<void> {
  target.replaceChildren();
  const load = modules[`./visualizations/${labId}.ts`];
  if (!load) return;
  const attachments = attachmentsOf(result);
  if (attachments.length === 0) return;
  try {
    (await load()).visualize(target, attachments);
  } catch (error) {
    target.textContent = `The picture for this run could not be drawn: ${(error as Error).message}`;
  }
}
