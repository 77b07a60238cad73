/**
 * The known submissions of a lab, for the tests that grade them: its starter, its reference
 * solution and each of its mutants, as submission files keyed by the lab's editable paths.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabManifest, Submission } from '../../grader/core/lab-format.ts';

export interface Variant {
  /** `starter`, `solution` or `mutant:<name>`. */
  name: string;
  kind: 'starter' | 'solution' | 'mutant';
  files: Record<string, string>;
}

function editableFilesIn(manifest: LabManifest, folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of manifest.files) {
    if (!file.editable) continue;
    const path = join(folder, file.path);
    if (existsSync(path)) files[file.path] = readFileSync(path, 'utf8');
  }
  return files;
}

export function variantsOf(labDir: string, manifest: LabManifest): Variant[] {
  const variants: Variant[] = [
    { name: 'starter', kind: 'starter', files: editableFilesIn(manifest, join(labDir, 'starter')) },
    { name: 'solution', kind: 'solution', files: editableFilesIn(manifest, join(labDir, 'solution')) },
  ];
  const mutantsDir = join(labDir, 'mutants');
  if (existsSync(mutantsDir)) {
    for (const entry of readdirSync(mutantsDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) variants.push({ name: `mutant:${entry.name}`, kind: 'mutant', files: editableFilesIn(manifest, join(mutantsDir, entry.name)) });
    }
  }
  return variants;
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
