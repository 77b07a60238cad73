/**
 * The course file (course.json): each lab's due time (ISO 8601 with its UTC offset), a grace
 * period, a late policy and per-student extensions. Validated with zod; every error names the
 * field and what to write.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeIssues } from '../core/lab-format.ts';
import { TermFileError } from './csv.ts';

const instant = z.iso.datetime({ offset: true, error: 'must be a date and time with its time zone offset, e.g. "2026-03-01T23:59:00+01:00" or "2026-03-01T22:59:00Z"' });

/** How points are taken for lateness (past the due time plus grace). */
const latePolicy = z
  .object({
    /** Lateness is counted in started units of this size. */
    per: z.enum(['day', 'hour'], { error: 'must be "day" or "hour"' }),
    /** Percent of the raw score taken per started unit. */
    percent: z.number({ error: 'must be a number: the percent of the score taken per day or hour late' }).min(0).max(100),
    /** More units late than this scores 0; omitted: the penalty grows until it reaches 100 %. */
    maxUnits: z.number().int().positive({ error: 'must be a whole number ≥ 1: how many days or hours late are accepted' }).optional(),
  })
  .strict();

const labDeadline = z
  .object({
    due: instant,
    graceMinutes: z.number().min(0, { error: 'must be ≥ 0 minutes' }).default(0),
    late: latePolicy.optional(),
    /** Student id → that student's own due time. */
    extensions: z.record(z.string().min(1), instant).default({}),
  })
  .strict();

export const courseSchema = z
  .object({
    $schema: z.string().optional(),
    labs: z.record(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lab ids are the lab folder names, e.g. "consolidate"'), labDeadline),
  })
  .strict();

export type Course = z.infer<typeof courseSchema>;
export type LabDeadline = z.infer<typeof labDeadline>;
export type LatePolicy = z.infer<typeof latePolicy>;

/** Validates a parsed course file. */
export function parseCourse(json: unknown, file: string): Course {
  const parsed = courseSchema.safeParse(json);
  if (!parsed.success) throw new TermFileError(`${file} is not a valid course file: ${describeIssues(parsed.error)}. See "Your term, step by step" in grader/README.md.`);
  return parsed.data;
}

export async function readCourse(file: string): Promise<Course> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new TermFileError(`${file} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TermFileError(`${file} is not valid JSON (${(error as Error).message}).`);
  }
  return parseCourse(json, file);
}

/** The lab's deadline in the course file, or an error naming the labs it has. */
export function deadlineFor(course: Course, lab: string, file: string): LabDeadline {
  const deadline = course.labs[lab];
  if (deadline === undefined) throw new TermFileError(`${file} has no entry for lab "${lab}" (it has: ${Object.keys(course.labs).join(', ') || 'none'}). Add "labs": { "${lab}": { "due": "…" } }.`);
  return deadline;
}
