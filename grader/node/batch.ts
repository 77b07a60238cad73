/**
 * Grading a batch: many submissions of one lab, in parallel, each ending as a graded row or an
 * error row. Used by the CLI, the Gradescope autograder and the GitHub Classroom workflow.
 */
import type { GradeResult } from '../core/types.ts';
import type { Grader } from './grader.ts';
import type { SubmissionInput } from './submissions.ts';

/** One line of a batch's outcome. */
export type BatchRow =
  | { status: 'graded'; student: string; studentId?: string; source: string; result: GradeResult }
  | { status: 'error'; student: string; studentId?: string; source: string; error: string };

/** Grades `inputs` with at most `grader.concurrency` at once; rows keep the input order. */
export async function gradeBatch(grader: Grader, inputs: readonly SubmissionInput[], onRow?: (row: BatchRow, done: number) => void): Promise<BatchRow[]> {
  const rows: BatchRow[] = new Array(inputs.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      const input = inputs[index];
      if (input === undefined) return;
      const who = { student: input.student, ...(input.studentId === undefined ? {} : { studentId: input.studentId }), source: input.source };
      let row: BatchRow;
      if (!input.ok) row = { status: 'error', ...who, error: input.error };
      else {
        try {
          row = { status: 'graded', ...who, result: await grader.grade(input.files) };
        } catch (error) {
          row = { status: 'error', ...who, error: `Grading failed: ${error instanceof Error ? error.message : String(error)}` };
        }
      }
      rows[index] = row;
      done += 1;
      onRow?.(row, done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(grader.concurrency, inputs.length) }, worker));
  return rows;
}

/** Mean, median, min and max of the graded scores (null when nothing was graded). */
export function classStatistics(rows: readonly BatchRow[]): { count: number; mean: number; median: number; min: number; max: number; maxScore: number } | null {
  const graded = rows.filter((r): r is Extract<BatchRow, { status: 'graded' }> => r.status === 'graded');
  if (graded.length === 0) return null;
  const scores = graded.map((r) => r.result.score).sort((a, b) => a - b);
  const middle = Math.floor(scores.length / 2);
  const median = scores.length % 2 === 1 ? (scores[middle] as number) : ((scores[middle - 1] as number) + (scores[middle] as number)) / 2;
  return {
    count: scores.length,
    mean: scores.reduce((sum, s) => sum + s, 0) / scores.length,
    median,
    min: scores[0] as number,
    max: scores[scores.length - 1] as number,
    maxScore: graded[0]?.result.maxScore ?? 0,
  };
}
