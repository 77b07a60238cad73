/** `virtlab package`: write a Gradescope autograder zip, GitHub Classroom files or a PrairieLearn question. */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { classroomFiles, gradescopeZip, type PackagedFiles } from '../package/package.ts';
import { prairielearnFiles } from '../package/prairielearn.ts';
import { EXIT } from './exit-codes.ts';
import { loadLabForCli } from './load-lab.ts';
import type { CliIo } from './main.ts';

/**
 * Where packages go unless --out says otherwise: a folder `.gitignore` ignores, because a
 * Gradescope zip holds the hidden tests and the solution and must never be committed.
 */
export const PACKAGE_DIR = 'dist-grader';

/** Options of `virtlab package`. */
export interface PackageOptions {
  lab: string;
  target: string;
  labsDir: string;
  out?: string;
  includeHidden?: boolean;
}

async function writeFiles(out: string, files: PackagedFiles): Promise<void> {
  for (const [path, file] of Object.entries(files)) {
    const target = join(out, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.data);
    if (file.executable === true) await chmod(target, 0o755);
  }
}

/** The question's uuid: kept from an earlier package in the same folder (PrairieLearn keys the question's history by it). */
async function questionUuid(out: string): Promise<string> {
  try {
    const info = JSON.parse(await readFile(join(out, 'info.json'), 'utf8')) as { uuid?: unknown };
    if (typeof info.uuid === 'string') return info.uuid;
  } catch {
    // No earlier package: a new question.
  }
  return randomUUID();
}

export async function runPackage(options: PackageOptions, io: CliIo): Promise<number> {
  if (options.target !== 'gradescope' && options.target !== 'github-classroom' && options.target !== 'prairielearn') {
    io.stderr.write(`virtlab: unknown --target "${options.target}". Use gradescope, github-classroom or prairielearn.\n`);
    return EXIT.usage;
  }
  const lab = await loadLabForCli(options.labsDir, options.lab, io.stderr);
  if (typeof lab === 'number') return lab;
  if (options.target === 'gradescope') {
    const out = resolve(options.out ?? join(PACKAGE_DIR, `${lab.manifest.id}-gradescope.zip`));
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, await gradescopeZip(lab, process.version));
    io.stdout.write(`Wrote ${out}\nIt contains the hidden tests and the reference solution: upload it to Gradescope as the autograder and keep it private.\n`);
    return EXIT.ok;
  }
  if (options.target === 'prairielearn') {
    const out = resolve(options.out ?? join(PACKAGE_DIR, `${lab.manifest.id}-prairielearn`));
    const files = await prairielearnFiles(lab, process.version, await questionUuid(out));
    await writeFiles(out, files);
    io.stdout.write(`Wrote ${Object.keys(files).length} files to ${out}\nCopy the folder into your course's questions/ (its tests/ holds the hidden tests: PrairieLearn never serves it to students; keep the course repository private).\n`);
    return EXIT.ok;
  }
  const out = resolve(options.out ?? join(PACKAGE_DIR, `${lab.manifest.id}-github-classroom`));
  const files = await classroomFiles(lab, process.version, options.includeHidden === true);
  await writeFiles(out, files);
  io.stdout.write(`Wrote ${Object.keys(files).length} files to ${out}\nCopy them into the assignment's template repository, next to the starter files.\n`);
  if (options.includeHidden === true) io.stderr.write('virtlab: warning: the hidden tests are in these files; every student can read them in their own repository.\n');
  else io.stdout.write('Only the public tests are included (students can read their repository); grade the hidden tests with `virtlab grade` on the collected repositories.\n');
  return EXIT.ok;
}
