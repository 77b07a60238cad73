/**
 * Reading submissions from disk: a learner's `.ts` file, a submission JSON (what the site's
 * "Download submission" writes), or folders of them. Each input becomes either a submission to
 * grade or an error row that explains what was wrong; a bad file never stops a batch.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { describeIssues, MAX_SUBMISSION_BYTES, submissionSchema, type LabManifest } from '../core/lab-format.ts';
import type { SubmissionFiles } from '../core/types.ts';
import { singleLine } from './safe-text.ts';

/** Largest submission file the grader reads (bytes); defined with the submission format. */
export { MAX_SUBMISSION_BYTES };

/** One thing to grade, or the reason it cannot be graded. */
export type SubmissionInput =
  | { ok: true; student: string; studentId?: string; source: string; files: SubmissionFiles }
  | { ok: false; student: string; studentId?: string; source: string; error: string };

/** A usage problem with the paths given (not a problem of one submission). */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** The error row text for a symbolic link where a submission's file was expected. */
export function symlinkRefusal(path: string): string {
  return `${path} is a symbolic link; the grader never follows links in a submission (one could point at the lab's solution or another student's work). Collect the file itself, not a link to it.`;
}

/** A file's text, read without following a symbolic link; or why it could not be read. */
export type FileRead = { ok: true; text: string } | { ok: false; error: string };

/**
 * Reads one submission file: refuses a symbolic link (O_NOFOLLOW, so a link swapped in after a
 * check is refused too), anything but a regular file, and files over {@link MAX_SUBMISSION_BYTES}.
 */
export async function readSubmissionFile(path: string): Promise<FileRead> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') return { ok: false, error: symlinkRefusal(path) };
    return { ok: false, error: `${path} could not be read (${code ?? (error as Error).message}).` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, error: `${path} is not a regular file. Give the learner's .ts file or the submission JSON.` };
    if (info.size > MAX_SUBMISSION_BYTES) return { ok: false, error: `The file is ${info.size} bytes, over the ${MAX_SUBMISSION_BYTES}-byte limit for a submission. Check that the right file was collected.` };
    return { ok: true, text: await handle.readFile('utf8') };
  } finally {
    await handle.close();
  }
}

function studentFromPath(path: string): string {
  return singleLine(basename(path, extname(path)));
}

/** Who a submission names (its `student` and `studentId`, made printable); the name is null when missing or blank. */
function namedStudent(submission: { student?: string | undefined; studentId?: string | undefined }): { student: string | null; studentId?: string } {
  const student = submission.student === undefined ? '' : singleLine(submission.student).trim();
  const studentId = submission.studentId === undefined ? '' : singleLine(submission.studentId).trim();
  return { student: student === '' ? null : student, ...(studentId === '' ? {} : { studentId }) };
}

/** Parses one submission file's text. */
export function parseSubmissionText(path: string, text: string, manifest: LabManifest): SubmissionInput {
  // `alice/solution.ts` names alice: a file named like the lab's own file says nothing about its author.
  const generic = manifest.files.some((f) => f.path === basename(path)) || basename(path) === 'submission.json';
  const fallbackStudent = generic ? singleLine(basename(dirname(path))) || studentFromPath(path) : studentFromPath(path);
  const fail = (error: string, named: { student?: string; studentId?: string } = {}): SubmissionInput => ({ ok: false, student: fallbackStudent, ...named, source: path, error });
  if (Buffer.byteLength(text) > MAX_SUBMISSION_BYTES) return fail(`The file is larger than ${MAX_SUBMISSION_BYTES} bytes; a lab submission is much smaller. Check that the right file was collected.`);
  if (extname(path) === '.ts') {
    const editable = manifest.files.filter((f) => f.editable);
    if (editable.length !== 1) {
      return fail(`Lab ${manifest.id} has ${editable.length} editable files (${editable.map((f) => f.path).join(', ')}), so a single .ts file is ambiguous. Grade the submission JSON the site downloads instead.`);
    }
    return { ok: true, student: fallbackStudent, source: path, files: { [(editable[0] as { path: string }).path]: text } };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`Not valid JSON (${(error as Error).message}). A submission is the JSON file the lab page's "Download submission" button writes.`);
  }
  const parsed = submissionSchema.safeParse(json);
  if (!parsed.success) {
    return fail(`Not a virtlab submission: ${describeIssues(parsed.error)}. A submission is the JSON file the lab page's "Download submission" button writes.`);
  }
  const submission = parsed.data;
  const named = namedStudent(submission);
  const who = { student: named.student ?? fallbackStudent, ...(named.studentId === undefined ? {} : { studentId: named.studentId }) };
  if (submission.lab !== manifest.id) return fail(`This submission is for lab "${submission.lab}", not "${manifest.id}". Grade it with --lab ${submission.lab}.`, who);
  if (submission.labVersion < manifest.version) {
    return fail(`Stale submission: made for version ${submission.labVersion} of lab "${manifest.id}", which is now at version ${manifest.version}. Ask the student to open the lab page, bring their code to the new version and download again.`, who);
  }
  if (submission.labVersion > manifest.version) {
    return fail(`Submission is for version ${submission.labVersion} of lab "${manifest.id}" but this grader has version ${manifest.version}. Update the lab folder (--labs-dir) to the version the site serves.`, who);
  }
  return { ok: true, ...who, source: path, files: submission.files };
}

/**
 * Files under `dir` that look like submissions (`.ts`, `.json`), sorted, skipping dotfiles.
 * Symbolic links are listed too (never followed), so each gets an error row instead of vanishing.
 */
async function submissionFilesIn(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await submissionFilesIn(full)));
    else if (entry.isSymbolicLink() || (entry.isFile() && (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) && !entry.name.endsWith('.d.ts'))) found.push(full);
  }
  return found.sort();
}

/** Reads every submission the paths name (files or folders, searched recursively). */
export async function readSubmissions(paths: readonly string[], manifest: LabManifest): Promise<SubmissionInput[]> {
  const files: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await lstat(path);
    } catch {
      throw new InputError(`${path} does not exist. Give .ts files, submission .json files or folders of them.`);
    }
    if (info.isDirectory()) files.push(...(await submissionFilesIn(path)));
    else files.push(path);
  }
  const inputs: SubmissionInput[] = [];
  for (const file of files) {
    const refuse = (error: string): number => inputs.push({ ok: false, student: studentFromPath(file), source: file, error });
    if (!['.ts', '.json'].includes(extname(file)) && !(await lstat(file)).isSymbolicLink()) {
      refuse("Not a .ts or .json file. Give the learner's .ts file or the submission JSON.");
      continue;
    }
    const read = await readSubmissionFile(file);
    if (!read.ok) refuse(read.error);
    else inputs.push(parseSubmissionText(file, read.text, manifest));
  }
  return inputs;
}
