/**
 * Trusted submission times: never a field of the submission file (the student writes that), only
 * what the LMS recorded: its export of submission times (`--submitted-at times.csv`) or
 * Gradescope's `submission_metadata.json` next to the upload.
 */
import { basename, extname } from 'node:path';
import { findColumn, readCsvRecords, TermFileError } from './csv.ts';
import type { RosterStudent, SubmissionIdentity } from './roster.ts';

/** One recorded time: who (any of id, email, name, or the submission's file name) and when (ms). */
export interface RecordedTime {
  keys: string[];
  at: number;
}

const WHO_HEADERS = ['id', 'student_id', 'student id', 'sis user id', 'id number', 'username', 'email', 'email address', 'name', 'student', 'file', 'filename'];
const TIME_HEADERS = ['submitted_at', 'submitted at', 'submitted', 'submission time', 'timestamp', 'time', 'created_at'];

/** Parses a time with its offset; a time without a zone would depend on the grading machine's. */
export function parseInstant(text: string, where: string): number {
  const trimmed = text.trim();
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(trimmed) || Number.isNaN(Date.parse(trimmed))) {
    throw new TermFileError(`${where}: "${text}" is not a time with a time zone. Write ISO 8601 with an offset, e.g. 2026-03-01T23:59:00+01:00 or 2026-03-01T22:59:00Z.`);
  }
  return Date.parse(trimmed);
}

export function timesFromRecords(records: readonly Record<string, string>[], file: string): RecordedTime[] {
  const headers = Object.keys(records[0] ?? {});
  const who = WHO_HEADERS.filter((h) => headers.includes(h));
  const time = findColumn(headers, TIME_HEADERS, undefined, file, 'submission time');
  if (who.length === 0 || time === null) throw new TermFileError(`${file} needs a column naming the student (${WHO_HEADERS.join(', ')}) and one with the time (${TIME_HEADERS.join(', ')}). Its columns are: ${headers.join(', ') || 'none'}.`);
  return records.map((record, i) => ({
    keys: who.map((h) => (record[h] ?? '').trim().toLowerCase()).filter((k) => k !== ''),
    at: parseInstant(record[time] ?? '', `${file} line ${i + 2}`),
  }));
}

export async function readSubmissionTimes(file: string): Promise<RecordedTime[]> {
  return timesFromRecords(await readCsvRecords(file), file);
}

/**
 * The recorded time of a submission: a row naming its file (stem or name), else one naming its
 * roster student. With several rows for the student, the latest (the LMS keeps the last upload).
 */
export function recordedTime(times: readonly RecordedTime[], submission: SubmissionIdentity, student: RosterStudent | null): number | null {
  const file = [basename(submission.source).toLowerCase(), basename(submission.source, extname(submission.source)).toLowerCase()];
  const byFile = times.filter((t) => t.keys.some((k) => file.includes(k)));
  const studentKeys = student === null ? [] : [student.id, student.email, student.name].map((k) => k.toLowerCase()).filter((k) => k !== '');
  const found = byFile.length > 0 ? byFile : times.filter((t) => t.keys.some((k) => studentKeys.includes(k)));
  return found.length === 0 ? null : Math.max(...found.map((t) => t.at));
}

/** The submission time in Gradescope's submission_metadata.json (`created_at`). */
export function gradescopeSubmittedAt(metadata: unknown): number | null {
  const created = typeof metadata === 'object' && metadata !== null ? (metadata as { created_at?: unknown }).created_at : undefined;
  if (typeof created !== 'string') return null;
  const at = Date.parse(created);
  return Number.isNaN(at) ? null : at;
}
