/**
 * Regrades: comparing this run with a previous `--json` output, per student: the score change and
 * the tests whose verdict changed (after a lab's tests were fixed).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeIssues } from '../core/lab-format.ts';
import type { BatchRow } from '../node/batch.ts';
import { studentLabel } from '../node/reports.ts';
import { TermFileError } from './csv.ts';

/** The parts of a previous `--json` output a comparison reads. */
const previousSchema = z.object({
  lab: z.string(),
  labVersion: z.number(),
  graderVersion: z.string().optional(),
  rows: z.array(
    z.object({
      student: z.string(),
      student_id: z.string().optional(),
      source: z.string(),
      status: z.enum(['graded', 'error']),
      result: z.object({ score: z.number(), maxScore: z.number(), tests: z.array(z.object({ fullName: z.string(), verdict: z.string() })) }).optional(),
    }),
  ),
});

export type PreviousRun = z.infer<typeof previousSchema>;

export async function readPreviousRun(file: string): Promise<PreviousRun> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new TermFileError(`${file} could not be read as JSON (${(error as Error).message}). Give the file an earlier \`virtlab grade --json\` wrote.`);
  }
  const parsed = previousSchema.safeParse(json);
  if (!parsed.success) throw new TermFileError(`${file} is not the output of \`virtlab grade --json\`: ${describeIssues(parsed.error)}.`);
  return parsed.data;
}

/** One student's change between the runs. */
export interface ScoreChange {
  student: string;
  before: number | null;
  after: number | null;
  /** Tests whose verdict changed: name, verdict before, verdict after. */
  tests: { name: string; before: string; after: string }[];
}

const keyOf = (row: { student: string; student_id?: string | undefined; studentId?: string | undefined; source: string }): string => (row.student_id ?? row.studentId ?? row.student).toLowerCase();

/** Changes per student (only students whose score or some verdict changed, or who appear in one run only). */
export function compareRuns(previous: PreviousRun, rows: readonly BatchRow[]): ScoreChange[] {
  const before = new Map(previous.rows.map((r) => [keyOf(r), r]));
  const changes: ScoreChange[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const key = keyOf(row);
    seen.add(key);
    const old = before.get(key);
    const oldTests = new Map((old?.result?.tests ?? []).map((t) => [t.fullName, t.verdict]));
    const newTests = row.status === 'graded' ? row.result.tests : [];
    const tests: ScoreChange['tests'] = newTests.filter((t) => (oldTests.get(t.fullName) ?? 'absent') !== t.verdict).map((t) => ({ name: t.fullName, before: oldTests.get(t.fullName) ?? 'absent', after: t.verdict }));
    for (const [name, verdict] of oldTests) if (!newTests.some((t) => t.fullName === name)) tests.push({ name, before: verdict, after: 'absent' });
    const change = { student: studentLabel(row), before: old?.result?.score ?? null, after: row.status === 'graded' ? row.result.score : null, tests };
    if (old === undefined || change.before !== change.after || tests.length > 0) changes.push(change);
  }
  for (const [key, old] of before) if (!seen.has(key)) changes.push({ student: old.student_id === undefined ? old.student : `${old.student} (${old.student_id})`, before: old.result?.score ?? null, after: null, tests: [] });
  return changes;
}

const score = (value: number | null): string => (value === null ? '—' : String(value));

/** The comparison as text: a header naming both versions, then one block per changed student. */
export function compareText(previous: PreviousRun, labVersion: number, graderVersion: string, changes: readonly ScoreChange[]): string {
  const out = [`Compared with the previous run: lab ${previous.lab} version ${previous.labVersion} → ${labVersion}, grader ${previous.graderVersion ?? 'unknown'} → ${graderVersion}.`];
  if (changes.length === 0) out.push('No score or verdict changed.');
  for (const c of changes) {
    const delta = c.before !== null && c.after !== null ? ` (${c.after - c.before >= 0 ? '+' : ''}${Math.round((c.after - c.before) * 100) / 100})` : c.after === null ? ' (not in this run)' : ' (new)';
    out.push(`${c.student}: ${score(c.before)} → ${score(c.after)}${delta}`);
    for (const t of c.tests) out.push(`    ${t.name}: ${t.before} → ${t.after}`);
  }
  return `${out.join('\n')}\n`;
}
