/**
 * PrairieLearn's external-grader results format (kept apart from the packaging code, which needs
 * esbuild, so the packaged autograder can import it).
 */
import type { LabManifest } from '../core/lab-format.ts';
import { studentView } from '../core/scoring.ts';
import type { GradeResult } from '../core/types.ts';

/** PrairieLearn's results.json for one graded submission, as students will see it. */
export function prairielearnResults(manifest: LabManifest, result: GradeResult): object {
  const shown = studentView(result, manifest);
  return {
    gradable: true,
    score: shown.maxScore === 0 ? 0 : shown.score / shown.maxScore,
    message: `${manifest.title} (version ${manifest.version}): ${shown.score}/${shown.maxScore} points (public ${shown.publicScore}/${shown.publicMax}, hidden ${shown.hiddenScore}/${shown.hiddenMax}).`,
    output: [...shown.diagnostics.map((d) => d.message), shown.loadOutput].filter((t) => t !== '').join('\n'),
    tests: shown.tests.map((test) => ({
      name: test.fullName,
      description: test.visibility === 'public' ? 'public test' : 'hidden test',
      points: test.score,
      max_points: test.points,
      message: test.verdict === 'passed' ? '' : `${test.verdict}: ${test.message}`,
      output: test.output,
    })),
  };
}

/** PrairieLearn's results.json for a submission that could not be graded (not gradable: no attempt used). */
export function prairielearnError(message: string): object {
  return { gradable: false, score: 0, message: `This submission could not be graded:\n${message}`, output: '', tests: [] };
}
