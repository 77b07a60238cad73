/**
 * A term's view of one graded lab: one line per roster student (graded or missing), per unknown
 * submission and per superseded duplicate, with the trusted time and the late penalty.
 */
import type { BatchRow } from '../node/batch.ts';
import { applyLatePolicy, type LateOutcome } from './late.ts';
import type { LabDeadline } from './course.ts';
import { matchRoster, type RosterStudent } from './roster.ts';
import { recordedTime, type RecordedTime } from './submitted-at.ts';

export type TermStatus = 'graded' | 'error' | 'missing' | 'unknown' | 'superseded';

export interface TermRow {
  status: TermStatus;
  /** The roster student; null for an unknown submission. */
  student: RosterStudent | null;
  /** The grading outcome; null for a missing student. */
  row: BatchRow | null;
  /** Trusted submission time (ms since epoch), or null when no LMS record names it. */
  submittedAt: number | null;
  /** The late policy's effect; null without a course file, for ungraded rows, or without a time. */
  late: LateOutcome | null;
}

/** Options of {@link termRows}; each part is optional (no roster: every row is its own student). */
export interface TermInputs {
  roster?: readonly RosterStudent[];
  times?: readonly RecordedTime[];
  deadline?: LabDeadline;
}

/** The score that counts: the late policy's final score, else the raw score (null: none). */
export function finalScore(row: TermRow): number | null {
  if (row.row?.status !== 'graded') return null;
  return row.late?.finalScore ?? row.row.result.score;
}

export function termRows(rows: readonly BatchRow[], inputs: TermInputs): TermRow[] {
  const roster = inputs.roster ?? [];
  const matched = new Map<BatchRow, RosterStudent>();
  const timeOf = (r: BatchRow): number | null => (inputs.times === undefined ? null : recordedTime(inputs.times, r, matched.get(r) ?? null));
  const make = (status: TermStatus, row: BatchRow, student: RosterStudent | null): TermRow => {
    const submittedAt = timeOf(row);
    const late = inputs.deadline !== undefined && submittedAt !== null && row.status === 'graded' ? applyLatePolicy(inputs.deadline, student?.id ?? row.studentId ?? null, submittedAt, row.result.score) : null;
    return { status: status === 'graded' && row.status === 'error' ? 'error' : status, student, row, submittedAt, late };
  };
  if (inputs.roster === undefined) return rows.map((row) => make('graded', row, null));
  // Match once for the times (a file-named time row or the student's), then sort onto the roster.
  const first = matchRoster(roster, rows, () => null);
  for (const g of first.graded) for (const r of [g.counted, ...g.superseded]) matched.set(r, g.student);
  const outcome = matchRoster(roster, rows, timeOf);
  const out: TermRow[] = [];
  for (const student of roster) {
    const found = outcome.graded.find((g) => g.student === student);
    if (found === undefined) {
      out.push({ status: 'missing', student, row: null, submittedAt: null, late: null });
      continue;
    }
    out.push(make('graded', found.counted, student));
    for (const older of found.superseded) out.push(make('superseded', older, student));
  }
  for (const row of outcome.unknown) out.push(make('unknown', row, null));
  return out;
}
