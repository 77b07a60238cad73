/**
 * The submission file the workbench downloads and imports, in the grader's format
 * (grader/core/lab-format.ts), so the instructor's CLI reads exactly what the site writes.
 */
import { describeIssues, MAX_SUBMISSION_BYTES, submissionSchema, type LabManifest, type Submission } from '../../grader/core/lab-format.ts';
import type { StudentIdentity } from './identity.ts';

export function createSubmission(manifest: LabManifest, files: Record<string, string>, now: Date = new Date(), identity?: StudentIdentity): Submission {
  const editable = Object.fromEntries(manifest.files.filter((file) => file.editable).map((file) => [file.path, files[file.path] ?? '']));
  return {
    format: 'virtlab-submission',
    formatVersion: 1,
    lab: manifest.id,
    labVersion: manifest.version,
    files: editable,
    createdAt: now.toISOString(),
    ...(identity ? { student: identity.name } : {}),
    ...(identity?.studentId ? { studentId: identity.studentId } : {}),
  };
}

/** `consolidate-v1-ada-lovelace-s1234-2026-03-04-05-06-07.json`: lab, version, who, when. */
export function submissionFileName(manifest: LabManifest, now: Date = new Date(), identity?: StudentIdentity): string {
  const who = identity ? [identity.name, identity.studentId].map(fileNamePart).filter((part) => part !== '') : [];
  return [`${manifest.id}-v${manifest.version}`, ...who, now.toISOString().slice(0, 19).replace(/[:T]/g, '-')].join('-') + '.json';
}

/** A name as safe file-name text: ASCII letters and digits, words joined by `-`, at most 40 characters. */
export function fileNamePart(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
    .toLowerCase();
}

/** Why a file cannot be a submission before reading it, or undefined: the grader's own size limit. */
export function refuseBySize(fileName: string, bytes: number): string | undefined {
  if (bytes <= MAX_SUBMISSION_BYTES) return undefined;
  const size = (bytes / (1024 * 1024)).toFixed(1);
  return `${fileName} is ${size} MiB; a submission is at most ${MAX_SUBMISSION_BYTES / (1024 * 1024)} MiB (the grader refuses bigger files), so this is probably not a virtlab submission. Your code was not changed.`;
}

export type ImportedSubmission =
  | { ok: true; files: Record<string, string>; warning?: string }
  | { ok: false; error: string };

/** Reads a submission file for this lab; refuses other labs and damaged files with a reason. */
export function readSubmission(manifest: LabManifest, text: string): ImportedSubmission {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'This file is not valid JSON, so it is not a virtlab submission. Your code was not changed.' };
  }
  const parsed = submissionSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, error: `This is not a valid virtlab submission (${describeIssues(parsed.error)}). Your code was not changed.` };
  }
  const submission = parsed.data;
  if (submission.lab !== manifest.id) {
    return { ok: false, error: `This submission is for the lab "${submission.lab}", not "${manifest.id}". Open that lab to import it. Your code was not changed.` };
  }
  const editable = new Set(manifest.files.filter((file) => file.editable).map((file) => file.path));
  const files = Object.fromEntries(Object.entries(submission.files).filter(([path]) => editable.has(path)));
  if (Object.keys(files).length === 0) {
    return { ok: false, error: `This submission has none of this lab's editable files (${[...editable].join(', ')}). Your code was not changed.` };
  }
  const warning =
    submission.labVersion !== manifest.version
      ? `This submission was made for version ${submission.labVersion} of the lab; this is version ${manifest.version}. It was loaded, but check it still fits the new starter.`
      : undefined;
  return warning ? { ok: true, files, warning } : { ok: true, files };
}
