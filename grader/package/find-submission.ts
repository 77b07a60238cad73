/**
 * Finding the one submission in a folder an autograding service hands over: Gradescope's
 * `/autograder/submission` (what the student uploaded) or a GitHub Classroom repository checkout.
 * Symbolic links are never followed: a link could point at the lab's solution next to the
 * autograder, so a link where a submission file is expected is refused with a message.
 */
import { existsSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabManifest } from '../core/lab-format.ts';
import { parseSubmissionText, readSubmissionFile, symlinkRefusal, type FileRead, type SubmissionInput } from '../node/submissions.ts';

/** What is at `dir/relative` without following links: missing, a link (at any level), or there. */
async function entryKind(dir: string, relative: string): Promise<'missing' | 'link' | 'present'> {
  let path = dir;
  for (const part of relative.split('/')) {
    path = join(path, part);
    try {
      if ((await lstat(path)).isSymbolicLink()) return 'link';
    } catch {
      return 'missing';
    }
  }
  return 'present';
}

/** Reads `dir/relative`, refusing links in any part of the path. */
async function readInside(dir: string, relative: string): Promise<FileRead> {
  const kind = await entryKind(dir, relative);
  if (kind === 'link') return { ok: false, error: symlinkRefusal(relative) };
  return readSubmissionFile(join(dir, relative));
}

/**
 * In order: a submission JSON at the top of `dir`; else the lab's editable files at their paths;
 * else the only `.ts` file when the lab has one editable file. Otherwise an error saying what to upload.
 */
export async function findSubmission(dir: string, manifest: LabManifest, student: string): Promise<SubmissionInput> {
  const fail = (error: string): SubmissionInput => ({ ok: false, student, source: dir, error });
  if (!existsSync(dir)) return fail(`No submission folder at ${dir}.`);
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() || e.isSymbolicLink());
  const links = entries.filter((e) => e.isSymbolicLink() && (e.name.endsWith('.json') || e.name.endsWith('.ts')));
  if (links[0] !== undefined) return fail(symlinkRefusal(links[0].name));
  for (const entry of entries.filter((e) => e.name.endsWith('.json')).sort((a, b) => a.name.localeCompare(b.name))) {
    const read = await readInside(dir, entry.name);
    if (!read.ok) return fail(read.error);
    if (!read.text.includes('virtlab-submission')) continue;
    const parsed = parseSubmissionText(join(dir, entry.name), read.text, manifest);
    return parsed.ok ? { ...parsed, student: parsed.student === entry.name.replace(/\.json$/, '') ? student : parsed.student } : parsed;
  }
  const editable = manifest.files.filter((f) => f.editable);
  const kinds = await Promise.all(editable.map((f) => entryKind(dir, f.path)));
  const linked = editable.find((_f, i) => kinds[i] === 'link');
  if (linked !== undefined) return fail(symlinkRefusal(linked.path));
  if (kinds.every((kind) => kind === 'present')) {
    const files: Record<string, string> = {};
    for (const file of editable) {
      const read = await readInside(dir, file.path);
      if (!read.ok) return fail(read.error);
      files[file.path] = read.text;
    }
    return { ok: true, student, source: dir, files };
  }
  const tsFiles = entries.filter((e) => e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'));
  if (editable.length === 1 && tsFiles.length === 1 && tsFiles[0] !== undefined) {
    const read = await readInside(dir, tsFiles[0].name);
    return read.ok ? parseSubmissionText(join(dir, tsFiles[0].name), read.text, manifest) : fail(read.error);
  }
  return fail(`Found no submission. Upload the JSON file the lab page's "Download submission" button writes, or ${editable.map((f) => f.path).join(' and ')}.`);
}
