/**
 * Reads a lab folder (`labs/<id>/` or `grader/fixtures/labs/<id>/`) from disk and checks it:
 * the manifest against its schema, and that every file it names exists.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describeIssues, labManifestSchema, type LabManifest } from '../core/lab-format.ts';
import type { LabSources } from '../core/run-request.ts';

/** A lab as the Node grader sees it: sources plus the private reference solution and mutants. */
export interface LoadedLab extends LabSources {
  /** Absolute path of the lab folder. */
  dir: string;
  /** Reference solution files by path inside `solution/` (editable files only, typically). */
  solution: Readonly<Record<string, string>>;
  /**
   * Wrong submissions kept as folders, `mutants/<name>/<files>` (the grader's own fixture lab).
   * The course's labs keep their mutants as patches against the reference (`mutants/<name>.patch`,
   * see labs/README.md), which tests/labs/variants.ts applies; they are not listed here.
   */
  mutants: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** A lab folder that cannot be used, with what to fix. */
export class LabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabError';
  }
}

/** Whether the symbolic link `path` leads to a file; a link that leads nowhere is an error to fix. */
async function linkedFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    throw new LabError(`${path} is a symbolic link to something that does not exist; point it at the shared file or remove it.`);
  }
}

async function readTsFiles(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  if (!existsSync(dir)) return files;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.name.endsWith('.ts')) continue;
    const full = join(entry.parentPath, entry.name);
    // A lab may share a file with another lab through a symbolic link (lab 5's
    // trap-and-emulate.ts is lab 4's): read what it points to.
    if (!(entry.isFile() || (entry.isSymbolicLink() && (await linkedFile(full))))) continue;
    files[relative(dir, full).split('\\').join('/')] = await readFile(full, 'utf8');
  }
  return files;
}

/** Parses a `lab.json` text; throws {@link LabError} with every problem listed. */
export function parseManifest(text: string, where: string): LabManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LabError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = labManifestSchema.safeParse(json);
  if (!parsed.success) throw new LabError(`${where} does not match the lab format: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** Loads the lab in `dir`. `publicOnly`: a packaged copy without hidden tests (GitHub Classroom). */
export async function loadLab(dir: string, options: { publicOnly?: boolean } = {}): Promise<LoadedLab> {
  const manifestPath = join(dir, 'lab.json');
  if (!existsSync(manifestPath)) throw new LabError(`${dir} has no lab.json; is it a lab folder?`);
  const manifest = parseManifest(await readFile(manifestPath, 'utf8'), manifestPath);
  const folderName = dir.split(/[\\/]/).filter(Boolean).pop();
  if (folderName !== manifest.id) throw new LabError(`${manifestPath}: id "${manifest.id}" must equal the folder name "${folderName}"`);
  const [starter, tests, solution] = await Promise.all([readTsFiles(join(dir, 'starter')), readTsFiles(join(dir, 'tests')), readTsFiles(join(dir, 'solution'))]);
  for (const file of manifest.files) {
    if (starter[file.path] === undefined) throw new LabError(`${manifest.id}: lab.json lists starter/${file.path} but the file does not exist`);
  }
  for (const name of options.publicOnly === true ? ['public.ts'] : ['public.ts', 'hidden.ts']) {
    if (tests[name] === undefined) throw new LabError(`${manifest.id}: tests/${name} is missing`);
  }
  const mutants: Record<string, Record<string, string>> = {};
  const mutantsDir = join(dir, 'mutants');
  if (existsSync(mutantsDir)) {
    for (const entry of await readdir(mutantsDir, { withFileTypes: true })) {
      if (entry.isDirectory()) mutants[entry.name] = await readTsFiles(join(mutantsDir, entry.name));
    }
  }
  return { dir, manifest, starter, tests, solution, mutants };
}

/** Ids of the labs under `labsDir` (folders that have a lab.json), sorted. */
export async function listLabIds(labsDir: string): Promise<string[]> {
  if (!existsSync(labsDir)) return [];
  const entries = await readdir(labsDir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && existsSync(join(labsDir, e.name, 'lab.json'))).map((e) => e.name).sort();
}
