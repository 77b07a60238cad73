/**
 * Finding the one submission in a folder an autograding service hands over: Gradescope's
 * `/autograder/submission` (what the student uploaded) or a GitHub Classroom repository checkout.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabManifest } from '../core/lab-format.ts';
import { parseSubmissionText, type SubmissionInput } from '../node/submissions.ts';

/**
 * In order: a submission JSON at the top of `dir`; else the lab's editable files at their paths;
 * else the only `.ts` file when the lab has one editable file. Otherwise an error saying what to upload.
 */
export async function findSubmission(dir: string, manifest: LabManifest, student: string): Promise<SubmissionInput> {
  const fail = (error: string): SubmissionInput => ({ ok: false, student, source: dir, error });
  if (!existsSync(dir)) return fail(`No submission folder at ${dir}.`);
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile());
  for (const entry of entries.filter((e) => e.name.endsWith('.json')).sort((a, b) => a.name.localeCompare(b.name))) {
    const text = await readFile(join(dir, entry.name), 'utf8');
    if (!text.includes('virtlab-submission')) continue;
    const parsed = parseSubmissionText(join(dir, entry.name), text, manifest);
    return parsed.ok ? { ...parsed, student: parsed.student === entry.name.replace(/\.json$/, '') ? student : parsed.student } : parsed;
  }
  const editable = manifest.files.filter((f) => f.editable);
  if (editable.every((f) => existsSync(join(dir, f.path)))) {
    const files: Record<string, string> = {};
    for (const file of editable) files[file.path] = await readFile(join(dir, file.path), 'utf8');
    return { ok: true, student, source: dir, files };
  }
  const tsFiles = entries.filter((e) => e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'));
  if (editable.length === 1 && tsFiles.length === 1 && tsFiles[0] !== undefined) {
    return parseSubmissionText(join(dir, tsFiles[0].name), await readFile(join(dir, tsFiles[0].name), 'utf8'), manifest);
  }
  return fail(`Found no submission. Upload the JSON file the lab page's "Download submission" button writes, or ${editable.map((f) => f.path).join(' and ')}.`);
}
