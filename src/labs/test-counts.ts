/**
 * Counts a lab's hidden tests at build time, so the lab page can say how many exist without
 * publishing them: the grader collects the tests (running the starter, in-process) and only the
 * count and points leave this module.
 */
import { Grader } from '../../grader/node/grader.ts';
import { loadLab } from '../../grader/node/lab-loader.ts';

export interface HiddenSummary {
  count: number;
  points: number;
}

export async function summarizeHiddenTests(labDir: string): Promise<HiddenSummary> {
  const lab = await loadLab(labDir);
  const grader = await Grader.open(lab, { isolation: 'in-process', typecheck: false, concurrency: 1 });
  try {
    const result = await grader.grade(lab.starter);
    const hidden = result.tests.filter((test) => test.visibility === 'hidden');
    return { count: hidden.length, points: hidden.reduce((sum, test) => sum + test.points, 0) };
  } finally {
    await grader.close();
  }
}
