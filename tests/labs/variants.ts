/**
 * The known submissions of a lab, for the tests that grade them: its starter, its reference
 * solution, its correct alternatives (`alternatives/<name>/<files>`) and its mutants, as
 * submission files keyed by the lab's editable paths.
 *
 * A mutant is stored as a small unified diff against the reference, `mutants/<name>.patch`: a
 * first line `# <the plausible mistake, in one sentence>`, then `--- a/<path>` / `+++ b/<path>`
 * hunks for one or more editable files (paths as under starter/). It is applied here, strictly
 * (no fuzz), so a patch that no longer fits the reference is reported instead of guessed at.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatch, parsePatch } from 'diff';
import type { LabManifest, Submission } from '../../grader/core/lab-format.ts';

export interface Variant {
  /** `starter`, `solution`, `alternative:<name>` or `mutant:<name>`. */
  name: string;
  kind: 'starter' | 'solution' | 'alternative' | 'mutant';
  files: Record<string, string>;
  /** For a mutant, the mistake it makes (its patch's first line). */
  mistake?: string;
}

/** A mutant patch that could not be turned into a submission, and why. */
export interface BrokenPatch {
  /** The patch file, relative to the lab folder: `mutants/<name>.patch`. */
  patch: string;
  problem: string;
}

function editablePaths(manifest: LabManifest): string[] {
  return manifest.files.filter((file) => file.editable).map((file) => file.path);
}

function editableFilesIn(manifest: LabManifest, folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const path of editablePaths(manifest)) {
    const full = join(folder, path);
    if (existsSync(full)) files[path] = readFileSync(full, 'utf8');
  }
  return files;
}

function sortedEntries(dir: string) {
  return existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)) : [];
}

/** The path a `--- a/<path>` or `+++ b/<path>` header names, or null if it lacks the prefix. */
function headerPath(fileName: string | undefined, prefix: 'a/' | 'b/'): string | null {
  const name = (fileName ?? '').split('\t')[0]!;
  return name.startsWith(prefix) ? name.slice(prefix.length) : null;
}

/** The mistake a patch describes and the files it makes from the reference's, or why it cannot. */
export function applyMutantPatch(text: string, solution: Readonly<Record<string, string>>, editable: readonly string[]): { mistake: string; files: Record<string, string> } | { problem: string } {
  const firstLine = text.split('\n', 1)[0]!;
  const mistake = firstLine.startsWith('# ') ? firstLine.slice(2).trim() : '';
  if (mistake === '') return { problem: 'the first line must be "# " followed by one sentence saying the plausible mistake' };
  let filePatches: ReturnType<typeof parsePatch>;
  try {
    filePatches = parsePatch(text);
  } catch (error) {
    return { problem: `not a unified diff: ${(error as Error).message}` };
  }
  filePatches = filePatches.filter((patch) => patch.hunks.length > 0);
  if (filePatches.length === 0) return { problem: 'it changes nothing: no "--- a/<path>" / "+++ b/<path>" hunks after the first line' };
  const files = { ...solution };
  for (const patch of filePatches) {
    const path = headerPath(patch.oldFileName, 'a/');
    if (path === null || headerPath(patch.newFileName, 'b/') !== path) {
      return { problem: `headers "--- ${patch.oldFileName}" / "+++ ${patch.newFileName}" must be "--- a/<path>" / "+++ b/<path>" for the same path` };
    }
    const original = files[path];
    if (!editable.includes(path) || original === undefined) return { problem: `${path} is not an editable file of the lab (editable: ${editable.join(', ')})` };
    const patched = applyPatch(original, patch);
    if (patched === false) return { problem: `its hunks for ${path} no longer match solution/${path}; regenerate the patch against the current reference` };
    files[path] = patched;
  }
  return { mistake, files };
}

/** The lab's mutants, each applied to the reference solution, and the patches that do not apply. */
export function mutantsOf(labDir: string, manifest: LabManifest): { mutants: Variant[]; broken: BrokenPatch[] } {
  const solution = editableFilesIn(manifest, join(labDir, 'solution'));
  const mutants: Variant[] = [];
  const broken: BrokenPatch[] = [];
  for (const entry of sortedEntries(join(labDir, 'mutants'))) {
    const patch = `mutants/${entry.name}`;
    if (!entry.isFile() || !entry.name.endsWith('.patch')) {
      broken.push({ patch, problem: 'a mutant must be a file named <name>.patch (a unified diff against solution/)' });
      continue;
    }
    const applied = applyMutantPatch(readFileSync(join(labDir, patch), 'utf8'), solution, editablePaths(manifest));
    if ('problem' in applied) broken.push({ patch, problem: applied.problem });
    else mutants.push({ name: `mutant:${entry.name.slice(0, -'.patch'.length)}`, kind: 'mutant', files: applied.files, mistake: applied.mistake });
  }
  return { mutants, broken };
}

/** The lab's correct alternative solutions, `alternatives/<name>/<editable files>`. */
export function alternativesOf(labDir: string, manifest: LabManifest): Variant[] {
  return sortedEntries(join(labDir, 'alternatives'))
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ name: `alternative:${entry.name}`, kind: 'alternative' as const, files: editableFilesIn(manifest, join(labDir, 'alternatives', entry.name)) }));
}

/** The lab's starter or reference solution as a submission. */
export function folderVariant(labDir: string, manifest: LabManifest, kind: 'starter' | 'solution'): Variant {
  return { name: kind, kind, files: editableFilesIn(manifest, join(labDir, kind)) };
}

/** Every known submission of the lab; throws, naming each one, if a mutant patch does not apply. */
export function variantsOf(labDir: string, manifest: LabManifest): Variant[] {
  const { mutants, broken } = mutantsOf(labDir, manifest);
  if (broken.length > 0) throw new Error(`${manifest.id}: ${broken.map((b) => `${b.patch}: ${b.problem}`).join('; ')}`);
  return [
    folderVariant(labDir, manifest, 'starter'),
    folderVariant(labDir, manifest, 'solution'),
    ...alternativesOf(labDir, manifest),
    ...mutants,
  ];
}

/** The lines a patch adds (without their `+`): the text a mutant brings that the reference lacks. */
export function addedLines(patchText: string): string[] {
  return patchText
    .split('\n')
    .filter((line) => line.startsWith('+') && !line.startsWith('+++ '))
    .map((line) => line.slice(1));
}

/** A variant as the file the site's "Download submission" writes. */
export function asSubmission(manifest: LabManifest, variant: Variant): Submission {
  return {
    format: 'virtlab-submission',
    formatVersion: 1,
    lab: manifest.id,
    labVersion: manifest.version,
    files: variant.files,
    createdAt: '2026-01-01T00:00:00.000Z',
    student: variant.name.replace(':', '-'),
  };
}

/** Lab folders under `labsDir` (those with a lab.json). */
export function labDirs(labsDir: string): string[] {
  if (!existsSync(labsDir)) return [];
  return readdirSync(labsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(labsDir, entry.name, 'lab.json')))
    .map((entry) => join(labsDir, entry.name))
    .sort();
}
