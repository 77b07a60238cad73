/**
 * Reads the parts of a lab folder that the site may publish: the manifest, the starter files and
 * the public tests. Nothing else in a lab folder is ever read here — hidden tests, the reference
 * solution and mutants stay out of the build because this is the only way labs enter it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeIssues, labManifestSchema, type LabManifest } from '../../grader/core/lab-format.ts';

export interface PublicLab {
  id: string;
  manifest: LabManifest;
  /** Starter files by path inside starter/. */
  starter: Record<string, string>;
  /** The public tests (tests/public.ts). */
  publicTests: string;
}

/** Where labs live; tests may point this elsewhere. */
export function labsRoot(): string {
  return process.env.VIRTLAB_LABS_DIR ?? './labs';
}

/** Every lab folder under `root` that has a lab.json, validated; a broken lab fails the build. */
export function readPublicLabs(root: string = labsRoot()): PublicLab[] {
  if (!existsSync(root)) return [];
  const labs: PublicLab[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const folder = join(root, entry.name);
    const manifestPath = join(folder, 'lab.json');
    if (!existsSync(manifestPath)) continue;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(manifestPath, 'utf8'));
    } catch (error) {
      throw new Error(`${manifestPath}: not valid JSON (${(error as Error).message}).`);
    }
    const parsed = labManifestSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${manifestPath}: ${describeIssues(parsed.error)}`);
    const manifest = parsed.data;
    if (manifest.id !== entry.name) throw new Error(`${manifestPath}: "id" is "${manifest.id}" but the folder is "${entry.name}"; they must match.`);
    const starter: Record<string, string> = {};
    for (const file of manifest.files) {
      const path = join(folder, 'starter', file.path);
      if (!existsSync(path)) throw new Error(`${manifestPath}: lists starter/${file.path}, which does not exist.`);
      starter[file.path] = readFileSync(path, 'utf8');
    }
    const publicPath = join(folder, 'tests', 'public.ts');
    if (!existsSync(publicPath)) throw new Error(`${folder}: tests/public.ts is missing; every lab has public tests.`);
    labs.push({ id: manifest.id, manifest, starter, publicTests: readFileSync(publicPath, 'utf8') });
  }
  return labs.sort((a, b) => a.id.localeCompare(b.id));
}
