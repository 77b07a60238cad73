/**
 * Reading submissions from disk: a learner's `.ts` file, a submission JSON (what the site's
 * "Download submission" writes), or folders of them. Each input becomes either a submission to
 * grade or an error row that explains what was wrong; a bad file never stops a batch.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { describeIssues, MAX_SUBMISSION_BYTES, submissionSchema, type LabManifest } from '../core/lab-format.ts';
import type { SubmissionFiles } from '../core/types.ts';

/** Largest submission file the grader reads (bytes); defined with the submission format. */
export { MAX_SUBMISSION_BYTES };

/** One thing to grade, or the reason it cannot be graded. */
export type SubmissionInput =
  | { ok: true; student: string; source: string; files: SubmissionFiles }
  | { ok: false; student: string; source: string; error: string };

/** A usage problem with the paths given (not a problem of one submission). */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

function studentFromPath(path: string): string {
  return basename(path, extname(path));
}

/** Parses one submission file's text. */
export function parseSubmissionText(path: string, text: string, manifest: LabManifest): SubmissionInput {
  // `alice/solution.ts` names alice: a file named like the lab's own file says nothing about its author.
  const generic = manifest.files.some((f) => f.path === basename(path)) || basename(path) === 'submission.json';
  const fallbackStudent = generic ? basename(dirname(path)) || studentFromPath(path) : studentFromPath(path);
  const fail = (error: string, student = fallbackStudent): SubmissionInput => ({ ok: false, student, source: path, error });
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
  const student = submission.student ?? fallbackStudent;
  if (submission.lab !== manifest.id) return fail(`This submission is for lab "${submission.lab}", not "${manifest.id}". Grade it with --lab ${submission.lab}.`, student);
  if (submission.labVersion < manifest.version) {
    return fail(`Stale submission: made for version ${submission.labVersion} of lab "${manifest.id}", which is now at version ${manifest.version}. Ask the student to open the lab page, bring their code to the new version and download again.`, student);
  }
  if (submission.labVersion > manifest.version) {
    return fail(`Submission is for version ${submission.labVersion} of lab "${manifest.id}" but this grader has version ${manifest.version}. Update the lab folder (--labs-dir) to the version the site serves.`, student);
  }
  return { ok: true, student, source: path, files: submission.files };
}

/** Files under `dir` that look like submissions (`.ts`, `.json`), sorted, skipping dotfiles. */
async function submissionFilesIn(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await submissionFilesIn(full)));
    else if (entry.isFile() && (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) && !entry.name.endsWith('.d.ts')) found.push(full);
  }
  return found.sort();
}

/** Reads every submission the paths name (files or folders, searched recursively). */
export async function readSubmissions(paths: readonly string[], manifest: LabManifest): Promise<SubmissionInput[]> {
  const files: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new InputError(`${path} does not exist. Give .ts files, submission .json files or folders of them.`);
    }
    if (info.isDirectory()) files.push(...(await submissionFilesIn(path)));
    else files.push(path);
  }
  const inputs: SubmissionInput[] = [];
  for (const file of files) {
    const size = (await stat(file)).size;
    if (size > MAX_SUBMISSION_BYTES) {
      inputs.push({ ok: false, student: studentFromPath(file), source: file, error: `The file is ${size} bytes, over the ${MAX_SUBMISSION_BYTES}-byte limit for a submission. Check that the right file was collected.` });
      continue;
    }
    if (!['.ts', '.json'].includes(extname(file))) {
      inputs.push({ ok: false, student: studentFromPath(file), source: file, error: 'Not a .ts or .json file. Give the learner\'s .ts file or the submission JSON.' });
      continue;
    }
    inputs.push(parseSubmissionText(file, await readFile(file, 'utf8'), manifest));
  }
  return inputs;
}
