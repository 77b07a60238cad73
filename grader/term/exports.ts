/**
 * Gradebook exports of a term's rows, in the formats LMS import screens take (columns documented
 * in grader/README.md, "Gradebook exports"):
 * - `csv`: every detail (status, raw score, penalty, final score, time, failed tests).
 * - `canvas`: Canvas's gradebook CSV (Student, ID, SIS User ID, SIS Login ID, Section, then the
 *   assignment column; a "Points Possible" line under the header).
 * - `moodle`: a CSV for Moodle's "Import grades → CSV file" (an identifier column to map, the
 *   grade and a feedback column).
 */
import type { LabManifest } from '../core/lab-format.ts';
import { failedTestNames } from '../core/scoring.ts';
import { csvCell } from '../node/reports.ts';
import { finalScore, type TermRow } from './term-rows.ts';

export const EXPORT_FORMATS = ['csv', 'canvas', 'moodle'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const lines = (rows: readonly (readonly (string | number)[])[]): string => `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;

/** Rows that belong in an LMS gradebook: the counted one per roster student (not unknown or superseded). */
const gradebookRows = (rows: readonly TermRow[]): TermRow[] => rows.filter((r) => r.status === 'graded' || r.status === 'error' || r.status === 'missing');

const who = (r: TermRow): { name: string; id: string; email: string } => ({
  name: r.student?.name || r.row?.student || r.student?.id || '',
  id: r.student?.id ?? r.row?.studentId ?? '',
  email: r.student?.email ?? '',
});

function feedback(r: TermRow): string {
  if (r.status === 'missing') return 'No submission.';
  if (r.row?.status === 'error') return `Could not be graded: ${r.row.error}`;
  const failed = r.row?.status === 'graded' ? failedTestNames(r.row.result) : [];
  const late = r.late === null ? '' : ` ${r.late.note[0]?.toUpperCase()}${r.late.note.slice(1)} (raw ${r.late.rawScore}, penalty ${r.late.penalty}).`;
  return `${failed.length === 0 ? 'All tests passed.' : `Failed: ${failed.join('; ')}.`}${late}`;
}

/** The plain CSV: every row, duplicates and unknown submissions included. */
export function plainTermCsv(rows: readonly TermRow[]): string {
  const header = ['student', 'student_id', 'email', 'status', 'raw_score', 'penalty', 'final_score', 'max_score', 'submitted_at', 'late', 'failed_tests', 'error', 'source'];
  return lines([
    header,
    ...rows.map((r) => {
      const w = who(r);
      const graded = r.row?.status === 'graded' ? r.row.result : null;
      return [w.name, w.id, w.email, r.status, graded?.score ?? '', r.late?.penalty ?? (graded === null ? '' : 0), finalScore(r) ?? '', graded?.maxScore ?? '', r.submittedAt === null ? '' : new Date(r.submittedAt).toISOString(), r.late?.note ?? '', graded === null ? '' : failedTestNames(graded).join('; '), r.row?.status === 'error' ? r.row.error : '', r.row?.source ?? ''];
    }),
  ]);
}

/**
 * Canvas gradebook CSV. Canvas matches students by SIS User ID (the roster id) or SIS Login ID
 * (the email); a blank score leaves the gradebook cell unchanged, so missing work stays blank.
 */
export function canvasCsv(manifest: LabManifest, rows: readonly TermRow[]): string {
  const column = `${manifest.title} (${manifest.id})`;
  return lines([
    ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', column],
    ['Points Possible', '', '', '', '', manifest.points.public + manifest.points.hidden],
    ...gradebookRows(rows).map((r) => {
      const w = who(r);
      return [w.name, '', w.id, w.email, '', finalScore(r) ?? ''];
    }),
  ]);
}

/** Moodle grade import CSV: map "ID number" (or "Email address") to the user field, the lab column to the grade item. */
export function moodleCsv(manifest: LabManifest, rows: readonly TermRow[]): string {
  return lines([
    ['ID number', 'Email address', 'Full name', manifest.id, 'Feedback'],
    ...gradebookRows(rows).map((r) => {
      const w = who(r);
      return [w.id, w.email, w.name, finalScore(r) ?? '', feedback(r)];
    }),
  ]);
}

export function exportTerm(format: ExportFormat, manifest: LabManifest, rows: readonly TermRow[]): string {
  if (format === 'canvas') return canvasCsv(manifest, rows);
  if (format === 'moodle') return moodleCsv(manifest, rows);
  return plainTermCsv(rows);
}
