/**
 * Reads the parts of a lab folder that the site publishes: the manifest, the starter files and
 * the public test files (every tests/*.ts whose name does not start with `hidden`). This is the
 * only way lab text enters the build; the hidden tests are read elsewhere only to be counted
 * (test-counts.ts), and the reference solution and mutants are never published.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPublicTestFile, type LabManifest } from '../../grader/core/lab-format.ts';
import { listLabIds, parseManifest } from '../../grader/node/lab-loader.ts';
import { choosePublishedLabs, PUBLISHED_LABS_VARIABLE } from './published.ts';
import { summarizeHiddenTests, type HiddenSummary } from './test-counts.ts';

export interface PublicLab {
  id: string;
  manifest: LabManifest;
  /** Starter files by path inside starter/. */
  starter: Record<string, string>;
  /** The public test files by name inside tests/: public.ts and any helpers it imports. */
  tests: Record<string, string>;
  /** How many hidden tests there are and their points; never their content. */
  hidden: HiddenSummary;
}

function readPublicTestFiles(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) if (isPublicTestFile(name)) files[name] = readFileSync(join(dir, name), 'utf8');
  return files;
}

/** Where labs live; tests may point this elsewhere. */
export function labsRoot(): string {
  return process.env.VIRTLAB_LABS_DIR ?? './labs';
}

/**
 * Every published lab folder under `root` that has a lab.json (all of them unless the host chose
 * with VIRTLAB_LABS, see published.ts), validated; a broken lab fails the build. Unpublished labs
 * are not read at all.
 */
export async function readPublicLabs(root: string = labsRoot(), setting: string | undefined = process.env[PUBLISHED_LABS_VARIABLE]): Promise<PublicLab[]> {
  const labs: PublicLab[] = [];
  for (const id of choosePublishedLabs(setting, await listLabIds(root))) {
    const folder = join(root, id);
    const manifestPath = join(folder, 'lab.json');
    const manifest = parseManifest(readFileSync(manifestPath, 'utf8'), manifestPath);
    if (manifest.id !== id) throw new Error(`${manifestPath}: "id" is "${manifest.id}" but the folder is "${id}"; they must match.`);
    const starter: Record<string, string> = {};
    for (const file of manifest.files) {
      const path = join(folder, 'starter', file.path);
      if (!existsSync(path)) throw new Error(`${manifestPath}: lists starter/${file.path}, which does not exist.`);
      starter[file.path] = readFileSync(path, 'utf8');
    }
    const tests = readPublicTestFiles(join(folder, 'tests'));
    if (tests['public.ts'] === undefined) throw new Error(`${folder}: tests/public.ts is missing; every lab has public tests.`);
    labs.push({ id, manifest, starter, tests, hidden: await summarizeHiddenTests(folder) });
  }
  return labs;
}
