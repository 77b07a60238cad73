/**
 * Report formats for graded batches: the instructor's JSON, an LMS gradebook CSV, Gradescope's
 * results.json, and students' own reports (hidden-test details removed unless the lab allows).
 */
import type { LabManifest } from '../core/lab-format.ts';
import { failedTestNames, studentView } from '../core/scoring.ts';
import type { Diagnostic, GradeResult, TestResult } from '../core/types.ts';
import type { BatchRow } from './batch.ts';
import { plainText } from './safe-text.ts';

/**
 * The instructor's full JSON: every row with every test's output, hidden ones included, and
 * the names of the row's files in `--reports` and `--gradescope` folders (`fileStems[i]`).
 */
export function instructorJson(manifest: LabManifest, rows: readonly BatchRow[], fileStems: readonly string[]): string {
  const shown = rows.map((row, i) => {
    const { student, studentId, source, ...rest } = row;
    const stem = fileStems[i] ?? '';
    return { student, ...(studentId === undefined ? {} : { student_id: studentId }), source, files: { report: `${stem}.txt`, gradescope: `${stem}.json` }, ...rest };
  });
  return `${JSON.stringify({ lab: manifest.id, labVersion: manifest.version, gradedAt: new Date().toISOString(), rows: shown }, null, 2)}\n`;
}

/** One CSV cell: quoted when needed, and defused when a spreadsheet would read it as a formula. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A gradebook an LMS imports: one row per submission, score and percent first. */
export function gradebookCsv(rows: readonly BatchRow[]): string {
  const header = ['student', 'student_id', 'score', 'max_score', 'percent', 'public_score', 'hidden_score', 'status', 'failed_tests', 'error', 'source'];
  const lines = [header.join(',')];
  for (const row of rows) {
    if (row.status === 'graded') {
      const r = row.result;
      const percent = r.maxScore === 0 ? 0 : Math.round((r.score / r.maxScore) * 1000) / 10;
      lines.push([row.student, row.studentId ?? '', r.score, r.maxScore, percent, r.publicScore, r.hiddenScore, 'graded', failedTestNames(r).join('; '), '', row.source].map(csvCell).join(','));
    } else {
      lines.push([row.student, row.studentId ?? '', '', '', '', '', '', 'error', '', row.error, row.source].map(csvCell).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

function describeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `- ${d.message}${d.blocking ? '' : d.kind === 'type' ? ' (reported only: type errors cost no points)' : ''}`).join('\n');
}

function testText(test: TestResult): string {
  const parts: string[] = [];
  if (test.verdict !== 'passed') parts.push(`${test.verdict}: ${test.message}${test.location === undefined ? '' : ` (at ${test.location})`}`);
  if (test.output !== '') parts.push(`Console output:\n${test.output}`);
  return parts.join('\n\n');
}

/** Gradescope's results.json for one submission, as students will see it. */
export function gradescopeResults(manifest: LabManifest, result: GradeResult): object {
  const shown = studentView(result, manifest);
  const output = [
    `${manifest.title} (version ${manifest.version}): ${shown.score}/${shown.maxScore} points (public ${shown.publicScore}/${shown.publicMax}, hidden ${shown.hiddenScore}/${shown.hiddenMax}).`,
    shown.diagnostics.length > 0 ? `\nProblems found:\n${describeDiagnostics(shown.diagnostics)}` : '',
    shown.loadOutput !== '' ? `\nConsole output while loading your files:\n${shown.loadOutput}` : '',
  ].join('');
  return {
    score: shown.score,
    execution_time: Math.max(0, Math.round(shown.durationMs / 1000)),
    output,
    stdout_visibility: 'hidden',
    tests: shown.tests.map((test) => ({
      name: test.fullName,
      score: test.score,
      max_score: test.points,
      status: test.verdict === 'passed' ? 'passed' : 'failed',
      output: testText(test),
      visibility: test.visibility === 'public' ? 'visible' : 'after_published',
    })),
  };
}

/** Gradescope's results.json for a submission that could not be graded. */
export function gradescopeError(message: string): object {
  return { score: 0, execution_time: 0, output: `This submission could not be graded:\n${message}`, stdout_visibility: 'hidden', tests: [] };
}

/** How a report names its student: `ada (s1234)` when the submission gave an id. */
export function studentLabel(row: Pick<BatchRow, 'student' | 'studentId'>): string {
  return row.studentId === undefined ? row.student : `${row.student} (${row.studentId})`;
}

/**
 * A student's own plain-text report (hidden details removed unless the lab shows them). Control
 * characters and escape sequences are removed (the report holds the learner's console output),
 * so printing it in a terminal or a CI log shows exactly the text.
 */
export function studentReport(manifest: LabManifest, row: BatchRow): string {
  return plainText(reportText(manifest, row));
}

function reportText(manifest: LabManifest, row: BatchRow): string {
  if (row.status === 'error') return `${manifest.title} — ${studentLabel(row)}: your submission could not be graded.\n${row.error}\n`;
  const shown = studentView(row.result, manifest);
  const lines = [`${manifest.title} (version ${manifest.version}) — ${studentLabel(row)}`, `Score: ${shown.score}/${shown.maxScore} (public ${shown.publicScore}/${shown.publicMax}, hidden ${shown.hiddenScore}/${shown.hiddenMax})`, ''];
  if (shown.diagnostics.length > 0) lines.push('Problems found:', describeDiagnostics(shown.diagnostics), '');
  for (const test of shown.tests) {
    lines.push(`${test.verdict === 'passed' ? '✔' : '✘'} [${test.visibility}] ${test.fullName} — ${test.score}/${test.points}`);
    const text = testText(test);
    if (text !== '') lines.push(text.replace(/^/gm, '    '));
  }
  return `${lines.join('\n')}\n`;
}
