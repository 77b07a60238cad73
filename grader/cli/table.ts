/** Plain-text summary of a batch: one line per submission, then class statistics. */
import { failedTestNames } from '../core/scoring.ts';
import type { Diagnostic } from '../core/types.ts';
import { classStatistics, type BatchRow } from '../node/batch.ts';
import { studentLabel } from '../node/reports.ts';
import { singleLine } from '../node/safe-text.ts';

/** The learner-controlled parts of a row (names, messages, test names), printable in a terminal. */
function cell(text: string): string {
  return singleLine(text);
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

const round = (value: number): string => String(Math.round(value * 100) / 100);

/**
 * Type errors cost no points but often explain a failure, so the row names how many and where the
 * first is (the JSON report lists them all), before the failed tests.
 */
function typeErrorNote(diagnostics: readonly Diagnostic[]): string {
  const typeErrors = diagnostics.filter((d) => d.kind === 'type');
  const first = typeErrors[0];
  if (!first) return '';
  const where = first.file === undefined ? '' : ` at ${first.file}${first.line === undefined ? '' : `:${first.line}`}`;
  return `[${typeErrors.length} type error${typeErrors.length === 1 ? '' : 's'}, first${where}] `;
}

/** The summary table and the class statistics. */
export function summaryTable(rows: readonly BatchRow[]): string {
  const lines: string[] = [];
  const names = rows.map((r) => cell(studentLabel(r)));
  const studentWidth = Math.min(30, Math.max(7, ...names.map((name) => name.length)));
  lines.push(`${pad('Student', studentWidth)}  ${pad('Score', 9)}  Failed tests / problem`);
  lines.push(`${'-'.repeat(studentWidth)}  ${'-'.repeat(9)}  ${'-'.repeat(40)}`);
  for (const [i, row] of rows.entries()) {
    const student = pad(clip(names[i] ?? '', studentWidth), studentWidth);
    if (row.status === 'error') {
      lines.push(`${student}  ${pad('ERROR', 9)}  ${clip(cell(row.error), 160)}`);
      continue;
    }
    const result = row.result;
    const failed = failedTestNames(result);
    const blocking = result.diagnostics.find((d) => d.blocking);
    const tests = blocking !== undefined ? blocking.message : failed.length === 0 ? '—' : `${failed.length}: ${failed.join('; ')}`;
    const detail = `${typeErrorNote(result.diagnostics)}${tests}`;
    lines.push(`${student}  ${pad(`${result.score}/${result.maxScore}`, 9)}  ${clip(cell(detail), 160)}`);
  }
  const stats = classStatistics(rows);
  const errors = rows.filter((r) => r.status === 'error').length;
  lines.push('');
  if (stats === null) lines.push(`No submission was graded (${errors} could not be).`);
  else {
    lines.push(`Graded ${stats.count} of ${rows.length} submissions${errors > 0 ? ` (${errors} could not be graded)` : ''}, out of ${stats.maxScore} points:`);
    lines.push(`mean ${round(stats.mean)}  median ${round(stats.median)}  min ${round(stats.min)}  max ${round(stats.max)}`);
  }
  return `${lines.join('\n')}\n`;
}
