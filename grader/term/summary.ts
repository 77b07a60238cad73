/** The term's lines under the grading table: roster outcome, duplicates, late penalties, missing times. */
import { studentLabel } from '../node/reports.ts';
import { singleLine } from '../node/safe-text.ts';
import type { TermRow } from './term-rows.ts';

const label = (r: TermRow): string => singleLine(r.student === null ? (r.row === null ? '' : studentLabel(r.row)) : r.student.name === '' ? r.student.id : `${r.student.name} (${r.student.id})`);
const when = (r: TermRow): string => (r.submittedAt === null ? 'no recorded time' : new Date(r.submittedAt).toISOString());

export function termSummary(rows: readonly TermRow[], options: { roster: boolean; course: boolean }): string {
  const out: string[] = [''];
  const count = (status: TermRow['status']): TermRow[] => rows.filter((r) => r.status === status);
  if (options.roster) {
    const graded = count('graded').length + count('error').length;
    out.push(`Roster: ${graded} submitted (${count('error').length} could not be graded), ${count('missing').length} missing, ${count('unknown').length} unknown, ${count('superseded').length} older duplicates.`);
    for (const r of count('missing')) out.push(`  missing    ${label(r)}`);
    for (const r of count('unknown')) out.push(`  unknown    ${singleLine(r.row?.source ?? '')} (names "${label(r)}", matches nobody on the roster)`);
    for (const r of count('superseded')) {
      const counted = rows.find((c) => c.student === r.student && (c.status === 'graded' || c.status === 'error'));
      out.push(`  duplicate  ${label(r)}: ${singleLine(r.row?.source ?? '')} (${when(r)}) not counted; ${singleLine(counted?.row?.source ?? '')} (${counted === undefined ? '' : when(counted)}) counts`);
    }
  }
  if (options.course) {
    const late = rows.filter((r) => r.late !== null && r.late.penalty > 0 && r.status !== 'superseded');
    const untimed = rows.filter((r) => r.row?.status === 'graded' && r.submittedAt === null && r.status !== 'superseded');
    out.push(`Late policy: ${late.length} penalised, ${untimed.length} without a recorded time (no penalty applied: give their times with --submitted-at).`);
    for (const r of late) if (r.late !== null) out.push(`  late       ${label(r)}: raw ${r.late.rawScore}, penalty ${r.late.penalty}, final ${r.late.finalScore} — ${r.late.note} (submitted ${when(r)}, due ${r.late.due})`);
    for (const r of untimed) out.push(`  no time    ${label(r)} (${singleLine(r.row?.source ?? '')})`);
  }
  return `${out.join('\n')}\n`;
}

/** The term's part of the instructor's JSON: per row its status, trusted time and late outcome. */
export function termJson(rows: readonly TermRow[]): object[] {
  return rows.map((r) => ({
    status: r.status,
    rosterId: r.student?.id ?? null,
    source: r.row?.source ?? null,
    submittedAt: r.submittedAt === null ? null : new Date(r.submittedAt).toISOString(),
    late: r.late,
  }));
}
