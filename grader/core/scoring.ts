/**
 * Scoring: turns a run's outcomes into points, and makes the student-facing view of a result
 * (hidden tests keep their name and score, but lose their output and failure details unless the
 * lab's manifest says `showHiddenOutputToStudents`).
 */
import type { LabManifest } from './lab-format.ts';
import type { RunRecord } from './driver.ts';
import { learnerNamer, renameDiagnostic, renameOutcome } from './learner-names.ts';
import type { Diagnostic, GradeResult, TestResult } from './types.ts';

/**
 * Scores a run: a test earns its points only when it passed. Messages, locations, output and
 * diagnostics name the learner's files as the learner does (`consolidate.ts`).
 */
export function scoreRun(manifest: LabManifest, run: RunRecord, extraDiagnostics: readonly Diagnostic[], durationMs: number): GradeResult {
  const rename = learnerNamer(manifest.files.map((f) => f.path));
  const tests: TestResult[] = run.tests.map((info, index) => {
    const outcome = renameOutcome(run.outcomes[index] ?? { verdict: 'crashed', message: 'no outcome', output: '', durationMs: 0 }, rename);
    return { ...info, ...outcome, score: outcome.verdict === 'passed' ? info.points : 0 };
  });
  const sum = (list: readonly TestResult[], pick: (t: TestResult) => number): number => list.reduce((total, t) => total + pick(t), 0);
  const publicTests = tests.filter((t) => t.visibility === 'public');
  const hiddenTests = tests.filter((t) => t.visibility === 'hidden');
  const ranHidden = run.tests.some((t) => t.visibility === 'hidden');
  const publicMax = manifest.points.public;
  const hiddenMax = ranHidden || run.tests.length === 0 ? manifest.points.hidden : 0;
  const publicScore = sum(publicTests, (t) => t.score);
  const hiddenScore = sum(hiddenTests, (t) => t.score);
  return {
    lab: manifest.id,
    labVersion: manifest.version,
    score: publicScore + hiddenScore,
    maxScore: publicMax + hiddenMax,
    publicScore,
    publicMax,
    hiddenScore,
    hiddenMax,
    tests,
    diagnostics: [...run.load.diagnostics, ...extraDiagnostics].map((d) => renameDiagnostic(d, rename)),
    loadOutput: rename(run.load.output),
    durationMs: Math.round(durationMs),
  };
}

/** Text that replaces hidden tests' details in students' reports. */
export const HIDDEN_DETAILS = 'Details of hidden tests are not shown.';

/** The result as a student may see it (see module doc). */
export function studentView(result: GradeResult, manifest: Pick<LabManifest, 'showHiddenOutputToStudents'>): GradeResult {
  if (manifest.showHiddenOutputToStudents) return result;
  return {
    ...result,
    tests: result.tests.map((test) =>
      test.visibility === 'hidden'
        ? { ...test, message: test.verdict === 'passed' ? '' : HIDDEN_DETAILS, output: '', location: undefined, attachments: undefined }
        : test,
    ).map((test) => {
      const { location, attachments, ...rest } = test;
      return { ...rest, ...(location === undefined ? {} : { location }), ...(attachments === undefined ? {} : { attachments }) };
    }),
  };
}

/** Failed tests' full names, for summaries. */
export function failedTestNames(result: GradeResult): string[] {
  return result.tests.filter((t) => t.verdict !== 'passed').map((t) => t.fullName);
}
