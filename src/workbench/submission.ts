/**
 * The submission file the workbench downloads and imports, in the grader's format
 * (grader/core/lab-format.ts), so the instructor's CLI reads exactly what the site writes.
 */
import { describeIssues, submissionSchema, type LabManifest, type Submission } from '../../grader/core/lab-format.ts';

export function createSubmission(manifest: LabManifest, files: Record<string, string>, now: Date = new Date()): Submission {
  const editable = Object.fromEntries(manifest.files.filter((file) => file.editable).map((file) => [file.path, files[file.path] ?? '']));
  return {
    format: 'virtlab-submission',
    formatVersion: 1,
    lab: manifest.id,
    labVersion: manifest.version,
    files: editable,
    createdAt: now.toISOString(),
  };
}

export function submissionFileName(manifest: LabManifest, now: Date = new Date()): string {
  return `${manifest.id}-v${manifest.version}-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.json`;
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
