/**
 * The class roster and matching submissions to it. A submission is matched by the id, name or
 * email it carries (case-insensitively), else by its file or folder name. Per lab the outcome is:
 * graded students, missing ones (on the roster, no submission), unknown submissions (matching
 * nobody) and duplicates (the newest by trusted time counts; the others are listed).
 */
import { basename, dirname, extname } from 'node:path';
import { findColumn, readCsvRecords, TermFileError } from './csv.ts';

/** One student of the roster. */
export interface RosterStudent {
  id: string;
  name: string;
  email: string;
}

/** Which roster columns hold what, when the header names are not the usual ones. */
export interface RosterColumns {
  id?: string;
  name?: string;
  email?: string;
}

const ID_HEADERS = ['id', 'student_id', 'student id', 'sis user id', 'id number', 'idnumber', 'username', 'login'];
const NAME_HEADERS = ['name', 'student', 'full name', 'student name'];
const EMAIL_HEADERS = ['email', 'email address', 'e-mail', 'sis login id'];

/** Parses roster records (from {@link readCsvRecords}); every row needs an id. */
export function rosterFromRecords(records: readonly Record<string, string>[], file: string, columns: RosterColumns = {}): RosterStudent[] {
  const headers = Object.keys(records[0] ?? {});
  if (records.length === 0) throw new TermFileError(`${file} has no students. A roster is a CSV with a header line (id,name,email) and one line per student.`);
  const idColumn = findColumn(headers, ID_HEADERS, columns.id, file, 'student id');
  if (idColumn === null) throw new TermFileError(`${file} has no id column (looked for ${ID_HEADERS.join(', ')}). Add one, or name it with --roster-id <column>.`);
  const nameColumn = findColumn(headers, NAME_HEADERS, columns.name, file, 'name');
  const emailColumn = findColumn(headers, EMAIL_HEADERS, columns.email, file, 'email');
  const seen = new Set<string>();
  return records.map((record, i) => {
    const id = (record[idColumn] ?? '').trim();
    if (id === '') throw new TermFileError(`${file} line ${i + 2}: the ${idColumn} column is empty. Every student needs an id.`);
    if (seen.has(id.toLowerCase())) throw new TermFileError(`${file} line ${i + 2}: id "${id}" appears twice. Each student must be listed once.`);
    seen.add(id.toLowerCase());
    return { id, name: nameColumn === null ? '' : (record[nameColumn] ?? '').trim(), email: emailColumn === null ? '' : (record[emailColumn] ?? '').trim() };
  });
}

export async function readRoster(file: string, columns: RosterColumns = {}): Promise<RosterStudent[]> {
  return rosterFromRecords(await readCsvRecords(file), file, columns);
}

/** What a submission says about its author: the names it carries and where it was found. */
export interface SubmissionIdentity {
  student: string;
  studentId?: string;
  source: string;
}

const key = (text: string): string => text.trim().toLowerCase();

/** The names a file or folder gives: `ada.json`, `ada/solution.ts`, `ada@uni.edu_consolidate.json` → ada…. */
function pathNames(source: string): string[] {
  return [basename(source, extname(source)), basename(dirname(source))].map(key).filter((n) => n !== '' && n !== '.');
}

/** The roster student a submission belongs to, or null (an unknown submission). */
export function matchStudent(roster: readonly RosterStudent[], submission: SubmissionIdentity): RosterStudent | null {
  const byField = (value: string | undefined, fields: readonly (keyof RosterStudent)[]): RosterStudent | undefined =>
    value === undefined || key(value) === '' ? undefined : roster.find((s) => fields.some((f) => s[f] !== '' && key(s[f]) === key(value)));
  const carried = byField(submission.studentId, ['id', 'email']) ?? byField(submission.student, ['id', 'email', 'name']);
  if (carried !== undefined) return carried;
  for (const name of pathNames(submission.source)) {
    const found = roster.find((s) => [s.id, s.email, s.email.split('@')[0] ?? ''].some((v) => v !== '' && key(v) === name));
    if (found !== undefined) return found;
  }
  return null;
}

/** A roster student's submissions, the one that counts first. */
export interface StudentSubmissions<T> {
  student: RosterStudent;
  counted: T;
  /** Older submissions of the same student, shown but not counted. */
  superseded: T[];
}

/** The term's view of one lab: who was graded, who is missing, what matched nobody. */
export interface RosterOutcome<T> {
  graded: StudentSubmissions<T>[];
  missing: RosterStudent[];
  unknown: T[];
}

/**
 * Sorts submissions onto the roster. `time` gives a submission's trusted time (ms since epoch, or
 * null when unknown): of two for one student the newest counts; unknown times count as oldest, and
 * among equal times the later input wins.
 */
export function matchRoster<T extends SubmissionIdentity>(roster: readonly RosterStudent[], submissions: readonly T[], time: (s: T) => number | null): RosterOutcome<T> {
  const byStudent = new Map<RosterStudent, T[]>();
  const unknown: T[] = [];
  for (const submission of submissions) {
    const student = matchStudent(roster, submission);
    if (student === null) unknown.push(submission);
    else byStudent.set(student, [...(byStudent.get(student) ?? []), submission]);
  }
  const graded: StudentSubmissions<T>[] = [];
  for (const student of roster) {
    const found = byStudent.get(student);
    if (found === undefined) continue;
    const ordered = found.map((s, i) => ({ s, i, t: time(s) ?? -Infinity })).sort((a, b) => b.t - a.t || b.i - a.i);
    graded.push({ student, counted: (ordered[0] as { s: T }).s, superseded: ordered.slice(1).map((o) => o.s) });
  }
  return { graded, missing: roster.filter((s) => !byStudent.has(s)), unknown };
}
