/**
 * The packaged autograder's entry (bundled to `virtlab/autograder.mjs` by package.ts). It grades
 * one submission with the lab shipped next to it and writes the results where the service wants:
 *
 *   node autograder.mjs                      Gradescope: reads $ROOT/submission, writes $ROOT/results/results.json
 *   node autograder.mjs --submission . --github-output "$GITHUB_OUTPUT" --summary "$GITHUB_STEP_SUMMARY"
 *                                            GitHub Classroom: the reporter's payload and a job summary
 *   node autograder.mjs --submission /grade/student --results /grade/results/results.json --results-format prairielearn
 *                                            PrairieLearn's external grader
 *
 * ROOT is $VIRTLAB_AUTOGRADER_ROOT (default /autograder), so it can be tested in a temporary folder.
 * It always writes a results file, even when the submission cannot be graded.
 */
import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { studentView } from '../core/scoring.ts';
import type { GradeResult } from '../core/types.ts';
import { prebuiltSandboxFiles } from '../node/bundle.ts';
import { Grader } from '../node/grader.ts';
import { loadLab } from '../node/lab-loader.ts';
import { gradescopeError, gradescopeResults, studentReport } from '../node/reports.ts';
import { findSubmission } from './find-submission.ts';
import { prairielearnError, prairielearnResults } from './prairielearn-results.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = process.env['VIRTLAB_AUTOGRADER_ROOT'] ?? '/autograder';
const { values } = parseArgs({
  options: {
    submission: { type: 'string', default: join(root, 'submission') },
    results: { type: 'string', default: join(root, 'results', 'results.json') },
    'github-output': { type: 'string' },
    summary: { type: 'string' },
    /** gradescope (results.json as Gradescope reads it) or prairielearn (its external grader's). */
    'results-format': { type: 'string', default: 'gradescope' },
  },
});

/** The payload GitHub Classroom's autograding reporter reads (base64 JSON in <RUNNER>_RESULTS). */
function classroomPayload(result: GradeResult | null, error: string | null): string {
  const tests = result === null ? [] : result.tests.map((t) => ({ name: t.fullName, status: t.verdict === 'passed' ? 'pass' : 'fail', score: t.score, message: t.verdict === 'passed' ? '' : `${t.verdict}: ${t.message}`, test_code: '', filename: t.file, line_no: 0, execution_time: `${(t.durationMs / 1000).toFixed(2)}s` }));
  const payload = {
    version: 1,
    status: error !== null ? 'error' : result !== null && result.score === result.maxScore ? 'pass' : 'fail',
    max_score: result?.maxScore ?? 0,
    tests: error !== null ? [{ name: 'submission', status: 'error', score: 0, message: error, test_code: '', filename: '', line_no: 0, execution_time: '0s' }] : tests,
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}

async function main(): Promise<number> {
  const labsDir = join(here, 'labs');
  const [labId] = await readdir(labsDir);
  if (labId === undefined) throw new Error(`no lab packaged in ${labsDir}`);
  const publicOnly = process.env['VIRTLAB_PUBLIC_ONLY'] === '1' || (await readdir(join(labsDir, labId, 'tests'))).every((f) => f !== 'hidden.ts');
  const lab = await loadLab(join(labsDir, labId), { publicOnly });
  const input = await findSubmission(values.submission, lab.manifest, 'student');
  let result: GradeResult | null = null;
  let error: string | null = input.ok ? null : input.error;
  if (input.ok) {
    const grader = await Grader.open(lab, {
      concurrency: 1,
      typecheck: false,
      includeHidden: !publicOnly,
      sandboxFiles: prebuiltSandboxFiles({ harness: await readFile(join(here, 'harness.js'), 'utf8'), processEntry: join(here, 'sandbox-process.mjs'), addon: join(here, 'isolated-vm.node') }),
    });
    try {
      result = await grader.grade(input.files);
    } catch (failure) {
      error = `Grading failed: ${failure instanceof Error ? failure.message : String(failure)}`;
    } finally {
      await grader.close();
    }
  }
  const prairielearn = values['results-format'] === 'prairielearn';
  const results = result !== null ? (prairielearn ? prairielearnResults : gradescopeResults)(lab.manifest, result) : (prairielearn ? prairielearnError : gradescopeError)(error ?? 'unknown error');
  await mkdir(dirname(values.results), { recursive: true });
  await writeFile(values.results, `${JSON.stringify(results, null, 2)}\n`);
  const row = result !== null ? { status: 'graded' as const, student: input.student, source: input.source, result } : { status: 'error' as const, student: input.student, source: input.source, error: error ?? '' };
  const report = studentReport(lab.manifest, row);
  process.stdout.write(report);
  if (values['github-output'] !== undefined) {
    const shown = result === null ? null : studentView(result, lab.manifest);
    await appendFile(values['github-output'], `result=${classroomPayload(shown, error)}\n`);
  }
  if (values.summary !== undefined) await appendFile(values.summary, `\`\`\`\n${report}\`\`\`\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (failure: unknown) => {
    process.stderr.write(`virtlab autograder: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}\n`);
    process.exitCode = 1;
  },
);
